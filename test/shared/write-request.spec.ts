import { describe, expect, it } from 'vitest';

import { AUTH_SCHEMES, type AuthScheme, base64Utf8, placeAuth, REDACTED, utf8Bytes } from '../../shared/domain/auth';
import {
  FLAVOR_WRITE_APIS,
  SERVER_FLAVORS,
  type ServerFlavor,
  WRITE_APIS,
  type WriteApi,
} from '../../shared/domain/flavor';
import {
  defaultPrecision,
  isPrecisionAccepted,
  precisionOptions,
  precisionProblem,
} from '../../shared/domain/precision';
import { redactHeaderList, redactHeaders, redactText, redactUrl } from '../../shared/domain/redact';
import {
  buildPingRequest,
  buildWriteRequest,
  DEFAULT_WRITE_PARAMS,
  effectiveWriteParams,
  joinUrl,
  missingWriteTarget,
  parseBaseUrl,
  withWriteApi,
  type WriteParams,
} from '../../shared/domain/write-request';

const BASE = 'http://127.0.0.1:8086';
const TOKEN = 'T';
const USER = 'user';

/** Form parameters with every field filled, so each endpoint must pick only its own. */
const FILLED: WriteParams = {
  ...DEFAULT_WRITE_PARAMS,
  db: 'mydb',
  rp: 'autogen',
  bucket: 'mybucket',
  org: 'myorg',
};

/** The query string each endpoint sends for FILLED (before precision and auth), written out by hand. */
const TARGET_QUERY: Record<WriteApi, string> = {
  v1: 'db=mydb&rp=autogen',
  v2: 'bucket=mybucket&org=myorg',
  v3: 'db=mydb',
};

const PATH: Record<WriteApi, string> = { v1: '/write', v2: '/api/v2/write', v3: '/api/v3/write_lp' };

/** The Authorization header each scheme sends for user "user" and token "T", as in the seeds' curl examples. */
const EXPECTED_AUTH_HEADER: Record<AuthScheme, string | undefined> = {
  none: undefined,
  bearer: 'Bearer T',
  token: 'Token T',
  // base64("user:T") = dXNlcjpU
  basic: 'Basic dXNlcjpU',
  query: undefined,
};

const EXPECTED_AUTH_QUERY: Record<AuthScheme, string> = {
  none: '',
  bearer: '',
  token: '',
  basic: '',
  query: '&u=user&p=T',
};

describe('buildWriteRequest: every flavor × endpoint × auth scheme × precision', () => {
  const cases: Array<[ServerFlavor, WriteApi, AuthScheme, string]> = [];
  for (const flavor of SERVER_FLAVORS) {
    for (const api of FLAVOR_WRITE_APIS[flavor]) {
      for (const scheme of AUTH_SCHEMES) {
        for (const p of precisionOptions(flavor, api)) cases.push([flavor, api, scheme, p.value]);
      }
    }
  }

  it('covers a meaningful number of combinations', () => {
    // 6 flavors; at least 2 APIs each; 5 schemes; at least 5 precisions.
    expect(cases.length).toBeGreaterThanOrEqual(6 * 2 * 5 * 5);
  });

  it.each(cases)('%s %s auth=%s precision=%j', (flavor, api, scheme, precision) => {
    expect(isPrecisionAccepted(flavor, api, precision)).toBe(true);
    const req = buildWriteRequest(BASE, { ...FILLED, api, precision }, { scheme, username: USER }, TOKEN);
    const precisionPart = precision === '' ? '' : `&precision=${precision}`;
    expect(req.method).toBe('POST');
    expect(req.url).toBe(`${BASE}${PATH[api]}?${TARGET_QUERY[api]}${precisionPart}${EXPECTED_AUTH_QUERY[scheme]}`);
    const expectedHeaders: Record<string, string> = { 'Content-Type': 'text/plain; charset=utf-8' };
    const auth = EXPECTED_AUTH_HEADER[scheme];
    if (auth !== undefined) expectedHeaders.Authorization = auth;
    expect(req.headers).toEqual(expectedHeaders);

    // The preview (token REDACTED) never contains the token and shows where it goes.
    const preview = buildWriteRequest(BASE, { ...FILLED, api, precision }, { scheme, username: USER }, REDACTED);
    const previewText = `${preview.url} ${JSON.stringify(preview.headers)}`;
    expect(previewText).not.toContain('dXNlcjpU');
    if (scheme === 'query') expect(preview.url.endsWith(`&u=user&p=${encodeURIComponent(REDACTED)}`)).toBe(true);
    if (scheme === 'basic') expect(preview.headers.Authorization).toBe(`Basic ${REDACTED}`);
    if (scheme === 'bearer') expect(preview.headers.Authorization).toBe(`Bearer ${REDACTED}`);
    if (scheme === 'token') expect(preview.headers.Authorization).toBe(`Token ${REDACTED}`);
    if (scheme === 'none') expect(preview).toEqual(req);
  });
});

