import { parseBaseUrl } from '../domain/write-request';
import {
  type ExportOptions,
  type ExportRequest,
  literalToken,
  tokenEnv,
  tomlString,
  v1Target,
  v2Bucket,
  v3Database,
} from './model';

/**
 * "Copy as" Telegraf output blocks. Telegraf expands `${VAR}` in its configuration, so the token is
 * `"${INFLUX_TOKEN}"` unless the real one is asked for.
 */

function tomlToken(opts: ExportOptions): string {
  const literal = literalToken(opts);
  return literal === null ? `"\${${tokenEnv(opts)}}"` : tomlString(literal);
}

function baseUrl(req: ExportRequest): string {
  return parseBaseUrl(req.baseUrl).toString().replace(/\/$/, '');
}

function block(name: string, comments: string[], pairs: Array<[string, string]>): string {
  return `${comments.map((c) => `# ${c}\n`).join('')}[[outputs.${name}]]\n${pairs.map(([k, v]) => `  ${k} = ${v}`).join('\n')}\n`;
}

/**
 * `[[outputs.influxdb]]` (v1 `/write`), laid out as in the seeds: `skip_database_creation = true`
 * (3.x cannot CREATE DATABASE), `retention_policy`, `username`/`password` (Basic auth: the 3.x
 * family ignores the username and takes the token as password), `content_encoding`.
 */
export function toTelegrafV1(req: ExportRequest, opts: ExportOptions = {}): string {
  const comments: string[] = [];
  const { db, rp } = v1Target(req);
  const pairs: Array<[string, string]> = [
    ['urls', `[${tomlString(baseUrl(req))}]`],
    ['database', tomlString(db)],
    ['skip_database_creation', 'true'],
    ['retention_policy', tomlString(rp)],
  ];
  if (req.auth.scheme !== 'none') {
    const is1x = req.flavor === '1.x';
    pairs.push(['username', tomlString(req.auth.username !== '' ? req.auth.username : is1x ? '' : 'ignored')]);
    pairs.push(['password', tomlToken(opts)]);
    if (req.auth.scheme === 'bearer' || req.auth.scheme === 'token') {
      comments.push(
        `outputs.influxdb authenticates with username/password (Basic), not the ${req.auth.scheme} scheme.`,
      );
    }
  }
  if (req.params.consistency !== '') pairs.push(['write_consistency', tomlString(req.params.consistency)]);
  pairs.push(['content_encoding', tomlString(req.params.gzip ? 'gzip' : 'identity')]);
  return block('influxdb', comments, pairs);
}

/** `[[outputs.influxdb_v2]]` (`/api/v2/write`, `Authorization: Token`). */
export function toTelegrafV2(req: ExportRequest, opts: ExportOptions = {}): string {
  const comments: string[] = [];
  const pairs: Array<[string, string]> = [['urls', `[${tomlString(baseUrl(req))}]`]];
  if (req.auth.scheme !== 'none') {
    const literal = literalToken(opts);
    if (req.flavor === '1.x') {
      comments.push('InfluxDB 1.8+ only; the token is "username:password".');
      pairs.push([
        'token',
        literal === null
          ? tomlString(`${req.auth.username}:`).replace(/"$/, `\${${tokenEnv(opts)}}"`)
          : tomlString(`${req.auth.username}:${literal}`),
      ]);
    } else pairs.push(['token', tomlToken(opts)]);
  }
  pairs.push(['organization', tomlString(req.params.org)]);
  pairs.push(['bucket', tomlString(v2Bucket(req))]);
  pairs.push(['content_encoding', tomlString(req.params.gzip ? 'gzip' : 'identity')]);
  return block('influxdb_v2', comments, pairs);
}

/** `[[outputs.influxdb_v3]]` (Telegraf 1.38+, Core and Enterprise `/api/v3/write_lp`). */
export function toTelegrafV3(req: ExportRequest, opts: ExportOptions = {}): string {
  const comments: string[] = [];
  if (req.flavor !== 'core')
    comments.push('outputs.influxdb_v3 targets InfluxDB 3 Core/Enterprise; use outputs.influxdb_v2 for other servers.');
  const pairs: Array<[string, string]> = [['urls', `[${tomlString(baseUrl(req))}]`]];
  if (req.auth.scheme !== 'none') pairs.push(['token', tomlToken(opts)]);
  pairs.push(['database', tomlString(v3Database(req))]);
  if (req.params.noSync) pairs.push(['sync', 'false']);
  pairs.push(['content_encoding', tomlString(req.params.gzip ? 'gzip' : 'identity')]);
  return block('influxdb_v3', comments, pairs);
}
