import { describe, expect, it } from 'vitest';

import { type DecodedWriteError, decodeWriteError } from '../../../shared/errors/decode';
import { goEntries, rustEntries } from '../../../shared/errors/lp-entries';
import { fuzzGolden } from '../lp/support';
import { fixture, FIXTURES } from './fixtures';

function decode(name: string, over: { requestBody?: string | undefined; flavor?: undefined } = {}): DecodedWriteError {
  const f = fixture(name);
  return decodeWriteError({
    status: f.status,
    body: f.body,
    contentType: f.contentType,
    flavor: 'flavor' in over ? over.flavor : f.flavor,
    requestBody: 'requestBody' in over ? over.requestBody : f.requestBody,
  });
}

describe('decodeWriteError: every shape, literal bodies', () => {
  it('1.x partial write maps the quoted text back to its line (leading space trimmed as 1.x does)', () => {
    const d = decode('1x-partial-missing-field-value');
    expect(d.shape).toBe('1.x');
    expect(d.partial).toBe(true);
    expect(d.written).toBe('some');
    expect(d.dropped).toBe(0);
    expect(d.lines).toEqual([{ line: 2, text: 'cpu,host=e usage=', message: 'missing field value' }]);
    expect(d.summary).toMatch(/^Partial write: 1 line rejected \(line 2\)/);
  });

  it('1.x several errors joined by \\n each get their own line', () => {
    const d = decode('1x-partial-several');
    expect(d.lines.map((l) => [l.line, l.text, l.message])).toEqual([
      [2, 'bad line here', 'invalid field format'],
      [3, 'cpu,host=x', 'missing fields'],
      [4, 'cpu v=1 notatime', 'bad timestamp'],
    ]);
  });

  it('1.x with no parsable line has no "partial write" prefix and wrote nothing', () => {
    const d = decode('1x-crlf');
    expect(d.partial).toBe(false);
    expect(d.written).toBe('none');
    expect(d.lines.map((l) => [l.line, l.text, l.message])).toEqual([
      [1, 'crlf v=1\r', 'invalid number'],
      [2, 'crlf v=2\r', 'invalid number'],
    ]);
  });

  it('1.x CRLF errors still land on their lines when the caller passes the LF body that was sent', () => {
    const d = decode('1x-crlf', { requestBody: 'crlf v=1\ncrlf v=2\n' });
    // The server quoted text with CR; the LF body has no such entry, so no line can be claimed.
    expect(d.lines.every((l) => l.line === null)).toBe(true);
    expect(d.lines[0]?.text).toBe('crlf v=1\r');
  });

  it('1.x "for database … for retention policy" suffix and dropped=N are stripped', () => {
    const d = decode('1x-partial-db-suffix');
    expect(d.dropped).toBe(0);
    expect(d.lines).toEqual([{ line: 2, text: 'bad line', message: 'missing fields' }]);
    const e = decode('1x-4.3a-fixture');
    expect(e.lines).toEqual([{ line: 2, text: 'cpu,host=a val= 124', message: 'missing field value' }]);
  });

  it('1.x type conflicts name no line: the lines with that measurement, field and type are found', () => {
    expect(decode('1x-type-conflict').lines.map((l) => l.line)).toEqual([1]);
    expect(decode('1x-type-conflict-batch').lines.map((l) => l.line)).toEqual([2]);
    const d = decode('1x-type-conflict-dup-field');
    expect(d.dropped).toBe(1);
    expect(d.lines).toHaveLength(1);
    expect(d.lines[0]?.line).toBe(1);
    expect(d.lines[0]?.message).toContain(
      'input field "v" on measurement "dupk" is type integer, already exists as type float',
    );
    // Without the request body the message stays, on no line.
    expect(decode('1x-type-conflict', { requestBody: undefined }).lines).toEqual([
      {
        line: null,
        message:
          'field type conflict: input field "usage" on measurement "cpu" is type string, already exists as type float',
      },
    ]);
  });

  it('1.x invalid tag key "time" is located by measurement and tag', () => {
    expect(decode('1x-invalid-tag-time').lines.map((l) => l.line)).toEqual([2]);
  });

  it('1.x without the request body keeps the quoted text and has no line number', () => {
    const d = decode('1x-partial-several', { requestBody: undefined });
    expect(d.lines.map((l) => [l.line, l.text])).toEqual([
      [null, 'bad line here'],
      [null, 'cpu,host=x'],
      [null, 'cpu v=1 notatime'],
    ]);
  });

  it('1.x duplicate lines: each reported copy takes the next occurrence', () => {
    const body =
      '{"error":"partial write: unable to parse \'x y\': invalid field format\\nunable to parse \'x y\': invalid field format dropped=0"}';
    const d = decodeWriteError({ status: 400, body, flavor: '1.x', requestBody: 'm v=1\nx y\nm v=2\nx y\n' });
    expect(d.lines.map((l) => l.line)).toEqual([2, 4]);
  });

  it('1.x quoted text containing a newline (string field) spans two editor lines', () => {
    const requestBody = 'm v=1\nm s="two\nlines" 1 2\n';
    const text = 'm s="two\nlines" 1 2';
    const body = JSON.stringify({ error: `partial write: unable to parse '${text}': bad timestamp dropped=0` });
    const d = decodeWriteError({ status: 400, body, flavor: '1.x', requestBody });
    expect(d.lines).toEqual([{ line: 2, endLine: 3, text, message: 'bad timestamp' }]);
  });

  it('1.x text containing "\': " is found by the body match, and by a known reason without it', () => {
    const text = 'm s="a\': b"x';
    const body = JSON.stringify({ error: `unable to parse '${text}': invalid field format` });
    expect(decodeWriteError({ status: 400, body, requestBody: `${text}\n` }).lines).toEqual([
      { line: 1, text, message: 'invalid field format' },
    ]);
    expect(decodeWriteError({ status: 400, body }).lines).toEqual([
      { line: null, text, message: 'invalid field format' },
    ]);
  });

  it('1.x X-Influxdb-Error header text (newlines flattened to spaces) still splits per line', () => {
    const header =
      "partial write: unable to parse 'bad line here': invalid field format unable to parse " +
      "'cpu,host=x': missing fields unable to parse 'cpu v=1 notatime': bad timestamp dropped=0";
    const d = decodeWriteError({ status: 400, body: header, requestBody: fixture('1x-partial-several').requestBody });
    expect(d.shape).toBe('text');
    expect(d.lines.map((l) => [l.line, l.message])).toEqual([
      [2, 'invalid field format'],
      [3, 'missing fields'],
      [4, 'bad timestamp'],
    ]);
  });

  it('1.x storage-only partial writes (retention, limits) have a batch-level line', () => {
    const d = decode('1x-retention-1.8');
    expect(d.partial).toBe(true);
    expect(d.dropped).toBe(3);
    expect(d.lines).toEqual([{ line: null, message: 'points beyond retention policy' }]);
    expect(d.summary).toBe('Partial write: points beyond retention policy dropped=3');
  });

  it('1.x request-level errors have no lines', () => {
    for (const name of [
      '1x-database-required',
      '1x-database-not-found',
      '1x-unauth-no-credentials',
      '1x-bearer-disabld',
      '1x-write-forbidden',
    ]) {
      const d = decode(name);
      expect(d.shape, name).toBe('1.x');
      expect(d.lines, name).toEqual([]);
      expect(d.summary, name).toBe(`HTTP ${fixture(name).status}: ${JSON.parse(fixture(name).body).error}`);
    }
  });

  it('2.x {code, message}: the whole batch is rejected, the line found by its text', () => {
    const d = decode('2x-4.3a-fixture');
    expect(d.shape).toBe('2.x');
    expect(d.code).toBe('invalid');
    expect(d.partial).toBe(false);
    expect(d.written).toBe('none');
    expect(d.lines).toEqual([{ line: 2, text: 'cpu,host=a val= 124', message: 'missing field value' }]);
  });

  it('2.x 422 storage partial write carries dropped=N', () => {
    const d = decode('2x-partial-422');
    expect(d.code).toBe('unprocessable entity');
    expect(d.partial).toBe(true);
    expect(d.dropped).toBe(10);
    expect(d.lines[0]?.message).toMatch(/^field type conflict: input field "value"/);
  });

  it('IOx {code, message, line} lists "error parsing line N (1-based)" entries', () => {
    const d = decode('iox-4.3a-fixture');
    expect(d.shape).toBe('iox');
    expect(d.firstLine).toBe(2);
    expect(d.lines).toEqual([{ line: 2, text: 'cpu,host=a val= 124', message: 'No fields were provided' }]);
    expect(d.summary).toMatch(/with partial writes on/);
  });

  it('IOx numbers entries without blank and comment lines; they are mapped to editor lines', () => {
    const d = decode('iox-partial-prefix');
    expect(d.partial).toBe(true);
    // entry 3 of "# header comment\nm v=1\n\nm v=2\nbad\n" is "bad" on line 5
    expect(d.lines).toEqual([{ line: 5, text: 'bad', message: 'No fields were provided' }]);
    expect(decode('iox-partial-prefix', { requestBody: undefined }).lines).toEqual([
      { line: 3, message: 'No fields were provided' },
    ]);
  });

  it('IOx "error writing line" and "timestamp overflows i64" entries', () => {
    expect(decode('iox-insert-type').lines).toEqual([
      {
        line: 2,
        text: 'm val=2u',
        message:
          'Unable to insert iox::column_type::field::uinteger type into column val with type iox::column_type::field::integer',
      },
    ]);
    expect(decode('iox-overflow').lines).toEqual([
      { line: 1, text: 'm v=1 9223372036854775807', message: 'timestamp overflows i64 on line 1 (1-based)' },
    ]);
    const none = decode('iox-no-data-written');
    expect(none.written).toBe('none');
    expect(none.partial).toBe(false);
  });

  it('IOx several entries in one message', () => {
    const body = JSON.stringify({
      code: 'invalid',
      message:
        'failed to parse line protocol: errors encountered on line(s):\nerror parsing line 1 ' +
        "(1-based): No fields were provided\nerror writing line 3 (1-based): the field 'v' is " +
        'specified more than once with conflicting types\ntimestamp overflows i64 on line ' +
        '4 (1-based)',
      line: 1,
    });
    const d = decodeWriteError({
      status: 400,
      body,
      requestBody: 'a\nok v=1\nm v=1,v=2i\nm v=1 9223372036854775807\n',
    });
    expect(d.shape).toBe('iox');
    expect(d.lines.map((l) => l.line)).toEqual([1, 3, 4]);
  });

  it('the seed examples decode as IOx when the flavor says so, and as 2.x when it is unknown', () => {
    const d = decode('seed-namespace-length');
    expect(d.shape).toBe('iox');
    expect(d.message).toBe('namespace name length must be between 1 and 64 characters');
    expect(d.lines).toEqual([]);
    expect(decode('seed-precision-variant', { flavor: undefined }).shape).toBe('2.x');
  });

  it('Core {error, data: [...]} partial write', () => {
    const d = decode('core-4.3a-array');
    expect(d.shape).toBe('core-array');
    expect(d.partial).toBe(true);
    expect(d.lines).toEqual([{ line: 2, text: 'cpu,host=a val= 124', message: 'No fields were provided' }]);
  });

  it('Core {error, data: {...}} rejects the whole batch', () => {
    const d = decode('core-4.3a-object');
    expect(d.shape).toBe('core-object');
    expect(d.partial).toBe(false);
    expect(d.written).toBe('none');
    expect(d.lines).toEqual([{ line: 2, text: 'cpu,host=a val= 124', message: 'No fields were provided' }]);
  });

  it("Core's original_line (from the physical line) wins when blank lines shift the entry count", () => {
    const requestBody = 'm v=1\n\nm v=\n';
    // Core numbers entries (2) but takes original_line from physical line 2 ("") in old builds; a newer
    // build may send the physical number (3) with the real text. Both land on line 3.
    const byEntry = JSON.stringify({
      error: 'line protocol parsing error',
      data: { error_message: 'No fields were provided', line_number: 2, original_line: 'm v=' },
    });
    expect(decodeWriteError({ status: 400, body: byEntry, requestBody }).lines[0]?.line).toBe(3);
    const byPhysical = JSON.stringify({
      error: 'line protocol parsing error',
      data: { error_message: 'No fields were provided', line_number: 3, original_line: 'm v=' },
    });
    expect(decodeWriteError({ status: 400, body: byPhysical, requestBody }).lines[0]?.line).toBe(3);
  });

  it('Core {error} without data is core-object on Core and 1.x otherwise', () => {
    expect(decode('core-not-authenticated').shape).toBe('core-object');
    expect(decode('core-not-authenticated', { flavor: undefined }).shape).toBe('1.x');
  });

  it('Core /api/v2/write wraps the first parse error without a line number', () => {
    const d = decode('core-v2-wrapped');
    expect(d.shape).toBe('2.x');
    expect(d.lines).toEqual([{ line: null, message: 'No fields were provided' }]);
  });

  it('plain-text and empty bodies', () => {
    const t = decode('core-too-large');
    expect(t.shape).toBe('text');
    expect(t.message).toBe('max request size (10485760 bytes) exceeded');
    expect(decode('1x-404-page').message).toBe('404 page not found');
    const e = decode('iox-415');
    expect(e.shape).toBe('empty');
    expect(e.summary).toBe('HTTP 415 with an empty body.');
  });

  it('never throws on any fixture, and every rejected line number is inside the request body', () => {
    for (const f of FIXTURES.values()) {
      const d = decodeWriteError({
        status: f.status,
        body: f.body,
        contentType: f.contentType,
        flavor: f.flavor,
        requestBody: f.requestBody,
      });
      expect(d.summary.length, f.name).toBeGreaterThan(0);
      const count = f.requestBody?.split('\n').length ?? Infinity;
      for (const l of d.lines) if (l.line !== null) expect(l.line, f.name).toBeLessThanOrEqual(count);
    }
  });
});