describe('precisionOptions', () => {
  it('offers the values each endpoint understands', () => {
    const values = (f: ServerFlavor, a: WriteApi): string[] => precisionOptions(f, a).map((o) => o.value);
    expect(values('1.x', 'v1')).toEqual(['', 'n', 'u', 'ms', 's', 'm', 'h']);
    expect(values('2.x', 'v2')).toEqual(['', 'ns', 'us', 'ms', 's']);
    expect(values('core', 'v3')).toEqual(['', 'auto', 'nanosecond', 'microsecond', 'millisecond', 'second']);
    expect(values('cloud-dedicated', 'v1')).toEqual(['', 'ns', 'us', 'ms', 's']);
    expect(isPrecisionAccepted('1.x', 'v1', 'ns')).toBe(false);
    expect(isPrecisionAccepted('core', 'v3', 'm')).toBe(false);
    expect(isPrecisionAccepted('2.x', 'v2', 'h')).toBe(false);
  });

  it('every flavor lists only known write APIs, its first being the default', () => {
    for (const flavor of SERVER_FLAVORS) {
      for (const api of FLAVOR_WRITE_APIS[flavor]) expect(WRITE_APIS).toContain(api);
    }
    expect(FLAVOR_WRITE_APIS.core[0]).toBe('v3');
    expect(FLAVOR_WRITE_APIS['1.x'][0]).toBe('v1');
    expect(FLAVOR_WRITE_APIS['2.x'][0]).toBe('v2');
  });
});

