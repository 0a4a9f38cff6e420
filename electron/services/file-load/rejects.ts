/**
 * The rejects file: every refused entry in line-protocol form, each preceded by a `#` comment with
 * its source line and the reason, so the user can fix the file and send it again as it is (servers
 * skip comment lines).
 */

import type { RejectRecord } from './batcher';

/** The header written once at the top of a new rejects file. */
export function rejectsHeader(source: string, startedAt: string): string {
  return (
    `# influx-workbench write: entries of ${oneLine(source)} that were not written ` +
    `(${startedAt})\n# Each is preceded by its source line and the reason. Fix them and send ` +
    `this file again.\n`
  );
}

/** Formats rejected entries. The entry's bytes are kept as they were in the source. */
export function formatRejects(records: readonly RejectRecord[]): Buffer {
  const parts: Buffer[] = [];
  for (const r of records) {
    const lines = r.endLine > r.line ? `lines ${r.line}-${r.endLine}` : `line ${r.line}`;
    parts.push(Buffer.from(`# ${lines}: ${oneLine(r.reason)}\n`, 'utf8'));
    parts.push(Buffer.from(r.bytes));
    if (r.bytes.length === 0 || r.bytes[r.bytes.length - 1] !== 10) parts.push(Buffer.from('\n'));
  }
  return Buffer.concat(parts);
}

/** A comment must stay on one line: newlines (and CRs) in a server's reason are shown escaped. */
function oneLine(text: string): string {
  return text.replace(/\r/g, '\\r').replace(/\n/g, '\\n');
}

/** Reads a rejects file back into (line, reason, entry text) triples: for the app's editor and for tests. */
export function parseRejects(text: string): Array<{ line: number; endLine: number; reason: string; entry: string }> {
  const out: Array<{ line: number; endLine: number; reason: string; entry: string }> = [];
  const rows = text.split('\n');
  for (let i = 0; i < rows.length; i++) {
    const m = /^# lines? (\d+)(?:-(\d+))?: (.*)$/.exec(rows[i]!);
    if (!m) continue;
    const line = Number(m[1]);
    const endLine = m[2] === undefined ? line : Number(m[2]);
    const span = endLine - line + 1;
    out.push({ line, endLine, reason: m[3]!, entry: rows.slice(i + 1, i + 1 + span).join('\n') });
    i += span;
  }
  return out;
}
