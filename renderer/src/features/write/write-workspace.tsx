import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useCallback, useMemo, useRef, useState } from 'react';

import { redactedPreview } from '../../../../shared/domain/auth';
import type { ConnectionSummary } from '../../../../shared/domain/connection';
import { missingDatabaseIn } from '../../../../shared/domain/databases';
import { FLAVOR_LABELS, FLAVOR_WRITE_APIS, WRITE_API_PATHS, type WriteApi } from '../../../../shared/domain/flavor';
import { precisionOptions, precisionProblem, translatePrecision } from '../../../../shared/domain/precision';
import {
  buildWriteRequest,
  CONSISTENCY_VALUES,
  effectiveWriteParams,
  missingWriteTarget,
  withWriteApi,
  type WriteParams,
} from '../../../../shared/domain/write-request';
import { storedPoints } from '../../../../shared/errors/decode';
import type { LpOptions, SafeFixPlan } from '../../../../shared/lp';
import { ReopenNotice, useReopen } from '../../app/reopen';
import { invoke, newRequestId } from '../../lib/ipc';
import { AuthPicker, missingTokenReason } from '../auth/auth-picker';
import { MissingDatabase } from '../databases/missing-database';
import { useServerExplain } from '../explain/explanation-panel';
import { ExportMenu } from '../export/export-menu';
import { ResponseInspector } from '../inspector/response-inspector';
import { useDetectedFlavor } from '../probe/detected-flavor';
import { refreshWrittenSchema } from '../query/schema-data';
import type { WriteDraft } from './draft';
import { FileLoadPanel } from './file-load-panel';
import { LpEditor } from './lp-editor';
import type { LpSession, LpState } from './lp-language';
import { LpStatusBar } from './lp-status-bar';
import { useWriteDraft } from './use-write-draft';

