import type { ServerFlavor } from '../domain/flavor';
import { CATALOGUE, type CatalogueEntry } from './catalogue';
import { explain, type Explanation } from './explain';

/**
 * InfluxQL runtime errors: the messages influxd returns for a query that parses but cannot run
 * (`results[i].error` with HTTP 200, or a top-level `error`). Their wording is influxd 1.x's; 2.x's
 * InfluxQL endpoint shares the engine. Matched like write errors, so the app has one explainer.
 */

const GO: readonly ServerFlavor[] = ['1.x', '2.x'];
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
      'The function cannot read the field’s type: `mean()`, `sum()`, `median()`, `stddev()`, `spread()` and the transformations need numbers, but the field holds strings or booleans.',
    fix: 'Pick a numeric field (the schema sidebar shows each field’s type), or use a function that reads any type: `count()`, `distinct()`, `first()`, `last()`, `mode()`.',
    flavors: GO,
    docs: DOCS_FUNCTIONS,
    message: /unsupported (\w+) iterator type: \*query\.(\w+)Iterator/,
    details: (m) => [`Function: ${m?.[1] ?? '?'}() on a ${iteratorType(m?.[2] ?? '')} field.`],
  },
  {
    id: 'iql-mixing-aggregate',
    title: 'Aggregate and raw fields mixed',
    cause:
      'The SELECT list has an aggregate such as `mean(x)` next to a raw field `y`: one row per group cannot hold every raw value.',
    fix: 'Wrap every field in an aggregate (`mean(x), last(y)`), or select raw fields only. A selector (`max()`, `first()`) may stand beside raw fields.',
    flavors: GO,
    docs: DOCS_FUNCTIONS,
    message: /mixing aggregate and non-aggregate queries is not supported/,
  },
  {
    id: 'iql-group-by-time-aggregate',
    title: 'GROUP BY time() needs an aggregate',
    cause:
      '`GROUP BY time(…)` makes one row per interval, so each selected field needs a function that turns many points into one.',
    fix: 'Select `mean(field)`, `count(field)`, `max(field)`… instead of the bare field, or drop `GROUP BY time()`.',
    flavors: GO,
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
      'The query touches more points, series or GROUP BY buckets than the server allows (`max-select-point`, `max-select-series`, `max-select-buckets` in influxdb.conf).',
    fix: 'Narrow the time range (`WHERE time > now() - 1h`), filter on tags, use a coarser `GROUP BY time()`, or ask the administrator to raise the limit.',
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
    flavors: GO,
    message: /invalid operation: time and \*influxql\.(\w+) are not compatible/,
    details: (m) => [`Compared with: ${m?.[1] ?? '?'}.`],
  },
  {
    id: 'iql-parse-error',
    title: 'The query does not parse',
    cause:
      'influxd’s parser stopped at the position it names: a keyword out of place, an unquoted name with special characters, or a missing part.',
    fix: 'The editor marks the same position; quote names with spaces or keywords in double quotes and strings in single quotes.',
    flavors: GO,
    message: /error parsing query: (.*)/,
    details: (m) => (m?.[1] ? [`Parser: ${m[1]}`] : []),
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
