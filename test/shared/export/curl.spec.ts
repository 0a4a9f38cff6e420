import { describe, expect, it } from 'vitest';

import type { AuthScheme } from '../../../shared/domain/auth';
import { buildWriteRequest, DEFAULT_WRITE_PARAMS, type WriteParams } from '../../../shared/domain/write-request';
import { toCurl } from '../../../shared/export/curl';
import { base64Decode, CurlImportError, importCurl, shellWords } from '../../../shared/export/curl-import';
import type { ExportRequest } from '../../../shared/export/model';
import { SEED_CURL } from './seed-examples';

const BODY = 'home,room=kitchen temp=72 1641024000';
const CD = 'https://cluster-id.a.influxdb.io';
const SEED_TOKEN = { includeToken: true, token: 'DATABASE_TOKEN' } as const;

function req(api: 'v1' | 'v2', scheme: AuthScheme, username = '', over: Partial<WriteParams> = {}): ExportRequest {
  const params: WriteParams = {
    ...DEFAULT_WRITE_PARAMS,
    api,
    db: api === 'v1' ? 'DATABASE_NAME' : '',
    bucket: api === 'v2' ? 'DATABASE_NAME' : '',
    precision: 's',
    ...over,
  };
  return { baseUrl: CD, flavor: 'cloud-dedicated', params, auth: { scheme, username }, body: BODY };
}

describe('toCurl reproduces the seeds exactly', () => {
  it.each([
    ['bearerV2', req('v2', 'bearer')],
    ['tokenV2', req('v2', 'token')],
    ['basicV1', req('v1', 'basic', 'any')],
    ['queryV1', req('v1', 'query')],
    ['bearerV1', req('v1', 'bearer')],
    ['tokenV1', req('v1', 'token')],
  ] as const)('%s', (name, r) => {
    expect(toCurl(r, SEED_TOKEN)).toBe(SEED_CURL[name]);
  });
});