describe('body entries', () => {
  it('Go entries skip blank and comment lines and trim leading whitespace but keep CR', () => {
    expect(goEntries(' \tcpu v=1\n\n# c\n  \nm v=2\r\n')).toEqual([
      { text: 'cpu v=1', line: 1, endLine: 1 },
      { text: 'm v=2\r', line: 5, endLine: 5 },
    ]);
  });

  it('Rust entries number only non-blank, non-comment lines', () => {
    const e = rustEntries('# c\n\na v=1\n  b v=2\n');
    expect(e.map((x) => [x.text, x.line])).toEqual([
      ['a v=1', 3],
      ['b v=2', 4],
    ]);
  });

  it('a newline inside a quoted string does not end the entry; an escaped newline neither', () => {
    expect(goEntries('m s="a\nb" 1\nn v=1').map((x) => [x.line, x.endLine])).toEqual([
      [1, 2],
      [3, 3],
    ]);
    expect(rustEntries('m\\\nx v=1\nn v=1').map((x) => [x.line, x.endLine])).toEqual([
      [1, 2],
      [3, 3],
    ]);
  });
});

describe('body entries against InfluxDB 1.6 itself', () => {
  it('goEntries finds the same entries, on the same lines, as the real parser did on 600 fuzzed bodies', () => {
    const golden = fuzzGolden();
    expect(golden.cases).toHaveLength(600);
    let entries = 0;
    for (const c of golden.cases) {
      // The tool reports blank entries too (without text); the server skips them, and so does goEntries.
      const real = c.verdicts.filter((v) => v.text !== undefined && v.text !== null);
      const ours = goEntries(c.input);
      expect(
        ours.map((e) => e.line),
        JSON.stringify(c.input),
      ).toEqual(real.map((v) => v.line));
      expect(ours.map((e) => e.text)).toEqual(real.map((v) => v.text!.replace(/^[ \t\0]+/, '')));
      entries += ours.length;
    }
    expect(entries).toBeGreaterThan(1000);
  });
});
