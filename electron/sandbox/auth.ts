/**
 * Token extraction (spec §4). Cloud Dedicated follows `authz::extract_token`: the header is split
 * at the first space; `Token X` and `Bearer X` (case-sensitive) give X; `Basic b64` gives the part
 * after the first `:` of the decoded value; anything else gives no token.
 */

/** The token in an `Authorization` header, or undefined (CD rules). */
export function extractToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const sp = header.indexOf(' ');
  if (sp < 0) return undefined;
  const scheme = header.slice(0, sp);
  const rest = header.slice(sp + 1);
  if (scheme === 'Token' || scheme === 'Bearer') return rest === '' ? undefined : rest;
  if (scheme === 'Basic') {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(rest) || rest.length % 4 === 1) return undefined;
    const decoded = Buffer.from(rest, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return undefined;
    const password = decoded.slice(colon + 1);
    return password === '' ? undefined : password;
  }
  return undefined;
}

/**
 * Core's header check: `undefined` when absent, `'malformed'` when it is not `<scheme> <token>`
 * with Bearer, Token or Basic, else the token.
 */
export function extractCoreToken(header: string | undefined): string | undefined | 'malformed' {
  if (header === undefined) return undefined;
  const sp = header.indexOf(' ');
  if (sp < 0) return 'malformed';
  const scheme = header.slice(0, sp);
  if (scheme !== 'Bearer' && scheme !== 'Token' && scheme !== 'Basic') return 'malformed';
  const token = extractToken(header);
  return token ?? 'malformed';
}

export const CORE_MALFORMED_AUTH =
  "Authorization header was malformed, the request was not in the form of 'Authorization: " +
  "<auth-scheme> <token>', supported auth-schemes are Bearer, Token and Basic";
export const CORE_UNAUTHENTICATED = 'the request was not authenticated';
