import type { AuthScheme } from '../domain/auth';
import { WRITE_API_PATHS, type WriteApi } from '../domain/flavor';
import { type AuthChoice, CONSISTENCY_VALUES, DEFAULT_WRITE_PARAMS, type WriteParams } from '../domain/write-request';

/**
 * "Import from curl": reads a pasted curl command (as in the seeds, or as the workbench exports it)
 * into the request it sends. Only what a write needs is understood; anything else becomes a note.
 */

/** The request a curl command describes. */
export interface ImportedCurl {
  /** URL without its query string. */
  readonly url: string;
  readonly method: string;
  /** Query parameters in order, credentials (`u`, `p`) removed. */
  readonly params: Array<[string, string]>;
  readonly authScheme: AuthScheme;
  readonly username: string;
  /** The credential as written (a literal token or e.g. `$INFLUX_TOKEN`). */
  readonly token?: string;
  /** When the token is a shell variable reference: its name. */
  readonly tokenEnv?: string;
  /** Headers in order, `Authorization` removed (it is in authScheme/token). */
  readonly headers: Array<[string, string]>;
  /** The body (`--data*` values joined with `&` as curl does); empty when it comes from a file. */
  readonly body: string;
  /** `@file` given to a `--data*` option: the body is in that file. */
  readonly bodyFile?: string;
  /** Options that were ignored or need attention. */
  readonly notes: string[];
  /** The write as the workbench models it, when the URL is a write endpoint. */
  readonly write: { readonly baseUrl: string; readonly params: WriteParams; readonly auth: AuthChoice } | null;
}

/** A curl command that cannot be read. */
export class CurlImportError extends Error {}

