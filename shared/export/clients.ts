import { parseBaseUrl } from '../domain/write-request';
import type { LpFieldType } from '../errors/lp-entries';
import { type LpPoint, parseLpPoints } from './lp-points';
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
  v1Target,
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
 * What it cannot send exactly is refused with the reason (see {@link nodeInfluxRefusal}), never
 * changed: a snippet must store what the workbench's own send stores.
 */
export function toNodeInflux(req: ExportRequest, opts: ExportOptions = {}): string {
  const h = hostParts(req);
  const { db, rp } = v1Target(req);
  const { points, skipped } = parseLpPoints(exportBody(req));
  if (skipped.length > 0)
    throw new Error(
      `node-influx takes points, and line ${skipped.join(', ')} could not be read as one; use ` +
        `curl or influxdb-python, which send the line protocol as it is.`,
    );
  const refusal = nodeInfluxRefusal(points);
  if (refusal !== null) throw new Error(`node-influx cannot send this body exactly: ${refusal}`);
  const notes: string[] = ['// Save as write.cjs (CommonJS: require) and run: node write.cjs'];
  if (req.params.api !== 'v1')
    notes.push(
      `// node-influx writes to the v1 /write endpoint, not the ${req.params.api} API chosen in the workbench.`,
    );
  if (req.auth.scheme === 'bearer' || req.auth.scheme === 'token')
    notes.push(`// node-influx sends username/password, not the ${req.auth.scheme} scheme.`);
  if (h.path !== '') notes.push(`// node-influx has no base-path option: serve ${h.path} at the root or use a proxy.`);
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
        `    { measurement: ${jsString(escapeMeasurement(m))}, fields: { ${fields} }, tags: [${[...s.tags].map(jsString).join(', ')}] },`,
      );
    }
    config.push('  ],');
  }
  const last = config.length - 1;
  config[last] = config[last]!.replace(/,$/, '');
  // node-influx escapes tags and fields itself but writes the measurement as given: pass it escaped.
  const pointLines = points.map((p) => {
    const tags =
      p.tags.length > 0 ? `, tags: { ${p.tags.map(([k, v]) => `${jsKey(k)}: ${jsString(v)}`).join(', ')} }` : '';
    const fields = p.fields.map((f) => `${jsKey(f.key)}: ${jsValue(f)}`).join(', ');
    const ts = p.timestamp !== null ? `, timestamp: ${jsString(p.timestamp)}` : '';
    return `  { measurement: ${jsString(escapeMeasurement(p.measurement))}${tags}, fields: { ${fields} }${ts} },`;
  });
  const writeOpts: string[] = [];
  const precision = v1Precision(req.params.precision);
  if (precision !== null) writeOpts.push(`precision: ${jsString(precision)}`);
  if (rp !== '') writeOpts.push(`retentionPolicy: ${jsString(rp)}`);
  return [
    ...notes,
    "const Influx = require('influx')",
    '',
    'const client = new Influx.InfluxDB({',
    ...config,
    '})',
    '',
    'client',
    '  .writePoints([',
    ...pointLines.map((l) => `  ${l}`),
    `  ]${writeOpts.length > 0 ? `, { ${writeOpts.join(', ')} }` : ''})`,
    '  .catch((err) => {',
    '    console.error(err)',
    '    process.exitCode = 1',
    '  })',
    '',
  ].join('\n');
}

/**
 * Why node-influx cannot carry these points exactly, or null. It writes integer fields through
 * `Math.floor(Number(value))` (9007199254740993i becomes …992; int64 min/max fail the batch), has no
 * unsigned type, prints a float with `String()` (-0 becomes 0), and rewrites `\'` in string values.
 */
function nodeInfluxRefusal(points: readonly LpPoint[]): string | null {
  for (const p of points) {
    for (const f of p.fields) {
      const where = `line ${p.line}, field "${f.key}"`;
      if (f.type === 'integer' && !Number.isSafeInteger(Number(f.raw)))
        return (
          `${where}: ${f.raw}i is beyond ±2^53, and node-influx rounds integers through a ` +
          `JavaScript number (Math.floor). Use curl or influxdb-python.`
        );
      if (f.type === 'unsigned')
        return `${where}: node-influx has no unsigned type (${f.raw}u would be written as an integer). Use curl or influxdb-python.`;
      if (f.type === 'float' && typeof f.value === 'number' && !Object.is(Number(String(f.value)), f.value))
        return (
          `${where}: node-influx writes ${f.raw} as ${String(f.value)} (a JavaScript number loses ` +
          `the sign of -0). Use curl or influxdb-python.`
        );
      if (f.type === 'string' && String(f.value).includes("\\'"))
        return `${where}: node-influx rewrites \\' inside string values. Use curl or influxdb-python.`;
    }
  }
  return null;
}

