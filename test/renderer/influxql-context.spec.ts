import { describe, expect, it } from 'vitest';

import {
  callAt,
  completionContext,
  identText,
  signatureParameters,
  statementMeasurement,
  stringLiteral,
} from '../../renderer/src/lib/monaco/influxql-context';

/** Cursor context for InfluxQL completion: `|` marks the cursor. */
const at = (text: string) => completionContext(text.replace('|', ''), text.indexOf('|'));

describe('InfluxQL completion context', () => {
  it('offers measurements after FROM, in FROM lists and after db.rp.', () => {
    expect(at('SELECT * FROM |')).toEqual({ kind: 'measurement', prefix: '' });
    expect(at('SELECT * FROM cp|')).toEqual({ kind: 'measurement', prefix: 'cp' });
    expect(at('SELECT * FROM "disk i|')).toEqual({ kind: 'measurement', prefix: '"disk i' });
    expect(at('SELECT * FROM cpu, me|')).toEqual({ kind: 'measurement', prefix: 'me' });
    expect(at('SELECT * FROM mydb."one week".|')).toEqual({ kind: 'measurement', prefix: '' });
    expect(at('show tag keys from |')).toEqual({ kind: 'measurement', prefix: '' });
  });

  it('offers fields and tags of the statement measurement elsewhere, even before FROM is typed after it', () => {
    expect(at('SELECT us| FROM cpu')).toEqual({ kind: 'general', measurement: 'cpu', prefix: 'us' });
    expect(at('SELECT mean(|) FROM "disk io" WHERE')).toEqual({ kind: 'general', measurement: 'disk io', prefix: '' });
    expect(at('SELECT * FROM db.rp.cpu WHERE ho|')).toEqual({ kind: 'general', measurement: 'cpu', prefix: 'ho' });
    expect(at('SELECT * FROM cpu; SELECT x| FROM mem')).toEqual({ kind: 'general', measurement: 'mem', prefix: 'x' });
  });

  it('offers tag values after `tag =` and inside the opened string', () => {
    expect(at('SELECT * FROM cpu WHERE host = |')).toEqual({
      kind: 'tag-value',
      measurement: 'cpu',
      tagKey: 'host',
      prefix: '',
    });
    expect(at('SELECT * FROM cpu WHERE "mount point" != \'sr|')).toEqual({
      kind: 'tag-value',
      measurement: 'cpu',
      tagKey: 'mount point',
      prefix: "'sr",
    });
    expect(at('SELECT * FROM cpu WHERE time = |').kind).toBe('general');
  });

  it('follows the grammar: nothing where only a new name or a number can go', () => {
    // `CREATE DATABASE demo` + Enter once became `CREATE DATABASE DOUBLE_EXPONENTIAL_MOVING_AVERAGE()`.
    for (const text of [
      'CREATE DATABASE demo|',
      'CREATE DATABASE iot|',
      'CREATE DATABASE |',
      'CREATE USER bob|',
      'CREATE RETENTION POLICY one_week|',
      'CREATE RETENTION POLICY rp ON |',
      'SELECT mean(usage) AS av|',
      'SELECT * FROM cpu LIMIT |',
      'SELECT * FROM cpu; CREATE DATABASE x|',
    ])
      expect(at(text), text).toMatchObject({ kind: 'nothing' });
  });

  it('offers only the keywords the grammar allows next', () => {
    expect(at('CREATE |')).toEqual({
      kind: 'keyword',
      keywords: ['CONTINUOUS', 'DATABASE', 'USER', 'RETENTION', 'SUBSCRIPTION'],
      prefix: '',
    });
    expect(at('CREATE DATABASE demo WITH DU|')).toEqual({
      kind: 'keyword',
      keywords: ['DURATION', 'NAME', 'REPLICATION', 'SHARD'],
      prefix: 'DU',
    });
    expect(at('SHOW DATABASES|')).toMatchObject({ kind: 'keyword', prefix: 'DATABASES' });
    expect(at('GRANT |')).toMatchObject({ kind: 'keyword', keywords: ['READ', 'WRITE', 'ALL PRIVILEGES'] });
  });

  it('offers measurements where an existing one goes (DROP MEASUREMENT, INTO)', () => {
    expect(at('DROP MEASUREMENT c|')).toEqual({ kind: 'measurement', prefix: 'c' });
    expect(at('SELECT * INTO |')).toEqual({ kind: 'measurement', prefix: '' });
  });

  it('ignores FROM inside strings and comments', () => {
    expect(statementMeasurement("SELECT * FROM cpu WHERE a = 'FROM x'")).toBe('cpu');
    expect(statementMeasurement('-- FROM x\nSELECT * FROM "a ""b"')).toBe('a ');
    expect(statementMeasurement('SELECT * FROM "a \\"b\\""')).toBe('a "b"');
  });

  it('finds the enclosing call and argument for signature help', () => {
    const t = 'SELECT percentile(usage, |) FROM cpu';
    expect(callAt(t.replace('|', ''), t.indexOf('|'))).toMatchObject({ fn: { name: 'percentile' }, argument: 1 });
    const nested = 'SELECT mean(abs(|';
    expect(callAt(nested.replace('|', ''), nested.indexOf('|'))).toMatchObject({ fn: { name: 'abs' }, argument: 0 });
    expect(callAt('SELECT x FROM cpu', 8)).toBeNull();
  });

  it('splits signatures into parameters and quotes insertions', () => {
    expect(signatureParameters('BOTTOM(field_key [, tag_key…], N)')).toEqual(['field_key', '[tag_key…]', 'N']);
    expect(signatureParameters('INTEGRAL(field_key [, unit])')).toEqual(['field_key', '[unit]']);
    expect(signatureParameters('now()')).toEqual([]);
    expect(identText('cpu')).toBe('cpu');
    expect(identText('disk io')).toBe('"disk io"');
    expect(identText('select')).toBe('"select"');
    expect(stringLiteral("it's")).toBe("'it\\'s'");
  });
});
