import { validateQuery } from '../../shared/influxql/validate';
import { type CliCommand, parseCommand, UsageError } from './io';
import { flavorHelp, flavorOption, paramsOption, STRICTEST_FLAVOR } from './options';

/**
 * `influx-workbench validate-query`: checks InfluxQL offline, as influxd 1.x's parser would (same
 * message, same `line:char`), plus what the chosen flavor rejects. Exit 0 valid, 1 invalid, 2 bad usage.
 */

/** Help text of `validate-query`. */
export const VALIDATE_QUERY_HELP = `Usage: influx-workbench validate-query [--flavor F] [--params JSON] [--json] [--] QUERY

Checks an InfluxQL query (one or more statements separated by ';') without a server: syntax exactly as
InfluxDB 1.x parses it, then what the flavor does not support. Reads QUERY from standard input when it
is absent. Put QUERY after -- when it starts with '-' (e.g. a -- comment).

${flavorHelp(`the strictest rules, ${STRICTEST_FLAVOR}`)}
  --params JSON   bound parameters for $name placeholders, as the /query params field
  --json          print {"ok":…,"diagnostics":[{"line","char","severity","code","message"}]}

Each diagnostic prints as: line:char severity code message   (1-based, as influxd reports positions)
Exit status: 0 when valid, 1 when not, 2 on bad usage.
`;

/** The `validate-query` command. */
export const validateQueryCommand: CliCommand = async (args, io) => {
  const parsed = parseCommand(
    args,
    {
      flavor: { type: 'string' },
      params: { type: 'string' },
      json: { type: 'boolean' },
    },
    VALIDATE_QUERY_HELP,
    io,
  );
  if (parsed === null) return 0;
  const { values, positionals } = parsed;
  const flavor = flavorOption(values.flavor) ?? STRICTEST_FLAVOR;
  const params = paramsOption(values.params);
  // As in `query`: one argument (a shell splits an unquoted query into words, losing quotes and spaces).
  if (positionals.length > 1) throw new UsageError('give the query as one argument (quote it), or on standard input');
  let query = positionals.length > 0 ? positionals[0]! : await io.readStdin();
  if (query === null) throw new UsageError(`give a QUERY or pipe one on standard input\n\n${VALIDATE_QUERY_HELP}`);
  if (positionals.length === 0) query = query.replace(/\r?\n$/, ''); // the newline `echo` adds is not part of the query

  const checked = validateQuery(query, { flavor, ...(params ? { params } : {}) });
  // No statement at all is not a valid query: influxd refuses an empty q.
  const empty = checked.ok && (checked.query?.statements.length ?? 0) === 0;
  const result = empty
    ? {
        ok: false,
        query: checked.query,
        diagnostics: [
          {
            line: 1,
            char: 1,
            severity: 'error' as const,
            code: 'empty-query',
            message: 'the query has no statements (influxd answers: missing required parameter "q")',
          },
        ],
      }
    : checked;
  if (values.json) {
    const diagnostics = result.diagnostics.map((d) => ({
      line: d.line,
      char: d.char,
      severity: d.severity,
      code: d.code,
      message: d.message,
    }));
    io.stdout(`${JSON.stringify({ ok: result.ok, diagnostics })}\n`);
  } else if (result.diagnostics.length === 0) {
    const n = result.query?.statements.length ?? 0;
    io.stdout(`ok: ${n} statement${n === 1 ? '' : 's'}\n`);
  } else {
    for (const d of result.diagnostics) io.stdout(`${d.line}:${d.char} ${d.severity} ${d.code} ${d.message}\n`);
  }
  return result.ok ? 0 : 1;
};
