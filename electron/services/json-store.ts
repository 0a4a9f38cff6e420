import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';

import type { StoreNotice } from '../../shared/ipc/contract';
import { AppError } from '../../shared/ipc/result';

/**
 * The one loader and guarded writer of every JSON file the app keeps (connections, tokens, history,
 * drafts), so that a missing, damaged or unreadable file is met the same way everywhere:
 *
 * - writes are atomic: a temp file is written and fsynced, the previous version becomes `<file>.bak`
 *   (itself replaced atomically: a good backup is never removed before its replacement is complete),
 *   then the temp file is renamed over; a failed write removes its temp file and raises STORAGE with
 *   an explanation; writes to one file land in call order;
 * - temp files left by a crash (`kill -9`, power loss) are removed when the file is next loaded;
 * - a damaged file is moved aside to `<file>.corrupt-<time>` (never deleted) and, when the store's
 *   policy says so, its backup restored; a file in an unknown format, or with entries that were
 *   skipped, is copied aside before anything overwrites it;
 * - a file that exists but cannot be read (permissions, a directory) is never overwritten: writes are
 *   refused with STORAGE until the user fixes it and restarts.
 *
 * Problems come back as notices for the UI, never as a failed start.
 */

/** What a store makes of the parsed JSON: its data and a sentence per skipped entry; null: unknown format. */
export type JsonDecode<T> = (value: unknown) => { data: T; skipped: string[] } | null;

/** Options of {@link createJsonStore}. */
export interface JsonStoreOptions<T> {
  readonly file: string;
  /** How messages name the content, e.g. "connections", "tokens", "request history". */
  readonly what: string;
  readonly decode: JsonDecode<T>;
  readonly empty: () => T;
  /** A damaged file: restore the backup when it decodes (true), or start empty (false). */
  readonly restoreBackup: boolean;
  /** The sentence for when nothing could be restored, e.g. "Re-enter the tokens of your connections." */
  readonly lostHint: string;
  /** File mode of what is written. */
  readonly mode?: number;
  readonly now?: () => Date;
}

/** The outcome of {@link JsonStore.load}. */
export interface JsonLoad<T> {
  readonly data: T;
  readonly notices: StoreNotice[];
  /** The data differs from the file (a backup was restored, or entries were skipped): save it. */
  readonly needsSave: boolean;
  /** The data came from `<file>.bak` (the file was missing or damaged). */
  readonly fromBackup: boolean;
  /** False when the file exists but could not be read: every save is refused (see the module comment). */
  readonly writable: boolean;
}

/** One JSON file. */
export interface JsonStore<T> {
  readonly file: string;
  load(): Promise<JsonLoad<T>>;
  /** Writes `value` as JSON; STORAGE error when it cannot (or must not: see the module comment). */
  save(value: unknown): Promise<void>;
  /** {@link save} for text already serialised (to measure it first, say). */
  saveText(text: string): Promise<void>;
  /** Makes the backup a copy of the current file, so data just removed is gone from it too. */
  replaceBackup(): Promise<void>;
  /** Removes the file and its backup. */
  remove(): Promise<void>;
}

/** Creates the store of one file. Nothing is read until {@link JsonStore.load}. */
export function createJsonStore<T>(options: JsonStoreOptions<T>): JsonStore<T> {
  const { file, what } = options;
  const mode = options.mode ?? 0o600;
  const now = options.now ?? (() => new Date());
  const stamp = (): string => now().toISOString().replace(/[:.]/g, '-');
  // Set when the file exists but could not be read: saving would overwrite data we never saw.
  let unreadable: string | null = null;

  const guard = (): void => {
    if (unreadable !== null) {
      throw new AppError(
        'STORAGE',
        `Not saving ${what}: ${file} could not be read (${unreadable}). Fix or move it, then restart.`,
      );
    }
  };
  const storageError = (err: unknown): AppError =>
    err instanceof AppError
      ? err
      : new AppError(
          'STORAGE',
          `Could not save ${what} to ${file}: ${(err as Error).message}. Check the free space and permissions of that folder.`,
        );

  const store: JsonStore<T> = {
    file,
    async load() {
      await removeStaleTemps(file);
      let text: string | null;
      try {
        text = await readIfExists(file);
      } catch (err) {
        unreadable = (err as Error).message;
        return {
          data: options.empty(),
          needsSave: false,
          fromBackup: false,
          writable: false,
          notices: [
            {
              level: 'error',
              message:
                `The ${what} file ${file} could not be read (${unreadable}). Nothing was changed, and ` +
                `nothing is saved to it until you fix or move it and restart.`,
            },
          ],
        };
      }
      const notices: StoreNotice[] = [];
      if (text === null) {
        const backup = await readBackup(file, options.decode);
        if (backup === null) return loaded(options.empty(), notices, { needsSave: false, fromBackup: false });
        notices.push({
          level: 'warning',
          message: `${path.basename(file)} was missing; ${what} were restored from its backup.`,
        });
        return loaded(backup.data, notices, { needsSave: true, fromBackup: true });
      }
      const parsed = tryParse(text);
      if (parsed === undefined) {
        const movedTo = `${file}.corrupt-${stamp()}`;
        await fs.rename(file, movedTo);
        const backup = options.restoreBackup ? await readBackup(file, options.decode) : null;
        notices.push({
          level: 'error',
          message:
            `The ${what} file was damaged (${describeParseError(text)}). It was moved to ${movedTo}` +
            (backup !== null
              ? ' and the last good copy was restored.'
              : `; nothing was deleted, and you can repair it by hand. ${options.lostHint}`),
        });
        return backup === null
          ? loaded(options.empty(), notices, { needsSave: false, fromBackup: false })
          : loaded(backup.data, notices, { needsSave: true, fromBackup: true });
      }
      const decoded = options.decode(parsed.value);
      if (decoded === null) {
        const copy = await keepCopy(file, `unreadable-${stamp()}`);
        notices.push({
          level: 'error',
          message: `The ${what} file ${file} has an unknown format. A copy was kept at ${copy}. ${options.lostHint}`,
        });
        return loaded(options.empty(), notices, { needsSave: false, fromBackup: false });
      }
      if (decoded.skipped.length > 0) {
        for (const s of decoded.skipped) notices.push({ level: 'warning', message: s });
        const copy = await keepCopy(file, `partial-${stamp()}`);
        notices.push({ level: 'warning', message: `The original ${what} file was kept at ${copy}.` });
        return loaded(decoded.data, notices, { needsSave: true, fromBackup: false });
      }
      return loaded(decoded.data, notices, { needsSave: false, fromBackup: false });
    },
    save: (value) => store.saveText(`${JSON.stringify(value, null, 2)}\n`),
    async saveText(text) {
      guard();
      await queued(file, () => writeNow(file, text, mode)).catch((err: unknown) => {
        throw storageError(err);
      });
    },
    async replaceBackup() {
      guard();
      await queued(file, () => replaceBackupNow(file, mode)).catch((err: unknown) => {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
        throw storageError(err);
      });
    },
    async remove() {
      await queued(file, () =>
        Promise.all([fs.rm(file, { force: true }), fs.rm(`${file}.bak`, { force: true })]).then(() => undefined),
      );
    },
  };
  return store;
}

