import { describe, expect, it } from 'vitest';

import { CATALOGUE, ioxTypeName } from '../../../shared/errors/catalogue';
import { decodeWriteError } from '../../../shared/errors/decode';
import { explain, type Explanation, flavorsForShape } from '../../../shared/errors/explain';
import { fixture, FIXTURES } from './fixtures';

function run(name: string, over: Partial<{ flavor: undefined; headers: Record<string, string> }> = {}): Explanation[] {
  const f = fixture(name);
  return explain({
    status: f.status,
    body: f.body,
    contentType: f.contentType,
    flavor: 'flavor' in over ? over.flavor : f.flavor,
    requestBody: f.requestBody,
    headers: over.headers ?? f.headers,
  });
}

/**
 * fixture → the entry that must come first, and others that must also be listed. Every catalogue
 * entry appears here at least once (checked below).
 */
const TABLE: ReadonlyArray<readonly [fixture: string, first: string, also?: readonly string[]]> = [
  ['seed-namespace-length', 'missing-db-namespace'],
  ['seed-precision-variant', 'bad-precision-3x'],
  ['core-serde-precision', 'bad-precision-3x'],
  ['iox-no-db', 'missing-target-3x'],
  ['iox-missing-field-db', 'missing-target-3x'],
  ['iox-missing-bucket', 'missing-target-3x'],
  ['core-missing-db', 'missing-target-3x'],
  ['iox-namespace-invalid-char', 'invalid-db-name-3x'],
  ['core-db-name', 'invalid-db-name-3x'],
  ['1x-database-required', 'database-required-1x'],
  ['1x-database-not-found', 'database-not-found'],
  ['1x-rp-not-found', 'rp-not-found-1x'],
  ['1x-v2-bucket-slash', 'bucket-missing-slash-1x'],
  ['2x-bucket-not-found', 'bucket-not-found-2x'],
  ['2x-no-dbrp', 'no-dbrp-mapping'],
  ['2x-missing-db', 'missing-db-2x'],
  ['1x-404-page', 'endpoint-not-found'],
  ['1x-405', 'method-not-allowed'],
  ['1x-invalid-precision', 'bad-precision-1x'],
  ['2x-invalid-precision', 'bad-precision-2x'],
  ['1x-unauth-no-credentials', 'auth-unparsable-1x'],
  ['1x-auth-failed', 'auth-failed-1x'],
  ['1x-bearer-disabld', 'bearer-disabled-1x'],
  ['1x-username-required', 'username-required-1x'],
  ['1x-write-forbidden', 'write-not-authorized-1x'],
  ['1x-create-admin-first', 'create-admin-first-1x'],
  ['1x-query-requires-admin', 'requires-admin-1x'],
  ['2x-unauthorized', 'unauthorized-401-2x'],
  ['2x-forbidden', 'forbidden-403-2x'],
  ['core-not-authenticated', 'unauthorized-401-core'],
  ['core-forbidden', 'forbidden-403-core'],
  ['core-malformed-auth', 'core-malformed-auth-header'],
  ['iox-401', 'unauthorized-401-iox'],
  ['iox-403', 'forbidden-403-iox'],
  ['iox-503-authz', 'authz-unavailable-iox'],
  ['1x-crlf', 'crlf-line-endings'],
  ['rust-trailing-crlf', 'crlf-line-endings'],
  ['1x-unsigned', 'unsigned-1x'],
  ['1x-invalid-number-nan', 'invalid-number'],
  ['1x-partial-several', 'bad-timestamp', ['missing-fields', 'invalid-field-format', 'partial-write']],
  ['1x-missing-fields', 'missing-fields'],
  ['iox-4.3a-fixture', 'missing-fields'],
  ['core-4.3a-object', 'missing-fields'],
  ['core-v2-wrapped', 'missing-fields'],
  ['1x-4.3a-fixture', 'missing-field-value', ['partial-write']],
  ['2x-4.3a-fixture', 'missing-field-value'],
  ['1x-duplicate-tags', 'tag-format'],
  ['1x-invalid-tag-format', 'tag-format'],
  ['1x-missing-tag-value', 'tag-format'],
  ['rust-tag-malformed', 'tag-format'],
  ['iox-dup-tag', 'tag-format'],
  ['1x-unbalanced-quotes', 'unbalanced-quotes'],
  ['1x-invalid-boolean', 'invalid-boolean'],
  ['1x-int-out-of-range', 'integer-out-of-range'],
  ['1x-time-outside-range', 'timestamp-out-of-range'],
  ['iox-overflow', 'timestamp-out-of-range'],
  ['core-ts-out-of-range', 'timestamp-out-of-range'],
  ['rust-invalid-ts', 'timestamp-out-of-range'],
  ['rust-trailing-content', 'trailing-content'],
  ['rust-backslash', 'ends-with-backslash'],
  ['rust-string-too-long', 'string-too-long'],
  ['1x-string-too-long', 'string-too-long', ['partial-write']],
  ['1x-max-key-length', 'max-key-length'],
  ['1x-invalid-tag-time', 'reserved-key-time', ['partial-write']],
  ['1x-time-field-stripped', 'reserved-key-time'],
  ['2x-reserved-tag', 'reserved-key-time'],
  ['core-reserved-time', 'reserved-key-time'],
  ['1x-gzip-no-header', 'gzip-without-header'],
  ['1x-gzip-invalid-header', 'gzip-invalid-header'],
  ['1x-type-conflict', 'field-type-conflict', ['partial-write']],
  ['1x-partial-all-dropped', 'field-type-conflict', ['partial-write-nothing-stored']],
  ['1x-max-series', 'max-series-per-database', ['partial-write-nothing-stored']],
  ['1x-not-executed', 'statement-not-executed-1x'],
  ['1x-duplicate-field-two-types', 'field-type-conflict', ['partial-write-nothing-stored']],
  ['2x-partial-422', 'field-type-conflict', ['partial-write', 'unprocessable-422-2x']],
  ['core-column-type', 'column-type-conflict-3x', ['partial-write']],
  ['iox-insert-type', 'column-type-conflict-3x'],
  ['core-tag-field-clash', 'tag-field-same-name-3x'],
  ['iox-tag-field-clash', 'tag-field-same-name-3x'],
  ['iox-schema-conflict', 'tag-field-same-name-3x'],
  ['core-dup-field', 'duplicate-field-3x'],
  ['iox-dup-field', 'duplicate-field-3x'],
  ['core-partial-array', 'missing-fields', ['partial-write']],
  ['iox-partial-prefix', 'missing-fields', ['partial-write']],
  ['1x-retention-1.8', 'outside-retention', ['partial-write']],
  ['1x-retention-1.12', 'outside-retention'],
  ['iox-retention-422', 'unprocessable-422-iox'],
  ['1x-max-values-per-tag', 'max-values-per-tag'],
  ['core-limit-columns', 'schema-limit-3x'],
  ['core-limit-dbs', 'schema-limit-3x'],
  ['sv-column-limit', 'schema-limit-3x'],
  ['sv-table-limit', 'schema-limit-3x'],
  ['1x-request-too-large', 'request-too-large'],
  ['2x-too-large', 'request-too-large'],
  ['iox-request-too-large', 'request-too-large'],
  ['sv-413', 'request-too-large'],
  ['core-too-large', 'request-too-large'],
  ['core-v2-too-large', 'request-too-large'],
  ['iox-415', 'unsupported-media-type'],
  ['core-bad-encoding', 'bad-content-encoding-core'],
  ['core-invalid-utf8', 'invalid-utf8'],
  ['core-empty-write', 'core-empty-write'],
  ['sv-429', 'too-many-requests'],
  ['iox-overloaded', 'service-overloaded'],
];

