import type { HttpExchange } from '../../shared/domain/http';

/** A write the server accepted (204, empty body): what a fake `send` answers when the answer does not matter. */
export function acceptedWriteExchange(): HttpExchange {
  return {
    request: {
      method: 'POST',
      url: 'http://x/write',
      headers: [],
      bodyBytes: 0,
      wireBytes: 0,
      gzip: false,
      bodyLines: 0,
    },
    response: { status: 204, statusText: 'No Content', headers: [], body: '', bodyBytes: 0, contentType: '' },
    error: null,
    timing: { startedAt: new Date(0).toISOString(), ttfbMs: 1, totalMs: 2 },
    redirects: [],
  };
}
