/**
 * "Apply all safe fixes", planned before anything touches the editor. Two diagnostics of one entry
 * can offer safe fixes for the same failure: on 1.x, `cpu,host=b<TAB>usage=2` is an invalid tag (the
 * tab is part of the tag value, so `usage=2` is too) and a tab. Escaping the `=` treats the symptom and
 * leaves a new error; replacing the tab the parser actually tripped on fixes the line. So the fixes
 * of each entry are tried in order of what the parser saw, one at a time, each re-validated (with
 * the cross-line rules) before the next. A fix after which an error exists that did not exist before
 * stays on trial while the entry's next fixes are tried (the two smart quotes of one string only fix
 * it together); if the entry never gets back to no new error, the fixes on trial are not safe: they
 * are undone and reported.
 */

import { codeStage } from './codes';
import { createLpDocument } from './document';
import type { LpOptions } from './engine';
import type { Diagnostic, QuickFix } from './types';

/** A fix of the plan: where and what (the title the user saw in the quick-fix menu). */
export interface PlannedFix {
  readonly line: number;
  readonly title: string;
}

/** A safe fix that was not applied: it would have left the error in `error`. */
export interface RefusedFix extends PlannedFix {
  readonly error: string;
}

/** One replacement against the original text (1-based lines and columns, end column exclusive). */
export interface LineEdit {
  readonly line: number;
  readonly startColumn: number;
  readonly endColumn: number;
  readonly text: string;
}

/** What "apply all safe fixes" will do to a text. */
export interface SafeFixPlan {
  /** Edits against the original text, non-overlapping, at most one per line. */
  readonly edits: LineEdit[];
  readonly applied: PlannedFix[];
  readonly refused: RefusedFix[];
}

/** A safe fix with the diagnostic that offers it. */
export interface FixCandidate {
  readonly diagnostic: Diagnostic;
  readonly fix: QuickFix;
}

/** Tries per entry: an entry rarely has more than a few safe fixes; this bounds a pathological one. */
const MAX_TRIES_PER_ENTRY = 64;

function inside(d: Diagnostic, outer: Diagnostic): boolean {
  const end = d.endLine ?? d.line;
  const outerEnd = outer.endLine ?? outer.line;
  const startsAfter = d.line > outer.line || (d.line === outer.line && d.startColumn >= outer.startColumn);
  const endsBefore =
    end < outerEnd || (end === outerEnd && d.endColumn <= Math.max(outer.endColumn, outer.startColumn + 1));
  return startsAfter && endsBefore;
}

/**
 * The safe fixes among one entry's diagnostics, in the order to try them: first the hygiene fixes of a
 * character inside an error's range (what the parser actually saw where it failed: a tab, a smart
 * quote, a CR), then the errors' own fixes, then the rest; by position within each rank.
 */
export function orderSafeFixes(diagnostics: readonly Diagnostic[]): FixCandidate[] {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  const rank = (d: Diagnostic): number => {
    if (codeStage(d.code) === 'hygiene' && errors.some((e) => inside(d, e))) return 0;
    return d.severity === 'error' ? 1 : 2;
  };
  const out: Array<FixCandidate & { rank: number }> = [];
  for (const d of diagnostics) {
    const fix = d.fixes?.find((f) => f.isSafe);
    if (fix) out.push({ diagnostic: d, fix, rank: rank(d) });
  }
  out.sort(
    (a, b) =>
      a.rank - b.rank || a.diagnostic.line - b.diagnostic.line || a.diagnostic.startColumn - b.diagnostic.startColumn,
  );
  return out.map(({ diagnostic, fix }) => ({ diagnostic, fix }));
}

/** Every error of the document, keyed by code and line (messages quote the line, so they change with it). */
function errorsOf(diagnostics: readonly Diagnostic[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const d of diagnostics) if (d.severity === 'error') out.set(`${d.code}@${d.line}`, d.message);
  return out;
}

/** Applies a fix's edits (all on the lines `first..`) to those lines; edits on one line right to left. */
function applyFix(lines: readonly string[], first: number, fix: QuickFix): string[] {
  const out = [...lines];
  const edits = [...fix.edits].sort((a, b) => b.line - a.line || b.startColumn - a.startColumn);
  for (const e of edits) {
    const i = e.line - first;
    const text = out[i];
    if (text === undefined) continue;
    out[i] = text.slice(0, e.startColumn - 1) + e.text + text.slice(e.endColumn - 1);
  }
  return out;
}

/** Plans "apply all safe fixes" on `text` under `options` (see the module comment). */
export function planSafeFixes(text: string, options: LpOptions): SafeFixPlan {
  const doc = createLpDocument(options, text);
  const original = text.split('\n');
  const starts = new Set<number>();
  for (const d of doc.diagnostics()) {
    if (d.fixes?.some((f) => f.isSafe)) starts.add(doc.entryAt(d.line)?.line ?? d.line);
  }
  const applied: PlannedFix[] = [];
  const refused: RefusedFix[] = [];
  // Fix texts never hold a newline, so the line count never changes and entries keep their first line.
  for (const first of [...starts].sort((a, b) => a - b)) {
    const tried = new Set<string>();
    // The errors before this entry's fixes; a state is kept only when it has no error beyond them.
    const baseline = errorsOf(doc.diagnostics());
    const keptLines = () =>
      doc
        .getText()
        .split('\n')
        .slice(first - 1, doc.entryAt(first)?.endLine ?? first);
    let kept = keptLines();
    // Fixes applied since the last kept state: some only work together (the two smart quotes of a
    // string), so a fix that leaves a new error stays on trial while the entry's next fixes are tried.
    let trial: RefusedFix[] = [];
    for (let n = 0; n < MAX_TRIES_PER_ENTRY; n++) {
      const entry = doc.entryAt(first);
      if (entry === null) break;
      const next = orderSafeFixes(entry.diagnostics).find(
        (c) => !tried.has(`${c.fix.title}@${c.diagnostic.line}:${c.diagnostic.startColumn}`),
      );
      if (next === undefined) break;
      tried.add(`${next.fix.title}@${next.diagnostic.line}:${next.diagnostic.startColumn}`);
      const lines = doc
        .getText()
        .split('\n')
        .slice(first - 1, entry.endLine);
      doc.update(first, entry.endLine, applyFix(lines, first, next.fix));
      const created = [...errorsOf(doc.diagnostics())].find(([key]) => !baseline.has(key));
      const fix = { line: next.diagnostic.line, title: next.fix.title };
      if (created === undefined) {
        applied.push(...trial.map(({ line, title }) => ({ line, title })), fix);
        trial = [];
        kept = keptLines();
      } else {
        trial.push({ ...fix, error: created[1] });
      }
    }
    if (trial.length > 0) {
      // Back to the last state without a new error; what was on trial is reported, not applied.
      const entry = doc.entryAt(first);
      doc.update(first, entry?.endLine ?? first + kept.length - 1, kept);
      refused.push(...trial);
    }
  }
  const now = doc.getText().split('\n');
  const edits: LineEdit[] = [];
  for (let i = 0; i < original.length; i++) {
    const a = original[i]!;
    const b = now[i] ?? '';
    if (a === b) continue;
    let p = 0;
    while (p < a.length && p < b.length && a.charCodeAt(p) === b.charCodeAt(p)) p++;
    let s = 0;
    while (s < a.length - p && s < b.length - p && a.charCodeAt(a.length - 1 - s) === b.charCodeAt(b.length - 1 - s))
      s++;
    edits.push({ line: i + 1, startColumn: p + 1, endColumn: a.length - s + 1, text: b.slice(p, b.length - s) });
  }
  return { edits, applied, refused };
}
