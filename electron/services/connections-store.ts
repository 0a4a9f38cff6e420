import { randomUUID } from 'node:crypto';
import path from 'node:path';

import { z } from 'zod';

import type { Connection, ConnectionInput } from '../../shared/domain/connection';
import { ConnectionInputSchema, type StoreNotice } from '../../shared/ipc/contract';
import { AppError } from '../../shared/ipc/result';
import { keepCopy, readJsonFile, writeJsonAtomic } from './json-file';

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
  delete(id: string): Promise<boolean>;
}

/** Creates a store in `dir`, or in memory when `dir` is null (CLI). */
export function createConnectionsStore(deps: { dir: string | null; now?: () => Date }): ConnectionsStore {
  const now = deps.now ?? (() => new Date());
  const file = deps.dir === null ? null : path.join(deps.dir, 'connections.json');
  let connections: Connection[] = [];
  // Set when the file exists but could not be read at all (a directory, no permission): saving would
  // overwrite data we never saw, so writes are refused until the user fixes it and restarts.
  let unreadable: string | null = null;

  const persist = async (): Promise<void> => {
    if (file === null) return;
    if (unreadable !== null) {
      throw new AppError(
        'STORAGE',
        `Not saving: ${file} could not be read (${unreadable}). Fix or move it, then restart.`,
      );
    }
    try {
      await writeJsonAtomic(file, { version: 1, connections });
    } catch (err) {
      throw new AppError('STORAGE', `Could not save connections to ${file}: ${(err as Error).message}`);
    }
  };

  const accept = (raw: unknown[], notices: StoreNotice[]): Connection[] => {
    const ok: Connection[] = [];
    raw.forEach((entry, i) => {
      const parsed = StoredConnectionSchema.safeParse(entry);
      if (parsed.success) ok.push(parsed.data);
      else
        notices.push({
          level: 'warning',
          message: `Connection #${i + 1} in ${file} is invalid and was skipped (${parsed.error.issues[0]?.message ?? 'unknown'}).`,
        });
    });
    return ok;
  };

  return {
    async load() {
      if (file === null) return [];
      const notices: StoreNotice[] = [];
      let read: Awaited<ReturnType<typeof readJsonFile>>;
      try {
        read = await readJsonFile(file, now);
      } catch (err) {
        unreadable = (err as Error).message;
        connections = [];
        return [
          {
            level: 'error',
            message: `The connections file ${file} could not be read (${unreadable}). Nothing was changed; fix or move it and restart.`,
          },
        ];
      }
      if (read.kind === 'missing') {
        connections = [];
        return notices;
      }
      if (read.kind === 'corrupt') {
        const backup = FileSchema.safeParse(read.backup);
        connections = backup.success ? accept(backup.data.connections, notices) : [];
        notices.unshift({
          level: 'error',
          message:
            `The connections file was damaged (${read.reason}). It was moved to ${read.movedTo}` +
            (backup.success
              ? ' and the last good copy was restored.'
              : '; nothing was deleted, and you can repair it by hand.'),
        });
        if (backup.success) await persist();
        return notices;
      }
      const parsed = FileSchema.safeParse(read.value);
      if (!parsed.success) {
        const copy = await keepCopy(file, `unreadable-${now().toISOString().replace(/[:.]/g, '-')}`);
        connections = [];
        notices.push({
          level: 'error',
          message: `The connections file has an unknown format. A copy was kept at ${copy}.`,
        });
        return notices;
      }
      connections = accept(parsed.data.connections, notices);
      if (notices.length > 0) {
        const copy = await keepCopy(file, `partial-${now().toISOString().replace(/[:.]/g, '-')}`);
        notices.push({ level: 'warning', message: `The original file was kept at ${copy}.` });
      }
      if (read.fromBackup)
        notices.push({ level: 'warning', message: 'connections.json was missing; restored from its backup.' });
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
      const before = connections;
      connections = existing ? connections.map((c) => (c.id === saved.id ? saved : c)) : [...connections, saved];
      try {
        await persist();
      } catch (err) {
        connections = before;
        throw err;
      }
      return saved;
    },
    async delete(id) {
      const before = connections;
      connections = connections.filter((c) => c.id !== id);
      if (connections.length === before.length) return false;
      try {
        await persist();
      } catch (err) {
        connections = before;
        throw err;
      }
      return true;
    },
  };
}
