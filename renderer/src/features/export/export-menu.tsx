import { useState } from 'react';

import type { ConnectionSummary } from '../../../../shared/domain/connection';
import type { WriteDraft } from '../write/draft';
import { CopyAsDialog } from './copy-as-dialog';
import { ImportCurlDialog } from './import-curl-dialog';

/** The write workspace's "Copy as…" and "Import curl" buttons and their dialogs. */
export function ExportMenu(props: {
  connection: ConnectionSummary;
  draft: WriteDraft;
  onImport: (draft: WriteDraft) => void;
}) {
  const [open, setOpen] = useState<'copy' | 'import' | null>(null);
  return (
    <>
      <button
        type="button"
        className="btn"
        onClick={() => setOpen('copy')}
        data-testid="copy-as"
        title="This write as curl, influx/influxctl, Telegraf or client code"
      >
        Copy as…
      </button>
      <button
        type="button"
        className="btn"
        onClick={() => setOpen('import')}
        data-testid="import-curl"
        title="Fill the form from a curl command"
      >
        Import curl
      </button>
      {open === 'copy' && (
        <CopyAsDialog connection={props.connection} draft={props.draft} onClose={() => setOpen(null)} />
      )}
      {open === 'import' && (
        <ImportCurlDialog
          connection={props.connection}
          draft={props.draft}
          onApply={props.onImport}
          onClose={() => setOpen(null)}
        />
      )}
    </>
  );
}