/** Write line protocol to one connection and inspect the answer. */
export function WriteWorkspace(props: { connection: ConnectionSummary }) {
  const c = props.connection;
  const [draft, setDraft, persistence] = useWriteDraft(c);
  // The editor's current text, handed over on demand (it reaches the draft only once typing pauses).
  const readBodyRef = useRef<(() => string) | null>(null);
  // History's Reopen loads a past write into this draft. What it replaced is kept for the notice's Undo
  // (the editor's Ctrl+Z undoes the text too: the replacement is one undoable edit there).
  const [replaced, setReplaced] = useState<{ readonly previous: WriteDraft; readonly body: string } | null>(null);
  useReopen(c.id, 'write', (r) => {
    // The editor's last keystrokes first, so the draft that is replaced is the one on screen.
    readBodyRef.current?.();
    let previous: WriteDraft | null = null;
    setDraft((d) => {
      previous = d;
      return { ...d, params: r.params, auth: r.auth, body: r.body };
    });
    const before = previous as WriteDraft | null;
    if (before !== null && before.body !== r.body) setReplaced({ previous: before, body: r.body });
  });
  // Once the text is edited after the reopen, the notice's Undo would discard that edit: it goes.
  if (replaced !== null && draft.body !== replaced.body) setReplaced(null);
  // What the form shows and what Send sends come from this one value.
  const p = effectiveWriteParams(c.flavor, draft.params);
  const requestId = useRef<string | null>(null);
  const qc = useQueryClient();
  // The parameters of the write in flight: its answer refreshes the schema of the database it went to.
  const sentParams = useRef<WriteParams>(p);
  const send = useMutation({
    // The body is the mutation's variable so that `send.variables` is exactly what was sent: the
    // server's line numbers refer to it, not to whatever the editor holds later.
    mutationFn: (body: string) => {
      const id = newRequestId();
      requestId.current = id;
      sentParams.current = p;
      return invoke('write:send', { requestId: id, connectionId: c.id, params: p, auth: draft.auth, body });
    },
    onSuccess: (exchange, body) => {
      // A write that stored points can add measurements, fields, tags (and on 3.x a database): the schema
      // cached before it (the sidebar's tree, the editor's completion) would go on showing the old one.
      if (storedPoints(exchange, c.flavor, body)) void refreshWrittenSchema(qc, c.id, sentParams.current);
    },
    onSettled: () => {
      requestId.current = null;
    },
  });
  const ping = useMutation({
    mutationFn: () => {
      const id = newRequestId();
      requestId.current = id;
      return invoke('server:ping', { requestId: id, connectionId: c.id, auth: draft.auth });
    },
    onSettled: () => {
      requestId.current = null;
    },
  });
  // The inspector shows whichever action ran last.
  const [last, setLast] = useState<'write' | 'ping'>('write');
  const active = last === 'write' ? send : ping;
  const cancel = (): void => {
    if (requestId.current) void invoke('request:cancel', { requestId: requestId.current });
  };
  const setParams = (update: (params: WriteParams) => WriteParams): void =>
    setDraft((d) => ({ ...d, params: update(effectiveWriteParams(c.flavor, d.params)) }));
  const setParam = <K extends keyof WriteParams>(k: K, v: WriteParams[K]): void =>
    setParams((params) => ({ ...params, [k]: v }));
  const missing = missingWriteTarget(p) ?? precisionProblem(c.flavor, p.api, p.precision);
  const tokenMissing = missingTokenReason(c, draft.auth);
  const needsToken = tokenMissing !== null;
  const [lpState, setLpState] = useState<LpState>({
    errors: 0,
    warnings: 0,
    firstError: null,
    safeFixes: 0,
    precision: null,
  });
  const [sendAnyway, setSendAnyway] = useState(false);
  // What the last "apply all safe fixes" did, shown until the next one or until dismissed.
  const [fixes, setFixes] = useState<SafeFixPlan | null>(null);
  const lpSession = useRef<LpSession | null>(null);
  const summarize = useCallback(() => lpSession.current?.summary() ?? null, []);
  const lpOptions = useMemo<LpOptions>(
    () => ({ flavor: c.flavor, api: p.api, ...(p.precision ? { precision: p.precision } : {}) }),
    [c.flavor, p.api, p.precision],
  );
  // Local validation errors block sending, unless the user wants to reproduce a server error on purpose.
  const blockedByLp = lpState.errors > 0 && !sendAnyway;
  const preview = redactedPreview((token) => buildWriteRequest(c.url, p, draft.auth, token), c.url);
  const canSend =
    missing === null && !needsToken && preview.error === null && !blockedByLp && !send.isPending && !ping.isPending;
  // The Send button and Ctrl/Cmd+Enter in the editor: the same checks, the editor's current text.
  // The precision guard's verdict, with the fix in this endpoint's spelling (`s`, or `second` on v3).
  const misfits = lpState.precision;
  const precisionFix = misfits?.suggestion ? translatePrecision(c.flavor, p.api, misfits.suggestion) : null;
  const submit = (): void => {
    if (!canSend) return;
    // Points written at the wrong precision land in 1970 (or 2262) and are hard to find and delete.
    if (
      misfits !== null &&
      !window.confirm(
        `${misfits.count.toLocaleString()} timestamp${misfits.count === 1 ? '' : 's'} do not fit ` +
          `precision ${p.precision || 'ns (server default)'}: ${misfits.first.message}.\n\nSend anyway?`,
      )
    )
      return;
    setLast('write');
    send.mutate(readBodyRef.current?.() ?? draft.body);
    // "send anyway" is for this send: the next one is checked again.
    setSendAnyway(false);
  };
  const setBody = useCallback((body: string) => setDraft((d) => ({ ...d, body })), [setDraft]);
  const sendWrite = send.mutate;
  const resend = useCallback(
    (body: string) => {
      setLast('write');
      sendWrite(body);
    },
    [sendWrite, setLast],
  );
  // A write refused because its database does not exist: offer to create it, then to send again.
  const answer = last === 'write' ? (send.data?.response ?? null) : null;
  const missingDb = answer !== null && answer.status >= 400 ? missingDatabaseIn(answer.body) : null;
  // "Write file…" (or a file dropped on the tab): loaded by main's streaming loader, not the editor.
  const [loadFile, setLoadFile] = useState<File | null>(null);
  const filePicker = useRef<HTMLInputElement | null>(null);
  const detected = useDetectedFlavor(c.id).data ?? null;
  const server = useServerExplain({
    connection: c,
    detected,
    exchange: last === 'write' ? (send.data ?? null) : null,
    sentBody: send.variables ?? '',
    body: draft.body,
    setBody,
    resend,
    busy: send.isPending,
  });

  return (
    <div
      className="workspace"
      onDragOver={(e) => {
        if (e.dataTransfer.types.includes('Files')) e.preventDefault();
      }}
      onDrop={(e) => {
        const f = e.dataTransfer.files[0];
        if (f === undefined) return;
        e.preventDefault();
        setLoadFile(f);
      }}
    >
      <div className="request-bar panel">
        <span className="method">POST</span>
        <code
          className="url-preview"
          data-testid="url-preview"
          title="The exact URL that will be sent (credentials redacted)"
        >
          {preview.url}
        </code>
        <ExportMenu
          connection={c}
          readDraft={() => ({ ...draft, params: p, body: readBodyRef.current?.() ?? draft.body })}
          onImport={(d) => setDraft(() => d)}
        />
        <button
          type="button"
          className="btn"
          onClick={() => filePicker.current?.click()}
          title="Load a whole file of line protocol in batches (or drop a file on this tab)"
          data-testid="write-file"
        >
          Write file…
        </button>
        <input
          ref={filePicker}
          type="file"
          hidden
          data-testid="write-file-input"
          onChange={(e) => {
            const f = e.target.files?.[0];
            if (f !== undefined) setLoadFile(f);
            e.target.value = '';
          }}
        />
        <button
          type="button"
          className="btn"
          onClick={() => {
            setLast('ping');
            ping.mutate();
          }}
          disabled={send.isPending || ping.isPending || needsToken || preview.error !== null}
          data-testid="ping"
          title="GET /ping: status, version and build"
        >
          Ping
        </button>
        {send.isPending || ping.isPending ? (
          <button type="button" className="btn danger" onClick={cancel} data-testid="cancel">
            Cancel
          </button>
        ) : (
          <button
            type="button"
            className="btn primary"
            onClick={submit}
            disabled={!canSend}
            title={blockedByLp ? 'Fix the errors in the line protocol first, or tick “send anyway”' : 'Send'}
            data-testid="send"
          >
            Send
          </button>
        )}
      </div>
      {(missing ?? preview.error ?? tokenMissing) && (
        <p className="warn-box">{missing ?? preview.error ?? tokenMissing}</p>
      )}
      {c.skipTlsVerify && <p className="warn-box">TLS verification is off for this connection.</p>}
      {misfits !== null && (
        <div className="warn-box precision-guard" role="alert" data-testid="precision-guard">
          <span>
            <strong>
              {misfits.count.toLocaleString()} timestamp{misfits.count === 1 ? '' : 's'} do not fit precision{' '}
              {p.precision || 'ns (server default)'}.
            </strong>{' '}
            Line {misfits.first.line}: {misfits.first.message.replace(/[.?]$/, '')}.
          </span>
          {precisionFix !== null && (
            <button
              type="button"
              className="btn small"
              onClick={() => setParam('precision', precisionFix)}
              data-testid="precision-fix"
            >
              Set precision={precisionFix}
            </button>
          )}
        </div>
      )}

      {missingDb !== null && (
        <MissingDatabase
          connection={c}
          db={missingDb}
          after={
            <button
              type="button"
              className="btn small primary"
              onClick={() => resend(send.variables ?? draft.body)}
              disabled={send.isPending}
              data-testid="resend-after-create"
            >
              Send again
            </button>
          }
        />
      )}
      <div className="params panel" aria-label="Write parameters">
        <label>
          API
          <select
            value={p.api}
            onChange={(e) => setParams((params) => withWriteApi(c.flavor, params, e.target.value as WriteApi))}
            name="api"
          >
            {FLAVOR_WRITE_APIS[c.flavor].map((a) => (
              <option key={a} value={a}>
                {a} {WRITE_API_PATHS[a]}
              </option>
            ))}
          </select>
        </label>
        {p.api !== 'v2' && (
          <label>
            db
            <input value={p.db} onChange={(e) => setParam('db', e.target.value)} name="db" />
          </label>
        )}
        {p.api === 'v1' && (
          <label>
            rp
            <input value={p.rp} onChange={(e) => setParam('rp', e.target.value)} name="rp" placeholder="default" />
          </label>
        )}
        {p.api === 'v2' && (
          <>
            <label>
              bucket
              <input value={p.bucket} onChange={(e) => setParam('bucket', e.target.value)} name="bucket" />
            </label>
            <label>
              org
              <input
                value={p.org}
                onChange={(e) => setParam('org', e.target.value)}
                name="org"
                placeholder={c.flavor === '2.x' || c.flavor === 'serverless' ? 'required' : 'ignored'}
              />
            </label>
          </>
        )}
        <label>
          precision
          <select value={p.precision} onChange={(e) => setParam('precision', e.target.value)} name="precision">
            {precisionOptions(c.flavor, p.api).map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
            {!precisionOptions(c.flavor, p.api).some((o) => o.value === p.precision) && (
              <option value={p.precision}>{p.precision} (not accepted here)</option>
            )}
          </select>
        </label>
        {p.api === 'v1' && (
          <label>
            consistency
            <select
              value={p.consistency}
              onChange={(e) => setParam('consistency', e.target.value as WriteParams['consistency'])}
              name="consistency"
            >
              {CONSISTENCY_VALUES.map((v) => (
                <option key={v} value={v}>
                  {v === '' ? '(not sent)' : v}
                </option>
              ))}
            </select>
          </label>
        )}
        {p.api === 'v3' && (
          <>
            <label className="check">
              <input
                type="checkbox"
                checked={p.acceptPartial}
                onChange={(e) => setParam('acceptPartial', e.target.checked)}
              />{' '}
              accept_partial
            </label>
            <label className="check">
              <input type="checkbox" checked={p.noSync} onChange={(e) => setParam('noSync', e.target.checked)} />{' '}
              no_sync
            </label>
          </>
        )}
        <label className="check">
          <input type="checkbox" checked={p.gzip} onChange={(e) => setParam('gzip', e.target.checked)} name="gzip" />{' '}
          gzip
        </label>
        <AuthPicker
          auth={draft.auth}
          onChange={(auth) => setDraft((d) => ({ ...d, auth }))}
          names={{ scheme: 'authScheme', username: 'authUsername' }}
        />
        <span className="muted small flavor-tag">{FLAVOR_LABELS[c.flavor]}</span>
      </div>

      {loadFile !== null && (
        <FileLoadPanel
          connection={c}
          params={p}
          auth={draft.auth}
          file={loadFile}
          disabledReason={missing ?? preview.error ?? tokenMissing}
          onClose={() => setLoadFile(null)}
          onOpenRejects={(text) => setDraft((d) => ({ ...d, body: text }))}
        />
      )}
      {replaced !== null && (
        <ReopenNotice
          what="and the form"
          onUndo={() => {
            const { previous } = replaced;
            setReplaced(null);
            setDraft(() => previous);
          }}
          onDismiss={() => setReplaced(null)}
        />
      )}
      <div className="split">
        <div className="editor-column">
          <LpEditor
            value={draft.body}
            onChange={(body) => setDraft((d) => ({ ...d, body }))}
            readBodyRef={readBodyRef}
            lpOptions={lpOptions}
            onLpState={setLpState}
            serverDiagnostics={server.diagnostics}
            onEditorReady={server.onEditorReady}
            onSubmit={submit}
            onFixes={setFixes}
            onLpSession={(session) => {
              lpSession.current = session;
            }}
          />
          <LpStatusBar
            state={lpState}
            sendAnyway={sendAnyway}
            onSendAnyway={setSendAnyway}
            onFixAll={() => lpSession.current?.applyAllSafeFixes()}
            fixes={fixes}
            onDismissFixes={() => setFixes(null)}
            summarize={summarize}
          />
          {!persistence.kept && (
            <p className="warn-box small" role="status" data-testid="draft-not-kept">
              {persistence.message}
            </p>
          )}
          {last === 'ping' && ping.data?.authFallback && (
            <p className="warn-box small" role="status" data-testid="auth-fallback">
              {ping.data.authFallback}
            </p>
          )}
        </div>
        <ResponseInspector
          exchange={(last === 'write' ? send.data : ping.data?.exchange) ?? null}
          explanation={server.panel}
          pending={active.isPending}
          failure={active.error ? active.error.message : null}
        />
      </div>
    </div>
  );
}