describe('endpoint-specific parameters', () => {
  it('v1 sends consistency after precision, and nothing from v2/v3', () => {
    const req = buildWriteRequest(
      BASE,
      { ...FILLED, api: 'v1', precision: 's', consistency: 'quorum', acceptPartial: false, noSync: true },
      { scheme: 'none', username: '' },
      null,
    );
    expect(req.url).toBe(`${BASE}/write?db=mydb&rp=autogen&precision=s&consistency=quorum`);
  });

  it('v3 sends accept_partial=false and no_sync=true only when they differ from the defaults', () => {
    const auth = { scheme: 'none' as const, username: '' };
    expect(buildWriteRequest(BASE, { ...FILLED, api: 'v3' }, auth, null).url).toBe(`${BASE}/api/v3/write_lp?db=mydb`);
    expect(
      buildWriteRequest(
        BASE,
        { ...FILLED, api: 'v3', precision: 'auto', acceptPartial: false, noSync: true },
        auth,
        null,
      ).url,
    ).toBe(`${BASE}/api/v3/write_lp?db=mydb&precision=auto&accept_partial=false&no_sync=true`);
  });

  it('v2 ignores db, rp and consistency; empty org is not sent', () => {
    const req = buildWriteRequest(
      BASE,
      { ...FILLED, api: 'v2', org: '', consistency: 'all' },
      { scheme: 'token', username: '' },
      'tok',
    );
    expect(req.url).toBe(`${BASE}/api/v2/write?bucket=mybucket`);
    expect(req.headers.Authorization).toBe('Token tok');
  });

  it('empty values are not sent at all (no "rp=" or "precision=")', () => {
    const req = buildWriteRequest(BASE, { ...DEFAULT_WRITE_PARAMS, db: 'x' }, { scheme: 'none', username: '' }, null);
    expect(req.url).toBe(`${BASE}/write?db=x`);
  });

  it('gzip adds Content-Encoding: gzip', () => {
    const req = buildWriteRequest(BASE, { ...FILLED, gzip: true }, { scheme: 'none', username: '' }, null);
    expect(req.headers['Content-Encoding']).toBe('gzip');
    const plain = buildWriteRequest(BASE, { ...FILLED, gzip: false }, { scheme: 'none', username: '' }, null);
    expect(plain.headers).not.toHaveProperty('Content-Encoding');
  });

  it('missingWriteTarget names what each API needs', () => {
    expect(missingWriteTarget({ ...DEFAULT_WRITE_PARAMS, api: 'v1' })).toMatch(/database/);
    expect(missingWriteTarget({ ...DEFAULT_WRITE_PARAMS, api: 'v3', db: '  ' })).toMatch(/database/);
    expect(missingWriteTarget({ ...DEFAULT_WRITE_PARAMS, api: 'v2', db: 'x' })).toMatch(/bucket/);
    expect(missingWriteTarget({ ...DEFAULT_WRITE_PARAMS, api: 'v2', bucket: 'b' })).toBeNull();
    expect(missingWriteTarget({ ...DEFAULT_WRITE_PARAMS, api: 'v1', db: 'd' })).toBeNull();
  });
});

describe('URL encoding', () => {
  it('percent-encodes parameter values, usernames and tokens', () => {
    const token = 'a+b/c=d&e f?#%';
    const req = buildWriteRequest(
      BASE,
      { ...DEFAULT_WRITE_PARAMS, api: 'v1', db: 'my db&x=1', rp: 'rp/1' },
      { scheme: 'query', username: 'us er:ü' },
      token,
    );
    expect(req.url).toBe(
      `${BASE}/write?db=my%20db%26x%3D1&rp=rp%2F1&u=us%20er%3A%C3%BC&p=a%2Bb%2Fc%3Dd%26e%20f%3F%23%25`,
    );
    const parsed = new URL(req.url);
    expect(parsed.searchParams.get('p')).toBe(token);
    expect(parsed.searchParams.get('db')).toBe('my db&x=1');
    expect([...parsed.searchParams.keys()]).toEqual(['db', 'rp', 'u', 'p']);
  });

  it('keeps a bucket of the form db/rp readable by the server', () => {
    const req = buildWriteRequest(
      BASE,
      { ...FILLED, api: 'v2', bucket: 'mydb/autogen', org: '' },
      { scheme: 'none', username: '' },
      null,
    );
    expect(new URL(req.url).searchParams.get('bucket')).toBe('mydb/autogen');
  });
});

