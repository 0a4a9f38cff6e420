import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';

import { AUTH_SCHEME_LABELS, AUTH_SCHEMES } from '../../../../shared/domain/auth';
import {
  type ConnectionInput,
  connectionInputOf,
  type ConnectionSummary,
  DEFAULT_CONNECTION_INPUT,
} from '../../../../shared/domain/connection';
import {
  type ConnectionTargetField,
  FLAVOR_LABELS,
  FLAVOR_TARGET_FIELDS,
  SERVER_FLAVORS,
  type ServerFlavor,
} from '../../../../shared/domain/flavor';
import type { IpcRequest, VaultStatus } from '../../../../shared/ipc/contract';
import { DEFAULT_QUERY_BUDGET, QUERY_BUDGET_RANGE } from '../../../../shared/query/budget';
import { startConnectionTest } from './connection-test';
import { useDeleteConnection, useSaveConnection } from './queries';

type TokenKeep = 'persist' | 'session';

const MIB = 1024 * 1024;

const TARGET_FIELD_LABELS: Record<ConnectionTargetField, string> = {
  db: 'Default database (db)',
  rp: 'Default retention policy (rp)',
  bucket: 'Default bucket',
  org: 'Default org',
};

const ALL_TARGET_FIELDS: readonly ConnectionTargetField[] = ['db', 'rp', 'bucket', 'org'];

/**
 * The target fields the form shows: those the flavor uses, plus any that still hold a value (a field
 * the flavor ignores but that is set, e.g. after a flavor change, stays visible so it can be cleared).
 */
function targetFields(form: ConnectionInput): ConnectionTargetField[] {
  const applies = FLAVOR_TARGET_FIELDS[form.flavor];
  return [...applies, ...ALL_TARGET_FIELDS.filter((f) => !applies.includes(f) && form[f] !== '')];
}

/**
 * Create or edit a connection. The token field is write-only: a stored token is never sent back,
 * only whether one exists and a masked hint.
 */
