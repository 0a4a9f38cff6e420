import { parseBaseUrl } from '../domain/write-request';
import type { LpFieldType } from '../errors/lp-entries';
import { parseLpPoints } from './lp-points';
import {
  bodyRecords,
  exportBody,
  type ExportOptions,
  type ExportRequest,
  jsString,
  literalToken,
  pyString,
  tokenEnv,
  v1Precision,
  v2Bucket,
  v2Precision,
  v3Database,
} from './model';

/**
 * "Copy as" client-library snippets: node-influx (npm `influx`) and influxdb-python for the v1
 * `/write`; `@influxdata/influxdb-client` for `/api/v2/write`; the v3 clients
 * `@influxdata/influxdb3-client` and `influxdb3-python`. Each uses the endpoint, parameter names and
 * credential placement its library supports; where the library cannot do what the workbench does,
 * a comment says so.
 */

function jsToken(opts: ExportOptions): string {
  const literal = literalToken(opts);
  return literal === null ? `process.env.${tokenEnv(opts)}` : jsString(literal);
}

function pyToken(opts: ExportOptions): string {
  const literal = literalToken(opts);
  return literal === null ? `os.environ[${pyString(tokenEnv(opts))}]` : pyString(literal);
}

interface HostParts {
  readonly host: string;
  readonly port: number;
  readonly protocol: 'http' | 'https';
  readonly path: string;
}

function hostParts(req: ExportRequest): HostParts {
  const url = parseBaseUrl(req.baseUrl);
  const protocol = url.protocol === 'https:' ? 'https' : 'http';
  const m = /:(\d+)$/.exec(url.host);
  const port = m ? Number(m[1]) : protocol === 'https' ? 443 : 80;
  return { host: url.hostname, port, protocol, path: url.pathname.replace(/\/+$/, '') };
}

function origin(req: ExportRequest): string {
  const u = parseBaseUrl(req.baseUrl);
  return `${u.origin}${u.pathname.replace(/\/+$/, '')}`;
}

const NODE_FIELD_TYPES: Record<LpFieldType, string> = {
  float: 'Influx.FieldType.FLOAT',
  integer: 'Influx.FieldType.INTEGER',
  unsigned: 'Influx.FieldType.INTEGER',
  string: 'Influx.FieldType.STRING',
  boolean: 'Influx.FieldType.BOOLEAN',
};

/**
 * node-influx (npm `influx`, v1 `/write`) as in the seeds: `username`/`password` (sent as `u`/`p`;
 * the 3.x family ignores the username). node-influx writes point objects, not raw line protocol, so
 * the body's lines are converted; integer fields need a schema entry, or node-influx writes floats.
 */
export function toNodeInflux(req: ExportRequest, opts: ExportOptions = {}): string {
  const h = hostParts(req);
  const db = req.params.api === 'v2' ? req.params.bucket : req.params.db;
  const { points, skipped } = parseLpPoints(exportBody(req));
  const notes: string[] = [];
  if (req.params.api !== 'v1')
    notes.push(
      `// node-influx writes to the v1 /write endpoint, not the ${req.params.api} API chosen in the workbench.`,
    );
  if (req.auth.scheme === 'bearer' || req.auth.scheme === 'token')
    notes.push(`// node-influx sends username/password, not the ${req.auth.scheme} scheme.`);
  if (h.path !== '') notes.push(`// node-influx has no base-path option: serve ${h.path} at the root or use a proxy.`);
  if (skipped.length > 0)
    notes.push(`// Lines ${skipped.join(', ')} could not be converted to points and are left out.`);
  if (req.params.gzip) notes.push('// node-influx does not compress request bodies.');

  const schema = new Map<string, { fields: Map<string, LpFieldType>; tags: Set<string>; needed: boolean }>();
  for (const p of points) {
    const s = schema.get(p.measurement) ?? { fields: new Map(), tags: new Set(), needed: false };
    for (const f of p.fields) {
      if (!s.fields.has(f.key)) s.fields.set(f.key, f.type);
      if (f.type === 'integer' || f.type === 'unsigned') s.needed = true;
    }
    for (const [k] of p.tags) s.tags.add(k);
    schema.set(p.measurement, s);
  }
  const schemaEntries = [...schema.entries()].filter(([, s]) => s.needed);
  const config = [
    `  host: ${jsString(h.host)},`,
    `  port: ${h.port},`,
    `  protocol: ${jsString(h.protocol)},`,
    `  database: ${jsString(db)},`,
  ];
  if (req.auth.scheme !== 'none') {
    config.push(`  username: ${jsString(req.auth.username !== '' ? req.auth.username : 'ignored')},`);
    config.push(`  password: ${jsToken(opts)},`);
  }
  if (schemaEntries.length > 0) {
    config.push('  schema: [');
    for (const [m, s] of schemaEntries) {
      const fields = [...s.fields.entries()].map(([k, t]) => `${jsKey(k)}: ${NODE_FIELD_TYPES[t]}`).join(', ');
      config.push(
        `    { measurement: ${jsString(m)}, fields: { ${fields} }, tags: [${[...s.tags].map(jsString).join(', ')}] },`,
      );
    }
    config.push('  ],');
  }
  const last = config.length - 1;
  config[last] = config[last]!.replace(/,$/, '');
  const pointLines = points.map((p) => {
    const tags =
      p.tags.length > 0 ? `, tags: { ${p.tags.map(([k, v]) => `${jsKey(k)}: ${jsString(v)}`).join(', ')} }` : '';
    const fields = p.fields.map((f) => `${jsKey(f.key)}: ${jsValue(f)}`).join(', ');
    const ts = p.timestamp !== null ? `, timestamp: ${jsString(p.timestamp)}` : '';
    return `  { measurement: ${jsString(p.measurement)}${tags}, fields: { ${fields} }${ts} },`;
  });
  const writeOpts: string[] = [];
  const precision = v1Precision(req.params.precision);
  if (precision !== null) writeOpts.push(`precision: ${jsString(precision)}`);
  if (req.params.rp !== '') writeOpts.push(`retentionPolicy: ${jsString(req.params.rp)}`);
  return [
    "const Influx = require('influx')",
    '',
    ...notes,
    'const client = new Influx.InfluxDB({',
    ...config,
    '})',
    '',
    'client',
    '  .writePoints([',
    ...pointLines.map((l) => `  ${l}`),
    `  ]${writeOpts.length > 0 ? `, { ${writeOpts.join(', ')} }` : ''})`,
    '  .catch((err) => console.error(err))',
    '',
  ].join('\n');
}

