import type { ServerFlavor } from '../../shared/domain/flavor';
import type { HttpExchange } from '../../shared/domain/http';
import { decodeWriteError, type LineDiagnostic } from '../../shared/errors/decode';
import { explain, type Explanation } from '../../shared/errors/explain';

/**
 * What `write` adds to its output on an HTTP error: the server's per-line diagnostics, numbered
 * against the body that was sent (1.x names lines by text), and the matching explanations. The same
 * shared/errors code the app's inspector uses.
 */

/** The extra `write --json` properties. Empty lists on success or when nothing came back. */
export interface WriteDiagnostics {
  readonly summary: string | null;
  readonly diagnostics: LineDiagnostic[];
  readonly explanation: Explanation[];
}

/** Decodes and explains a write's answer; `body` is the line protocol as it was sent. */
export function writeDiagnostics(x: HttpExchange, body: string, flavor: ServerFlavor | undefined): WriteDiagnostics {
  const r = x.response;
  if (!r || r.status < 300) return { summary: null, diagnostics: [], explanation: [] };
  const decoded = decodeWriteError({
    status: r.status,
    body: r.body,
    contentType: r.contentType,
    flavor,
    requestBody: body,
  });
  const explanation = explain({
    status: r.status,
    body: r.body,
    contentType: r.contentType,
    flavor,
    headers: r.headers,
    requestBody: body,
    decoded,
  });
  return { summary: decoded.summary, diagnostics: decoded.lines, explanation };
}

/** The human-readable block printed after the body on an error. */
export function formatWriteDiagnostics(d: WriteDiagnostics): string {
  if (d.summary === null) return '';
  let out = `\n${d.summary}\n`;
  if (d.diagnostics.length > 0) {
    out += 'Rejected lines:\n';
    for (const l of d.diagnostics)
      out += `${l.line === null ? '     ?' : `  ${String(l.line).padStart(4)}`}: ${l.message}\n`;
  }
  return out + formatExplanations(d.explanation);
}

/** The explanations as `write` and `explain` print them: title and id, cause, fix, details, lines, docs. */
export function formatExplanations(explanations: readonly Explanation[]): string {
  let out = '';
  for (const e of explanations) {
    out += `\n${e.title}  [${e.id}${e.matchedBy === 'status' ? ', by status' : ''}]\n  Cause: ${e.cause}\n  Fix:   ${e.fix}\n`;
    for (const detail of e.details) out += `  - ${detail}\n`;
    if (e.lines.length > 0) out += `  Lines: ${e.lines.join(', ')}\n`;
    if (e.docs) out += `  Docs:  ${e.docs}\n`;
  }
  return out;
}