describe('base URLs', () => {
  const none = { scheme: 'none' as const, username: '' };

  it.each([
    ['http://127.0.0.1:8086', 'http://127.0.0.1:8086/write?db=d'],
    ['http://127.0.0.1:8086/', 'http://127.0.0.1:8086/write?db=d'],
    ['  http://127.0.0.1:8086  ', 'http://127.0.0.1:8086/write?db=d'],
    ['https://proxy.example.com/influx', 'https://proxy.example.com/influx/write?db=d'],
    ['https://proxy.example.com/influx/', 'https://proxy.example.com/influx/write?db=d'],
    ['https://proxy.example.com/a/b//', 'https://proxy.example.com/a/b/write?db=d'],
    ['https://proxy.example.com:443/x', 'https://proxy.example.com/x/write?db=d'],
    ['HTTP://Example.COM:8086', 'http://example.com:8086/write?db=d'],
    ['http://127.0.0.1:8086/?old=1#frag', 'http://127.0.0.1:8086/write?db=d'],
  ])('%j → %s', (base, expected) => {
    expect(buildWriteRequest(base, { ...DEFAULT_WRITE_PARAMS, db: 'd' }, none, null).url).toBe(expected);
  });

  it('a path prefix is kept for ping too', () => {
    expect(buildPingRequest('https://h.example/prefix/', none, null)).toEqual({
      method: 'GET',
      url: 'https://h.example/prefix/ping',
      headers: {},
    });
  });

  it.each([
    ['not a url', /is not a URL/],
    ['', /is not a URL/],
    ['127.0.0.1:8086', /is not a URL/],
    ['localhost:8086', /Only http/],
    ['ftp://example.com', /Only http/],
    ['file:///etc/passwd', /Only http/],
    ['javascript:alert(1)', /Only http/],
    ['http://user:pass@example.com', /credentials/],
    ['http://user@example.com', /credentials/],
  ])('rejects %j', (base, message) => {
    expect(() => parseBaseUrl(base)).toThrow(message);
    expect(() => buildWriteRequest(base, { ...DEFAULT_WRITE_PARAMS, db: 'd' }, none, null)).toThrow(message);
  });

  it('joinUrl with no query adds no "?"', () => {
    expect(joinUrl('http://h:1/p', '/ping', [])).toBe('http://h:1/p/ping');
  });
});

describe('buildPingRequest', () => {
  it.each(AUTH_SCHEMES)('auth %s', (scheme) => {
    const req = buildPingRequest(BASE, { scheme, username: USER }, TOKEN);
    expect(req.method).toBe('GET');
    expect(req.url).toBe(scheme === 'query' ? `${BASE}/ping?u=user&p=T` : `${BASE}/ping`);
    const auth = EXPECTED_AUTH_HEADER[scheme];
    expect(req.headers).toEqual(auth === undefined ? {} : { Authorization: auth });
  });

  it('sends no credentials when there is no token', () => {
    for (const scheme of AUTH_SCHEMES) {
      expect(buildPingRequest(BASE, { scheme, username: USER }, null)).toEqual({
        method: 'GET',
        url: `${BASE}/ping`,
        headers: {},
      });
    }
  });
});

describe('placeAuth', () => {
  it('1.x "Token user:password" is sent as given', () => {
    expect(placeAuth('token', '', 'admin:secret').headers).toEqual({ Authorization: 'Token admin:secret' });
  });

  it('basic with an empty username encodes ":token"', () => {
    expect(placeAuth('basic', '', 'tok').headers.Authorization).toBe(`Basic ${Buffer.from(':tok').toString('base64')}`);
  });

  it('query scheme sends u even when empty (3.x ignores it; 1.x reports it)', () => {
    expect(placeAuth('query', '', 'tok').query).toEqual([
      ['u', ''],
      ['p', 'tok'],
    ]);
  });

  it('null token places nothing for any scheme', () => {
    for (const scheme of AUTH_SCHEMES) expect(placeAuth(scheme, 'u', null)).toEqual({ headers: {}, query: [] });
  });
});

describe('base64Utf8 / utf8Bytes agree with Node', () => {
  const samples = [
    '',
    'a',
    'ab',
    'abc',
    'abcd',
    'user:T',
    'admin:p@ss:w0rd+/=',
    'ü',
    'üser:päss',
    '日本語:トークン',
    'emoji 🎉🚀:x',
    '\u0000\u007f\u0080\u07ff\u0800\uffff',
    'lone \ud800 high',
    'lone \udc00 low',
    'trailing high \ud83d',
    'x'.repeat(1000),
  ];

  it.each(samples)('%j', (text) => {
    expect(utf8Bytes(text)).toEqual([...Buffer.from(text, 'utf8')]);
    expect(base64Utf8(text)).toBe(Buffer.from(text, 'utf8').toString('base64'));
  });

  it('all byte values round-trip through base64 (Latin-1 range)', () => {
    let s = '';
    for (let i = 0; i < 256; i++) s += String.fromCharCode(i);
    expect(base64Utf8(s)).toBe(Buffer.from(s, 'utf8').toString('base64'));
  });
});

