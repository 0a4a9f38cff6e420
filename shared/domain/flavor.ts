/**
 * InfluxDB server flavors the workbench knows how to talk to.
 *
 * The ids match the CLI's `--flavor` values; `core` covers InfluxDB 3 Core and Enterprise, which share
 * one HTTP server implementation.
 */
export const SERVER_FLAVORS = ['cloud-dedicated', 'clustered', 'serverless', 'core', '1.x', '2.x'] as const;

/** One of {@link SERVER_FLAVORS}. */
export type ServerFlavor = (typeof SERVER_FLAVORS)[number];

/** Human labels for the flavor picker. */
export const FLAVOR_LABELS: Record<ServerFlavor, string> = {
  'cloud-dedicated': 'InfluxDB 3 Cloud Dedicated',
  clustered: 'InfluxDB 3 Clustered',
  serverless: 'InfluxDB Cloud Serverless',
  core: 'InfluxDB 3 Core / Enterprise',
  '1.x': 'InfluxDB OSS 1.x',
  '2.x': 'InfluxDB OSS 2.x',
};

/** The write APIs: v1 `/write`, v2 `/api/v2/write`, v3 `/api/v3/write_lp`. */
export const WRITE_APIS = ['v1', 'v2', 'v3'] as const;

/** One of {@link WRITE_APIS}. */
export type WriteApi = (typeof WRITE_APIS)[number];

/** Path of each write API. */
export const WRITE_API_PATHS: Record<WriteApi, string> = {
  v1: '/write',
  v2: '/api/v2/write',
  v3: '/api/v3/write_lp',
};

// Which write APIs each flavor serves, kept literal so that each flavor's served APIs are a type
// (shared/lp/flavors.ts describes the precision of exactly these endpoints, checked at compile time).
const SERVED_WRITE_APIS = {
  'cloud-dedicated': ['v1', 'v2'],
  clustered: ['v1', 'v2'],
  serverless: ['v2', 'v1'],
  core: ['v3', 'v1', 'v2'],
  '1.x': ['v1', 'v2'],
  '2.x': ['v2', 'v1'],
} as const satisfies Record<ServerFlavor, readonly WriteApi[]>;

/** The write APIs `F` serves (a type: `'v1' | 'v2'` for Cloud Dedicated). */
export type ServedWriteApi<F extends ServerFlavor> = (typeof SERVED_WRITE_APIS)[F][number];

/** A connection's default write and query targets. */
export type ConnectionTargetField = 'db' | 'rp' | 'bucket' | 'org';

/**
 * The default targets a connection of each flavor uses, in the order the form shows them: 1.x writes
 * and queries by database and retention policy; 2.x and Serverless write to a bucket of an org and
 * query InfluxQL through a database (a DBRP mapping); the 3.x family (and Core) name a database only
 * (their v2 bucket is the database, and the write form fills it from db).
 */
export const FLAVOR_TARGET_FIELDS: Record<ServerFlavor, readonly ConnectionTargetField[]> = {
  'cloud-dedicated': ['db'],
  clustered: ['db'],
  serverless: ['bucket', 'org', 'db'],
  core: ['db'],
  '1.x': ['db', 'rp'],
  '2.x': ['bucket', 'org', 'db'],
};

/**
 * Which write APIs a flavor serves, the form's first choice first (influx-api.md §3.1). v2 on 1.x
 * exists from 1.8 on only; it is offered because the version is often unknown, and the server's 404
 * says the rest.
 */
export const FLAVOR_WRITE_APIS: Readonly<Record<ServerFlavor, readonly WriteApi[]>> = SERVED_WRITE_APIS;
