import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';

import { LOG_HINT } from '../../../../shared/ipc/result';
import { invoke } from '../../lib/ipc';

/**
 * "Open log folder": the desktop app opens it in the file manager; browser mode cannot open a local
 * folder from the page, so the path is shown with a Copy button (a path is no secret: the log is redacted).
 */
export function LogFolderButton(props: { className?: string }) {
  const open = useMutation({ mutationFn: () => invoke('logs:open', {}) });
  const [copied, setCopied] = useState<string | null>(null);
  const folder = open.data;
  return (
    <span className="log-folder" data-testid="log-folder">
      <button
        type="button"
        className={props.className ?? 'btn small'}
        onClick={() => open.mutate()}
        data-testid="open-log-folder"
      >
        Open log folder
      </button>
      {open.error && <span className="error-box small">{open.error.message}</span>}
      {folder && !folder.opened && (
        <span className="log-folder-path" role="status">
          {folder.error ? `${folder.error} ` : 'The log is in '}
          <code data-testid="log-folder-path">{folder.path}</code>{' '}
          <button
            type="button"
            className="btn small"
            data-testid="copy-log-folder"
            onClick={() =>
              void navigator.clipboard.writeText(folder.path).then(
                () => setCopied('Copied.'),
                () => setCopied('The clipboard is not available here: select the path and copy it.'),
              )
            }
          >
            Copy
          </button>
          {copied && <span className="muted small"> {copied}</span>}
        </span>
      )}
    </span>
  );
}

/** An error message; when it points to the log, the log folder is offered beside it. */
export function ErrorText(props: { message: string }) {
  return (
    <>
      {props.message}
      {props.message.includes(LOG_HINT) && (
        <>
          {' '}
          <LogFolderButton />
        </>
      )}
    </>
  );
}