describe('redactUrl', () => {
  it.each([
    ['http://h:8086/write?db=d&u=admin&p=secret', `http://h:8086/write?db=d&u=admin&p=${REDACTED}`],
    ['http://h/ping?p=s1&P=s2', `http://h/ping?p=${REDACTED}&P=${REDACTED}`],
    ['http://h/x?token=abc&password=def&q=1', `http://h/x?token=${REDACTED}&password=${REDACTED}&q=1`],
    ['http://h/x?%70=encoded-key', `http://h/x?%70=${REDACTED}`],
    ['http://h/x?db=d#p=frag', 'http://h/x?db=d#p=frag'],
    ['http://h/x?p=abc#frag', `http://h/x?p=${REDACTED}#frag`],
    ['http://h/x?pp=1&up=2', 'http://h/x?pp=1&up=2'],
    ['http://h/x', 'http://h/x'],
  ])('%s', (url, expected) => {
    expect(redactUrl(url)).toBe(expected);
  });

  it('redacts the password in userinfo', () => {
    const out = redactUrl('https://admin:hunter22@h.example/write?db=d');
    expect(out).not.toContain('hunter22');
    expect(out).toContain('admin:');
    expect(out).toContain('REDACTED');
  });

  it('falls back to text redaction for something that is not a URL', () => {
    expect(redactUrl('/write?db=d&p=secret')).toBe(`/write?db=d&p=${REDACTED}`);
  });

  it('a URL built with the real token, once redacted, equals the preview URL', () => {
    const params = { ...FILLED, api: 'v1' as const, precision: 'ms' };
    const auth = { scheme: 'query' as const, username: 'admin' };
    const real = buildWriteRequest(BASE, params, auth, 'super/secret+token');
    const preview = buildWriteRequest(BASE, params, auth, REDACTED);
    expect(redactUrl(real.url)).not.toContain('secret');
    expect(new URL(redactUrl(real.url)).searchParams.get('p')).toBe(REDACTED);
    expect(new URL(preview.url).searchParams.get('p')).toBe(REDACTED);
  });
});

describe('redactHeaders', () => {
  it.each([
    ['Bearer abc.def.ghi', `Bearer ${REDACTED}`],
    ['Token abc123', `Token ${REDACTED}`],
    ['Token admin:secret', `Token ${REDACTED}`],
    ['Basic dXNlcjpU', `Basic ${REDACTED}`],
    ['justatoken', REDACTED],
    ['', REDACTED],
  ])('Authorization %j', (value, expected) => {
    expect(redactHeaders({ Authorization: value, 'Content-Type': 'text/plain' })).toEqual({
      Authorization: expected,
      'Content-Type': 'text/plain',
    });
  });

  it('matches header names case-insensitively, including Proxy-Authorization', () => {
    expect(
      redactHeaders({ authorization: 'Bearer x', 'PROXY-AUTHORIZATION': 'Basic y', 'X-Other': 'Bearer z' }),
    ).toEqual({
      authorization: `Bearer ${REDACTED}`,
      'PROXY-AUTHORIZATION': `Basic ${REDACTED}`,
      'X-Other': 'Bearer z',
    });
  });

  it('redactHeaderList keeps order and duplicates', () => {
    expect(
      redactHeaderList([
        ['Authorization', 'Token a'],
        ['Set-Cookie', '1'],
        ['Set-Cookie', '2'],
        ['authorization', 'Token b'],
      ]),
    ).toEqual([
      ['Authorization', `Token ${REDACTED}`],
      ['Set-Cookie', '1'],
      ['Set-Cookie', '2'],
      ['authorization', `Token ${REDACTED}`],
    ]);
  });

  it('every scheme placeAuth produces is redacted to its preview form', () => {
    for (const scheme of AUTH_SCHEMES) {
      const real = placeAuth(scheme, 'user', 'S3cretToken!');
      const preview = placeAuth(scheme, 'user', REDACTED);
      expect(redactHeaders(real.headers)).toEqual(preview.headers);
    }
  });
});

