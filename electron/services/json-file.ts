import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * Atomic JSON files: write to a temp file, fsync, keep the previous version as `.bak`, rename over.
 * A reader never sees a half-written file, and a crash mid-write leaves the old file or the backup.
 */

/** Outcome of reading a JSON file that may be missing or damaged. */
export type JsonReadResult =
  | { kind: 'missing' }
  | { kind: 'ok'; value: unknown; fromBackup: boolean }
  | { kind: 'corrupt'; movedTo: string; reason: string; backup: unknown };

/** Pending writes per file, so that concurrent writes land in call order (the last call wins on disk). */
const writeQueues = new Map<string, Promise<void>>();

/** Writes `value` as JSON atomically, with file mode `mode`, keeping the previous content as `<file>.bak`. */
export async function writeJsonAtomic(file: string, value: unknown, mode = 0o600): Promise<void> {
  // Serialised at call time, written in call order: without the queue, two overlapping writes race to
  // the final rename and an older snapshot can overwrite a newer one.
  return writeTextAtomic(file, `${JSON.stringify(value, null, 2)}\n`, mode);
}

/** {@link writeJsonAtomic} for text the caller already serialised (to measure it first, say). */
export async function writeTextAtomic(file: string, text: string, mode = 0o600): Promise<void> {
  const run = (writeQueues.get(file) ?? Promise.resolve()).then(() => writeNow(file, text, mode));
  const tail = run.catch(() => undefined);
  writeQueues.set(file, tail);
  void tail.then(() => {
    if (writeQueues.get(file) === tail) writeQueues.delete(file);
  });
  return run;
}

async function writeNow(file: string, text: string, mode: number): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  const handle = await fs.open(tmp, 'w', mode);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await fs.copyFile(file, `${file}.bak`);
    await fs.chmod(`${file}.bak`, mode);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      await fs.rm(tmp, { force: true });
      throw err;
    }
  }
  await fs.rename(tmp, file);
}

/**
 * Reads a JSON file. A file that does not parse is moved aside (never deleted) to
 * `<file>.corrupt-<timestamp>`, and the backup is offered instead when it parses.
 */
export async function readJsonFile(file: string, now: () => Date = () => new Date()): Promise<JsonReadResult> {
  const text = await readIfExists(file);
  if (text === null) {
    const backup = await readIfExists(`${file}.bak`);
    const parsed = backup === null ? undefined : tryParse(backup);
    return parsed === undefined ? { kind: 'missing' } : { kind: 'ok', value: parsed.value, fromBackup: true };
  }
  const parsed = tryParse(text);
  if (parsed !== undefined) return { kind: 'ok', value: parsed.value, fromBackup: false };
  const stamp = now().toISOString().replace(/[:.]/g, '-');
  const movedTo = `${file}.corrupt-${stamp}`;
  await fs.rename(file, movedTo);
  const backupText = await readIfExists(`${file}.bak`);
  const backup = backupText === null ? undefined : tryParse(backupText)?.value;
  return { kind: 'corrupt', movedTo, reason: describeParseError(text), backup };
}

/** Copies a file aside (for data we could read only in part), returning the copy's path. */
export async function keepCopy(file: string, suffix: string): Promise<string> {
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
