import { describe, expect, it } from 'vitest';

import {
  buildServerReport,
  currentLineOf,
  mapServerMarks,
  pickMarkedLines,
  removeMarkedLines,
} from '../../renderer/src/features/explain/server-diagnostics';
import type { HttpExchange } from '../../shared/domain/http';

/** The renderer's server-diagnostics helpers: report, mapping through edits, remove/pick lines. */

function exchange(status: number, body: string, headers: Array<[string, string]> = []): HttpExchange {
  return {
    request: {
      method: 'POST',
      url: 'http://127.0.0.1:8086/write?db=x',
      headers: [],
      bodyBytes: 0,
      wireBytes: 0,
      gzip: false,
      bodyLines: 0,
    },
    response: { status, statusText: '', headers, body, bodyBytes: body.length, contentType: 'application/json' },
    error: null,
    timing: { startedAt: new Date(0).toISOString(), ttfbMs: 1, totalMs: 2 },
    redirects: [],
  };
}

// A literal 1.6 answer to a partial write: the bad line is named by its text, not its number.
const SENT = 'cpu,host=a v=1 1700000000\ncpu,host=b v= 1700000001\ncpu,host=c v=3 1700000002\n';
const PARTIAL_1X = JSON.stringify({
  error: "partial write: unable to parse 'cpu,host=b v= 1700000001': missing field value dropped=0",
});

describe('buildServerReport', () => {
  it('is null for a success and for a network failure', () => {
    expect(buildServerReport(exchange(204, ''), SENT, '1.x')).toBeNull();
    expect(buildServerReport(null, SENT, '1.x')).toBeNull();
    expect(buildServerReport({ ...exchange(204, ''), response: null }, SENT, '1.x')).toBeNull();
  });

  it('numbers a 1.x partial write by the text that was sent, and explains it', () => {
    const r = buildServerReport(exchange(400, PARTIAL_1X), SENT, '1.x')!;
    expect(r.decoded.partial).toBe(true);
    expect(r.decoded.lines).toEqual([expect.objectContaining({ line: 2, message: 'missing field value' })]);
    const ids = r.explanations.map((e) => e.id);
    expect(ids).toContain('missing-field-value');
    expect(ids).toContain('partial-write');
  });

  it('explains a 401 by status and message (auth failure on 1.x)', () => {
    const r = buildServerReport(exchange(401, '{"error":"authorization failed"}'), 'm v=1', '1.x')!;
    expect(r.decoded.lines).toEqual([]);
    expect(r.explanations[0]?.id).toBe('auth-failed-1x');
  });
});

describe('mapServerMarks', () => {
  const report = buildServerReport(exchange(400, PARTIAL_1X), SENT, '1.x')!;

  it('maps one to one while the text is unchanged', () => {
    expect(mapServerMarks(report, SENT)).toEqual([
      { line: 2, endLine: 2, sentLine: 2, message: 'missing field value' },
    ]);
  });

  it('follows the rejected line when lines are inserted or removed above it', () => {
    const edited = `# a comment\n\n${SENT}`;
    expect(mapServerMarks(report, edited).map((m) => m.line)).toEqual([4]);
    const shorter = SENT.split('\n').slice(1).join('\n');
    expect(mapServerMarks(report, shorter).map((m) => m.line)).toEqual([1]);
  });

  it('drops the mark of a line the user changed (fixed), rather than marking another line', () => {
    const fixed = SENT.replace('v= 1700000001', 'v=2 1700000001');
    expect(mapServerMarks(report, fixed)).toEqual([]);
    expect(mapServerMarks(null, SENT)).toEqual([]);
  });

  it('maps identical rejected copies to distinct lines, nearest first', () => {
    const dup = 'bad v=\ngood v=1\nbad v=\n';
    const body = JSON.stringify({
      error: "unable to parse 'bad v=': missing field value\nunable to parse 'bad v=': missing field value",
    });
    const r = buildServerReport(exchange(400, body), dup, '1.x')!;
    expect(r.decoded.lines.map((l) => l.line)).toEqual([1, 3]);
    const moved = `x v=1\n${dup}`;
    expect(mapServerMarks(r, moved).map((m) => m.line)).toEqual([2, 4]);
  });

  it('maps an IOx entry number onto the editor line, skipping comments and blank lines', () => {
    const sent = '# header\n\ncpu v=1 1\ncpu v=oops 2\n';
    const body = JSON.stringify({
      code: 'invalid',
      message:
        'failed to parse line protocol: errors encountered on line(s):\nerror parsing line 2 ' +
        "(1-based): Invalid field value in line protocol for field 'v' on line 2",
      line: 2,
    });
    const r = buildServerReport(exchange(400, body), sent, 'cloud-dedicated')!;
    const marks = mapServerMarks(r, sent);
    expect(marks.map((m) => m.line)).toEqual([4]);
    expect(currentLineOf(marks, 4)).toBe(4);
    expect(currentLineOf(marks, 2)).toBeNull();
  });
});