describe('explain: every catalogue entry against a literal body', () => {
  for (const [name, first, also = []] of TABLE) {
    it(`${name} → ${first}`, () => {
      const ids = run(name).map((e) => e.id);
      expect(ids[0]).toBe(first);
      for (const id of also) expect(ids).toContain(id);
    });
  }

  it('covers every catalogue id with at least one table row, and the catalogue has ≥ 40 unique entries', () => {
    // The generic 1.x 401/403 entries explain only a body they do not know (see '401 versus 403' below).
    const covered = new Set([
      ...TABLE.flatMap(([, first, also = []]) => [first, ...also]),
      'unauthorized-401-1x',
      'forbidden-403-1x',
    ]);
    const ids = CATALOGUE.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThanOrEqual(40);
    expect(ids.filter((id) => !covered.has(id))).toEqual([]);
  });

  it('every fixture gets at least one explanation, and every entry has a title, cause, fix and flavors', () => {
    for (const f of FIXTURES.values()) {
      expect(
        explain({ status: f.status, body: f.body, flavor: f.flavor, requestBody: f.requestBody, headers: f.headers })
          .length,
        f.name,
      ).toBeGreaterThan(0);
    }
    for (const e of CATALOGUE) {
      expect(e.title && e.cause && e.fix, e.id).toBeTruthy();
      expect(e.flavors.length, e.id).toBeGreaterThan(0);
      expect(e.message !== undefined || (e.status?.length ?? 0) > 0, e.id).toBe(true);
    }
  });
});

