import {
  exportBody,
  type ExportOptions,
  type ExportRequest,
  literalToken,
  shDouble,
  shSingle,
  tokenEnv,
  writeUrl,
} from './model';

/**
 * "Copy as curl": the write as a curl command laid out like the seeds' examples (one option per
 * line, `--header` spelled out, `Content-type: text/plain; charset=utf-8`, body in single quotes).
 * The token is `$INFLUX_TOKEN` unless the caller explicitly asks for the real one.
 */

/** The `Content-type` header exactly as the seeds write it. */
export const CURL_CONTENT_TYPE = 'Content-type: text/plain; charset=utf-8';

/** Renders the write as a curl command (with a pre-compression step when gzip is on). */
export function toCurl(req: ExportRequest, opts: ExportOptions = {}): string {
  const literal = literalToken(opts);
  const env = `$${tokenEnv(opts)}`;
  const scheme = req.auth.scheme;
  let url = shDouble(writeUrl(req));
  const notes: string[] = [];
  const options: string[] = [];
  if (scheme === 'query') {
    const plain = (v: string): boolean => /^[\w.~-]*$/.test(v);
    if (literal !== null && plain(literal) && plain(req.auth.username)) {
      // Nothing to encode: in the URL, as the seeds write it (p only; u when there is a username).
      url += `${url.includes('?') ? '&' : '?'}${req.auth.username === '' ? '' : `u=${req.auth.username}&`}p=${literal}`;
    } else {
      // curl encodes the value itself (as --data-urlencode does): a password with & + # or % arrives
      // intact, where `p=$INFLUX_TOKEN` pasted into the URL would not.
      notes.push('# --url-query needs curl 7.87 or newer (curl --version).');
      if (req.auth.username !== '') options.push(`--url-query ${shSingle(`u=${req.auth.username}`)}`);
      options.push(literal === null ? `--url-query "p=${env}"` : `--url-query ${shSingle(`p=${literal}`)}`);
    }
  }
  // A real token goes in double quotes (as the seeds write it) only when nothing in it is special
  // there; otherwise in single quotes, where not even bash's history `!` is expanded.
  const credential = (prefix: string): string => {
    if (literal === null) return `"${shDouble(prefix)}${env}"`;
    const text = `${prefix}${literal}`;
    return /[$`\\"!]/.test(text) ? shSingle(text) : `"${text}"`;
  };
  if (scheme === 'basic') options.push(`--user ${credential(`${req.auth.username}:`)}`);
  if (scheme === 'bearer') options.push(`--header ${credential('Authorization: Bearer ')}`);
  if (scheme === 'token') options.push(`--header ${credential('Authorization: Token ')}`);
  options.push(`--header "${CURL_CONTENT_TYPE}"`);
  const body = exportBody(req);
  // A shell word cannot hold a NUL byte (bash drops it): such a body is written by printf from
  // escapes and piped in.
  const producer = body.includes('\0') ? `printf '%b' ${shSingle(printfEscapes(body))}` : null;
  let preamble = notes.length > 0 ? `${notes.join('\n')}\n` : '';
  if (req.params.gzip) {
    const file = opts.gzipFile ?? 'data.lp.gz';
    options.push('--header "Content-Encoding: gzip"');
    options.push(`--data-binary @${shDouble(file)}`);
    preamble +=
      `# curl sends the file as it is: compress the line protocol ` +
      `first.\n${producer ?? `printf '%s' ${shSingle(body)}`} | gzip -c > ${shSingle(file)}\n`;
  } else if (producer !== null) {
    options.push('--data-binary @-');
    preamble += `${producer} | \\\n`;
  } else {
    options.push(`--data-binary ${shSingle(body)}`);
  }
  // The seeds indent the Basic and query-string examples by two spaces, the token examples by four.
  const indent = scheme === 'basic' || scheme === 'query' ? '  ' : '    ';
  return `${preamble}curl -i "${url}" \\\n${options.map((o) => `${indent}${o}`).join(` \\\n`)}`;
}

/** Text for `printf '%b'`: backslashes doubled, NUL as the octal escape `\\0000`. */
function printfEscapes(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\0/g, '\\0000');
}