describe('remove and pick the marked lines', () => {
  const report = buildServerReport(exchange(400, PARTIAL_1X), SENT, '1.x')!;

  it('"Remove rejected lines" keeps the good lines and the trailing newline', () => {
    const marks = mapServerMarks(report, SENT);
    expect(removeMarkedLines(SENT, marks)).toBe('cpu,host=a v=1 1700000000\ncpu,host=c v=3 1700000002\n');
    expect(removeMarkedLines(SENT, [])).toBe(SENT);
  });

  it('"Send only the rejected lines" / "Copy" take just those lines, LF-terminated', () => {
    const marks = mapServerMarks(report, SENT);
    expect(pickMarkedLines(SENT, marks)).toBe('cpu,host=b v= 1700000001\n');
    expect(pickMarkedLines(SENT, [])).toBe('');
  });

  it('a line named by two messages is removed and picked once', () => {
    const twice = [
      { line: 2, endLine: 2, sentLine: 2, message: 'a' },
      { line: 2, endLine: 2, sentLine: 2, message: 'b' },
    ];
    expect(pickMarkedLines(SENT, twice)).toBe('cpu,host=b v= 1700000001\n');
    expect(removeMarkedLines(SENT, twice).split('\n')).toHaveLength(3);
  });

  it('an entry spanning several lines is removed whole', () => {
    const text = 'a v=1\nb s="x\ny" 1\nc v=3\n';
    const marks = [{ line: 2, endLine: 3, sentLine: 2, message: 'm' }];
    expect(removeMarkedLines(text, marks)).toBe('a v=1\nc v=3\n');
    expect(pickMarkedLines(text, marks)).toBe('b s="x\ny" 1\n');
  });
});

describe('one explanation, for what the app knows of the request and the server', () => {
  const V16: Array<[string, string]> = [
    ['X-Influxdb-Build', 'OSS'],
    ['X-Influxdb-Version', '1.6.7~rc0'],
  ];
  const sent = (ex: HttpExchange, url: string, headers: Array<[string, string]>): HttpExchange => ({
    ...ex,
    request: { ...ex.request, url, headers },
  });

  it('a wrong password (Basic) gets one card, not a second generic 401 that says to use Basic', () => {
    const ex = sent(exchange(401, '{"error":"authorization failed"}', V16), 'http://127.0.0.1:8086/write?db=x', [
      ['Authorization', 'Basic [REDACTED]'],
    ]);
    for (const flavor of ['1.x', '2.x'] as const) {
      const r = buildServerReport(ex, 'm v=1', flavor)!;
      expect(r.explanations.map((e) => e.id)).toEqual(['auth-failed-1x']);
    }
  });

  it('a 401 the catalogue knows only by its status speaks of the scheme that was sent', () => {
    const basic = sent(exchange(401, '', V16), 'http://127.0.0.1:8086/write?db=x', [['Authorization', 'Basic xyz']]);
    const [card] = buildServerReport(basic, 'm v=1', '1.x')!.explanations;
    expect(card?.id).toBe('unauthorized-401-1x');
    expect(card?.cause).toContain('refused the username and password this request sent (Basic auth)');
    expect(card?.fix).not.toMatch(/with Basic auth/);
    const bearer = sent(exchange(401, '', V16), 'http://127.0.0.1:8086/write?db=x', [['Authorization', 'Bearer x']]);
    expect(buildServerReport(bearer, 'm v=1', '1.x')!.explanations[0]?.fix).toMatch(/^Switch the auth scheme to Basic/);
    const query = sent(exchange(401, '', V16), 'http://127.0.0.1:8086/write?db=x&u=a&p=[REDACTED]', []);
    expect(buildServerReport(query, 'm v=1', '1.x')!.explanations[0]?.cause).toContain('`u`/`p` query parameters');
  });

  it("the v2 404 names the server's version: from the answer's headers, else from the last detection", () => {
    const v2 = 'http://127.0.0.1:8086/api/v2/write?bucket=x&precision=s';
    const own = buildServerReport(sent(exchange(404, '404 page not found\n', V16), v2, []), 'm v=1', '2.x')!;
    expect(own.explanations.map((e) => e.id)).toEqual(['endpoint-not-found']);
    expect(own.explanations[0]?.cause).toBe(
      'This server is InfluxDB 1.6.7~rc0 (by the headers of this answer): `/api/v2/write` arrived in 1.8, so 1.6.7~rc0 has no such route.',
    );
    expect(own.explanations[0]?.fix).toMatch(/^Choose the v1 API/);
    const bare = sent(exchange(404, '404 page not found\n'), v2, []);
    const detected = buildServerReport(bare, 'm v=1', '2.x', { flavor: '1.x', version: '1.6.7' })!;
    expect(detected.explanations[0]?.cause).toContain('InfluxDB 1.6.7 (detected by the last ping or probe)');
    // Knowing nothing of the server, the generic text stands.
    expect(buildServerReport(bare, 'm v=1', '2.x')!.explanations[0]?.cause).toMatch(/^The server has no such route/);
  });
});
