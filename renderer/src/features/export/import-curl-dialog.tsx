import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';

import { AUTH_SCHEME_LABELS } from '../../../../shared/domain/auth';
import type { ConnectionSummary } from '../../../../shared/domain/connection';
import { WRITE_API_PATHS } from '../../../../shared/domain/flavor';
import { appInfoQuery, useSaveConnection } from '../connections/queries';
import type { WriteDraft } from '../write/draft';
import { connectionInputOf, type CurlImportPlan, planCurlImport } from './import-draft';
import { Modal } from './modal';

type TokenChoice = 'discard' | 'save';

/**
 * "Import curl": paste a command, see what it means, apply it to the write form. A token in the
 * command is never stored silently: the user picks "save it as this connection's token" (through
 * `connections:save`, like the settings form) or "discard it"; discard is the default.
 */
export function ImportCurlDialog(props: {
  connection: ConnectionSummary;
  draft: WriteDraft;
  onApply: (draft: WriteDraft) => void;
  onClose: () => void;
}) {
  const { connection } = props;
  const [command, setCommand] = useState('');
  const [plan, setPlan] = useState<CurlImportPlan | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tokenChoice, setTokenChoice] = useState<TokenChoice>('discard');
  const info = useQuery(appInfoQuery);
  const save = useSaveConnection();

  const read = (): void => {
    try {
      setPlan(planCurlImport(command, connection, props.draft));
      setError(null);
      setTokenChoice('discard');
    } catch (err) {
      setPlan(null);
      setError((err as Error).message);
    }
  };

  const apply = async (): Promise<void> => {
    if (!plan) return;
    if (plan.token !== null && tokenChoice === 'save') {
      const vault = info.data?.vault;
      try {
        await save.mutateAsync({
          id: connection.id,
          connection: connectionInputOf(connection),
          // Same default as the settings form: encrypted when the OS key store is strong, else this session only.
          token: {
            action: 'set',
            value: plan.token,
            keep: vault?.level === 'strong' ? 'persist' : 'session',
            allowWeak: false,
          },
        });
      } catch (err) {
        setError(`The token was not saved: ${(err as Error).message}`);
        return;
      }
    }
    props.onApply(plan.draft);
    props.onClose();
  };

  const p = plan?.draft.params;
  return (
    <Modal title="Import curl" onClose={props.onClose} testId="import-curl-dialog">
      <label>
        Paste a curl command
        <textarea
          className="mono import-command"
          rows={7}
          value={command}
          onChange={(e) => {
            setCommand(e.target.value);
            setPlan(null);
          }}
          spellCheck={false}
          autoComplete="off"
          data-testid="import-command"
          placeholder={
            `curl -i "http://127.0.0.1:8086/write?db=mydb&precision=s" \\\n  --user ` +
            `"admin:$INFLUX_TOKEN" \\\n  --data-binary 'home,room=kitchen temp=72 1641024000'`
          }
        />
      </label>
      <div className="export-buttons">
        <button type="button" className="btn" onClick={read} disabled={command.trim() === ''} data-testid="import-read">
          Read command
        </button>
      </div>
      {error && (
        <p className="error-box" role="alert" data-testid="import-error">
          {error}
        </p>
      )}
      {plan && p && (
        <div className="import-preview" data-testid="import-preview">
          <table className="kv">
            <tbody>
              <tr>
                <th>Endpoint</th>
                <td className="mono">
                  {p.api} {WRITE_API_PATHS[p.api]}
                </td>
              </tr>
              <tr>
                <th>Target</th>
                <td className="mono">
                  {p.api === 'v2'
                    ? `bucket=${p.bucket}${p.org ? ` org=${p.org}` : ''}`
                    : `db=${p.db}${p.rp ? ` rp=${p.rp}` : ''}`}
                </td>
              </tr>
              <tr>
                <th>Precision</th>
                <td className="mono">{p.precision || '(not sent)'}</td>
              </tr>
              <tr>
                <th>Auth</th>
                <td>
                  {AUTH_SCHEME_LABELS[plan.draft.auth.scheme]}
                  {plan.draft.auth.username ? `, user ${plan.draft.auth.username}` : ''}
                </td>
              </tr>
              <tr>
                <th>Body</th>
                <td>
                  {plan.imported.body === ''
                    ? 'none in the command (the editor keeps its text)'
                    : `${plan.draft.body.split('\n').filter((l) => l.trim() !== '').length} line(s)`}
                </td>
              </tr>
            </tbody>
          </table>
          {plan.notes.length > 0 && (
            <ul className="import-notes" data-testid="import-notes">
              {plan.notes.map((n, i) => (
                <li key={i}>{n}</li>
              ))}
            </ul>
          )}
          {plan.token !== null && (
            <fieldset className="import-token" data-testid="import-token">
              <legend>The command contains a token</legend>
              <div className="radio-row">
                <label>
                  <input
                    type="radio"
                    name="import-token"
                    checked={tokenChoice === 'discard'}
                    onChange={() => setTokenChoice('discard')}
                    data-testid="import-token-discard"
                  />{' '}
                  Discard it (keep this connection’s{' '}
                  {connection.token.hasToken
                    ? `stored token ${connection.token.hint ?? ''}`
                    : 'current setting: no token'}
                  )
                </label>
                <label>
                  <input
                    type="radio"
                    name="import-token"
                    checked={tokenChoice === 'save'}
                    onChange={() => setTokenChoice('save')}
                    data-testid="import-token-save"
                  />{' '}
                  Save it as “{connection.name}”’s token
                  {info.data?.vault.level === 'strong' ? ' (encrypted)' : ' (this session only)'}
                </label>
              </div>
            </fieldset>
          )}
          <div className="export-buttons">
            <button
              type="button"
              className="btn primary"
              onClick={() => void apply()}
              disabled={save.isPending}
              data-testid="import-apply"
            >
              Fill the write form
            </button>
          </div>
        </div>
      )}
    </Modal>
  );
}
