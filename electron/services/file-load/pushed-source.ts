/**
 * A load's input handed over piece by piece by someone else (the app's renderer reads the file the
 * user picked and sends its bytes over IPC). `push` resolves once the loader took the piece, so the
 * sender never runs ahead of the loader by more than one piece; it resolves `false` once the load
 * stopped reading, so the sender stops too.
 */
export class PushedSource {
  private readonly pieces: Array<{ offset: number; data: Uint8Array; last: boolean; taken: (more: boolean) => void }> =
    [];
  private wake: (() => void) | null = null;
  private closed = false;
  private expected: number;

  /** `start`: the offset of the first piece (a resumed load's input starts at its checkpoint). */
  constructor(start = 0) {
    this.expected = start;
  }

  /** Hands over the piece at `offset` (pieces must come in order); resolves when it was taken. */
  push(offset: number, data: Uint8Array, last: boolean): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    if (offset !== this.expected)
      return Promise.reject(new Error(`expected the bytes at ${this.expected}, got ${offset}`));
    this.expected += data.length;
    return new Promise((resolve) => {
      this.pieces.push({ offset, data, last, taken: resolve });
      this.wake?.();
    });
  }

  /** The loader stopped reading: every waiting sender is told to stop. */
  close(): void {
    this.closed = true;
    for (const p of this.pieces.splice(0)) p.taken(false);
    this.wake?.();
  }

  /** The input as the loader reads it. */
  async *read(): AsyncIterable<Uint8Array> {
    try {
      for (;;) {
        const next = this.pieces.shift();
        if (next === undefined) {
          if (this.closed) return;
          await new Promise<void>((resolve) => (this.wake = resolve));
          this.wake = null;
          continue;
        }
        next.taken(!next.last);
        if (next.data.length > 0) yield next.data;
        if (next.last) return;
      }
    } finally {
      this.close();
    }
  }
}
