import { AUTH_SCHEMES, type AuthScheme } from '../../shared/domain/auth';
import { parseBaseUrl } from '../../shared/domain/write-request';
import { EXPORT_FORMATS } from '../../shared/export/formats';
import { DEFAULT_TOKEN_ENV, type ExportOptions } from '../../shared/export/model';
import { CREDENTIAL_HELP } from './connection-options';
import { type CliCommand, parseCommand, UsageError } from './io';
import {
  flavorOrDefault,
  readBodyBytes,
  WRITE_TARGET_HELP,
  WRITE_TARGET_OPTIONS,
  writeTargetFrom,
} from './write-target';

/**
 * `influx-workbench export`: prints the "Copy as" snippet for a write, as the app renders it, so
 * snippets can be scripted, diffed and tested. Same generators, same refusals.
 */

const HELP = `Usage: influx-workbench export --format ID --url URL [write target options] [auth options]
                              [--include-token] [FILE]
       influx-workbench export --list

Prints the snippet that sends FILE (or standard input) the way 'influx-workbench write' with the same
options sends it, as the app's "Copy as" does. The token is referenced as $INFLUX_TOKEN (or the
--token-env variable) unless --include-token is given; then it is read from that variable.

  --format ID          one of: ${EXPORT_FORMATS.map((f) => f.id).join(', ')}
  --list               print the format ids, one per line, with what each is
  --url URL            base URL of the server
${WRITE_TARGET_HELP}${CREDENTIAL_HELP}  --include-token      put the real token (from --token-env) into the snippet

Exit status: 0 with the snippet on standard output; 1 when the format cannot carry this request
exactly (the reason is printed: nothing is printed on standard output); 2 on bad usage.
`;

/** The `export` command. */
export const exportCommand: CliCommand = async (args, io) => {
  const parsed = parseCommand(
    args,
    {
      format: { type: 'string' },
      list: { type: 'boolean' },
      url: { type: 'string' },
      auth: { type: 'string' },
      username: { type: 'string' },
      'token-env': { type: 'string' },
      'include-token': { type: 'boolean' },
      ...WRITE_TARGET_OPTIONS,
    },
    HELP,
    io,
  );
  if (parsed === null) return 0;
  const { values, positionals } = parsed;
  if (values.list) {
    io.stdout(EXPORT_FORMATS.map((f) => `${f.id.padEnd(20)} ${f.label}\n`).join(''));
    return 0;
  }
  const format = EXPORT_FORMATS.find((f) => f.id === values.format);
  if (values.format === undefined) throw new UsageError('--format is required (see --list)');
  if (!format) throw new UsageError(`unknown --format "${values.format}" (see --list)`);
  if (!values.url) throw new UsageError('--url is required');
  try {
    parseBaseUrl(values.url);
  } catch (err) {
    throw new UsageError(`--url: ${(err as Error).message}`);
  }
  const scheme = (values.auth ?? 'none') as AuthScheme;
  if (!AUTH_SCHEMES.includes(scheme)) throw new UsageError(`--auth must be one of ${AUTH_SCHEMES.join(', ')}`);
  if (positionals.length > 1) throw new UsageError('give at most one FILE');
  const { params, flavor } = writeTargetFrom(values);
  const tokenEnv = values['token-env'] ?? DEFAULT_TOKEN_ENV;
  let options: ExportOptions = { tokenEnv };
  if (values['include-token']) {
    if (scheme === 'none') throw new UsageError('--include-token with --auth none: there is no token to include');
    const token = io.env[tokenEnv] ?? '';
    if (token === '') throw new UsageError(`--include-token needs the token in the environment variable ${tokenEnv}`);
    options = { tokenEnv, includeToken: true, token };
  }
  const { text } = await readBodyBytes(positionals[0], io);
  let snippet: string;
  try {
    snippet = format.generate(
      {
        baseUrl: values.url,
        flavor: flavorOrDefault(flavor, params.api),
        params,
        auth: { scheme, username: values.username ?? '' },
        body: text,
      },
      options,
    );
  } catch (err) {
    // A format that cannot carry the body exactly says why (never a token in these messages).
    io.stderr(`influx-workbench: cannot export as ${format.id}: ${(err as Error).message}\n`);
    return 1;
  }
  io.stdout(snippet.endsWith('\n') ? snippet : `${snippet}\n`);
  return 0;
};