describe('explain: never says data landed when it did not', () => {
  it('a partial write whose dropped=N covers every line says nothing was stored', () => {
    for (const name of ['1x-partial-all-dropped', '1x-max-series']) {
      const ids = run(name).map((e) => e.id);
      expect(ids, name).toContain('partial-write-nothing-stored');
      expect(ids, name).not.toContain('partial-write');
      const f = fixture(name);
      const d = decodeWriteError({ status: f.status, body: f.body, flavor: f.flavor, requestBody: f.requestBody });
      expect(d.written, name).toBe('none');
      expect(d.summary, name).toMatch(
        /nothing from this request was written|^Nothing was written: every line was dropped/,
      );
      expect(d.summary, name).not.toContain('other lines were written');
    }
    // One of two lines dropped: still a partial write.
    const some = explain({
      status: 400,
      flavor: '1.x',
      body: fixture('1x-partial-all-dropped').body.replace('dropped=2', 'dropped=1'),
      requestBody: 'tc v=1i 2\ntc v=2.5 3\n',
    }).map((e) => e.id);
    expect(some).toContain('partial-write');
    expect(some).not.toContain('partial-write-nothing-stored');
  });

  it('a duplicate field key with two types in one line is named as such, not as the database type', () => {
    const e = run('1x-duplicate-field-two-types').find((x) => x.id === 'field-type-conflict')!;
    expect(e.details).toEqual([
      'Line 1 sends field "v" twice, as float and integer: the two values conflict with each ' +
        "other (a line's field keys must be unique), whatever the database has.",
    ]);
  });

  it('an admin-only statement gets no GRANT WRITE advice', () => {
    const ids = run('1x-query-requires-admin').map((e) => e.id);
    expect(ids).toEqual(['requires-admin-1x']);
  });

  it('partial-write advice warns that lines without a timestamp are duplicated by a resend', () => {
    const body = '{"error":"partial write: unable to parse \'m v= 3\': missing field value dropped=0"}';
    const untimed = explain({ status: 400, flavor: '1.x', body, requestBody: 'm v=1\nm v= 3\nm v=2 5\n' });
    const pw = untimed.find((x) => x.id === 'partial-write')!;
    expect(pw.fix).toContain('only when every line has a timestamp');
    expect(pw.details).toEqual([
      'Line 1 has no timestamp: the server stamped it with its clock, so re-sending the whole ' +
        'batch writes it again as new points. Send only the rejected lines.',
    ]);
    const timed = explain({ status: 400, flavor: '1.x', body, requestBody: 'm v=1 4\nm v= 3\nm v=2 5\n' });
    expect(timed.find((x) => x.id === 'partial-write')!.details).toEqual([]);
  });
});

