import fs from 'node:fs';
import path from 'node:path';

import { redactText } from '../../shared/domain/redact';

/** A logger whose every line goes through credential redaction. */
export interface Logger {
  info(scope: string, message: string): void;
  error(scope: string, message: string, err?: unknown): void;
}

/** Creates a logger writing `[Scope] message` lines to `sink` (stderr by default). */
export function createLogger(sink: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Logger {
  const write = (level: string, scope: string, message: string): void =>
    sink(redactText(`${new Date().toISOString()} ${level} [${scope}] ${message}`));
  return {
    info: (scope, message) => write('info', scope, message),
    error: (scope, message, err) =>
      write(
        'error',
        scope,
        err === undefined ? message : `${message}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
      ),
  };
}

/** Writes every line to each sink (stderr and the log file, say). */
export function teeSink(...sinks: ReadonlyArray<(line: string) => void>): (line: string) => void {
  return (line) => {
    for (const sink of sinks) sink(line);
  };
}

/**
 * A log file the user can open: lines (already redacted by the logger) are appended to `file`; when it
 * passes `maxBytes` it becomes `file.1` (`file.1` becomes `file.2`, and so on), keeping `keep` old
 * files. Synchronous, so the line that explains a crash is on disk before it. A log that cannot be
 * written never stops the app: it is skipped (stderr still has the line).
 */
export function rotatingFileSink(
  file: string,
  options: { maxBytes?: number; keep?: number } = {},
): (line: string) => void {
  const maxBytes = options.maxBytes ?? 5 * 1024 * 1024;
  const keep = options.keep ?? 3;
  let size: number | null = null;
  const rotate = (): void => {
    for (let i = keep - 1; i >= 1; i--) {
      if (fs.existsSync(`${file}.${i}`)) fs.renameSync(`${file}.${i}`, `${file}.${i + 1}`);
    }
    if (keep > 0) fs.renameSync(file, `${file}.1`);
    else fs.rmSync(file, { force: true });
    size = 0;
  };
  return (line) => {
    try {
      if (size === null) {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        size = fs.existsSync(file) ? fs.statSync(file).size : 0;
      }
      const text = `${line}\n`;
      const bytes = Buffer.byteLength(text);
      if (size > 0 && size + bytes > maxBytes) rotate();
      fs.appendFileSync(file, text, { mode: 0o600 });
      size += bytes;
    } catch {
      size = null; // try again (and re-measure) with the next line
    }
  };
}

/** The log file's name inside a logs folder. */
export const LOG_FILE_NAME = 'influx-workbench.log';
