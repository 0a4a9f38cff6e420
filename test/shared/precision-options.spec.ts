import { describe, expect, it } from 'vitest';

import { FLAVOR_WRITE_APIS, SERVER_FLAVORS, WRITE_APIS } from '../../shared/domain/flavor';
import { precisionOptions, translatePrecision } from '../../shared/domain/precision';
import { FLAVOR_RULES, resolvePrecision } from '../../shared/lp/flavors';

/** The write form's precision choices come from the line-protocol rule table, not a table of their own. */

const NS = ['', 'ns', 'us', 'ms', 's'];
// What the form offered before it was derived (kept: behaviour does not change).
const BEFORE = {
  onexV1: ['', 'n', 'u', 'ms', 's', 'm', 'h'],
  v3: ['', 'auto', 'nanosecond', 'microsecond', 'millisecond', 'second'],
  other: NS,
};

describe('precision options from the rule table', () => {
  for (const flavor of SERVER_FLAVORS) {
    for (const api of FLAVOR_WRITE_APIS[flavor]) {
      it(`${flavor} ${api}: one option per unit the endpoint accepts, each read as that unit`, () => {
        const spec = FLAVOR_RULES[flavor].precision[api];
        expect(spec, 'the form offers only endpoints the flavor serves').not.toBeNull();
        const options = precisionOptions(flavor, api);
        expect(options[0]).toEqual({ value: '', label: `server default (${spec!.default})` });
        const values = options.slice(1).map((o) => o.value);
        expect(values).toEqual(spec!.offered);
        // Every option is accepted, and read as the unit its label names; every unit has one option.
        const units = values.map((v) => resolvePrecision(flavor, api, v));
        for (const u of units) expect(u.ok).toBe(true);
        expect(new Set(units.map((u) => (u.ok ? u.unit : null)))).toEqual(new Set(Object.values(spec!.accepted)));
        expect(units).toHaveLength(new Set(Object.values(spec!.accepted)).size);
        const expected = flavor === '1.x' && api === 'v1' ? BEFORE.onexV1 : api === 'v3' ? BEFORE.v3 : BEFORE.other;
        expect(options.map((o) => o.value)).toEqual(expected);
      });
    }
  }

  it('the rule table describes exactly the endpoints the registry says each flavor serves', () => {
    for (const flavor of SERVER_FLAVORS) {
      const described = WRITE_APIS.filter((api) => FLAVOR_RULES[flavor].precision[api] !== null);
      expect(new Set(described), flavor).toEqual(new Set(FLAVOR_WRITE_APIS[flavor]));
    }
  });

  it('labels are those the form always showed', () => {
    expect(precisionOptions('1.x', 'v1').map((o) => o.label)).toEqual([
      'server default (ns)',
      'n (nanoseconds)',
      'u (microseconds)',
      'ms (milliseconds)',
      's (seconds)',
      'm (minutes)',
      'h (hours)',
    ]);
    expect(precisionOptions('core', 'v3').map((o) => o.label)).toEqual([
      'server default (auto)',
      'auto (from magnitude)',
      'nanosecond',
      'microsecond',
      'millisecond',
      'second',
    ]);
    expect(precisionOptions('2.x', 'v2').map((o) => o.label)).toEqual([
      'server default (ns)',
      'ns (nanoseconds)',
      'us (microseconds)',
      'ms (milliseconds)',
      's (seconds)',
    ]);
  });

  it('translating between endpoints keeps the unit', () => {
    for (const flavor of SERVER_FLAVORS)
      for (const api of WRITE_APIS) expect(translatePrecision(flavor, api, '')).toBe('');
    expect(translatePrecision('core', 'v3', 's')).toBe('second');
    expect(translatePrecision('core', 'v1', 'second')).toBe('s');
    expect(translatePrecision('1.x', 'v1', 'ns')).toBe('n');
    expect(translatePrecision('1.x', 'v1', 'us')).toBe('u');
    expect(translatePrecision('1.x', 'v2', 'u')).toBe('us');
    expect(translatePrecision('1.x', 'v2', 'h')).toBeNull();
    expect(translatePrecision('cloud-dedicated', 'v1', 'auto')).toBeNull();
    expect(translatePrecision('2.x', 'v2', 'bogus')).toBeNull();
  });
});
