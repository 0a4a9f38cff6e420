import '../../lib/monaco/setup';

import Editor from '@monaco-editor/react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type * as Monaco from 'monaco-editor/editor/editor.api';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';

import { redactedPreview } from '../../../../shared/domain/auth';
import type { ConnectionSummary } from '../../../../shared/domain/connection';
import { FLAVOR_LABELS } from '../../../../shared/domain/flavor';
import { networkErrorLabel } from '../../../../shared/domain/http';
import type { AuthChoice } from '../../../../shared/domain/write-request';
import type { Diagnostic } from '../../../../shared/influxql';
import {
  buildQueryRequest,
  QUERY_EPOCHS,
  type QueryEpoch,
  type QueryInput,
} from '../../../../shared/query/query-request';
import { autoQueryMethod } from '../../../../shared/query/script';
import { ReopenNotice, useReopen } from '../../app/reopen';
import { invoke, newRequestId, onEvent } from '../../lib/ipc';
import { KeyHint } from '../../lib/key-hint';
import { INFLUXQL_LANGUAGE } from '../../lib/monaco/influxql';
import { attachDiagnostics, setSchemaSource } from '../../lib/monaco/influxql-language';
import { useStoredDraft } from '../../lib/stored-draft';
import { AuthPicker, missingTokenReason } from '../auth/auth-picker';
import { ErrorText } from '../logs/log-folder';
import { flavorBlockers, FlavorGate } from './flavor-gate';
import { ResultView } from './result-view';
import { schemaSource } from './schema-data';
import { SchemaSidebar } from './schema-sidebar';

/** The query form: a query without bind parameters, and the credentials to send it with. */
type QueryDraft = Omit<QueryInput, 'params'> & { readonly auth: AuthChoice };

/** A stored query draft merged with the connection's defaults. */
function reviveQueryDraft(c: ConnectionSummary, stored: Record<string, unknown> | null): QueryDraft {
  const fallback: QueryDraft = {
    q: 'SHOW MEASUREMENTS',
    db: c.db,
    rp: c.rp,
    epoch: '',
    chunked: true,
    chunkSize: 10000,
    method: 'auto',
    auth: { scheme: c.authScheme, username: c.username },
  };
  if (stored === null) return fallback;
  const d = stored as Partial<QueryDraft>;
  // Drafts from before the Query tab had an auth picker have none: the connection's default then.
  return { ...fallback, ...d, auth: { ...fallback.auth, ...(typeof d.auth === 'object' ? d.auth : {}) } };
}

