import { randomUUID } from 'node:crypto';
import path from 'node:path';

import { z } from 'zod';

import type { Connection, ConnectionInput } from '../../shared/domain/connection';
import { ConnectionInputSchema, type StoreNotice } from '../../shared/ipc/contract';
import { AppError } from '../../shared/ipc/result';
import { createJsonStore } from './json-store';

/**
 * Connections, persisted as `connections.json` in the app's data folder. Tokens are not in here:
 * they live in the token vault.
 */

const StoredConnectionSchema = ConnectionInputSchema.extend({
  id: z.string().min(1),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const FileSchema = z.object({ version: z.literal(1), connections: z.array(z.unknown()) });

/** The connections store. */
export interface ConnectionsStore {
  /** Reads the file; problems come back as notices, never as a crash. */
  load(): Promise<StoreNotice[]>;
  list(): Connection[];
  get(id: string): Connection | undefined;
  save(id: string | undefined, input: ConnectionInput): Promise<Connection>;
  /**
   * Undoes a save: puts `previous` back, or removes the connection when it was new (undefined). Used
   * when the token that belongs to a save could not be stored, so the two are one operation.
   */
  restore(id: string, previous: Connection | undefined): Promise<void>;
  delete(id: string): Promise<boolean>;
}

/** Creates a store in `dir`, or in memory when `dir` is null (CLI). */
export function createConnectionsStore(deps: { dir: string | null; now?: () => Date }): ConnectionsStore {
  const now = deps.now ?? (() => new Date());
  const file =
    deps.dir === null
      ? null
      : createJsonStore<Connection[]>({
          file: path.join(deps.dir, 'connections.json'),
          what: 'connections',
          decode: (value) => {
            const parsed = FileSchema.safeParse(value);
            if (!parsed.success) return null;
            const ok: Connection[] = [];
            const skipped: string[] = [];
            parsed.data.connections.forEach((entry, i) => {
              const c = StoredConnectionSchema.safeParse(entry);
              if (c.success) ok.push(c.data);
              else
                skipped.push(
                  `Connection #${i + 1} in ${path.join(deps.dir!, 'connections.json')} is invalid and was ` +
                    `skipped (${c.error.issues[0]?.message ?? 'unknown'}).`,
                );
            });
            return { data: ok, skipped };
          },
          empty: () => [],
          restoreBackup: true,
          lostHint: 'Connections start empty.',
          now,
        });
  let connections: Connection[] = [];

  const persist = async (): Promise<void> => {
    await file?.save({ version: 1, connections });
  };

  /** Runs a change; when it cannot be saved, memory goes back to what it was. */
  const change = async (next: Connection[]): Promise<void> => {
    const before = connections;
    connections = next;
    try {
      await persist();
    } catch (err) {
      connections = before;
      throw err;
    }
  };

  return {
    async load() {
      if (file === null) return [];
      const loaded = await file.load();
      connections = loaded.data;
      const notices = [...loaded.notices];
      // A restored backup is written back as the main file; skipped entries stay in the kept copy.
      if (loaded.fromBackup)
        await persist().catch((err: Error) => notices.push({ level: 'error', message: err.message }));
      return notices;
    },
    list: () => [...connections].sort((a, b) => a.name.localeCompare(b.name)),
    get: (id) => connections.find((c) => c.id === id),
    async save(id, input) {
      const stamp = now().toISOString();
      const existing = id === undefined ? undefined : connections.find((c) => c.id === id);
      if (id !== undefined && !existing) throw new AppError('NOT_FOUND', 'That connection no longer exists.');
      const saved: Connection = existing
        ? { ...existing, ...input, updatedAt: stamp }
        : { ...input, id: randomUUID(), createdAt: stamp, updatedAt: stamp };
      await change(existing ? connections.map((c) => (c.id === saved.id ? saved : c)) : [...connections, saved]);
      return saved;
    },
    async restore(id, previous) {
      const without = connections.filter((c) => c.id !== id);
      await change(previous === undefined ? without : connections.map((c) => (c.id === id ? previous : c)));
    },
    async delete(id) {
      const next = connections.filter((c) => c.id !== id);
      if (next.length === connections.length) return false;
      await change(next);
      return true;
    },
  };
}
