import fs from 'node:fs/promises';
import path from 'node:path';

import type { Connection } from '../../shared/domain/connection';
import type { AuthChoice, WriteParams } from '../../shared/domain/write-request';
import { EXPORT_FORMATS, type ExportFormat } from '../../shared/export/formats';
import { DEFAULT_TOKEN_ENV } from '../../shared/export/model';
import type { SecretDelivery } from '../../shared/ipc/contract';
import { AppError } from '../../shared/ipc/result';

/**
 * "Copy as…" rendered in the main process. The renderer never holds a token: `export:render` always
 * references `$INFLUX_TOKEN` (the vault is not even read), and a snippet with the real token is built
 * by `export:copy` and handed to a {@link SecretSink} in main, never returned over IPC.
 */

/** What {@link renderExport} needs besides the connection. */
export interface ExportRenderInput {
  readonly format: string;
  readonly params: WriteParams;
  readonly auth: AuthChoice;
  readonly body: string;
}

/**
 * Where main puts text that holds a secret: the desktop app writes the clipboard; browser mode writes a
 * file only the user can read (see {@link fileSecretSink}). `name` is a file-name-safe label.
 */
export type SecretSink = (text: string, name: string) => Promise<SecretDelivery>;

/** Finds a format by id; a BAD_REQUEST for ids the renderer should never send. */
export function exportFormat(id: string): ExportFormat {
  const f = EXPORT_FORMATS.find((x) => x.id === id);
  if (!f) throw new AppError('BAD_REQUEST', `Unknown export format "${id}".`);
  return f;
}

/** Renders one export for a connection, with `$INFLUX_TOKEN` in place of the token. */
export function renderExport(connection: Connection, input: ExportRenderInput): { text: string } {
  return { text: generate(connection, input, { tokenEnv: DEFAULT_TOKEN_ENV }) };
}

/**
 * Renders the export with the vault's real token and hands it to `sink`. `readToken` is called only
 * here, so a default export never touches the vault (and cannot leak what it did not read).
 */
export async function copyExportWithToken(
  connection: Connection,
  input: ExportRenderInput,
  readToken: () => Promise<string | null>,
  sink: SecretSink,
): Promise<SecretDelivery> {
  const format = exportFormat(input.format);
  if (input.auth.scheme === 'none') {
    throw new AppError('BAD_REQUEST', 'Auth is "None": there is no token to include. Copy the snippet as it is.');
  }
  const token = await readToken();
  if (token === null || token === '') {
    throw new AppError(
      'BAD_REQUEST',
      `"${connection.name}" has no token stored, so there is no real token to include.`,
    );
  }
  const text = generate(connection, input, { includeToken: true, token });
  return sink(text, format.id);
}

function generate(
  connection: Connection,
  input: ExportRenderInput,
  options: { tokenEnv: string } | { includeToken: true; token: string },
): string {
  const format = exportFormat(input.format);
  const request = {
    baseUrl: connection.url,
    flavor: connection.flavor,
    params: input.params,
    auth: input.auth,
    body: input.body,
  };
  try {
    return format.generate(request, options);
  } catch (err) {
    // Generators throw plain Errors for requests they cannot express (e.g. a bad env name); their
    // messages never contain the token (model.ts), so they can be shown as they are.
    throw new AppError('BAD_REQUEST', `Cannot render ${format.label}: ${(err as Error).message}`);
  }
}

/**
 * Browser mode's sink: `dir/copy-with-token-<name>.txt`, created with mode 0600 (replaced each time),
 * in a 0700 folder. Whoever holds the browser session can ask for the file but cannot read it: only
 * the user's own account can.
 */
export function fileSecretSink(dir: string): SecretSink {
  return async (text, name) => {
    await fs.mkdir(dir, { recursive: true, mode: 0o700 });
    const file = path.join(dir, `copy-with-token-${name.replace(/[^a-z0-9-]/g, '')}.txt`);
    // Removed first: an existing file keeps its mode on overwrite, and a symlink must not be followed.
    await fs.rm(file, { force: true });
    try {
      await fs.writeFile(file, text, { mode: 0o600, flag: 'wx' });
    } catch (err) {
      throw new AppError('STORAGE', `Could not write ${file}: ${(err as Error).message}`);
    }
    return { to: 'file', path: file };
  };
}
