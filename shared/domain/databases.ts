import { quoteIdent } from '../influxql/parser';
import type { ServerFlavor } from './flavor';

/**
 * Databases that do not exist: telling from a server's answer that one is missing, and how each flavor
 * creates one. The app offers "Create database" where it can do it over HTTP (1.x's `CREATE DATABASE`,
 * its own sandbox's management) and says how everywhere else.
 */

/** How a database is created on a flavor. */
export type DatabaseCreation =
  /** `CREATE DATABASE` POSTed to `/query` (needs admin rights where auth is on). */
  | { readonly via: 'influxql' }
  /** Only outside this app's HTTP reach: what to do, in a sentence. */
  | { readonly via: 'elsewhere'; readonly how: (db: string) => string };

/** Per flavor (the app's own sandbox is the exception: it creates through its management). */
export const DATABASE_CREATION: Record<ServerFlavor, DatabaseCreation> = {
  '1.x': { via: 'influxql' },
  '2.x': {
    via: 'elsewhere',
    how: (db) =>
      `InfluxDB 2.x has buckets: create one (influx bucket create --name ${db}) and map it for InfluxQL ` +
      `(influx v1 dbrp create --db ${db} --rp autogen --bucket-id …).`,
  },
  core: {
    via: 'elsewhere',
    how: (db) =>
      `InfluxDB 3 Core/Enterprise creates “${db}” on the first write to it; or run influxdb3 create database ${db}.`,
  },
  'cloud-dedicated': {
    via: 'elsewhere',
    how: (db) => `Cloud Dedicated databases are created with influxctl database create ${db} (or the Admin UI).`,
  },
  clustered: {
    via: 'elsewhere',
    how: (db) => `Clustered databases are created with influxctl database create ${db}.`,
  },
  serverless: {
    via: 'elsewhere',
    how: (db) => `Create a bucket named ${db} in the Cloud UI or with influx bucket create --name ${db}.`,
  },
};

/** The statement that creates `db` on 1.x (the name quoted as InfluxQL needs). */
export function createDatabaseStatement(db: string): string {
  return `CREATE DATABASE ${quoteIdent(db)}`;
}

// Every server's wording of "no such database": 1.x (`database not found: "x"` on /write, unquoted on
// /query), IOx /query (`Database x not found`), IOx writes (`… non-existing namespace: x`) and Core.
const MISSING_DATABASE = [
  /database not found: "([^"\n]*)"/,
  /database not found: ([^\s"]+)/,
  /\bDatabase (.+?) not found\b/,
  /non-existing namespace: (\S+)/,
];

/**
 * The database an error message or body says does not exist, or null. A JSON body's `error`/`message`
 * is read first, so the name is not JSON-escaped.
 */
export function missingDatabaseIn(text: string): string | null {
  let message = text;
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed === 'object' && parsed !== null) {
      const o = parsed as Record<string, unknown>;
      const m = typeof o.error === 'string' ? o.error : typeof o.message === 'string' ? o.message : null;
      if (m !== null) message = m;
    }
  } catch {
    // not JSON: the text itself
  }
  for (const re of MISSING_DATABASE) {
    const m = re.exec(message);
    if (m?.[1]) return m[1];
  }
  return null;
}
