import type { ConnectionSummary } from '../../../../shared/domain/connection';
import { FLAVOR_WRITE_APIS } from '../../../../shared/domain/flavor';
import { precisionOptions } from '../../../../shared/domain/precision';
import { parseBaseUrl } from '../../../../shared/domain/write-request';
import { importCurl, type ImportedCurl } from '../../../../shared/export/curl-import';
import type { WriteDraft } from '../write/draft';

/**
 * Turns a pasted curl command into a write draft for the current connection. Pure, unit-tested in
 * test/renderer/. The credential is deliberately NOT part of the draft: a literal token is handed
 * back separately so the dialog can ask whether to store it or throw it away.
 */

/** What the import dialog shows and applies. */
export interface CurlImportPlan {
  readonly draft: WriteDraft;
  /** The literal token found in the command (never an `$ENV` reference); null when there is none. */
  readonly token: string | null;
  /** The curl importer's notes plus what differs from this connection. */
  readonly notes: string[];
  readonly imported: ImportedCurl;
}

/** Builds the plan; throws CurlImportError (from importCurl) or Error when it is not a write. */
export function planCurlImport(command: string, connection: ConnectionSummary, current: WriteDraft): CurlImportPlan {
  const imported = importCurl(command);
  const write = imported.write;
  if (write === null)
    throw new Error(`${imported.url} is not a write endpoint (/write, /api/v2/write or /api/v3/write_lp).`);
  const notes = [...imported.notes];
  if (!sameBase(write.baseUrl, connection.url)) {
    notes.push(
      `The command targets ${write.baseUrl}; the write goes to this connection (${connection.url}). Edit the connection to change its URL.`,
    );
  }
  if (!FLAVOR_WRITE_APIS[connection.flavor].includes(write.params.api)) {
    notes.push(
      `This connection's flavor does not list the ${write.params.api} API; the form keeps it, the server may answer 404.`,
    );
  }
  const p = write.params;
  if (p.precision !== '' && !precisionOptions(connection.flavor, p.api).some((o) => o.value === p.precision)) {
    notes.push(`precision=${p.precision} is not accepted on this endpoint for this flavor.`);
  }
  if (imported.bodyFile !== undefined) notes.push('The editor keeps its current text because the body is in a file.');
  if (imported.tokenEnv !== undefined)
    notes.push(`The token comes from $${imported.tokenEnv}; the connection's stored token is used instead.`);
  const token =
    imported.token !== undefined && imported.tokenEnv === undefined && imported.token !== '' ? imported.token : null;
  return {
    draft: {
      params: write.params,
      auth: write.auth,
      // A body in a file (or none at all) leaves the editor alone rather than wiping it.
      body: imported.body !== '' ? imported.body : current.body,
    },
    token,
    notes,
    imported,
  };
}

function sameBase(a: string, b: string): boolean {
  try {
    return parseBaseUrl(a).toString() === parseBaseUrl(b).toString();
  } catch {
    return a === b;
  }
}

export { connectionInputOf } from '../../../../shared/domain/connection';
