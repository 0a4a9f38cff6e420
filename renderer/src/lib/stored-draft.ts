import { useCallback, useEffect, useRef, useState } from 'react';

import { formatBytes } from '../../../shared/domain/format';
import { type DraftKind, MAX_DRAFT_CHARS } from '../../../shared/ipc/contract';
import { invoke } from './ipc';

/**
 * A workspace's draft that survives reloads, restarts and browser mode's changing port.
 *
 * Two copies, whichever is newer wins when the workspace opens:
 * - main's data folder (`drafts:save`), the durable one: it holds up to {@link MAX_DRAFT_CHARS} and
 *   does not depend on the window's origin (browser mode gets a new port, so an empty localStorage,
 *   on every start);
 * - localStorage, written synchronously, for drafts up to {@link MAX_LOCAL_CHARS}: it catches an edit
 *   made just before the window closed, inside the save debounce, when an IPC call may not land.
 * Drafts hold no credentials: the auth choice is a scheme and a user name.
 */

/** Drafts above this are not copied to localStorage: its quota is ~5 MB for the whole origin. */
export const MAX_LOCAL_CHARS = 2_000_000;

/** Whether the draft is kept beyond this window. */
export type DraftPersistence = { readonly kept: true } | { readonly kept: false; readonly message: string };

interface Copy {
  readonly savedAt: number;
  readonly draft: Record<string, unknown>;
}

/**
 * The draft of one workspace. `revive` turns what was stored (or null) into a full draft, merging it
 * with the workspace's defaults, so drafts from older versions still open.
 */
export function useStoredDraft<T extends object>(
  kind: DraftKind,
  connectionId: string,
  localKey: string,
  revive: (stored: Record<string, unknown> | null) => T,
): [T, (update: (d: T) => T) => void, DraftPersistence] {
  const [local] = useState(() => readLocal(localKey));
  const [draft, setDraftState] = useState<T>(() => revive(local?.draft ?? null));
  const [persistence, setPersistence] = useState<DraftPersistence>({ kept: true });
  // Edited since the workspace opened: main's copy must then not replace what the user typed.
  const edited = useRef(false);
  // The newest draft, updated as soon as setDraft is called (state lags until React renders), and
  // whether it still has to be saved (the save debounce; flushed on unmount and when the page goes).
  const latest = useRef<T>(draft);
  const unsaved = useRef(false);
  const reviveRef = useRef(revive);
  useEffect(() => {
    reviveRef.current = revive;
  }, [revive]);

  const persist = useCallback(
    (d: T) => {
      unsaved.current = false;
      const copy: Copy = { savedAt: Date.now(), draft: d as Record<string, unknown> };
      // Sized without serialising: a 100 MB body must not be stringified on every pause in typing.
      const size = approximateChars(copy.draft);
      if (size <= MAX_LOCAL_CHARS) {
        try {
          localStorage.setItem(localKey, JSON.stringify(copy));
        } catch {
          // Quota exceeded: main's copy below is the one that counts.
        }
      }
      if (size > MAX_DRAFT_CHARS) {
        setPersistence({
          kept: false,
          message:
            `This draft is ${formatBytes(size)}; drafts are kept up ` +
            `to ${formatBytes(MAX_DRAFT_CHARS)}. It stays in this window until you close it.`,
        });
        return;
      }
      invoke('drafts:save', { connectionId, kind, savedAt: copy.savedAt, draft: copy.draft }).then(
        () => setPersistence({ kept: true }),
        (err: Error) => setPersistence({ kept: false, message: `The draft could not be saved: ${err.message}` }),
      );
    },
    [connectionId, kind, localKey],
  );

  // Main's copy replaces the local one when it is newer and the user has not typed yet; a newer local
  // copy (an edit made as the window closed) goes to main.
  useEffect(() => {
    let live = true;
    invoke('drafts:get', { connectionId, kind }).then(
      (stored) => {
        if (!live || edited.current) return;
        const localAt = local?.savedAt ?? -1;
        if (stored.draft !== null && stored.savedAt > localAt) {
          latest.current = reviveRef.current(stored.draft);
          setDraftState(latest.current);
        } else if (local !== null && localAt > stored.savedAt) {
          invoke('drafts:save', { connectionId, kind, savedAt: local.savedAt, draft: local.draft }).catch(
            () => undefined,
          );
        }
      },
      () => undefined, // main unreachable: the local copy stands
    );
    return () => {
      live = false;
    };
  }, [connectionId, kind, local]);

  useEffect(() => {
    if (!unsaved.current) return;
    // A large draft is saved less often: each save sends and rewrites all of it.
    const t = setTimeout(
      () => persist(latest.current),
      approximateChars(latest.current as Record<string, unknown>) > MAX_LOCAL_CHARS ? 2000 : 300,
    );
    return () => clearTimeout(t);
  }, [draft, persist]);

  // Leaving the workspace or closing the window inside the debounce must not drop the last edit.
  // Deferred by a microtask: an editor below may hand over its last keystrokes in the same unmount
  // or pagehide, and React runs this component's cleanup before its children's.
  useEffect(() => {
    const flush = () =>
      queueMicrotask(() => {
        if (unsaved.current) persist(latest.current);
      });
    window.addEventListener('pagehide', flush);
    return () => {
      window.removeEventListener('pagehide', flush);
      flush();
    };
  }, [persist]);

  const setDraft = useCallback((update: (d: T) => T) => {
    edited.current = true;
    unsaved.current = true;
    latest.current = update(latest.current);
    setDraftState(latest.current);
  }, []);
  return [draft, setDraft, persistence];
}

/** The local copy: `{savedAt, draft}`, or a bare draft from before drafts had a time (the oldest). */
function readLocal(key: string): Copy | null {
  try {
    const raw = localStorage.getItem(key);
    if (!raw) return null;
    const v = JSON.parse(raw) as unknown;
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return null;
    const c = v as Partial<Copy>;
    if (typeof c.savedAt === 'number' && c.draft !== null && typeof c.draft === 'object')
      return { savedAt: c.savedAt, draft: c.draft };
    return { savedAt: 0, draft: v as Record<string, unknown> };
  } catch {
    return null;
  }
}

/** The JSON size of a draft, near enough: its top-level strings (the body, the query) plus room for the form. */
function approximateChars(draft: Record<string, unknown>): number {
  let n = 4096;
  for (const v of Object.values(draft)) if (typeof v === 'string') n += v.length + 2;
  return n;
}
