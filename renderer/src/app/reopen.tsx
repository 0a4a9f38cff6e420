import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';

import type { HistoryQueryInput } from '../../../shared/domain/history';
import type { AuthChoice, WriteParams } from '../../../shared/domain/write-request';

/**
 * "Reopen" from history: the History panel asks for a request to be loaded into the Write or Query
 * draft of a connection; the shell selects that connection and the workspace applies it. A context
 * (rather than a global) so that nothing outside the app tree can push drafts.
 */

/** What a workspace loads. */
export type ReopenPayload =
  | {
      readonly kind: 'write';
      readonly connectionId: string;
      readonly params: WriteParams;
      readonly auth: AuthChoice;
      readonly body: string;
    }
  | {
      readonly kind: 'query';
      readonly connectionId: string;
      readonly query: HistoryQueryInput;
      readonly auth: AuthChoice | null;
    };

/** A pending reopen; `nonce` tells two reopens of the same entry apart. */
export type ReopenRequest = ReopenPayload & { readonly nonce: number };

interface ReopenApi {
  readonly pending: ReopenRequest | null;
  readonly reopen: (payload: ReopenPayload) => void;
  readonly done: (nonce: number) => void;
}

const ReopenContext = createContext<ReopenApi>({ pending: null, reopen: () => undefined, done: () => undefined });

/** Holds the pending reopen; `onReopen` lets the shell show the target connection's workspace. */
export function ReopenProvider(props: { children: ReactNode; onReopen: (payload: ReopenPayload) => void }) {
  const [pending, setPending] = useState<ReopenRequest | null>(null);
  const nonce = useRef(0);
  const { onReopen } = props;
  const reopen = useCallback(
    (payload: ReopenPayload) => {
      nonce.current += 1;
      setPending({ ...payload, nonce: nonce.current });
      onReopen(payload);
    },
    [onReopen],
  );
  const done = useCallback((n: number) => setPending((p) => (p?.nonce === n ? null : p)), []);
  const api = useMemo(() => ({ pending, reopen, done }), [pending, reopen, done]);
  return <ReopenContext.Provider value={api}>{props.children}</ReopenContext.Provider>;
}

/** The function the History panel calls. */
export function useReopenAction(): (payload: ReopenPayload) => void {
  return useContext(ReopenContext).reopen;
}

/** The reopen waiting for a connection (the workspace switches to its tab). */
export function usePendingReopen(connectionId: string): ReopenRequest | null {
  const { pending } = useContext(ReopenContext);
  return pending?.connectionId === connectionId ? pending : null;
}

/**
 * For a workspace: applies a reopen aimed at this connection and kind, once.
 * `apply` may change every render; the latest one is used.
 */
export function useReopen<K extends ReopenPayload['kind']>(
  connectionId: string,
  kind: K,
  apply: (payload: Extract<ReopenRequest, { kind: K }>) => void,
): void {
  const { pending, done } = useContext(ReopenContext);
  const latest = useRef(apply);
  useEffect(() => {
    latest.current = apply;
  });
  useEffect(() => {
    if (pending === null || pending.connectionId !== connectionId || pending.kind !== kind) return;
    latest.current(pending as Extract<ReopenRequest, { kind: K }>);
    done(pending.nonce);
  }, [pending, connectionId, kind, done]);
}

/**
 * The notice after a Reopen replaced a draft: what happened, and Undo (the workspace puts back the
 * draft it replaced). The editors also undo it with Ctrl+Z: the replacement is one undoable edit there.
 */
export function ReopenNotice(props: { what: string; onUndo: () => void; onDismiss: () => void }) {
  return (
    <div className="info-box reopen-notice" role="status" data-testid="reopen-notice">
      <span>Replaced the editor&apos;s text ({props.what}) with the reopened request.</span>
      <button
        type="button"
        className="btn small"
        onClick={props.onUndo}
        data-testid="reopen-undo"
        title="Bring back the text and the settings this reopen replaced"
      >
        Undo
      </button>
      <button
        type="button"
        className="btn small"
        onClick={props.onDismiss}
        data-testid="reopen-dismiss"
        aria-label="Dismiss"
      >
        ×
      </button>
    </div>
  );
}
