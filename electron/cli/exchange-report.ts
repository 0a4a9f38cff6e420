import { escapeControls, formatBytes, prettyIfJson } from '../../shared/domain/format';
import { type HttpExchange, isSuccess } from '../../shared/domain/http';
import type { CliIo } from './io';
import { formatWriteDiagnostics, type WriteDiagnostics } from './write-diagnostics';

/** How `write` and `ping` print what the server answered: the same shape for both. */

/** Prints an exchange as text or one JSON object; returns the exit code (0 on 2xx, else 1). */
export function reportExchange(
  x: HttpExchange,
  json: boolean,
  io: CliIo,
  ping: { version: string | null; build: string | null } | null,
  write?: WriteDiagnostics,
): number {
  const ok = isSuccess(x);
  if (json) {
    io.stdout(
      `${JSON.stringify({
        status: x.response?.status ?? null,
        ok,
        headers: Object.fromEntries((x.response?.headers ?? []).map(([k, v]) => [k.toLowerCase(), v])),
        body: x.response?.body ?? null,
        timing: x.timing,
        request: x.request,
        ...(x.error ? { error: x.error } : {}),
        ...(x.redirects.length > 0 ? { redirects: x.redirects } : {}),
        ...(ping ?? {}),
        ...(write ? { diagnostics: write.diagnostics, explanation: write.explanation } : {}),
      })}\n`,
    );
    return ok ? 0 : 1;
  }
  if (x.response) {
    const r = x.response;
    const sizes = x.request.gzip
      ? `sent ${formatBytes(x.request.wireBytes)} (gzip of ${formatBytes(x.request.bodyBytes)})`
      : `sent ${formatBytes(x.request.wireBytes)}`;
    io.stdout(
      `HTTP ${r.status} ${escapeControls(r.statusText)}  ${x.timing.totalMs.toFixed(1)} ms ` +
        `(TTFB ${x.timing.ttfbMs?.toFixed(1) ?? '-'} ms)  ${sizes}\n`,
    );
    if (ping)
      io.stdout(
        `version: ${escapeControls(ping.version ?? '(no X-Influxdb-Version header)')}\n` +
          `build: ${escapeControls(ping.build ?? '(no X-Influxdb-Build header)')}\n`,
      );
    // Control characters are escaped for the terminal; --json above keeps the body exact.
    if (r.body !== '') io.stdout(`${escapeControls(prettyIfJson(r.body, r.contentType))}\n`);
    // After the raw body, never instead of it.
    if (write) io.stdout(escapeControls(formatWriteDiagnostics(write)));
  } else if (x.error) {
    io.stderr(`error: ${escapeControls(x.error.message)}${x.error.code ? ` (${x.error.code})` : ''}\n`);
  }
  return ok ? 0 : 1;
}
