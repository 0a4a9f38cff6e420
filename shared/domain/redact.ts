import { base64Utf8, REDACTED } from './auth';

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
  let out = scrubSecrets(text, secrets);
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

/** Secrets shorter than this are not scrubbed from text: they would redact ordinary words. */
const MIN_SECRET_LENGTH = 4;

/**
 * Every form in which a token can come back from a server, a body or a URL: the token itself, its
 * JSON-escaped and URL-encoded forms (a token with `"`, `\`, `+`, `/` or `=` is written differently
 * in each), and `base64(username:token)` (the Basic credential) with each given username and with none.
 * The one list that write, ping, probe, query, schema, history and the CLI scrub; longest first, so a
 * longer form is replaced before a shorter one inside it.
 */
export function credentialForms(token: string | null, usernames: readonly string[] = []): string[] {
  if (token === null || token.length < MIN_SECRET_LENGTH) return [];
  const forms = new Set<string>();
  const addEncodings = (s: string): void => {
    forms.add(s);
    forms.add(JSON.stringify(s).slice(1, -1));
    forms.add(encodeURIComponent(s));
    forms.add(formEncode(s));
  };
  addEncodings(token);
  for (const user of new Set(['', ...usernames])) addEncodings(base64Utf8(`${user}:${token}`));
  return [...forms].sort((a, b) => b.length - a.length);
}

/** `application/x-www-form-urlencoded` as URLSearchParams writes it (space as `+`, `!'()~` escaped). */
function formEncode(s: string): string {
  return encodeURIComponent(s)
    .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

/** Replaces every occurrence of each secret (as given: pass {@link credentialForms}) with [REDACTED]. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) {
    if (s.length >= MIN_SECRET_LENGTH && out.includes(s)) out = out.split(s).join(REDACTED);
  }
  return out;
}

/**
 * {@link scrubSecrets} over every string (and object key) in a JSON-shaped value, returning the same
 * object when nothing matched, so the common case allocates nothing.
 */
export function scrubValue<T>(value: T, secrets: readonly string[]): T {
  if (secrets.length === 0) return value;
  return scrubAny(value, secrets) as T;
}

function scrubAny(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === 'string') return scrubSecrets(value, secrets);
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    let out: unknown[] | null = null;
    for (let i = 0; i < value.length; i++) {
      const v = scrubAny(value[i], secrets);
      if (v !== value[i]) (out ??= value.slice())[i] = v;
    }
    return out ?? value;
  }
  let changed = false;
  const entries = Object.entries(value).map(([k, v]) => {
    const k2 = scrubSecrets(k, secrets);
    const v2 = scrubAny(v, secrets);
    if (k2 !== k || v2 !== v) changed = true;
    return [k2, v2] as const;
  });
  return changed ? Object.fromEntries(entries) : value;
}
