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
  // In double quotes so the shell expands the variable; a literal token is escaped instead.
  const token = literal === null ? `$${tokenEnv(opts)}` : shDouble(literal);
  const scheme = req.auth.scheme;
  let url = shDouble(writeUrl(req));
  if (scheme === 'query') {
    // The seeds send p only; u is added when there is a username (1.x needs both, 3.x ignores u).
    const u = req.auth.username === '' ? '' : `u=${shDouble(encodeURIComponent(req.auth.username))}&`;
    const p = literal === null ? token : shDouble(encodeURIComponent(literal));
    url += `${url.includes('?') ? '&' : '?'}${u}p=${p}`;
  }
  const options: string[] = [];
  if (scheme === 'basic') options.push(`--user "${shDouble(req.auth.username)}:${token}"`);
  if (scheme === 'bearer') options.push(`--header "Authorization: Bearer ${token}"`);
  if (scheme === 'token') options.push(`--header "Authorization: Token ${token}"`);
  options.push(`--header "${CURL_CONTENT_TYPE}"`);
  const body = exportBody(req);
  let preamble = '';
  if (req.params.gzip) {
    const file = opts.gzipFile ?? 'data.lp.gz';
    options.push('--header "Content-Encoding: gzip"');
    options.push(`--data-binary @${shDouble(file)}`);
    preamble = `# curl sends the file as it is: compress the line protocol first.\nprintf '%s' ${shSingle(body)} | gzip -c > ${shSingle(file)}\n`;
  } else {
    options.push(`--data-binary ${shSingle(body)}`);
  }
  // The seeds indent the Basic and query-string examples by two spaces, the token examples by four.
  const indent = scheme === 'basic' || scheme === 'query' ? '  ' : '    ';
  return `${preamble}curl -i "${url}" \\\n${options.map((o) => `${indent}${o}`).join(` \\\n`)}`;
}