/** Parses a curl command line. Throws {@link CurlImportError} when it is not one. */
export function importCurl(command: string): ImportedCurl {
  const words = shellWords(command);
  const start = words.findIndex((w) => w === 'curl' || w.endsWith('/curl'));
  if (start < 0) throw new CurlImportError('No curl command found.');
  const args = words.slice(start + 1);
  let method: string | null = null;
  let url: string | null = null;
  let user: string | null = null;
  let get = false;
  const headers: Array<[string, string]> = [];
  const data: string[] = [];
  const notes: string[] = [];
  let bodyFile: string | undefined;

  const takesValue = new Set([
    '-X',
    '--request',
    '-H',
    '--header',
    '-d',
    '--data',
    '--data-binary',
    '--data-raw',
    '--data-ascii',
    '--data-urlencode',
    '-u',
    '--user',
    '--url',
    '--url-query',
    '-o',
    '--output',
    '-m',
    '--max-time',
    '--connect-timeout',
    '-A',
    '--user-agent',
    '--cacert',
    '-e',
    '--referer',
  ]);
  const urlQuery: string[] = [];
  const addData = (opt: string, v: string): void => {
    if (opt !== '--data-raw' && v.startsWith('@')) {
      bodyFile = v.slice(1);
      notes.push(`The body is read from the file ${v.slice(1)}; paste its contents into the editor.`);
      return;
    }
    if (opt === '--data-urlencode') {
      const eq = v.indexOf('=');
      data.push(eq < 0 ? encodeURIComponent(v) : `${v.slice(0, eq + 1)}${encodeURIComponent(v.slice(eq + 1))}`);
      return;
    }
    // curl -d/--data strips CR and LF from files only; inline data is sent as given.
    data.push(v);
  };
  for (let i = 0; i < args.length; i++) {
    let a = args[i]!;
    let value: string | undefined;
    if (a.startsWith('--') && a.includes('=') && takesValue.has(a.slice(0, a.indexOf('=')))) {
      value = a.slice(a.indexOf('=') + 1);
      a = a.slice(0, a.indexOf('='));
    } else if (/^-[A-Za-z]/.test(a) && !a.startsWith('--') && a.length > 2) {
      // Grouped short options (-sS, -iX POST) or an attached value (-XPOST, -H'…').
      const flags = a.slice(1);
      let j = 0;
      for (; j < flags.length; j++) {
        const f = `-${flags[j]}`;
        if (takesValue.has(f)) break;
        handleFlag(f);
      }
      if (j >= flags.length) continue;
      a = `-${flags[j]}`;
      if (j + 1 < flags.length) value = flags.slice(j + 1);
    }
    if (takesValue.has(a)) {
      if (value === undefined) {
        value = args[++i];
        if (value === undefined) throw new CurlImportError(`${a} needs a value.`);
      }
      switch (a) {
        case '-X':
        case '--request':
          method = value.toUpperCase();
          break;
        case '-H':
        case '--header': {
          const c = value.indexOf(':');
          if (c > 0) headers.push([value.slice(0, c).trim(), value.slice(c + 1).trim()]);
          else notes.push(`Header without a value ignored: ${value}`);
          break;
        }
        case '-u':
        case '--user':
          user = value;
          break;
        case '--url':
          url = value;
          break;
        case '--url-query': {
          // curl 7.87+: `name=content` is added to the URL's query with content URL-encoded.
          const eq = value.indexOf('=');
          urlQuery.push(
            eq < 0 ? encodeURIComponent(value) : `${value.slice(0, eq + 1)}${encodeURIComponent(value.slice(eq + 1))}`,
          );
          break;
        }
        case '-d':
        case '--data':
        case '--data-binary':
        case '--data-raw':
        case '--data-ascii':
        case '--data-urlencode':
          addData(a, value);
          break;
        default:
          notes.push(`Ignored: ${a} ${value}`);
      }
      continue;
    }
    if (a.startsWith('-')) {
      handleFlag(a);
      continue;
    }
    if (url === null) url = a;
    else notes.push(`Extra argument ignored: ${a}`);
  }

  function handleFlag(f: string): void {
    if (f === '-G' || f === '--get') get = true;
    else if (f === '--compressed')
      notes.push('--compressed asks for a compressed response; the workbench decodes responses itself.');
    else if (f === '-k' || f === '--insecure')
      notes.push('--insecure: turn on "skip TLS verification" on the connection if you need it.');
    else if (
      ![
        '-i',
        '--include',
        '-s',
        '--silent',
        '-S',
        '--show-error',
        '-v',
        '--verbose',
        '-f',
        '--fail',
        '-L',
        '--location',
      ].includes(f)
    )
      notes.push(`Ignored option: ${f}`);
  }

  if (url === null) throw new CurlImportError('The curl command has no URL.');
  const rawUrl: string = url;
  const q = rawUrl.indexOf('?');
  const base = q < 0 ? rawUrl : rawUrl.slice(0, q);
  const query = q < 0 ? '' : rawUrl.slice(q + 1).split('#')[0]!;
  const params: Array<[string, string]> =
    query === ''
      ? []
      : query
          .split('&')
          .filter((p) => p !== '')
          .map(splitParam);
  params.push(...urlQuery.map(splitParam));
  let body = data.join('&');
  if (get && body !== '') {
    params.push(...body.split('&').map(splitParam));
    body = '';
  }

  let authScheme: AuthScheme = 'none';
  let username = '';
  let token: string | undefined;
  const authIndex = headers.findIndex(([k]) => k.toLowerCase() === 'authorization');
  if (authIndex >= 0) {
    const [, v] = headers.splice(authIndex, 1)[0]!;
    const m = /^(\S+)\s+(.*)$/.exec(v);
    const scheme = m?.[1]?.toLowerCase();
    if (scheme === 'bearer' || scheme === 'token') {
      authScheme = scheme;
      token = m![2]!;
    } else if (scheme === 'basic') {
      const decoded = base64Decode(m![2]!.trim());
      const c = decoded?.indexOf(':') ?? -1;
      if (decoded !== null && c >= 0) {
        authScheme = 'basic';
        username = decoded.slice(0, c);
        token = decoded.slice(c + 1);
      } else notes.push('The Basic credential is not base64 of user:password.');
    } else notes.push(`Unknown Authorization scheme: ${m?.[1] ?? v}`);
  }
  if (user !== null) {
    const c = user.indexOf(':');
    authScheme = 'basic';
    username = c < 0 ? user : user.slice(0, c);
    if (c >= 0) token = user.slice(c + 1);
    else notes.push('--user without a password: curl would prompt for it.');
  }
  const pIndex = params.findIndex(([k]) => k === 'p');
  if (pIndex >= 0 && authScheme === 'none') {
    authScheme = 'query';
    token = params[pIndex]![1];
    const uIndex = params.findIndex(([k]) => k === 'u');
    if (uIndex >= 0) username = params[uIndex]![1];
  }
  if (authScheme === 'query' || (pIndex >= 0 && authScheme !== 'none')) {
    for (let i = params.length - 1; i >= 0; i--)
      if (params[i]![0] === 'u' || params[i]![0] === 'p') params.splice(i, 1);
  }
  const env = token === undefined ? null : /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/.exec(token);
  const effectiveMethod = method ?? (data.length > 0 && !get ? 'POST' : 'GET');
  return {
    url: base,
    method: effectiveMethod,
    params,
    authScheme,
    username,
    ...(token !== undefined ? { token } : {}),
    ...(env ? { tokenEnv: env[1]! } : {}),
    headers,
    body,
    ...(bodyFile !== undefined ? { bodyFile } : {}),
    notes,
    write: toWrite(base, params, headers, { scheme: authScheme, username }),
  };
}