function jsKey(k: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(k) ? k : jsString(k);
}

function jsValue(f: { type: LpFieldType; value: string | number | boolean; raw: string }): string {
  if (f.type === 'string') return jsString(String(f.value));
  if (f.type === 'boolean') return String(f.value);
  // Integers beyond 2^53 stay exact as text.
  if ((f.type === 'integer' || f.type === 'unsigned') && !Number.isSafeInteger(f.value)) return jsString(f.raw);
  return f.type === 'float' ? f.raw.replace(/^(-?)\./, '$10.').replace(/\.$/, '.0') : String(f.value);
}

/**
 * influxdb-python (`from influxdb import InfluxDBClient`, v1 `/write`) as in the seeds, writing the
 * body's lines unchanged with `protocol='line'`.
 */
export function toInfluxdbPython(req: ExportRequest, opts: ExportOptions = {}): string {
  const h = hostParts(req);
  const db = req.params.api === 'v2' ? req.params.bucket : req.params.db;
  const args = [`  host=${pyString(h.host)},`, `  port=${h.port},`];
  if (h.protocol === 'https') args.push('  ssl=True,', '  verify_ssl=True,');
  if (h.path !== '') args.push(`  path=${pyString(h.path)},`);
  args.push(`  database=${pyString(db)},`);
  const headers = [`'Content-Type': 'text/plain; charset=utf-8'`];
  if (req.auth.scheme === 'basic' || req.auth.scheme === 'query') {
    args.push(`  username=${pyString(req.auth.username)},`, `  password=${pyToken(opts)},`);
  } else if (req.auth.scheme === 'bearer' || req.auth.scheme === 'token') {
    headers.push(
      `'Authorization': ${pyString(req.auth.scheme === 'bearer' ? 'Bearer ' : 'Token ')} + ${pyToken(opts)}`,
    );
  }
  if (req.params.gzip) args.push('  gzip=True,');
  args.push(`  headers={${headers.join(', ')}}`);
  const writeArgs = ["protocol='line'"];
  const precision = v1Precision(req.params.precision);
  if (precision !== null) writeArgs.push(`time_precision=${pyString(precision)}`);
  if (req.params.rp !== '') writeArgs.push(`retention_policy=${pyString(req.params.rp)}`);
  const notes =
    req.params.api !== 'v1'
      ? [`# influxdb-python writes to the v1 /write endpoint, not the ${req.params.api} API chosen in the workbench.`]
      : [];
  return [
    ...(literalToken(opts) === null && req.auth.scheme !== 'none' ? ['import os'] : []),
    'from influxdb import InfluxDBClient',
    '',
    ...notes,
    'client = InfluxDBClient(',
    ...args,
    ')',
    '',
    'client.write_points([',
    ...bodyRecords(req).map((l) => `  ${pyString(l)},`),
    `], ${writeArgs.join(', ')})`,
    '',
  ].join('\n');
}

/**
 * `@influxdata/influxdb-client` (v2 `/api/v2/write`, `Authorization: Token`). A v1 target becomes
 * bucket `db/rp` (1.8+) or the database name (3.x); 1.x credentials become `username:password`.
 */
