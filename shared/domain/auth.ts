/**
 * Authentication schemes and how each one is put on the wire, exactly as the seeds' curl examples do.
 */

/** The auth-scheme picker's choices. */
export const AUTH_SCHEMES = ['none', 'bearer', 'token', 'basic', 'query'] as const;

/** One of {@link AUTH_SCHEMES}. */
export type AuthScheme = (typeof AUTH_SCHEMES)[number];

/** Labels for the picker, with what each sends. */
export const AUTH_SCHEME_LABELS: Record<AuthScheme, string> = {
  none: 'None',
  bearer: 'Authorization: Bearer <token>',
  token: 'Authorization: Token <token>',
  basic: 'Basic base64(username:token)',
  query: 'Query string u=<username>&p=<token>',
};

/** The text that stands in for a credential wherever a request is shown, logged or stored. */
export const REDACTED = '[REDACTED]';

/** Where credentials go for one request: headers to add and query parameters to append. */
export interface AuthPlacement {
  readonly headers: Readonly<Record<string, string>>;
  readonly query: ReadonlyArray<readonly [string, string]>;
}

/**
 * Builds the credential placement for a scheme.
 *
 * `token` may be {@link REDACTED} to build a preview. Basic and query-string auth use the username
 * as given; the 3.x family ignores it (the seeds use `any`/`ignored`), 1.x needs the real user.
 */
export function placeAuth(scheme: AuthScheme, username: string, token: string | null): AuthPlacement {
  if (scheme === 'none' || token === null) return { headers: {}, query: [] };
  switch (scheme) {
    case 'bearer':
      return { headers: { Authorization: `Bearer ${token}` }, query: [] };
    case 'token':
      return { headers: { Authorization: `Token ${token}` }, query: [] };
    case 'basic': {
      const value = token === REDACTED ? REDACTED : base64Utf8(`${username}:${token}`);
      return { headers: { Authorization: `Basic ${value}` }, query: [] };
    }
    case 'query':
      // Both u and p are sent: 1.x requires both non-empty; the 3.x family ignores u.
      return {
        headers: {},
        query: [
          ['u', username],
          ['p', token],
        ],
      };
    default:
      return assertNever(scheme);
  }
}

/**
 * The scheme a request went out with, read back from the request as sent (credentials redacted or
 * not): the Authorization header's scheme word, else `p=` in the query string, else none.
 */
export function authSchemeSent(request: {
  readonly url: string;
  readonly headers: ReadonlyArray<readonly [string, string]>;
}): AuthScheme {
  const header = request.headers.find(([k]) => k.toLowerCase() === 'authorization')?.[1] ?? '';
  const word = /^\s*(\w+)/.exec(header)?.[1]?.toLowerCase();
  if (word === 'bearer' || word === 'token' || word === 'basic') return word;
  const query = request.url.split('#')[0]?.split('?')[1] ?? '';
  return query.split('&').some((kv) => kv.startsWith('p=')) ? 'query' : 'none';
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * A URL built with {@link REDACTED} as the token, as it is shown: the placeholder readable rather than
 * percent-encoded (`p=[REDACTED]`, not `p=%5BREDACTED%5D`). For previews only; never sent.
 */
export function previewUrl(builtWithRedacted: string): string {
  return builtWithRedacted.split(encodeURIComponent(REDACTED)).join(REDACTED);
}

/**
 * The URL a request builder makes with {@link REDACTED} as the token, as previews show it (see
 * {@link previewUrl}), or the builder's error (e.g. a bad base URL) with `fallbackUrl`. The one way the
 * forms preview a request: the real token is never passed, so it can never appear.
 */
export function redactedPreview(
  build: (token: string) => { readonly url: string },
  fallbackUrl: string,
): { url: string; error: string | null } {
  try {
    return { url: previewUrl(build(REDACTED).url), error: null };
  } catch (err) {
    return { url: fallbackUrl, error: (err as Error).message };
  }
}

/** Standard base64 of a string's UTF-8 bytes. Written here because shared/ may use no Node or DOM API. */
export function base64Utf8(text: string): string {
  const bytes = utf8Bytes(text);
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i] ?? 0;
    const b = bytes[i + 1];
    const c = bytes[i + 2];
    const n = (a << 16) | ((b ?? 0) << 8) | (c ?? 0);
    out += B64[(n >> 18) & 63]! + B64[(n >> 12) & 63]!;
    out += b === undefined ? '=' : B64[(n >> 6) & 63]!;
    out += c === undefined ? '=' : B64[n & 63]!;
  }
  return out;
}

/** UTF-8 encoding of a string (surrogate pairs joined; lone surrogates become U+FFFD, as TextEncoder does). */
export function utf8Bytes(text: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    let cp = text.charCodeAt(i);
    if (cp >= 0xd800 && cp <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        cp = 0x10000 + ((cp - 0xd800) << 10) + (next - 0xdc00);
        i++;
      } else cp = 0xfffd;
    } else if (cp >= 0xdc00 && cp <= 0xdfff) cp = 0xfffd;
    if (cp < 0x80) out.push(cp);
    else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 63));
    else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
    else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
  }
  return out;
}

/** Exhaustiveness guard for switches over unions. */
export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${String(value)}`);
}
