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

function shellToken(opts: ExportOptions): string {
  const literal = literalToken(opts);
  return literal === null ? `"$${tokenEnv(opts)}"` : `"${shDouble(literal)}"`;
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
    const literal = literalToken(opts);
    const user = shDouble(req.auth.username);
    args.push(literal === null ? `--token "${user}:$${tokenEnv(opts)}"` : `--token "${user}:${shDouble(literal)}"`);
  } else if (req.auth.scheme !== 'none') args.push(`--token ${shellToken(opts)}`);
  if (req.auth.scheme === 'basic' || req.auth.scheme === 'query' || req.auth.scheme === 'bearer') {
    notes.push(`influx write sends "Authorization: Token", not the ${req.auth.scheme} scheme chosen in the workbench.`);
  }
  args.push(shSingle(exportBody(req)));
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
  args.push(shSingle(exportBody(req)));
  return joinCommand('influxctl write', notes, args);
}
