import path from 'node:path';

import { formatBytes } from '../../shared/domain/format';
import { type DraftKind, MAX_DRAFT_CHARS, type StoreNotice } from '../../shared/ipc/contract';
import { AppError } from '../../shared/ipc/result';
import { createJsonStore, type JsonStore } from './json-store';

/**
 * The workspaces' drafts (`drafts/<kind>-<connection id>.json` in the data folder).
 *
 * Why main keeps them rather than the window's localStorage: browser mode serves the window from a new
 * port, so a new origin with an empty localStorage, on every start; localStorage holds ~5 MB; and a
 * full quota failed silently. The window still writes a small copy to localStorage synchronously (it
 * survives a close inside the save debounce); whichever copy is newer wins when a workspace opens.
 */

/** A draft as stored: the workspace's own object and the renderer clock when it was taken. */
export interface StoredDraft {
  readonly draft: Record<string, unknown>;
  readonly savedAt: number;
}

/** The drafts store. */
export interface DraftsStore {
  /** The stored draft, or null. A damaged file is moved aside (its backup is used when it reads). */
  get(kind: DraftKind, connectionId: string): Promise<StoredDraft | null>;
  /**
   * Stores a draft; false when a newer one is already stored. A draft over {@link MAX_DRAFT_CHARS} is
   * refused (BAD_REQUEST: the window keeps it), a failed write is a STORAGE error naming the file.
   */
  save(kind: DraftKind, connectionId: string, stored: StoredDraft): Promise<boolean>;
  /** Forgets every draft of a deleted connection. */
  removeAll(connectionId: string): Promise<void>;
}

/** Options of {@link createDraftsStore}. */
export interface DraftsStoreOptions {
  /** The data folder; null keeps drafts in memory only (tests). */
  readonly dir: string | null;
  /** Told about a damaged draft file (moved aside). */
  readonly onNotice?: (notice: StoreNotice) => void;
}

/** Creates the drafts store. */
export function createDraftsStore(options: DraftsStoreOptions): DraftsStore {
  // The newest draft per file, once read or written: answers get() and orders saves.
  const latest = new Map<string, StoredDraft | null>();
  const files = new Map<string, JsonStore<StoredDraft | null>>();
  const name = (kind: DraftKind, connectionId: string): string => `${kind}-${connectionId}`;
  const file = (key: string): JsonStore<StoredDraft | null> | null => {
    if (options.dir === null) return null;
    let store = files.get(key);
    if (store === undefined) {
      store = createJsonStore<StoredDraft | null>({
        file: path.join(options.dir, 'drafts', `${key}.json`),
        what: 'the draft',
        decode: (value) => ({ data: asStored(value), skipped: [] }),
        empty: () => null,
        restoreBackup: true,
        lostHint: 'The window may still hold a copy.',
      });
      files.set(key, store);
    }
    return store;
  };

  async function read(key: string): Promise<StoredDraft | null> {
    const f = file(key);
    if (f === null) return null;
    const loaded = await f.load();
    for (const notice of loaded.notices) options.onNotice?.(notice);
    if (!loaded.writable) {
      throw new AppError(
        'STORAGE',
        loaded.notices[0]?.message ?? `Could not read the draft ${f.file}. Check the permissions of that folder.`,
      );
    }
    return loaded.data;
  }

  async function get(kind: DraftKind, connectionId: string): Promise<StoredDraft | null> {
    const key = name(kind, connectionId);
    if (!latest.has(key)) {
      const stored = await read(key);
      // A save may have landed while the file was read: it is newer than the file.
      if (!latest.has(key)) latest.set(key, stored);
    }
    return latest.get(key) ?? null;
  }

  return {
    get,
    async save(kind, connectionId, stored) {
      const key = name(kind, connectionId);
      const text = JSON.stringify(stored);
      if (text.length > MAX_DRAFT_CHARS) {
        throw new AppError(
          'BAD_REQUEST',
          `This draft is ${formatBytes(text.length)}; drafts are kept up ` +
            `to ${formatBytes(MAX_DRAFT_CHARS)}. It stays in the window until you close it.`,
        );
      }
      // Compared and set with no await in between, so saves are ordered by savedAt, not by arrival.
      const current = await get(kind, connectionId);
      if (current && current.savedAt > stored.savedAt) return false;
      latest.set(key, stored);
      try {
        await file(key)?.saveText(`${text}\n`);
      } catch (err) {
        // Not saved: drafts:get must not answer with a draft a restart would not find. Unless a newer
        // save came in meanwhile, the draft on disk is the one to remember.
        if (latest.get(key) === stored) latest.set(key, current);
        throw err;
      }
      return true;
    },
    async removeAll(connectionId) {
      for (const kind of ['write', 'query'] as const) {
        const key = name(kind, connectionId);
        latest.delete(key);
        await file(key)?.remove();
      }
    },
  };
}

function asStored(value: unknown): StoredDraft | null {
  if (value === null || typeof value !== 'object') return null;
  const v = value as { draft?: unknown; savedAt?: unknown };
  if (typeof v.savedAt !== 'number' || v.draft === null || typeof v.draft !== 'object' || Array.isArray(v.draft))
    return null;
  return { draft: v.draft as Record<string, unknown>, savedAt: v.savedAt };
}
