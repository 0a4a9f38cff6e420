/** Stable error codes that cross the IPC boundary. */
export const IPC_ERROR_CODES = [
  'BAD_REQUEST',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'CANCELLED',
  'STORAGE',
  'INTERNAL',
] as const;

/** One of {@link IPC_ERROR_CODES}. */
export type IpcErrorCode = (typeof IPC_ERROR_CODES)[number];

/** What every channel returns: errors travel as data, because Electron drops all but an Error's message. */
export type IpcResult<T> = { ok: true; data: T } | { ok: false; error: { code: IpcErrorCode; message: string } };

/**
 * An error a handler throws on purpose, with a code and a message that are safe to show the user.
 * Any other thrown error reaches the renderer as `INTERNAL` with a generic message.
 */
export class AppError extends Error {
  constructor(
    readonly code: IpcErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

/** The sentence an INTERNAL error ends with; the UI offers the log folder next to it. */
export const LOG_HINT = 'Details are in the log.';
