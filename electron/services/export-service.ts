import type { Connection } from '../../shared/domain/connection';
import type { AuthChoice, WriteParams } from '../../shared/domain/write-request';
import { EXPORT_FORMATS, type ExportFormat } from '../../shared/export/formats';
import { DEFAULT_TOKEN_ENV } from '../../shared/export/model';
import { AppError } from '../../shared/ipc/result';

/**
 * "Copy as…" rendered in the main process. The renderer never holds a token, so a snippet with the
 * real token can only be produced here, and only when the user ticked "include the real token".
 * Otherwise the snippet references `$INFLUX_TOKEN` and the vault is not even read.
 */

/** What {@link renderExport} needs besides the connection. */
export interface ExportRenderInput {
  readonly format: string;
  readonly params: WriteParams;
  readonly auth: AuthChoice;
  readonly body: string;
  readonly includeToken: boolean;
}

/** Finds a format by id; a BAD_REQUEST for ids the renderer should never send. */
export function exportFormat(id: string): ExportFormat {
  const f = EXPORT_FORMATS.find((x) => x.id === id);
  if (!f) throw new AppError('BAD_REQUEST', `Unknown export format "${id}".`);
  return f;
}

/**
 * Renders one export for a connection. `readToken` is called only when `includeToken` is true, so a
 * default export never touches the vault (and cannot leak what it did not read).
 */
export async function renderExport(
  connection: Connection,
  input: ExportRenderInput,
  readToken: () => Promise<string | null>,
): Promise<{ text: string; includesToken: boolean }> {
  const format = exportFormat(input.format);
  let token: string | undefined;
  const wantsToken = input.includeToken && input.auth.scheme !== 'none';
  if (wantsToken) {
    const stored = await readToken();
    if (stored === null || stored === '') {
      throw new AppError(
        'BAD_REQUEST',
        `"${connection.name}" has no token stored, so there is no real token to include.`,
      );
    }
    token = stored;
  }
  const request = {
    baseUrl: connection.url,
    flavor: connection.flavor,
    params: input.params,
    auth: input.auth,
    body: input.body,
  };
  try {
    const text = format.generate(request, wantsToken ? { includeToken: true, token } : { tokenEnv: DEFAULT_TOKEN_ENV });
    return { text, includesToken: wantsToken };
  } catch (err) {
    // Generators throw plain Errors for requests they cannot express (e.g. a bad env name); their
    // messages never contain the token (model.ts), so they can be shown as they are.
    throw new AppError('BAD_REQUEST', `Cannot render ${format.label}: ${(err as Error).message}`);
  }
}
