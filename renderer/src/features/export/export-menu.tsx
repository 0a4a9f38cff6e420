import { useState } from 'react';

import type { ConnectionSummary } from '../../../../shared/domain/connection';
import type { WriteDraft } from '../write/draft';
import { CopyAsDialog } from './copy-as-dialog';
import { ImportCurlDialog } from './import-curl-dialog';

/**
 * The write workspace's "Copy as…" and "Import curl" buttons and their dialogs.
 *
 * A dialog works on the request as it stood when it opened (`readDraft`, which includes the editor's
 * last keystrokes). It is modal, so nothing can change that request while it is open; and a snapshot
 * keeps the workspace's re-renders (diagnostics arriving, the draft saved after typing pauses) from
 * re-rendering the export and wiping the "Saved with the real token to …" message the user is reading.
 */
export function ExportMenu(props: {
  connection: ConnectionSummary;
  readDraft: () => WriteDraft;
  onImport: (draft: WriteDraft) => void;
}) {
  const [open, setOpen] = useState<{ kind: 'copy' | 'import'; draft: WriteDraft } | null>(null);
  return (
    <>
      <button
        type="button"
        className="btn"
        onClick={() => setOpen({ kind: 'copy', draft: props.readDraft() })}
        data-testid="copy-as"
        title="This write as curl, influx/influxctl, Telegraf or client code"
      >
        Copy as…
      </button>
      <button
        type="button"
        className="btn"
        onClick={() => setOpen({ kind: 'import', draft: props.readDraft() })}
        data-testid="import-curl"
        title="Fill the form from a curl command"
      >
        Import curl
      </button>
      {open?.kind === 'copy' && (
        <CopyAsDialog connection={props.connection} draft={open.draft} onClose={() => setOpen(null)} />
      )}
      {open?.kind === 'import' && (
        <ImportCurlDialog
          connection={props.connection}
          draft={open.draft}
          onApply={props.onImport}
          onClose={() => setOpen(null)}
        />
      )}
    </>
  );
}
