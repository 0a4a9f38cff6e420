/**
 * In-flight requests by client-made id, so the Cancel button (and closing a window) can abort them.
 */
export interface RequestRegistry {
  run<T>(requestId: string, fn: (signal: AbortSignal) => Promise<T>): Promise<T>;
  cancel(requestId: string): boolean;
  cancelAll(): void;
  size(): number;
}

/** Creates an empty registry. */
export function createRequestRegistry(): RequestRegistry {
  const inFlight = new Map<string, AbortController>();
  return {
    async run(requestId, fn) {
      // A reused id cancels the older request: ids are per click, so this only happens on a bug.
      inFlight.get(requestId)?.abort();
      const controller = new AbortController();
      inFlight.set(requestId, controller);
      try {
        return await fn(controller.signal);
      } finally {
        if (inFlight.get(requestId) === controller) inFlight.delete(requestId);
      }
    },
    cancel(requestId) {
      const c = inFlight.get(requestId);
      if (!c) return false;
      c.abort();
      inFlight.delete(requestId);
      return true;
    },
    cancelAll() {
      for (const c of inFlight.values()) c.abort();
      inFlight.clear();
    },
    size: () => inFlight.size,
  };
}
