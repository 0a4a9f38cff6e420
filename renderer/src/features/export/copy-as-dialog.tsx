import { useEffect, useState } from 'react';

import type { ConnectionSummary } from '../../../../shared/domain/connection';
import { EXPORT_FORMATS } from '../../../../shared/export/formats';
import { invoke, isBrowserMode } from '../../lib/ipc';
import type { WriteDraft } from '../write/draft';
import { Modal } from './modal';

/**
 * "Copy as…": the write as curl, a CLI, Telegraf TOML or client code. Rendered by main
 * (`export:render`), always referencing $INFLUX_TOKEN: the page never sees a token. With the checkbox
 * ticked (it starts unticked every time the dialog opens), Copy asks main (`export:copy`) to build the
 * snippet with the real token and deliver it itself: the desktop app writes the clipboard; browser mode
 * saves a file only the user's account can read, and says where.
 */
export function CopyAsDialog(props: {
  connection: ConnectionSummary;
  draft: WriteDraft;
  initialFormat?: string;
  onClose: () => void;
}) {
  const { connection, draft } = props;
  const [format, setFormat] = useState(props.initialFormat ?? EXPORT_FORMATS[0]!.id);
  const [includeToken, setIncludeToken] = useState(false);
  const [result, setResult] = useState<{ text: string } | { error: string } | null>(null);
  const [copied, setCopied] = useState<string | null>(null);
  const needsAuth = draft.auth.scheme !== 'none';

  useEffect(() => {
    let live = true;
    invoke('export:render', {
      connectionId: connection.id,
      format,
      params: draft.params,
      auth: draft.auth,
      body: draft.body,
    }).then(
      (r) => {
        if (!live) return;
        setResult(r);
        setCopied(null);
      },
      (err: unknown) => live && setResult({ error: (err as Error).message }),
    );
    return () => {
      live = false;
    };
  }, [connection.id, format, draft]);

  const withToken = includeToken && needsAuth;
  const copy = (): void => {
    if (!withToken) {
      void navigator.clipboard.writeText(text).then(
        () => setCopied('Copied.'),
        () => setCopied('The clipboard is not available here: select the text and copy it.'),
      );
      return;
    }
    invoke('export:copy', {
      connectionId: connection.id,
      format,
      params: draft.params,
      auth: draft.auth,
      body: draft.body,
    }).then(
      (d) =>
        setCopied(
          d.to === 'clipboard'
            ? 'Copied with the real token.'
            : `Saved with the real token to ${d.path} (readable by your account only). Browser mode never sends tokens to the page.`,
        ),
      (err: unknown) => setCopied((err as Error).message),
    );
  };
  const text = result && 'text' in result ? result.text : '';
  const label = EXPORT_FORMATS.find((f) => f.id === format)?.label ?? format;
  return (
    <Modal title="Copy as…" onClose={props.onClose} testId="copy-as-dialog">
      <div className="export-layout">
        <ul className="export-formats" role="listbox" aria-label="Format">
          {EXPORT_FORMATS.map((f) => (
            <li key={f.id}>
              <button
                type="button"
                role="option"
                aria-selected={f.id === format}
                className={f.id === format ? 'export-format active' : 'export-format'}
                onClick={() => setFormat(f.id)}
                data-testid={`export-format-${f.id}`}
              >
                {f.label}
              </button>
            </li>
          ))}
        </ul>
        <div className="export-output">
          <div className="export-token-row">
            <label className="check">
              <input
                type="checkbox"
                checked={includeToken}
                disabled={!needsAuth}
                onChange={(e) => setIncludeToken(e.target.checked)}
                data-testid="include-token"
              />
              include the real token
            </label>
            {withToken ? (
              <span className="warn-box inline" data-testid="token-warning">
                {isBrowserMode
                  ? 'Copy saves this text with the real token in place of $INFLUX_TOKEN to a file only your account can read.'
                  : 'Copy puts this text on the clipboard with the real token in place of $INFLUX_TOKEN.'}{' '}
                Anyone who sees it (shell history, a chat, a shared screen) can write with it.
              </span>
            ) : (
              <span className="muted small" data-testid="token-warning">
                {needsAuth
                  ? 'Off: the token is read from the INFLUX_TOKEN environment variable. Ticking this puts the secret in the text.'
                  : 'Auth is "None": no token to include.'}
              </span>
            )}
          </div>
          {result && 'error' in result ? (
            <p className="error-box" role="alert">
              {result.error}
            </p>
          ) : (
            <pre className="export-text" data-testid="export-text" aria-label={label}>
              {text}
            </pre>
          )}
          <div className="export-buttons">
            <button
              type="button"
              className="btn primary"
              disabled={text === ''}
              data-testid="export-copy"
              onClick={copy}
            >
              {withToken ? (isBrowserMode ? 'Save with the real token' : 'Copy with the real token') : 'Copy'}
            </button>
            {copied && (
              <span className="muted small" data-testid="export-copied">
                {copied}
              </span>
            )}
          </div>
        </div>
      </div>
    </Modal>
  );
}
