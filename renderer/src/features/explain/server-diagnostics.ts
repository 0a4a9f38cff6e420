import { authSchemeSent } from '../../../../shared/domain/auth';
import type { ServerFlavor } from '../../../../shared/domain/flavor';
import type { HttpExchange } from '../../../../shared/domain/http';
import { type DecodedWriteError, decodeWriteError } from '../../../../shared/errors/decode';
import { explain, type Explanation } from '../../../../shared/errors/explain';

/**
 * The server's verdict on a write, tied to the body that was sent, and mapped onto whatever the
 * editor holds now. Pure (no React, no Monaco) so it is unit-tested in test/renderer/.
 *
 * Line numbers from the server refer to the body as SENT. The user keeps typing after a failed
 * write, so every rejected line is located again in the current text by its content: an unchanged
 * body maps one to one; an edited body maps each rejected line to the nearest identical line, and a
 * line the user changed (fixed, most likely) loses its marker instead of marking the wrong line.
 */

/** A failed write, decoded and explained against the body that was sent. */
export interface ServerReport {
  readonly status: number;
  readonly sentBody: string;
  readonly decoded: DecodedWriteError;
  readonly explanations: readonly Explanation[];
}

/** One rejected line where it is now in the editor. */
export interface ServerLineMark {
  /** 1-based line in the current text. */
  readonly line: number;
  /** Last line (entries with a newline inside a string field span several). */
  readonly endLine: number;
  /** Line number in the body as sent (what the server counted). */
  readonly sentLine: number;
  /** The server's message, verbatim. */
  readonly message: string;
}

/** Decodes and explains an exchange; null when there is nothing to explain (success, no response). */
export function buildServerReport(
  exchange: HttpExchange | null,
  sentBody: string,
  flavor: ServerFlavor,
  /** The connection's last detection (ping or probe), for what the server is when its answer does not say. */
  detected: { readonly flavor: ServerFlavor | null; readonly version: string | null } | null = null,
): ServerReport | null {
  const r = exchange?.response;
  if (!r || r.status < 300) return null;
  const decoded = decodeWriteError({
    status: r.status,
    body: r.body,
    contentType: r.contentType,
    flavor,
    requestBody: sentBody,
  });
  const explanations = explain({
    status: r.status,
    body: r.body,
    contentType: r.contentType,
    flavor,
    headers: r.headers,
    requestBody: sentBody,
    decoded,
    // What the app knows of this request and server, so the advice fits them (one card, not a generic second one).
    authScheme: authSchemeSent(exchange.request),
    requestUrl: exchange.request.url,
    detected,
  });
  return { status: r.status, sentBody, decoded, explanations };
}

/** Splits text into lines the way Monaco numbers them (LF or CRLF). */
export function splitLines(text: string): string[] {
  return text.split(/\r?\n/);
}

/** Maps the report's rejected lines onto `current` (see the module comment). */
export function mapServerMarks(report: ServerReport | null, current: string): ServerLineMark[] {
  if (!report) return [];
  const located = report.decoded.lines.filter((l): l is typeof l & { line: number } => l.line !== null);
  if (located.length === 0) return [];
  const sent = splitLines(report.sentBody);
  const unchanged = current === report.sentBody;
  const now = unchanged ? sent : splitLines(current);
  // Index the current lines by text once: typing re-runs this on every keystroke.
  const byText = new Map<string, number[]>();
  if (!unchanged) now.forEach((t, i) => (byText.get(t) ?? byText.set(t, []).get(t)!).push(i + 1));
  const used = new Set<number>();
  const placed = new Map<number, number>();
  const marks: ServerLineMark[] = [];
  for (const d of located) {
    const endLine = Math.max(d.line, d.endLine ?? d.line);
    if (d.line > sent.length) continue;
    const block = sent.slice(d.line - 1, endLine);
    let at: number | null = null;
    if (unchanged) at = d.line;
    else if (placed.has(d.line)) at = placed.get(d.line)!;
    else {
      let best = Number.POSITIVE_INFINITY;
      for (const start of byText.get(block[0]!) ?? []) {
        if (used.has(start) || !block.every((t, k) => now[start - 1 + k] === t)) continue;
        const distance = Math.abs(start - d.line);
        if (distance < best) {
          best = distance;
          at = start;
        }
      }
    }
    if (at === null) continue;
    // Several messages may name the same sent line (1.x storage errors): they share its new place,
    // while identical copies of a line (each reported) take distinct places.
    used.add(at);
    placed.set(d.line, at);
    marks.push({ line: at, endLine: at + block.length - 1, sentLine: d.line, message: d.message });
  }
  return marks;
}

/** The distinct current-line ranges covered by marks, in order. */
function ranges(marks: readonly ServerLineMark[]): Array<[number, number]> {
  const seen = new Set<string>();
  return marks
    .map((m): [number, number] => [m.line, m.endLine])
    .filter(([a, b]) => (seen.has(`${a}:${b}`) ? false : (seen.add(`${a}:${b}`), true)))
    .sort((x, y) => x[0] - y[0]);
}

/** `text` without the marked lines ("Remove rejected lines"). */
export function removeMarkedLines(text: string, marks: readonly ServerLineMark[]): string {
  if (marks.length === 0) return text;
  const drop = new Set<number>();
  for (const [a, b] of ranges(marks)) for (let n = a; n <= b; n++) drop.add(n);
  const lines = splitLines(text);
  const kept = lines.filter((_, i) => !drop.has(i + 1));
  // Keep a trailing newline if the text had one (the final empty "line" is never a rejected line).
  return kept.join('\n');
}

/** Only the marked lines, joined by LF with a trailing LF ("Send only the rejected lines again", "Copy"). */
export function pickMarkedLines(text: string, marks: readonly ServerLineMark[]): string {
  const lines = splitLines(text);
  const out: string[] = [];
  for (const [a, b] of ranges(marks)) out.push(...lines.slice(a - 1, b));
  return out.length === 0 ? '' : `${out.join('\n')}\n`;
}

/** Where a server line number (of the sent body) is now, or null when that line was edited away. */
export function currentLineOf(marks: readonly ServerLineMark[], sentLine: number): number | null {
  return marks.find((m) => m.sentLine === sentLine)?.line ?? null;
}