export function toInfluxdbClientJs(req: ExportRequest, opts: ExportOptions = {}): string {
  const notes: string[] = [];
  let token = jsToken(opts);
  if (req.flavor === '1.x') {
    notes.push('// InfluxDB 1.8+ only; the token is "username:password".');
    const literal = literalToken(opts);
    token =
      literal === null
        ? `\`${req.auth.username.replace(/[`\\$]/g, '\\$&')}:\${process.env.${tokenEnv(opts)}}\``
        : jsString(`${req.auth.username}:${literal}`);
  }
  if (req.auth.scheme === 'basic' || req.auth.scheme === 'query' || req.auth.scheme === 'bearer')
    notes.push(`// The client sends "Authorization: Token", not the ${req.auth.scheme} scheme.`);
  const precision = v2Precision(req.params.precision) ?? 'ns';
  if (req.params.precision !== '' && v2Precision(req.params.precision) === null)
    notes.push(`// No "${req.params.precision}" precision in the v2 API: convert the timestamps.`);
  const writeOptions = req.params.gzip ? ', { gzipThreshold: 0 }' : '';
  const clientOpts =
    req.auth.scheme === 'none'
      ? `{ url: ${jsString(origin(req))} }`
      : `{ url: ${jsString(origin(req))}, token: ${token} }`;
  return [
    "import { InfluxDB } from '@influxdata/influxdb-client'",
    '',
    ...notes,
    `const writeApi = new InfluxDB(${clientOpts})`,
    `  .getWriteApi(${jsString(req.params.org)}, ${jsString(v2Bucket(req))}, ${jsString(precision)}${writeOptions})`,
    '',
    'writeApi.writeRecords([',
    ...bodyRecords(req).map((l) => `  ${jsString(l)},`),
    '])',
    'await writeApi.close()',
    '',
  ].join('\n');
}

/** `@influxdata/influxdb3-client` (writes through `/api/v2/write`, or `/api/v3/write_lp` with noSync). */
export function toInfluxdb3ClientJs(req: ExportRequest, opts: ExportOptions = {}): string {
  const config = [`  host: ${jsString(origin(req))},`];
  if (req.auth.scheme !== 'none') config.push(`  token: ${jsToken(opts)},`);
  if (req.auth.scheme === 'bearer') config.push(`  authScheme: 'Bearer',`);
  config.push(`  database: ${jsString(v3Database(req))},`);
  const w: string[] = [];
  const precision = v2Precision(req.params.precision);
  if (precision !== null) w.push(`precision: ${jsString(precision)}`);
  if (req.params.noSync) w.push('noSync: true');
  if (!req.params.acceptPartial) w.push('acceptPartial: false');
  w.push(`gzipThreshold: ${req.params.gzip ? 0 : 'Number.MAX_SAFE_INTEGER'}`);
  return [
    ...v3Notes(req, '//'),
    "import { InfluxDBClient } from '@influxdata/influxdb3-client'",
    '',
    'const client = new InfluxDBClient({',
    ...config,
    '})',
    '',
    'try {',
    '  await client.write([',
    ...bodyRecords(req).map((l) => `    ${jsString(l)},`),
    `  ], ${jsString(v3Database(req))}, undefined, { ${w.join(', ')} })`,
    '} finally {',
    '  await client.close()',
    '}',
    '',
  ].join('\n');
}

/** The v3 clients are made for the 3.x family; say so for the others. */
function v3Notes(req: ExportRequest, comment: string): string[] {
  const notes: string[] = [];
  if (req.flavor === '1.x' || req.flavor === '2.x')
    notes.push(
      `${comment} The v3 client libraries target InfluxDB 3; for ${req.flavor} prefer the ${req.flavor === '1.x' ? 'v1' : 'v2'} clients.`,
    );
  if (req.auth.scheme === 'basic' || req.auth.scheme === 'query')
    notes.push(`${comment} The client sends the token in an Authorization header, not with ${req.auth.scheme} auth.`);
  return notes;
}

const PY_PRECISION: Record<string, string> = { ns: 'NS', us: 'US', ms: 'MS', s: 'S' };

/** `influxdb3-python` (`from influxdb_client_3 import InfluxDBClient3`). */
export function toInfluxdb3Python(req: ExportRequest, opts: ExportOptions = {}): string {
  const args = [`  host=${pyString(origin(req))},`];
  if (req.auth.scheme !== 'none') args.push(`  token=${pyToken(opts)},`);
  if (req.auth.scheme === 'bearer') args.push(`  auth_scheme='Bearer',`);
  args.push(`  database=${pyString(v3Database(req))},`);
  if (req.params.gzip) args.push('  enable_gzip=True,', '  gzip_threshold=0,');
  if (req.params.noSync) args.push('  write_no_sync=True,');
  if (!req.params.acceptPartial) args.push('  write_accept_partial=False,');
  const precision = v2Precision(req.params.precision);
  const writeArgs = precision !== null ? `, write_precision=WritePrecision.${PY_PRECISION[precision]}` : '';
  return [
    ...(literalToken(opts) === null && req.auth.scheme !== 'none' ? ['import os'] : []),
    ...v3Notes(req, '#'),
    `from influxdb_client_3 import InfluxDBClient3${precision !== null ? ', WritePrecision' : ''}`,
    '',
    'client = InfluxDBClient3(',
    ...args,
    ')',
    '',
    'client.write(record=[',
    ...bodyRecords(req).map((l) => `  ${pyString(l)},`),
    `]${writeArgs})`,
    'client.close()',
    '',
  ].join('\n');
}