/** The InfluxQL explorer of one connection. */
export function QueryWorkspace(props: { connection: ConnectionSummary }) {
  const c = props.connection;
  const revive = useCallback((stored: Record<string, unknown> | null) => reviveQueryDraft(c, stored), [c]);
  const [draft, setDraft, persistence] = useStoredDraft('query', c.id, `iwb:query:${c.id}`, revive);
  // History's Reopen loads a past query into this draft. What it replaced is kept for the notice's Undo
  // (Ctrl+Z in the editor undoes the text too: the replacement is one undoable edit there).
  const [replaced, setReplaced] = useState<{ readonly previous: QueryDraft; readonly q: string } | null>(null);
  useReopen(c.id, 'query', ({ query: q, auth }) => {
    let previous: QueryDraft | null = null;
    setDraft((d) => {
      previous = d;
      return {
        ...d,
        auth: auth ?? d.auth,
        q: q.q,
        db: q.db,
        rp: q.rp,
        epoch: q.epoch,
        chunked: q.chunked,
        chunkSize: q.chunkSize,
        method: q.method,
      };
    });
    const before = previous as QueryDraft | null;
    if (before !== null && before.q !== q.q) setReplaced({ previous: before, q: q.q });
  });
  // Once the text is edited after the reopen, the notice's Undo would discard that edit: it goes.
  if (replaced !== null && draft.q !== replaced.q) setReplaced(null);
  // The editor starts from the first render's text: a reopened query that arrives while Monaco loads is
  // then applied in onMount as an undoable edit.
  const [initialQuery] = useState(draft.q);
  // onMount may be the handler of an earlier render: it reads the latest query from here.
  const latestQuery = useRef(draft.q);
  useEffect(() => {
    latestQuery.current = draft.q;
  }, [draft.q]);
  const [progress, setProgress] = useState<{ rows: number; bytes: number } | null>(null);
  const requestId = useRef<string | null>(null);
  const qc = useQueryClient();
  const [blockers, setBlockers] = useState<Diagnostic[]>([]);
  const editorRef = useRef<Monaco.editor.IStandaloneCodeEditor | null>(null);
  // Completion and diagnostics run outside React: they read the latest db and flavor through refs.
  const live = useRef({ db: draft.db, flavor: c.flavor });
  useEffect(() => {
    live.current = { db: draft.db, flavor: c.flavor };
  }, [draft.db, c.flavor]);
  const detach = useRef<Array<() => void>>([]);
  useEffect(() => () => detach.current.forEach((f) => f()), []);
  // The editor is uncontrolled: a controlled `value` re-applied a stale text when React rendered
  // between two fast keystrokes, and the later keystrokes were lost. Texts the editor produced since
  // the draft last caught up are remembered, so a render that lags behind is not taken for a new
  // text; a query from elsewhere (History's Reopen, main's stored draft) replaces the text as one
  // undoable edit.
  const fromEditor = useRef({ latest: draft.q, pending: new Set<string>() });
  const applyQuery = (editor: Monaco.editor.IStandaloneCodeEditor, text: string): void => {
    fromEditor.current = { latest: text, pending: new Set() };
    const model = editor.getModel();
    if (!model || model.getValue() === text) return;
    editor.pushUndoStop();
    editor.executeEdits('draft', [{ range: model.getFullModelRange(), text, forceMoveMarkers: true }]);
    editor.pushUndoStop();
  };
  useEffect(() => {
    const seen = fromEditor.current;
    if (draft.q === seen.latest) seen.pending.clear();
    else if (!seen.pending.has(draft.q) && editorRef.current) applyQuery(editorRef.current, draft.q);
  }, [draft.q]);
  const insertAtCursor = (text: string): void => {
    const editor = editorRef.current;
    const sel = editor?.getSelection();
    if (!editor || !sel) return;
    editor.executeEdits('schema-sidebar', [{ range: sel, text, forceMoveMarkers: true }]);
    editor.focus();
  };
  useEffect(
    () =>
      onEvent('query:progress', (p) => {
        if (p.requestId === requestId.current) setProgress({ rows: p.rows, bytes: p.bytes });
      }),
    [],
  );
  const run = useMutation({
    mutationFn: (vars: { draft: QueryDraft }) => {
      const id = newRequestId();
      requestId.current = id;
      setProgress(null);
      const { draft: d } = vars;
      return invoke('query:run', {
        requestId: id,
        connectionId: c.id,
        q: d.q,
        db: d.db,
        rp: d.rp,
        epoch: d.epoch,
        chunked: d.chunked,
        chunkSize: d.chunkSize,
        params: {},
        method: d.method,
        auth: d.auth,
      });
    },
    onSettled: () => {
      requestId.current = null;
    },
  });
  const set = <K extends keyof QueryDraft>(k: K, v: QueryDraft[K]): void => setDraft((d) => ({ ...d, [k]: v }));
  const tokenMissing = missingTokenReason(c, draft.auth);
  // The request as it will be sent (the first one, for a script split per statement), token redacted.
  const sentMethod = useMemo(
    () => (draft.method === 'auto' ? autoQueryMethod(draft.q) : draft.method),
    [draft.method, draft.q],
  );
  const preview = redactedPreview(
    (token) =>
      buildQueryRequest(
        c.url,
        {
          q: draft.q,
          db: draft.db,
          rp: draft.rp,
          epoch: draft.epoch,
          chunked: draft.chunked,
          chunkSize: draft.chunkSize,
          params: {},
          method: sentMethod,
        },
        draft.auth,
        token,
      ),
    c.url,
  );
  const canRun = draft.q.trim() !== '' && tokenMissing === null && preview.error === null;
  const submit = (override = false): void => {
    if (run.isPending || !canRun) return;
    // Statements the flavor rejects are held back with the rule's explanation, unless overridden.
    const blocked = override ? [] : flavorBlockers(draft.q, c.flavor);
    setBlockers(blocked);
    if (blocked.length === 0) run.mutate({ draft });
  };
  const submitRef = useRef(submit);
  useEffect(() => {
    submitRef.current = submit;
  });
  const outcome = run.data;
  // The results are read with the epoch and db the query ran with, not the form's current ones.
  const ranWith = run.variables?.draft;

  return (
    <div className="query-explorer">
      <SchemaSidebar connection={c} connectionId={c.id} flavor={c.flavor} db={draft.db} onInsert={insertAtCursor} />
      <div className="workspace">
        <div className="request-bar panel">
          <span className="method" data-testid="query-method">
            {sentMethod}
          </span>
          <code
            className="url-preview"
            data-testid="query-url-preview"
            title="The exact URL that will be sent (credentials redacted; a POST sends the query in its body)"
          >
            {preview.url}
          </code>
          {/* Beside the URL it changes (query-string auth adds u and p): the params row stays one line. */}
          <span className="request-auth">
            <AuthPicker
              auth={draft.auth}
              onChange={(auth) => set('auth', auth)}
              names={{ scheme: 'queryAuthScheme', username: 'queryAuthUsername' }}
            />
          </span>
          {run.isPending ? (
            <button
              type="button"
              className="btn danger"
              onClick={() => requestId.current && void invoke('request:cancel', { requestId: requestId.current })}
              data-testid="cancel-query"
            >
              Cancel
            </button>
          ) : (
            <button
              type="button"
              className="btn primary"
              onClick={() => submit()}
              disabled={!canRun}
              data-testid="run-query"
              title="Run (Ctrl+Enter)"
            >
              Run
            </button>
          )}
        </div>
        {(preview.error ?? tokenMissing) && <p className="warn-box">{preview.error ?? tokenMissing}</p>}
        <div className="params panel" aria-label="Query parameters">
          <label>
            db
            <input value={draft.db} onChange={(e) => set('db', e.target.value)} name="queryDb" />
          </label>
          <label>
            rp
            <input value={draft.rp} onChange={(e) => set('rp', e.target.value)} name="queryRp" placeholder="default" />
          </label>
          <label>
            epoch
            <select value={draft.epoch} onChange={(e) => set('epoch', e.target.value as QueryEpoch)} name="epoch">
              {QUERY_EPOCHS.map((e) => (
                <option key={e} value={e}>
                  {e === '' ? 'RFC3339 (default)' : e}
                </option>
              ))}
            </select>
          </label>
          <label className="check">
            <input
              type="checkbox"
              checked={draft.chunked}
              onChange={(e) => set('chunked', e.target.checked)}
              name="chunked"
            />{' '}
            chunked
          </label>
          {draft.chunked && (
            <label>
              chunk_size
              <input
                type="number"
                min={1}
                value={draft.chunkSize}
                onChange={(e) => set('chunkSize', Number(e.target.value))}
                name="chunkSize"
              />
            </label>
          )}
          <label>
            method
            <select
              value={draft.method}
              onChange={(e) => set('method', e.target.value as QueryDraft['method'])}
              name="method"
            >
              <option value="auto">auto (POST for writes)</option>
              <option value="GET">GET</option>
              <option value="POST">POST</option>
            </select>
          </label>
        </div>
        {replaced !== null && (
          <ReopenNotice
            what="and the query settings"
            onUndo={() => {
              const { previous } = replaced;
              setReplaced(null);
              setDraft(() => previous);
            }}
            onDismiss={() => setReplaced(null)}
          />
        )}
        <div className="editor-frame query-editor" data-testid="iql-editor">
          <Editor
            defaultValue={initialQuery}
            language={INFLUXQL_LANGUAGE}
            theme="influx-dark"
            onChange={(v) => {
              const text = v ?? '';
              fromEditor.current.latest = text;
              fromEditor.current.pending.add(text);
              set('q', text);
            }}
            onMount={(editor, monaco) => {
              editorRef.current = editor;
              // The draft may have changed while Monaco loaded (main's stored copy, a Reopen).
              applyQuery(editor, latestQuery.current);
              const model = editor.getModel();
              if (model) {
                detach.current.push(
                  attachDiagnostics(monaco, editor, () => live.current.flavor),
                  setSchemaSource(
                    model,
                    schemaSource(qc, c.id, () => live.current.db),
                  ),
                );
              }
              // Ctrl/Cmd+Enter runs the query: the latest submit (and so the latest draft) at that moment.
              editor.addAction({
                id: 'influx-workbench.run-query',
                label: 'Run query',
                keybindings: [monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter],
                run: () => submitRef.current(),
              });
            }}
            options={{
              minimap: { enabled: false },
              fontSize: 13,
              scrollBeyondLastLine: false,
              automaticLayout: true,
              wordWrap: 'on',
              fixedOverflowWidgets: true,
              // Enter accepts a suggestion only when that changes the text: at the end of a complete
              // statement (`FROM cpu` with `cpu` offered) it inserts a newline.
              acceptSuggestionOnEnter: 'smart',
              // Completion follows the grammar; words elsewhere in the editor are not InfluxQL.
              wordBasedSuggestions: 'off',
            }}
          />
        </div>
        <KeyHint action="Run" />
        {!persistence.kept && (
          <p className="warn-box small" role="status" data-testid="draft-not-kept">
            {persistence.message}
          </p>
        )}
        <section className="panel results-panel" aria-label="Results">
          {run.isPending && (
            <p className="muted" data-testid="query-progress">
              Running…{' '}
              {progress
                ? `${progress.rows.toLocaleString()} rows, ${(progress.bytes / 1024).toFixed(0)} KiB received`
                : ''}
            </p>
          )}
          {blockers.length > 0 && (
            <FlavorGate
              blockers={blockers}
              flavorLabel={FLAVOR_LABELS[c.flavor]}
              onRunAnyway={() => submit(true)}
              onDismiss={() => setBlockers([])}
            />
          )}
          {run.error && (
            <p className="error-box" role="alert">
              <ErrorText message={run.error.message} />
            </p>
          )}
          {outcome && !run.isPending && (
            <>
              <p className="metric" data-testid="query-status">
                {outcome.exchange.response
                  ? `HTTP ${outcome.exchange.response.status}`
                  : networkErrorLabel(outcome.exchange.error)}{' '}
                · {outcome.exchange.request.method} · {outcome.exchange.timing.totalMs.toFixed(1)} ms ·{' '}
                {outcome.result.rowCount.toLocaleString()} rows
                {outcome.requests !== undefined && outcome.requests > 1
                  ? ` · ${outcome.requests} requests (one per statement)`
                  : ''}
              </p>
              <ResultView
                key={outcome.exchange.timing.startedAt}
                result={outcome.result}
                epoch={ranWith?.epoch ?? draft.epoch}
                connectionId={c.id}
                db={ranWith?.db ?? draft.db}
                flavor={c.flavor}
              />
            </>
          )}
          {!outcome && !run.isPending && !run.error && (
            <p className="muted">Run an InfluxQL query (Ctrl+Enter). Results appear here as a table or a chart.</p>
          )}
        </section>
      </div>
    </div>
  );
}
