import fs from 'node:fs/promises';
import path from 'node:path';

import type { ResultDelivery } from '../../shared/ipc/contract';
import { AppError } from '../../shared/ipc/result';
import { csvChunks, type FieldType, lineProtocolChunks, resultJsonChunks } from '../../shared/query/format';
import type { QueryEpoch } from '../../shared/query/query-request';
import type { QueryResult } from '../../shared/query/result-model';

/**
 * Whole-result exports, made in main from the rows it keeps: the renderer only ever holds the pages
 * it shows, so an export it made itself would miss rows. Text is produced in parts and written as it
 * is made, so a 2,000,000-row CSV never exists as one string.
 */

/** Export formats of a query result. */
export type ResultFormat = 'csv' | 'json' | 'lp';

/** Where exported text goes; `clipboard` is absent where main cannot reach the user's clipboard (browser mode). */
export interface ResultSink {
  /** Writes the parts to a file the user picks (desktop) or to the data folder's exports/ (browser mode). */
  file(parts: Iterable<string>, name: string): Promise<ResultDelivery>;
  clipboard?(parts: Iterable<string>): Promise<ResultDelivery>;
}

/** Largest text put on the clipboard; larger results are exported to a file instead. */
export const MAX_CLIPBOARD_CHARS = 64 * 1024 * 1024;

/** Per measurement: the columns that are tags, and field types (for line protocol). */
export type LpSchemas = Readonly<
  Record<string, { tags: readonly string[]; types: Readonly<Record<string, FieldType>> }>
>;

/** The parts of an export: CSV or line protocol of every series of `statement`, or JSON of the whole result. */
export function resultExportParts(
  result: QueryResult,
  input: { statement: number; format: ResultFormat; epoch: QueryEpoch; lp?: LpSchemas },
): { parts: Iterable<string>; name: string; rows: number } {
  if (input.format === 'json') return { parts: resultJsonChunks(result), name: 'result.json', rows: result.rowCount };
  const st = result.statements[input.statement];
  if (!st) throw new AppError('NOT_FOUND', `The result has no statement ${input.statement + 1}.`);
  const rows = st.series.reduce((n, s) => n + s.rows.length, 0);
  const base = safeName(st.series[0]?.name || 'result');
  if (input.format === 'csv') return { parts: csvChunks(st.series), name: `${base}.csv`, rows };
  const lp = input.lp ?? {};
  function* lines(): Generator<string> {
    for (const s of st!.series) {
      const schema = lp[s.name];
      yield* lineProtocolChunks(
        s,
        input.epoch,
        new Set(schema?.tags ?? []),
        new Map(Object.entries(schema?.types ?? {})),
      );
    }
  }
  return { parts: lines(), name: `${base}.lp`, rows };
}

/** Joins parts for the clipboard, refusing text above {@link MAX_CLIPBOARD_CHARS}. */
export function clipboardText(parts: Iterable<string>, max = MAX_CLIPBOARD_CHARS): string {
  let text = '';
  for (const p of parts) {
    text += p;
    if (text.length > max) {
      throw new AppError(
        'BAD_REQUEST',
        `The result is larger than ${max / (1024 * 1024)} MiB of text, too large for the clipboard. Use Export instead.`,
      );
    }
  }
  return text;
}

/**
 * Writes parts to `file` as they are made (created new, mode 0600: results can be private). A failed
 * write removes the partial file and says why (STORAGE).
 */
export async function writeParts(file: string, parts: Iterable<string>, flag: 'wx' | 'w' = 'wx'): Promise<number> {
  let bytes = 0;
  let fh: fs.FileHandle | undefined;
  try {
    fh = await fs.open(file, flag, 0o600);
    for (const p of parts) {
      const buf = Buffer.from(p, 'utf8');
      await fh.write(buf);
      bytes += buf.byteLength;
    }
    await fh.close();
    fh = undefined;
  } catch (err) {
    await fh?.close().catch(() => undefined);
    await fs.rm(file, { force: true }).catch(() => undefined);
    throw new AppError('STORAGE', `Could not write ${file}: ${(err as Error).message}`);
  }
  return bytes;
}

/**
 * Browser mode's sink: `dir/<name>-<time>.<ext>` (never replacing a file), in a 0700 folder. The page
 * is told the path; it never receives the text.
 */
export function folderResultSink(dir: string, now: () => Date = () => new Date()): ResultSink {
  return {
    async file(parts, name) {
      await fs.mkdir(dir, { recursive: true, mode: 0o700 });
      const ext = path.extname(name);
      const stamp = now().toISOString().replace(/[:.]/g, '-');
      let file = path.join(dir, `${path.basename(name, ext)}-${stamp}${ext}`);
      for (let n = 2; await exists(file); n++) file = path.join(dir, `${path.basename(name, ext)}-${stamp}-${n}${ext}`);
      const bytes = await writeParts(file, parts);
      return { to: 'file', path: file, bytes };
    },
  };
}

async function exists(file: string): Promise<boolean> {
  return fs.stat(file).then(
    () => true,
    () => false,
  );
}

function safeName(name: string): string {
  return (
    name
      .replace(/[^A-Za-z0-9._-]/g, '_')
      .replace(/^\.+/, '')
      .slice(0, 100) || 'result'
  );
}
