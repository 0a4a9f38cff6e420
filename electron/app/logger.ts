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