describe('toCurl', () => {
  it('references $INFLUX_TOKEN by default and never prints a token it was not asked to', () => {
    const out = toCurl(req('v1', 'bearer'), { token: 'secret-token-123' });
    expect(out).toContain('--header "Authorization: Bearer $INFLUX_TOKEN"');
    expect(out).not.toContain('secret-token-123');
    expect(toCurl(req('v1', 'basic', 'any'))).toContain('--user "any:$INFLUX_TOKEN"');
    // The variable's value is unknown: curl encodes it (a password with & + # would break the URL).
    const query = toCurl(req('v1', 'query', 'admin'), { tokenEnv: 'MY_TOKEN' });
    expect(query).toContain('"https://cluster-id.a.influxdb.io/write?db=DATABASE_NAME&precision=s"');
    expect(query).toContain(`--url-query 'u=admin'`);
    expect(query).toContain('--url-query "p=$MY_TOKEN"');
    expect(query.split('\n')[0]).toBe('# --url-query needs curl 7.87 or newer (curl --version).');
    expect(() => toCurl(req('v1', 'token'), { includeToken: true })).toThrow(/needs the token/);
    expect(() => toCurl(req('v1', 'token'), { tokenEnv: 'bad name' })).toThrow(/not a valid/);
  });

  it('puts a literal token with shell-special characters in single quotes, and the body too', () => {
    const r: ExportRequest = { ...req('v1', 'token'), body: 'm s="it\'s" 1\r\nm v=2 2\r\n' };
    const out = toCurl(r, { includeToken: true, token: 'a$b"c' });
    expect(out).toContain(`--header 'Authorization: Token a$b"c'`);
    // `!` in double quotes is bash history expansion in an interactive shell.
    expect(toCurl(r, { includeToken: true, token: 'pa!ss' })).toContain(`--header 'Authorization: Token pa!ss'`);
    expect(toCurl(req('v1', 'query', 'u'), { includeToken: true, token: 'p&a+s#s!' })).toContain(
      `--url-query 'p=p&a+s#s!'`,
    );
    expect(out).toContain(`--data-binary 'm s="it'\\''s" 1\r\nm v=2 2\r\n'`);
    // The shell reads back exactly the body as written (CRs kept: the workbench sends them) and the token.
    const words = shellWords(out);
    expect(words).toContain('Authorization: Token a$b"c');
    expect(words).toContain('m s="it\'s" 1\r\nm v=2 2\r\n');
  });

  it('with gzip sends a pre-compressed file, with a note and the command that makes it', () => {
    const out = toCurl(req('v1', 'none', '', { gzip: true }));
    const lines = out.split('\n');
    expect(lines[0]).toMatch(/^# .*compress/);
    expect(lines[1]).toBe(`printf '%s' '${BODY}' | gzip -c > 'data.lp.gz'`);
    expect(out).toContain('--header "Content-Encoding: gzip"');
    expect(out).toMatch(/--data-binary @data\.lp\.gz$/);
    expect(toCurl(req('v1', 'none', '', { gzip: true }), { gzipFile: 'batch.gz' })).toMatch(
      /--data-binary @batch\.gz$/,
    );
  });

  it('uses the same URL as the workbench request for every API and parameter', () => {
    const cases: Array<Partial<WriteParams> & { api: 'v1' | 'v2' | 'v3' }> = [
      { api: 'v1', db: 'my db', rp: 'rp1', precision: 'ms', consistency: 'one' },
      { api: 'v2', bucket: 'b/rp', org: 'my-org', precision: 'us' },
      { api: 'v3', db: 'd', precision: 'second', acceptPartial: false, noSync: true },
    ];
    for (const p of cases) {
      const r: ExportRequest = {
        baseUrl: 'http://127.0.0.1:8181/prefix/',
        flavor: 'core',
        params: { ...DEFAULT_WRITE_PARAMS, ...p },
        auth: { scheme: 'none', username: '' },
        body: 'm v=1',
      };
      const url = buildWriteRequest(r.baseUrl, r.params, r.auth, null).url;
      expect(toCurl(r).split('\n')[0]).toBe(`curl -i "${url}" \\`);
    }
  });
});

describe('importCurl', () => {
  it.each(Object.entries(SEED_CURL))('reads the seed example %s', (name, cmd) => {
    const r = importCurl(cmd);
    expect(r.method).toBe('POST');
    expect(r.body).toBe(BODY);
    expect(r.token).toBe('DATABASE_TOKEN');
    expect(r.headers).toEqual([['Content-type', 'text/plain; charset=utf-8']]);
    const scheme = name.replace(/V\d$/, '');
    expect(r.authScheme).toBe(scheme);
    expect(r.username).toBe(scheme === 'basic' ? 'any' : '');
    expect(r.params).toContainEqual(['precision', 's']);
    expect(r.write?.baseUrl).toBe(CD);
    expect(r.write?.params.api).toBe(name.endsWith('V2') ? 'v2' : 'v1');
  });

  it('keeps a consistency the form knows and drops any other', () => {
    const url = (c: string): string => `curl -XPOST 'http://h:8086/write?db=d&consistency=${c}' --data-binary 'm v=1'`;
    expect(importCurl(url('quorum')).write?.params.consistency).toBe('quorum');
    expect(importCurl(url('majority')).write?.params.consistency).toBe('');
  });

  it('round-trips every export: scheme, username, parameters, gzip and body come back', () => {
    const schemes: AuthScheme[] = ['none', 'bearer', 'token', 'basic', 'query'];
    const paramSets: WriteParams[] = [
      { ...DEFAULT_WRITE_PARAMS, api: 'v1', db: 'db 1', rp: 'autogen', precision: 'ms', consistency: 'all' },
      { ...DEFAULT_WRITE_PARAMS, api: 'v2', bucket: 'b', org: 'o&p', precision: 'ns', gzip: true },
      { ...DEFAULT_WRITE_PARAMS, api: 'v3', db: 'd', precision: 'auto', acceptPartial: false, noSync: true },
    ];
    for (const scheme of schemes) {
      for (const params of paramSets) {
        const r: ExportRequest = {
          baseUrl: 'https://h.example:8443/base',
          flavor: 'core',
          params,
          auth: { scheme, username: scheme === 'basic' || scheme === 'query' ? 'u$er' : '' },
          body: 'a,t=x v=1 1\nb s="q\'uote" 2',
        };
        const back = importCurl(toCurl(r, { includeToken: true, token: 't0k=n/+' }));
        expect(back.write?.baseUrl, `${scheme} ${params.api}`).toBe('https://h.example:8443/base');
        expect(back.write?.params).toEqual(params);
        expect(back.write?.auth).toEqual(r.auth);
        expect(back.authScheme).toBe(scheme);
        if (scheme !== 'none') expect(back.token).toBe('t0k=n/+');
        if (params.gzip) expect(back.bodyFile).toBe('data.lp.gz');
        else expect(back.body).toBe(r.body);
        // With the default env reference, the variable is recognised.
        if (scheme !== 'none') expect(importCurl(toCurl(r)).tokenEnv).toBe('INFLUX_TOKEN');
      }
    }
  });

  it('understands short, grouped and attached options, -d joining, -G, --data-urlencode and Basic headers', () => {
    const r = importCurl(
      `curl -sSi -XPOST -H'Authorization: Basic ${'YWRtaW46cMOkc3M='}' 'http://localhost:8086/write?db=x' -d 'a v=1' --data 'b v=2'`,
    );
    expect(r.method).toBe('POST');
    expect(r.authScheme).toBe('basic');
    expect(r.username).toBe('admin');
    expect(r.token).toBe('päss');
    expect(r.body).toBe('a v=1&b v=2');
    const g = importCurl(`curl -G http://localhost:8086/query --data-urlencode 'q=SHOW DATABASES' -u admin:pw`);
    expect(g.method).toBe('GET');
    expect(g.params).toEqual([['q', 'SHOW DATABASES']]);
    expect(g.write).toBeNull();
    expect(base64Decode('!!')).toBeNull();
  });

  it('keeps @file references as a note, notes --compressed, and reads line continuations', () => {
    const r = importCurl(
      'curl -i \\\n  --compressed \\\n  "http://h/api/v2/write?bucket=b&org=o" \\\n  --data-binary @metrics.lp',
    );
    expect(r.bodyFile).toBe('metrics.lp');
    expect(r.body).toBe('');
    expect(r.notes.join('\n')).toMatch(/metrics\.lp/);
    expect(r.notes.join('\n')).toMatch(/--compressed/);
    expect(r.write?.params.bucket).toBe('b');
  });

  it('rejects what is not a curl command', () => {
    expect(() => importCurl('wget http://x')).toThrow(CurlImportError);
    expect(() => importCurl('curl -i')).toThrow(/no URL/);
    expect(() => importCurl("curl 'http://x")).toThrow(/Unterminated/);
  });
});