describe('redactText', () => {
  it.each([
    ['curl -H "Authorization: Bearer abc123" http://h', `curl -H "Authorization: Bearer ${REDACTED}" http://h`],
    ['authorization: token abc', `authorization: token ${REDACTED}`],
    ['{"Authorization":"Basic dXNlcjpU"}', `{"Authorization":"Basic ${REDACTED}"}`],
    ["Authorization='Token a:b'", `Authorization='Token ${REDACTED}'`],
    ['GET /write?db=d&u=x&p=secret HTTP/1.1', `GET /write?db=d&u=x&p=${REDACTED} HTTP/1.1`],
    ['?token=abc&other=1', `?token=${REDACTED}&other=1`],
    ['&Password=abc#x', `&Password=${REDACTED}#x`],
    ['connect to http://admin:hunter2@h:8086/ failed', `connect to http://admin:${REDACTED}@h:8086/ failed`],
    ['nothing secret here, p is a letter', 'nothing secret here, p is a letter'],
  ])('%j', (text, expected) => {
    expect(redactText(text)).toBe(expected);
  });

  it('removes literal secrets of four characters or more, everywhere', () => {
    expect(redactText('token mytoken123 and again mytoken123', ['mytoken123'])).toBe(
      `token ${REDACTED} and again ${REDACTED}`,
    );
    // Very short "secrets" would destroy unrelated text; they are left to the patterns.
    expect(redactText('a b c', ['a'])).toBe('a b c');
  });
});

describe('write form: one source for what is shown and sent', () => {
  const v3Draft: WriteParams = { ...DEFAULT_WRITE_PARAMS, api: 'v3', db: 'iot', precision: 'second' };

  it('moves a draft to an API the flavor serves when the flavor changed (Use detected flavor: core → 1.x)', () => {
    const p = effectiveWriteParams('1.x', v3Draft);
    expect(p.api).toBe('v1');
    expect(p.precision).toBe('s');
    expect(buildWriteRequest('http://h:8086', p, { scheme: 'none', username: '' }, '').url).toBe(
      'http://h:8086/write?db=iot&precision=s',
    );
    // A draft whose API the flavor serves is left as it is.
    expect(effectiveWriteParams('core', v3Draft)).toBe(v3Draft);
  });

  it('starts every flavor and endpoint with a precision that endpoint accepts', () => {
    for (const flavor of SERVER_FLAVORS)
      for (const api of FLAVOR_WRITE_APIS[flavor]) {
        expect(isPrecisionAccepted(flavor, api, defaultPrecision(flavor, api)), `${flavor} ${api}`).toBe(true);
        expect(precisionProblem(flavor, api, defaultPrecision(flavor, api))).toBeNull();
      }
    expect(defaultPrecision('core', 'v3')).toBe('second');
    expect(defaultPrecision('cloud-dedicated', 'v1')).toBe('s');
  });

  it('carries the precision over when the API changes, and names an unaccepted one', () => {
    expect(withWriteApi('core', v3Draft, 'v1').precision).toBe('s');
    expect(withWriteApi('core', { ...v3Draft, api: 'v1', precision: 'ms' }, 'v3').precision).toBe('millisecond');
    expect(withWriteApi('1.x', { ...v3Draft, api: 'v1', precision: 'h' }, 'v2').precision).toBe('');
    expect(precisionProblem('core', 'v3', 's')).toContain('precision “s” is not accepted by /api/v3/write_lp');
    expect(precisionProblem('core', 'v3', 's')).toContain('second');
  });
});