describe('explain: what the explanations say about this error', () => {
  it('names the field, the measurement and both types of a 1.x field type conflict, on the right line', () => {
    const [e] = run('1x-type-conflict');
    expect(e?.details).toEqual([
      'Field "usage" on measurement "cpu": this write sends string, the database already has float.',
    ]);
    expect(e?.lines).toEqual([1]);
    expect(run('1x-type-conflict-batch')[0]?.details[0]).toBe(
      'Field "v" on measurement "newm": this write sends float, the database already has integer.',
    );
  });

  it('names column, measurement and types of 3.x conflicts', () => {
    expect(run('core-column-type')[0]?.details).toEqual([
      'Field "f" on measurement "m": this write sends string, the table already has integer.',
    ]);
    expect(run('iox-insert-type')[0]?.details).toEqual([
      'Field "val" on measurement "m": this write sends unsigned, the table already has integer.',
    ]);
    expect(run('iox-schema-conflict')[0]?.details).toEqual([
      'Column "foo" on table "bar" is a tag; this write uses it as a field.',
    ]);
    expect(ioxTypeName('iox::column_type::field::uinteger')).toBe('unsigned');
  });

  it('tag/field clash supersedes the generic column conflict', () => {
    const ids = run('core-tag-field-clash').map((e) => e.id);
    expect(ids).not.toContain('column-type-conflict-3x');
  });

  it('CRLF is detected from the CR in the quoted line and hides the generic parse explanations', () => {
    const ex = run('1x-crlf');
    expect(ex.map((e) => e.id)).toEqual(['crlf-line-endings']);
    expect(ex[0]?.lines).toEqual([1, 2]);
    // The same reason without a CR is the generic one.
    const plain = explain({
      status: 400,
      body: '{"error":"unable to parse \'cpu v=1 10x\': bad timestamp"}',
      flavor: '1.x',
    });
    expect(plain.map((e) => e.id)).toEqual(['bad-timestamp']);
  });

  it('429 reads Retry-After from the headers, as a record or a list, in seconds or as a date', () => {
    expect(run('sv-429')[0]?.details).toEqual(['Retry-After: wait 30 seconds before retrying.']);
    const f = fixture('sv-429');
    const list = explain({
      status: 429,
      body: f.body,
      flavor: 'serverless',
      headers: [['retry-after', 'Wed, 21 Oct 2026 07:28:00 GMT']],
    });
    expect(list[0]?.details).toEqual(['Retry-After: retry after Wed, 21 Oct 2026 07:28:00 GMT.']);
    const none = explain({ status: 429, body: '', flavor: 'cloud-dedicated' });
    expect(none[0]?.id).toBe('too-many-requests');
    expect(none[0]?.matchedBy).toBe('status');
    expect(none[0]?.details[0]).toMatch(/no Retry-After header/);
  });

  it('401 versus 403 depends on the flavor when only the status is known', () => {
    const byFlavor = (status: number, flavor: '1.x' | '2.x' | 'core' | 'cloud-dedicated' | 'serverless') =>
      explain({ status, body: '', flavor }).map((e) => e.id);
    expect(byFlavor(401, '1.x')).toEqual(['unauthorized-401-1x']);
    expect(byFlavor(401, '2.x')).toEqual(['unauthorized-401-2x']);
    expect(byFlavor(401, 'core')).toEqual(['unauthorized-401-core']);
    expect(byFlavor(401, 'cloud-dedicated')).toEqual(['unauthorized-401-iox']);
    expect(byFlavor(403, '1.x')).toEqual(['forbidden-403-1x']);
    expect(byFlavor(403, '2.x')).toEqual(['forbidden-403-2x']);
    expect(byFlavor(403, 'core')).toEqual(['forbidden-403-core']);
    expect(byFlavor(403, 'serverless')).toEqual(['forbidden-403-iox']);
  });

  it('without a flavor, the body shape narrows the status-only explanations', () => {
    expect(flavorsForShape('iox')).toEqual(['cloud-dedicated', 'clustered', 'serverless']);
    const ids = run('iox-403', { flavor: undefined }).map((e) => e.id);
    expect(ids[0]).toBe('forbidden-403-iox');
    expect(ids).not.toContain('forbidden-403-1x');
  });

  it('a 401/403 whose message is understood gets that one explanation, no generic card for the status', () => {
    for (const name of [
      '1x-unauth-no-credentials',
      '1x-auth-failed',
      '1x-bearer-disabld',
      '1x-write-forbidden',
      '1x-create-admin-first',
    ]) {
      expect(
        run(name).map((e) => e.matchedBy),
        name,
      ).toEqual(['message']);
      expect(
        run(name, { flavor: undefined }).map((e) => e.matchedBy),
        name,
      ).toEqual(['message']);
    }
    // Other statuses keep their status card beside the message's (a 2.x 422 says the other points were written).
    expect(run('2x-partial-422').map((e) => e.id)).toContain('unprocessable-422-2x');
  });

  it('a message match outranks a status match, and a message from another flavor still explains', () => {
    const ex = explain({ status: 401, body: '{"error":"bearer auth disabld"}', flavor: 'core' });
    expect(ex[0]?.id).toBe('bearer-disabled-1x');
    expect(ex[0]?.matchedBy).toBe('message');
  });

  it('extracts the database, precision and limits named in the message', () => {
    expect(run('1x-database-not-found')[0]?.details).toEqual(['Database: "nope".']);
    expect(run('seed-precision-variant')[0]?.details).toEqual(['Sent value: `u`.', 'Accepted: `s`, `ms`, `us`, `ns`.']);
    expect(run('core-too-large')[0]?.details).toEqual(['Limit: 10485760 bytes.']);
    expect(run('1x-write-forbidden')[0]?.details).toEqual(['User "reader" lacks WRITE on database "secure".']);
  });

  it('returns nothing for a message and status it does not know', () => {
    expect(explain({ status: 418, body: '{"error":"I am a teapot"}', flavor: '1.x' })).toEqual([]);
  });
});