/** A measurement name as line protocol writes it (node-influx does not escape it). */
function escapeMeasurement(m: string): string {
  return m.replace(/[, ]/g, '\\$&');
}

function jsKey(k: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(k) ? k : jsString(k);
}

function jsValue(f: { type: LpFieldType; value: string | number | boolean; raw: string }): string {
  if (f.type === 'string') return jsString(String(f.value));
  if (f.type === 'boolean') return String(f.value);
  return f.type === 'float' ? f.raw.replace(/^(-?)\./, '$10.').replace(/\.$/, '.0') : String(f.value);
}

/**
 * influxdb-python (`from influxdb import InfluxDBClient`, v1 `/write`) as in the seeds, writing the
 * body's lines unchanged with `protocol='line'`.
 */
export function toInfluxdbPython(req: ExportRequest, opts: ExportOptions = {}): string {
  const h = hostParts(req);
  const { db, rp } = v1Target(req);
  const args = [`  host=${pyString(h.host)},`, `  port=${h.port},`];
  if (h.protocol === 'https') args.push('  ssl=True,', '  verify_ssl=True,');
  if (h.path !== '') args.push(`  path=${pyString(h.path)},`);
  args.push(`  database=${pyString(db)},`);
  const headers = [`'Content-Type': 'text/plain; charset=utf-8'`];
  if (req.auth.scheme === 'basic' || req.auth.scheme === 'query') {
    args.push(`  username=${pyString(req.auth.username)},`, `  password=${pyToken(opts)},`);
  } else {
    // The client's default credentials are root/root, sent as Basic auth, which replaces any
    // Authorization header given here: None turns them off.
    args.push('  username=None,', '  password=None,');
    if (req.auth.scheme === 'bearer' || req.auth.scheme === 'token')
      headers.push(
        `'Authorization': ${pyString(req.auth.scheme === 'bearer' ? 'Bearer ' : 'Token ')} + ${pyToken(opts)}`,
      );
  }
  if (req.params.gzip) args.push('  gzip=True,');
  args.push(`  headers={${headers.join(', ')}}`);
  const writeArgs = ["protocol='line'"];
  const precision = v1Precision(req.params.precision);
  if (precision !== null) writeArgs.push(`time_precision=${pyString(precision)}`);
  if (rp !== '') writeArgs.push(`retention_policy=${pyString(rp)}`);
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
    ESM_NOTE,
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

/** The ES-module snippets (import, top-level await) run only as `.mjs` (or in a `"type": "module"` package). */
const ESM_NOTE = '// Save as write.mjs (an ES module: import and top-level await) and run: node write.mjs';

/** `@influxdata/influxdb3-client` (writes through `/api/v2/write`, or `/api/v3/write_lp` with noSync). */
export function toInfluxdb3ClientJs(req: ExportRequest, opts: ExportOptions = {}): string {
  const config = [`  host: ${jsString(origin(req))},`];
  // The client refuses to start without a token; an empty one sends no Authorization header.
  config.push(`  token: ${req.auth.scheme === 'none' ? "''" : jsToken(opts)},`);
  if (req.auth.scheme === 'bearer') config.push(`  authScheme: 'Bearer',`);
  config.push(`  database: ${jsString(v3Database(req))},`);
  const w: string[] = [];
  const precision = v2Precision(req.params.precision);
  if (precision !== null) w.push(`precision: ${jsString(precision)}`);
  if (req.params.noSync) w.push('noSync: true');
  if (!req.params.acceptPartial) w.push('acceptPartial: false');
  w.push(`gzipThreshold: ${req.params.gzip ? 0 : 'Number.MAX_SAFE_INTEGER'}`);
  return [
    ESM_NOTE,
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
