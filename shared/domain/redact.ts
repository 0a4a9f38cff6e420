import { REDACTED } from './auth';

/**
 * Redaction of credentials in everything that is shown, logged, stored in history or exported.
 *
 * Covers the `Authorization` header (keeping the scheme, which helps debugging), `p=` (and `token=`)
 * query parameters, and Basic credentials or userinfo inside URLs and free text.
 */

const SECRET_PARAMS = new Set(['p', 'token', 'password']);

/** Redacts credential query parameters and userinfo in a URL; leaves a non-URL string to {@link redactText}. */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return redactText(url);
  }
  if (parsed.password) parsed.password = 'REDACTED';
  const [head, query] = splitOnce(parsed.toString(), '?');
  if (query === undefined) return head;
  const [search, hash] = splitOnce(query, '#');
  const parts = search.split('&').map((pair) => {
    const [k] = splitOnce(pair, '=');
    return SECRET_PARAMS.has(safeDecode(k).toLowerCase()) ? `${k}=${REDACTED}` : pair;
  });
  return `${head}?${parts.join('&')}${hash === undefined ? '' : `#${hash}`}`;
}

/** Redacts the credential part of `Authorization`/`Proxy-Authorization` headers (case-insensitive names). */
export function redactHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    out[name] = isAuthHeader(name) ? redactAuthValue(value) : value;
  }
  return out;
}

/** Same as {@link redactHeaders} for header lists (response headers keep duplicates). */
export function redactHeaderList(headers: ReadonlyArray<readonly [string, string]>): Array<[string, string]> {
  return headers.map(([n, v]) => [n, isAuthHeader(n) ? redactAuthValue(v) : v]);
}

function isAuthHeader(name: string): boolean {
  const n = name.toLowerCase();
  return n === 'authorization' || n === 'proxy-authorization';
}

function redactAuthValue(value: string): string {
  const m = /^(\S+)\s+\S/.exec(value);
  return m ? `${m[1]} ${REDACTED}` : REDACTED;
}

/**
 * Redacts credentials in free text such as error messages and logs: `Authorization: X Y` lines,
 * `p=`/`token=` in query strings, userinfo in URLs, and any literal secret passed in.
 */
export function redactText(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const s of secrets) {
    if (s.length >= 4) out = out.split(s).join(REDACTED);
  }
  out = out.replace(/(authorization["']?\s*[:=]\s*["']?)(bearer|token|basic)\s+[^\s"',;]+/gi, `$1$2 ${REDACTED}`);
  out = out.replace(/((?:^|[?&\s])(?:p|token|password)=)[^&\s"'#]*/gi, `$1${REDACTED}`);
  out = out.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:)[^@/\s]*@/gi, `$1${REDACTED}@`);
  return out;
}

function splitOnce(s: string, sep: string): [string, string | undefined] {
  const i = s.indexOf(sep);
  return i < 0 ? [s, undefined] : [s.slice(0, i), s.slice(i + 1)];
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
