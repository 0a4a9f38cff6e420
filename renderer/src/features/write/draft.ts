import { useEffect, useRef, useState } from 'react';
import type { ConnectionSummary } from '../../../../shared/domain/connection';
import { FLAVOR_WRITE_APIS } from '../../../../shared/domain/flavor';
import { DEFAULT_WRITE_PARAMS, type AuthChoice, type WriteParams } from '../../../../shared/domain/write-request';

/** What the write workspace edits for one connection. */
export interface WriteDraft {
  readonly params: WriteParams;
  readonly auth: AuthChoice;
  readonly body: string;
}

const SAMPLE = 'home,room=kitchen temp=72,hum=35.9 1641024000\nhome,room=living\\ room temp=71.5,hum=36.1 1641024000\n';

/** The starting draft for a connection: its defaults, the first API its flavor serves. */
export function initialDraft(c: ConnectionSummary): WriteDraft {
  return {
    params: {
      ...DEFAULT_WRITE_PARAMS,
      api: FLAVOR_WRITE_APIS[c.flavor][0] ?? 'v1',
      db: c.db,
      rp: c.rp,
      bucket: c.bucket || (c.db && c.flavor !== '2.x' ? c.db : ''),
      org: c.org,
      precision: c.flavor === '1.x' ? '' : 's',
    },
    auth: { scheme: c.authScheme, username: c.username },
    body: c.flavor === '1.x' ? SAMPLE.replace(/ 1641024000/g, '') : SAMPLE,
  };
}

const key = (id: string): string => `iwb:draft:${id}`;

/**
 * The draft of a connection, kept in localStorage so that what the user typed survives a reload.
 * Drafts hold no credentials.
 */
export function useDraft(c: ConnectionSummary): [WriteDraft, (update: (d: WriteDraft) => WriteDraft) => void] {
  const [draft, setDraft] = useState<WriteDraft>(() => loadDraft(c));
  const pending = useRef<WriteDraft | null>(null);
  useEffect(() => {
    pending.current = draft;
    const t = setTimeout(() => {
      saveDraft(c.id, draft);
      pending.current = null;
    }, 300);
    return () => clearTimeout(t);
  }, [c.id, draft]);
  // Leaving the workspace (another connection, the settings form) within the debounce window must
  // not drop the last edit: flush it on unmount.
  useEffect(
    () => () => {
      if (pending.current) saveDraft(c.id, pending.current);
    },
    [c.id],
  );
  return [draft, setDraft];
}

/** Bodies above this are not kept in localStorage (its quota is ~5 MB; trying costs a full stringify). */
export const MAX_PERSISTED_DRAFT_CHARS = 2_000_000;

function saveDraft(id: string, draft: WriteDraft): void {
  if (draft.body.length > MAX_PERSISTED_DRAFT_CHARS) return;
  try {
    localStorage.setItem(key(id), JSON.stringify(draft));
  } catch {
    // Quota exceeded (a huge paste): the draft stays in memory; nothing typed is lost while the app runs.
  }
}

function loadDraft(c: ConnectionSummary): WriteDraft {
  const fallback = initialDraft(c);
  try {
    const raw = localStorage.getItem(key(c.id));
    if (!raw) return fallback;
    const d = JSON.parse(raw) as Partial<WriteDraft>;
    return {
      params: { ...fallback.params, ...(d.params ?? {}) },
      auth: { ...fallback.auth, ...(d.auth ?? {}) },
      body: typeof d.body === 'string' ? d.body : fallback.body,
    };
  } catch {
    return fallback;
  }
}
