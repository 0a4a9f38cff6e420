import type { ServerFlavor } from '../domain/flavor';
import { CATALOGUE, type CatalogueEntry } from './catalogue';
import { explain, type Explanation } from './explain';

/**
 * InfluxQL runtime errors: the messages influxd returns for a query that parses but cannot run
 * (`results[i].error` with HTTP 200, or a top-level `error`). Their wording is influxd 1.x's; 2.x's
 * InfluxQL endpoint shares the engine. Matched like write errors, so the app has one explainer.
 */

const GO: readonly ServerFlavor[] = ['1.x', '2.x'];
/** InfluxDB 3's InfluxQL (IOx and Core; the app's sandbox answers in the same words, spec §10). */
const V3: readonly ServerFlavor[] = ['cloud-dedicated', 'clustered', 'serverless', 'core'];
const GO_V3: readonly ServerFlavor[] = [...GO, ...V3];
const DOCS_FUNCTIONS = 'https://docs.influxdata.com/influxdb/v1/query_language/functions/';

/** `*query.stringInterruptIterator` → `string`. */
function iteratorType(name: string): string {
  return /^(float|integer|unsigned|string|boolean)/i.exec(name)?.[1]?.toLowerCase() ?? name;
}

/** Entries for InfluxQL errors that come back from a running query. */
export const QUERY_CATALOGUE: readonly CatalogueEntry[] = [
  {
    id: 'iql-function-field-type',
    title: 'Function not supported for this field type',
    cause:
      'The function cannot read the field’s type: `mean()`, `sum()`, `median()`, `stddev()`, ' +
      '`spread()` and the transformations need numbers, but the field holds strings ' +
      'or booleans.',
    fix:
      'Pick a numeric field (the schema sidebar shows each field’s type), or use a function ' +
      'that reads any type: `count()`, `distinct()`, `first()`, `last()`, `mode()`.',
    flavors: GO_V3,
    docs: DOCS_FUNCTIONS,
    message: /unsupported (\w+) iterator type: \*query\.(\w+)Iterator|unsupported (\w+)\(\) argument type: (\w+)/,
    details: (m) => [`Function: ${m?.[1] ?? m?.[3] ?? '?'}() on a ${m?.[4] ?? iteratorType(m?.[2] ?? '')} field.`],
  },
  {
    id: 'iql-mixing-aggregate',
    title: 'Aggregate and raw fields mixed',
    cause:
      'The SELECT list has an aggregate such as `mean(x)` next to a raw field `y`: one row per group cannot hold every raw value.',
    fix:
      'Wrap every field in an aggregate (`mean(x), last(y)`), or select raw fields only. A ' +
      'selector (`max()`, `first()`) may stand beside raw fields.',
    flavors: GO_V3,
    docs: DOCS_FUNCTIONS,
    message: /mixing aggregate and non-aggregate (?:queries|columns) is not supported/,
  },
  {
    id: 'iql-group-by-time-aggregate',
    title: 'GROUP BY time() needs an aggregate',
    cause:
      '`GROUP BY time(…)` makes one row per interval, so each selected field needs a function that turns many points into one.',
    fix: 'Select `mean(field)`, `count(field)`, `max(field)`… instead of the bare field, or drop `GROUP BY time()`.',
    flavors: GO_V3,
    message: /GROUP BY requires at least one aggregate function|aggregate function required inside the call to (\w+)/,
  },
  {
    id: 'iql-no-field',
    title: 'Only tags or time selected',
    cause: 'A query must read at least one field: tags and time alone select nothing.',
    fix: 'Add a field to the SELECT list (`SELECT *` or a field name); the schema sidebar lists the fields.',
    flavors: GO,
    message: /at least 1 non-time field must be queried/,
  },
  {
    id: 'iql-max-select-limit',
    title: 'Server query limit reached',
    cause:
      'The query touches more points, series or GROUP BY buckets than the server allows ' +
      '(`max-select-point`, `max-select-series`, `max-select-buckets` in influxdb.conf).',
    fix:
      'Narrow the time range (`WHERE time > now() - 1h`), filter on tags, use a coarser `GROUP ' +
      'BY time()`, or ask the administrator to raise the limit.',
    flavors: GO,
    message: /max-select-(point|series|buckets) limit exceee?ded/,
    details: (m) => [`Limit: max-select-${m?.[1] ?? '?'}.`],
  },
  {
    id: 'iql-time-comparison',
    title: 'Time compared with the wrong kind of value',
    cause:
      '`time` can be compared only with a timestamp: an RFC3339 string, an integer of nanoseconds, or `now()` with a duration.',
    fix: "Write `time > '2024-01-01T00:00:00Z'`, `time > now() - 1h`, or `time > 1704067200000000000`.",
    flavors: GO_V3,
    message: /invalid operation: time and \*influxql\.(\w+) are not compatible|invalid time(?: comparison|: (.*))/,
    details: (m) => (m?.[1] ? [`Compared with: ${m[1]}.`] : m?.[2] ? [`Not a time: ${m[2]}`] : []),
  },
  {
    id: 'iql-parse-error',
    title: 'The query does not parse',
    cause:
      'The server’s parser stopped at the position it names: a keyword out of place, an ' +
      'unquoted name with special characters, or a missing part.',
    fix: 'The editor marks the same position; quote names with spaces or keywords in double quotes and strings in single quotes.',
    flavors: GO_V3,
    // influxd: `error parsing query: …`; InfluxDB 3: `error in InfluxQL statement: parsing error: …`.
    message: /error parsing query: (.*)|parsing error: (.*)/,
    details: (m) => (m?.[1] || m?.[2] ? [`Parser: ${m[1] ?? m[2]}`] : []),
  },
  {
    id: 'iql-not-authorized',
    title: 'Not allowed to run this statement',
    cause: 'The user is authenticated but lacks the privilege the statement needs on the database.',
    fix: 'Ask an admin for `GRANT READ ON "db" TO "user"` (or WRITE), or use a user that has it.',
    flavors: GO,
    message: /not authorized to execute statement '[^']*', requires (READ|WRITE) on (\S+)/,
    details: (m) => [`Needs: ${m?.[1] ?? '?'} on ${m?.[2] ?? '?'}.`],
  },
  {
    id: 'iql-refused-statement',
    title: 'Statement not available in InfluxDB 3',
    cause:
      'InfluxDB 3’s InfluxQL reads data only: it accepts SELECT (without INTO), SHOW ' +
      'DATABASES, MEASUREMENTS, TAG KEYS, TAG VALUES, FIELD KEYS and RETENTION POLICIES, and ' +
      'EXPLAIN. Users, grants, retention policies, continuous queries, SELECT INTO, KILL and ' +
      'SET are refused when the query is parsed.',
    fix:
      'Manage databases and tokens with the management API or `influxctl` (the sandbox: its ' +
      'panel), copy data with a query plus a write, and run the rest of the query on its own.',
    flavors: V3,
    priority: 5,
    message:
      /Parsing Error: Nom\(|Invalid CREATE statement, expected DATABASE|invalid DROP statement, expected MEASUREMENT|invalid SHOW statement, expected DATABASES/,
  },
  {
    id: 'iql-not-implemented',
    title: 'Not implemented by InfluxDB 3’s InfluxQL',
    cause:
      'The statement parses, but InfluxDB 3 does not run it over InfluxQL: CREATE DATABASE, ' +
      'DROP MEASUREMENT and DELETE (data is managed outside queries), SHOW DATABASES on Cloud ' +
      'Dedicated, SAMPLE(), SLIMIT/SOFFSET and a few other functions.',
    fix:
      'Create or delete databases with the management API or `influxctl` (the sandbox: its ' +
      'panel); replace SAMPLE() with LIMIT, SLIMIT with a WHERE on tags; SQL covers much ' +
      'of the rest.',
    flavors: V3,
    message: /This feature is not implemented: ([^\n]*)/,
    details: (m) => [`Not implemented: ${m?.[1] ?? '?'}.`],
  },
  {
    id: 'iql-order-by-time-only',
    title: 'ORDER BY on something other than time',
    cause: 'InfluxQL sorts only by time: `ORDER BY time ASC` (the default) or `ORDER BY time DESC`.',
    fix: 'Order by time, or sort the result in the table (click a column) or with SQL `ORDER BY`.',
    flavors: GO_V3,
    priority: 5,
    message: /only ORDER BY time supported at this time|invalid ORDER BY, expected ASC, DESC or TIME/,
  },
  {
    id: 'iql-unknown-function',
    title: 'Unknown function',
    cause: 'The query calls a function InfluxQL does not have (or one only the server’s internals use).',
    fix: 'Check the spelling against the function list; names are case-insensitive, arguments go in parentheses.',
    flavors: GO_V3,
    docs: DOCS_FUNCTIONS,
    message: /undefined function (\w+)\(\)|invalid function: (\w+)|Invalid function '(\w+)'/,
    details: (m) => [`Function: ${m?.[1] ?? m?.[2] ?? m?.[3] ?? '?'}().`],
  },
  {
    id: 'iql-argument-count',
    title: 'Wrong number of arguments',
    cause: 'The function takes a different number of arguments than the query passes it.',
    fix: 'See the function’s signature in the docs: `mean(field)`, `percentile(field, N)`, `top(field, N)`, `derivative(mean(field), 1s)`.',
    flavors: GO_V3,
    docs: DOCS_FUNCTIONS,
    message: /invalid number of arguments for (\w+), expected ([^,\n]+), got (\d+)/,
    details: (m) => [`${m?.[1] ?? '?'}(): expected ${m?.[2] ?? '?'}, got ${m?.[3] ?? '?'}.`],
  },
  {
    id: 'iql-single-database',
    title: 'One database per statement',
    cause:
      'The statement reads measurements from more than one database (`FROM db1..m, db2..m`); ' +
      'InfluxDB 3 runs each statement on a single database.',
    fix: 'Split it into one statement per database (separate them with `;`).',
    flavors: V3,
    message: /can only perform queries on a single database/,
  },
  {
    id: 'iql-no-database',
    title: 'No database chosen',
    cause: 'The statement names no database (`FROM db..measurement`) and the request has no `db` parameter.',
    fix: 'Pick a database in the query bar, or write `FROM "db".."measurement"`.',
    flavors: GO_V3,
    message: /must specify a 'db' parameter, or provide the database in the InfluxQL query|database name required/,
  },
];

/**
 * Explanations for a query error message (a statement's `error` or the top-level one), best first.
 * Write-catalogue entries whose wording also appears in query answers (database not found, auth) count
 * too; explanations from a status code alone do not (statement errors come with HTTP 200).
 */
export function explainQueryError(message: string, flavor: ServerFlavor | undefined): Explanation[] {
  return explain({ status: 400, body: JSON.stringify({ error: message }), contentType: 'application/json', flavor }, [
    ...QUERY_CATALOGUE,
    ...CATALOGUE,
  ]).filter((e) => e.matchedBy === 'message');
}
