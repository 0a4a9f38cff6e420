import { parseBaseUrl } from '../domain/write-request';
import {
  exportBody,
  type ExportOptions,
  type ExportRequest,
  literalToken,
  shDouble,
  shSingle,
  tokenEnv,
  v2Bucket,
  v2Precision,
  v3Database,
} from './model';

/** "Copy as" the InfluxData command-line tools: `influx write` (v2 CLI) and `influxctl write`. */

/** The token as a shell word: the variable in double quotes, a real token in single quotes (no `!` expansion). */
function shellToken(opts: ExportOptions, prefix = ''): string {
  const literal = literalToken(opts);
  return literal === null ? `"${shDouble(prefix)}$${tokenEnv(opts)}"` : shSingle(`${prefix}${literal}`);
}

/** The body as one shell argument; a NUL byte cannot be part of one, so such a body is refused. */
function bodyArgument(req: ExportRequest, tool: string): string {
  const body = exportBody(req);
  const nul = body.indexOf('\0');
  if (nul >= 0) {
    const line = body.slice(0, nul).split('\n').length;
    throw new Error(
      `${tool} takes the line protocol as a shell argument, which cannot hold the NUL ` +
        `character on line ${line}. Use curl (it pipes the body from printf) or a client library.`,
    );
  }
  return shSingle(body);
}

function joinCommand(head: string, notes: string[], args: string[]): string {
  return `${notes.map((n) => `# ${n}\n`).join('')}${head} \\\n${args.map((a) => `  ${a}`).join(' \\\n')}`;
}

/**
 * `influx write` (the v2 CLI). It always writes to `/api/v2/write` with `Authorization: Token`, so a
 * v1 target becomes a bucket (`db/rp` on 1.8+) and 1.x credentials become `user:password`.
 */
export function toInfluxWrite(req: ExportRequest, opts: ExportOptions = {}): string {
  const notes: string[] = [];
  const args = [`--host ${shSingle(parseBaseUrl(req.baseUrl).toString().replace(/\/$/, ''))}`];
  if (req.params.org !== '') args.push(`--org ${shSingle(req.params.org)}`);
  else if (req.flavor === '2.x' || req.flavor === 'serverless')
    notes.push('Set --org (or INFLUX_ORG): this server needs the organization.');
  args.push(`--bucket ${shSingle(v2Bucket(req))}`);
  const precision = v2Precision(req.params.precision);
  if (precision !== null) args.push(`--precision ${precision}`);
  else if (req.params.precision !== '')
    notes.push(`influx write has no precision "${req.params.precision}"; convert the timestamps (ns, us, ms or s).`);
  if (req.flavor === '1.x') {
    notes.push('InfluxDB 1.8+ only (earlier 1.x has no /api/v2/write); the token is "username:password".');
    args.push(`--token ${shellToken(opts, `${req.auth.username}:`)}`);
  } else if (req.auth.scheme !== 'none') args.push(`--token ${shellToken(opts)}`);
  if (req.auth.scheme === 'basic' || req.auth.scheme === 'query' || req.auth.scheme === 'bearer') {
    notes.push(`influx write sends "Authorization: Token", not the ${req.auth.scheme} scheme chosen in the workbench.`);
  }
  args.push(bodyArgument(req, 'influx write'));
  return joinCommand('influx write', notes, args);
}

/**
 * `influxctl write` (Cloud Dedicated and Clustered). The cluster host comes from the influxctl
 * connection profile, not from a flag.
 */
export function toInfluxctlWrite(req: ExportRequest, opts: ExportOptions = {}): string {
  const notes = [
    `influxctl takes the cluster host from its connection profile (config.toml): ${parseBaseUrl(req.baseUrl).host}`,
  ];
  if (req.flavor !== 'cloud-dedicated' && req.flavor !== 'clustered')
    notes.push('influxctl writes only to Cloud Dedicated and Clustered.');
  const args = [`--database ${shSingle(v3Database(req))}`];
  if (req.auth.scheme !== 'none') args.push(`--token ${shellToken(opts)}`);
  const precision = v2Precision(req.params.precision);
  if (precision !== null) args.push(`--precision ${precision}`);
  else if (req.params.precision !== '')
    notes.push(`influxctl has no precision "${req.params.precision}" (ns, us, ms or s).`);
  args.push(bodyArgument(req, 'influxctl write'));
  return joinCommand('influxctl write', notes, args);
}