function loaded<T>(data: T, notices: StoreNotice[], flags: { needsSave: boolean; fromBackup: boolean }): JsonLoad<T> {
  return { data, notices, ...flags, writable: true };
}

/** Pending writes per file, so that writes land in call order (the last call wins on disk). */
const writeQueues = new Map<string, Promise<void>>();

function queued(file: string, run: () => Promise<void>): Promise<void> {
  const next = (writeQueues.get(file) ?? Promise.resolve()).then(run);
  const tail = next.catch(() => undefined);
  writeQueues.set(file, tail);
  void tail.then(() => {
    if (writeQueues.get(file) === tail) writeQueues.delete(file);
  });
  return next;
}

function tempName(file: string): string {
  return `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
}

/** Writes and fsyncs `text` to a new temp file next to `file`; the temp file is removed when that fails. */
async function writeTemp(file: string, text: string | Uint8Array, mode: number): Promise<string> {
  const tmp = tempName(file);
  try {
    const handle = await fs.open(tmp, 'w', mode);
    try {
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (err) {
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    throw err;
  }
  return tmp;
}

async function writeNow(file: string, text: string, mode: number): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const tmp = await writeTemp(file, text, mode);
  try {
    await replaceBackupNow(file, mode).catch((err: unknown) => {
      // No previous file: nothing to back up.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    });
    await fs.rename(tmp, file);
  } catch (err) {
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    throw err;
  }
}

/**
 * Makes `<file>.bak` a copy of `file`: the copy is written to a temp file and renamed over the old
 * backup, so a failed copy (a full disk) leaves the old backup as it was. ENOENT when `file` is absent.
 */
async function replaceBackupNow(file: string, mode: number): Promise<void> {
  const current = await fs.readFile(file);
  const tmp = await writeTemp(`${file}.bak`, current, mode);
  try {
    await fs.rename(tmp, `${file}.bak`);
  } catch (err) {
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    throw err;
  }
}

/**
 * Removes temp files of `file` and of its backup left by a process that died mid-write. Temp files of
 * a live process (another instance on the same folder, or this one while a write is queued) stay.
 */
async function removeStaleTemps(file: string): Promise<void> {
  const dir = path.dirname(file);
  const base = path.basename(file);
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return;
  }
  const pattern = new RegExp(`^${escapeRegExp(base)}(?:\\.bak)?\\.tmp-(\\d+)-[0-9a-f]+$`);
  await Promise.all(
    names.map(async (name) => {
      const m = pattern.exec(name);
      if (!m) return;
      const pid = Number(m[1]);
      if (pid === process.pid ? writeQueues.has(file) : isAlive(pid)) return;
      await fs.rm(path.join(dir, name), { force: true }).catch(() => undefined);
    }),
  );
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

async function readBackup<T>(file: string, decode: JsonDecode<T>): Promise<{ data: T } | null> {
  const text = await readIfExists(`${file}.bak`).catch(() => null);
  const parsed = text === null ? undefined : tryParse(text);
  if (parsed === undefined) return null;
  const decoded = decode(parsed.value);
  return decoded === null ? null : { data: decoded.data };
}

/** Copies a file aside (for data we could read only in part), returning the copy's path. */
async function keepCopy(file: string, suffix: string): Promise<string> {
  const target = `${file}.${suffix}`;
  await fs.copyFile(file, target, constants.COPYFILE_FICLONE);
  return target;
}

async function readIfExists(file: string): Promise<string | null> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

function tryParse(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return undefined;
  }
}

function describeParseError(text: string): string {
  if (text.trim() === '') return 'the file is empty';
  try {
    JSON.parse(text);
    return 'unknown';
  } catch (err) {
    return (err as Error).message;
  }
}