function splitParam(p: string): [string, string] {
  const eq = p.indexOf('=');
  const dec = (s: string): string => {
    try {
      return decodeURIComponent(s.replace(/\+/g, ' '));
    } catch {
      return s;
    }
  };
  return eq < 0 ? [dec(p), ''] : [dec(p.slice(0, eq)), dec(p.slice(eq + 1))];
}

/** The workbench's write model for a URL whose path ends in a write endpoint. */
function toWrite(
  url: string,
  params: Array<[string, string]>,
  headers: Array<[string, string]>,
  auth: AuthChoice,
): ImportedCurl['write'] {
  // Longest path first: `/write` is also the end of `/api/v2/write`.
  const apis = (Object.entries(WRITE_API_PATHS) as Array<[WriteApi, string]>).sort((a, b) => b[1].length - a[1].length);
  const hit = apis.find(([, path]) => url.endsWith(path) || url.endsWith(`${path}/`));
  if (!hit) return null;
  const [api, path] = hit;
  const baseUrl = url.slice(0, url.lastIndexOf(path)) || url;
  const get = (k: string): string => params.find(([n]) => n === k)?.[1] ?? '';
  const consistency = get('consistency');
  const params2: WriteParams = {
    ...DEFAULT_WRITE_PARAMS,
    api,
    db: api === 'v2' ? '' : get('db'),
    rp: api === 'v1' ? get('rp') : '',
    bucket: api === 'v2' ? get('bucket') : '',
    org: api === 'v2' ? get('org') : '',
    precision: get('precision'),
    consistency: CONSISTENCY_VALUES.find((c) => c === consistency) ?? '',
    acceptPartial: get('accept_partial') !== 'false',
    noSync: get('no_sync') === 'true',
    gzip: headers.some(([k, v]) => k.toLowerCase() === 'content-encoding' && v.toLowerCase() === 'gzip'),
  };
  return { baseUrl, params: params2, auth };
}

/**
 * Splits a shell command into words: single quotes, double quotes (with `\\` `\"` `\$` `` \` `` escapes),
 * backslash escapes and `\`-newline continuations; `#` comment lines are dropped; `$VAR` is kept as text.
 */
export function shellWords(command: string): string[] {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  let i = 0;
  const s = command;
  while (i < s.length) {
    const c = s[i]!;
    if (c === '\\' && s[i + 1] === '\n') {
      i += 2;
      continue;
    }
    if (c === '\\' && s[i + 1] === '\r' && s[i + 2] === '\n') {
      i += 3;
      continue;
    }
    if (c === '#' && !inWord) {
      while (i < s.length && s[i] !== '\n') i++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === ';' || c === '|') {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
      i++;
      continue;
    }
    inWord = true;
    if (c === "'") {
      const end = s.indexOf("'", i + 1);
      if (end < 0) throw new CurlImportError('Unterminated single quote.');
      cur += s.slice(i + 1, end);
      i = end + 1;
    } else if (c === '"') {
      i++;
      while (i < s.length && s[i] !== '"') {
        if (s[i] === '\\' && i + 1 < s.length && '\\"$`\n'.includes(s[i + 1]!)) {
          if (s[i + 1] !== '\n') cur += s[i + 1];
          i += 2;
        } else cur += s[i++];
      }
      if (i >= s.length) throw new CurlImportError('Unterminated double quote.');
      i++;
    } else if (c === '\\' && i + 1 < s.length) {
      cur += s[i + 1];
      i += 2;
    } else {
      cur += c;
      i++;
    }
  }
  if (inWord) words.push(cur);
  return words;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Decodes standard base64 holding UTF-8 text; null when it is not valid. */
export function base64Decode(text: string): string | null {
  const clean = text.replace(/=+$/, '');
  if (!/^[A-Za-z0-9+/]*$/.test(clean) || clean.length % 4 === 1) return null;
  const bytes: number[] = [];
  let bits = 0;
  let value = 0;
  for (const ch of clean) {
    value = (value << 6) | B64.indexOf(ch);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((value >> bits) & 0xff);
    }
  }
  let out = '';
  for (let i = 0; i < bytes.length;) {
    const b = bytes[i]!;
    const n = b < 0x80 ? 1 : b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 0;
    if (n === 0 || i + n > bytes.length) return null;
    let cp = n === 1 ? b : b & (0xff >> (n + 1));
    for (let k = 1; k < n; k++) cp = (cp << 6) | (bytes[i + k]! & 0x3f);
    out += String.fromCodePoint(cp);
    i += n;
  }
  return out;
}