export function ConnectionForm(props: {
  existing: ConnectionSummary | null;
  vault: VaultStatus;
  onSaved: (c: ConnectionSummary) => void;
  onDeleted: () => void;
  onCancel: () => void;
}) {
  const { existing, vault } = props;
  const [form, setForm] = useState<ConnectionInput>(() =>
    existing ? connectionInputOf(existing) : DEFAULT_CONNECTION_INPUT,
  );
  const [token, setToken] = useState('');
  const [showToken, setShowToken] = useState(false);
  const [clearToken, setClearToken] = useState(false);
  // Weak or missing OS encryption: default to keeping the token for this session only.
  const [keep, setKeep] = useState<TokenKeep>(vault.level === 'strong' ? 'persist' : 'session');
  const [allowWeak, setAllowWeak] = useState(false);
  const save = useSaveConnection();
  const qc = useQueryClient();
  const del = useDeleteConnection();
  const set = <K extends keyof ConnectionInput>(key: K, value: ConnectionInput[K]): void =>
    setForm((f) => ({ ...f, [key]: value }));

  const submit = (e: React.FormEvent): void => {
    e.preventDefault();
    const tokenAction: IpcRequest<'connections:save'>['token'] =
      token !== ''
        ? { action: 'set', value: token, keep, allowWeak: vault.level === 'weak' && allowWeak }
        : clearToken
          ? { action: 'clear' }
          : { action: 'keep' };
    save.mutate(
      { ...(existing ? { id: existing.id } : {}), connection: form, token: tokenAction },
      {
        onSuccess: (saved) => {
          // The plaintext leaves the renderer's state as soon as main has it.
          setToken('');
          // Saved first, tested after: an offline server can be saved; the workspace shows the result.
          startConnectionTest(qc, saved);
          props.onSaved(saved);
        },
      },
    );
  };

  return (
    <form className="panel connection-form" onSubmit={submit} aria-label="Connection settings">
      <h2>{existing ? `Edit “${existing.name}”` : 'New connection'}</h2>
      <div className="grid2">
        <label>
          Name
          <input
            value={form.name}
            onChange={(e) => set('name', e.target.value)}
            required
            name="name"
            placeholder="Local InfluxDB"
          />
        </label>
        <label>
          Server flavor
          <select value={form.flavor} onChange={(e) => set('flavor', e.target.value as ServerFlavor)} name="flavor">
            {SERVER_FLAVORS.map((f) => (
              <option key={f} value={f}>
                {FLAVOR_LABELS[f]}
              </option>
            ))}
          </select>
        </label>
        <label className="span2">
          Base URL
          <input
            value={form.url}
            onChange={(e) => set('url', e.target.value)}
            required
            name="url"
            className="mono"
            placeholder="https://cluster-id.a.influxdb.io"
          />
        </label>
        {targetFields(form).map((field) => (
          <label key={field}>
            {TARGET_FIELD_LABELS[field]}
            <input
              value={form[field]}
              onChange={(e) => set(field, e.target.value)}
              name={field}
              placeholder={field === 'rp' ? '(server default)' : undefined}
            />
          </label>
        ))}
      </div>

      <fieldset>
        <legend>Authentication</legend>
        <div className="grid2">
          <label>
            Default scheme
            <select
              value={form.authScheme}
              onChange={(e) => set('authScheme', e.target.value as ConnectionInput['authScheme'])}
              name="authScheme"
            >
              {AUTH_SCHEMES.map((s) => (
                <option key={s} value={s}>
                  {AUTH_SCHEME_LABELS[s]}
                </option>
              ))}
            </select>
          </label>
          <label>
            Username (Basic, query string)
            <input
              value={form.username}
              onChange={(e) => set('username', e.target.value)}
              name="username"
              autoComplete="off"
            />
          </label>
          <label className="span2">
            Token{' '}
            {existing?.token.hasToken && (
              <span className="muted">
                (stored: {existing.token.hint}, {existing.token.storage}; leave empty to keep)
              </span>
            )}
            <span className="row">
              <input
                type={showToken ? 'text' : 'password'}
                value={token}
                onChange={(e) => setToken(e.target.value)}
                name="token"
                autoComplete="off"
                spellCheck={false}
                className="mono grow"
                placeholder={existing?.token.hasToken ? '••••••••' : 'paste a token or password'}
              />
              <button type="button" className="btn small" onClick={() => setShowToken((s) => !s)}>
                {showToken ? 'Hide' : 'Show'}
              </button>
            </span>
          </label>
        </div>
        <VaultNotice vault={vault} />
        {vault.level !== 'none' && (
          <div className="radio-row">
            <label>
              <input type="radio" name="keep" checked={keep === 'persist'} onChange={() => setKeep('persist')} />{' '}
              Remember (encrypted)
            </label>
            <label>
              <input type="radio" name="keep" checked={keep === 'session'} onChange={() => setKeep('session')} /> This
              session only
            </label>
            {vault.level === 'weak' && keep === 'persist' && (
              <label className="warn-text">
                <input type="checkbox" checked={allowWeak} onChange={(e) => setAllowWeak(e.target.checked)} /> I
                understand the OS key store is weak; store it anyway
              </label>
            )}
          </div>
        )}
        {existing?.token.hasToken && (
          <label className="check">
            <input type="checkbox" checked={clearToken} onChange={(e) => setClearToken(e.target.checked)} /> Forget the
            stored token
          </label>
        )}
      </fieldset>

      <fieldset>
        <legend>Transport</legend>
        <div className="grid2">
          <label>
            Timeout (ms)
            <input
              type="number"
              min={100}
              max={3600000}
              value={form.timeoutMs}
              onChange={(e) => set('timeoutMs', Number(e.target.value))}
              name="timeoutMs"
            />
          </label>
          <label className="check">
            <input
              type="checkbox"
              checked={form.skipTlsVerify}
              onChange={(e) => set('skipTlsVerify', e.target.checked)}
              name="skipTlsVerify"
            />
            Skip TLS certificate verification
          </label>
          {form.skipTlsVerify && (
            <p className="warn-box span2" role="alert">
              Certificate verification is off: anyone on the network path can read this connection’s token. Use this
              only to test a server with a self-signed certificate; prefer adding its CA below.
            </p>
          )}
          <label className="span2">
            Extra CA certificates (PEM)
            <textarea
              value={form.caPem}
              onChange={(e) => set('caPem', e.target.value)}
              rows={3}
              className="mono"
              name="caPem"
              placeholder="-----BEGIN CERTIFICATE-----"
            />
          </label>
        </div>
      </fieldset>

      <fieldset>
        <legend>Query result limits</legend>
        <div className="grid2">
          <label>
            Rows kept per query
            <input
              type="number"
              min={QUERY_BUDGET_RANGE.maxRows.min}
              max={QUERY_BUDGET_RANGE.maxRows.max}
              step={1000}
              value={form.queryMaxRows}
              onChange={(e) => set('queryMaxRows', Number(e.target.value))}
              name="queryMaxRows"
            />
          </label>
          <label>
            Response read per query (MiB)
            <input
              type="number"
              min={QUERY_BUDGET_RANGE.maxBytes.min / MIB}
              max={QUERY_BUDGET_RANGE.maxBytes.max / MIB}
              value={form.queryMaxBytes / MIB}
              onChange={(e) => set('queryMaxBytes', Math.round(Number(e.target.value) * MIB))}
              name="queryMaxMiB"
            />
          </label>
          <p className="muted small span2">
            A larger result is ended there, keeping its first rows, with a note on how to narrow the query. Defaults:{' '}
            {DEFAULT_QUERY_BUDGET.maxRows.toLocaleString()} rows, {DEFAULT_QUERY_BUDGET.maxBytes / MIB} MiB; at most{' '}
            {QUERY_BUDGET_RANGE.maxRows.max.toLocaleString()} rows and {QUERY_BUDGET_RANGE.maxBytes.max / MIB} MiB,
            since the app keeps results in memory.
          </p>
        </div>
      </fieldset>

      {save.error && (
        <p className="error-box" role="alert">
          {save.error.message}
        </p>
      )}
      {del.error && (
        <p className="error-box" role="alert">
          {del.error.message}
        </p>
      )}
      <div className="actions">
        <button type="submit" className="btn primary" disabled={save.isPending} data-testid="save-connection">
          {save.isPending ? 'Saving…' : 'Save'}
        </button>
        <button type="button" className="btn" onClick={props.onCancel}>
          Cancel
        </button>
        {existing && (
          <button
            type="button"
            className="btn danger push-right"
            onClick={() => {
              if (window.confirm(`Delete “${existing.name}” and its stored token?`))
                del.mutate(existing.id, { onSuccess: props.onDeleted });
            }}
          >
            Delete
          </button>
        )}
      </div>
    </form>
  );
}

function VaultNotice(props: { vault: VaultStatus }) {
  const { vault } = props;
  if (vault.level === 'strong')
    return <p className="muted small">Tokens are encrypted with the OS key store ({vault.backend}).</p>;
  return (
    <p className={vault.level === 'weak' ? 'warn-box' : 'info-box'} data-testid="vault-notice">
      {vault.message}
    </p>
  );
}
