import type * as Monaco from 'monaco-editor/editor/editor.api';

import {
  createLpDocument,
  type Diagnostic,
  formatNs,
  type LpDocument,
  type LpOptions,
  type LpSummary,
  planSafeFixes,
  type Point,
  type QuickFix,
  type SafeFixPlan,
} from '../../../../shared/lp';

/**
 * The line-protocol language service in Monaco: an incrementally validated {@link LpDocument} kept in
 * step with the editor model (only changed lines are re-validated), its diagnostics as markers, the
 * parsed point on hover (timestamp decoded), and its fixes as code actions.
 */

/** Marker owner of local validation (server errors use their own owner, so the two never mix). */
export const LP_MARKER_OWNER = 'lp-validate';

/** What the workspace shows next to the editor. */
export interface LpState {
  readonly errors: number;
  readonly warnings: number;
  /** The first error, for the "why can't I send" message. */
  readonly firstError: Diagnostic | null;
  readonly safeFixes: number;
  /** Timestamps that only make sense at another precision (the guard's LP401), summed up for a banner. */
  readonly precision: PrecisionMisfits | null;
}

/** The precision guard over the whole document: how many timestamps misfit, the first, and the unit that fits. */
export interface PrecisionMisfits {
  readonly count: number;
  readonly first: Diagnostic;
  /** The unit under which the first misfit makes sense (`s`), when the guard found one. */
  readonly suggestion: string | null;
}

/** A language-service session bound to one editor. */
export interface LpSession {
  setOptions(options: LpOptions): void;
  /**
   * Applies every safe fix in the document as one undoable edit, each re-validated first (see
   * `planSafeFixes`); reports the plan to `onFixes` and returns it.
   */
  applyAllSafeFixes(): SafeFixPlan;
  /** The current diagnostics. */
  diagnostics(): Diagnostic[];
  /** The batch summary of the text as it is now, from this session's document (no second parse). */
  summary(): LpSummary;
  dispose(): void;
}

type MonacoApi = typeof Monaco;

const SEVERITY = { error: 8, warning: 4, info: 2 } as const; // Monaco MarkerSeverity values

/** Attaches the language service to an editor. `onState` is called after every revalidation. */
export function attachLpLanguage(
  monaco: MonacoApi,
  editor: Monaco.editor.IStandaloneCodeEditor,
  initial: LpOptions,
  onState: (state: LpState) => void,
  onFixes: (plan: SafeFixPlan) => void = () => undefined,
): LpSession {
  const model = editor.getModel();
  if (!model) throw new Error('The editor has no model');
  let options = initial;
  let doc: LpDocument = createLpDocument(options, model.getValue());
  // Physical lines before each edit: Monaco's change events give ranges in the old text, and the
  // document is updated by whole lines.
  let lines = model.getLinesContent();
  let lastKeyAt: number | null = null;

  const publish = (): void => {
    const diags = doc.diagnostics();
    monaco.editor.setModelMarkers(model, LP_MARKER_OWNER, diags.map(toMarker));
    let errors = 0;
    let warnings = 0;
    let safeFixes = 0;
    let firstError: Diagnostic | null = null;
    let misfits = 0;
    let firstMisfit: Diagnostic | null = null;
    for (const d of diags) {
      if (d.code === 'LP401') {
        misfits++;
        firstMisfit ??= d;
      }
      if (d.severity === 'error') {
        errors++;
        firstError ??= d;
      } else if (d.severity === 'warning') warnings++;
      if (d.fixes?.some((f) => f.isSafe)) safeFixes++;
    }
    const precision =
      firstMisfit === null
        ? null
        : {
            count: misfits,
            first: firstMisfit,
            suggestion: /did you mean precision=(\w+)\?/.exec(firstMisfit.message)?.[1] ?? null,
          };
    onState({ errors, warnings, firstError, safeFixes, precision });
    if (lastKeyAt !== null) {
      // Keystroke → updated diagnostics, and → the next frame (React and Monaco rendered), read by
      // the editor benchmark through the Performance API.
      const start = lastKeyAt;
      performance.measure('lp-keystroke', { start, end: performance.now() });
      requestAnimationFrame(() => performance.measure('lp-keystroke-frame', { start, end: performance.now() }));
      lastKeyAt = null;
    }
  };

  const keyListener = editor.onKeyDown(() => {
    lastKeyAt = performance.now();
  });

  const changeListener = model.onDidChangeContent((event) => {
    if (event.isFlush) {
      doc = createLpDocument(options, model.getValue());
      lines = model.getLinesContent();
      publish();
      return;
    }
    // Changes are given against the text before the event, ordered so that applying them one after
    // another (bottom-up) is correct.
    for (const change of event.changes) {
      const r = change.range;
      const first = lines[r.startLineNumber - 1] ?? '';
      const last = lines[r.endLineNumber - 1] ?? '';
      const replaced = first.slice(0, r.startColumn - 1) + change.text + last.slice(r.endColumn - 1);
      const newLines = replaced.split(/\r\n|\r|\n/);
      doc.update(r.startLineNumber, r.endLineNumber, newLines);
      lines.splice(r.startLineNumber - 1, r.endLineNumber - r.startLineNumber + 1, ...newLines);
    }
    publish();
  });

  const hover = monaco.languages.registerHoverProvider(model.getLanguageId(), {
    provideHover: (m, position) => {
      if (m !== model) return null;
      const point = doc.pointAt(position.lineNumber);
      const entry = doc.entryAt(position.lineNumber);
      if (!point || !entry) return null;
      return {
        range: new monaco.Range(entry.line, 1, entry.endLine, m.getLineMaxColumn(entry.endLine)),
        contents: [{ value: describePoint(point) }],
      };
    },
  });

  const applyAllSafeFixes = (): SafeFixPlan => {
    const plan = planSafeFixes(model.getValue(), options);
    if (plan.edits.length > 0) {
      editor.pushUndoStop();
      editor.executeEdits(
        'lp-safe-fixes',
        plan.edits.map((e) => ({
          range: new monaco.Range(e.line, e.startColumn, e.line, e.endColumn),
          text: e.text,
        })),
      );
      editor.pushUndoStop();
    }
    onFixes(plan);
    return plan;
  };
  const fixAllCommand = editor.addCommand(0, applyAllSafeFixes);

  const actions = monaco.languages.registerCodeActionProvider(model.getLanguageId(), {
    provideCodeActions: (m, range) => {
      if (m !== model) return { actions: [], dispose: () => {} };
      const out: Monaco.languages.CodeAction[] = [];
      const diags = doc.diagnostics();
      for (const d of diags) {
        const endLine = d.endLine ?? d.line;
        if (endLine < range.startLineNumber || d.line > range.endLineNumber) continue;
        for (const fix of d.fixes ?? []) out.push(toCodeAction(monaco, m, fix, d));
      }
      const safe = diags.filter((d) => d.fixes?.some((f) => f.isSafe)).length;
      if (safe > 0 && fixAllCommand !== null) {
        // A command, not precomputed edits: the fixes are planned and re-validated when it runs.
        out.push({
          title: `Apply all safe fixes (${safe})`,
          kind: 'source.fixAll',
          command: { id: fixAllCommand, title: 'Apply all safe fixes' },
        });
      }
      return { actions: out, dispose: () => {} };
    },
  });

  publish();
  return {
    setOptions(next) {
      options = next;
      doc = createLpDocument(options, model.getValue());
      lines = model.getLinesContent();
      publish();
    },
    applyAllSafeFixes,
    diagnostics: () => doc.diagnostics(),
    summary: () => doc.summary(),
    dispose() {
      keyListener.dispose();
      changeListener.dispose();
      hover.dispose();
      actions.dispose();
      monaco.editor.setModelMarkers(model, LP_MARKER_OWNER, []);
    },
  };
}

function toMarker(d: Diagnostic): Monaco.editor.IMarkerData {
  return {
    severity: SEVERITY[d.severity],
    startLineNumber: d.line,
    startColumn: d.startColumn,
    endLineNumber: d.endLine ?? d.line,
    endColumn: Math.max(d.endColumn, d.startColumn + 1),
    message: d.message,
    code: d.code,
    source: 'line protocol',
  };
}

function textEdit(
  monaco: MonacoApi,
  model: Monaco.editor.ITextModel,
  e: QuickFix['edits'][number],
): Monaco.languages.IWorkspaceTextEdit {
  return {
    resource: model.uri,
    versionId: model.getVersionId(),
    textEdit: { range: new monaco.Range(e.line, e.startColumn, e.line, e.endColumn), text: e.text },
  };
}

function toCodeAction(
  monaco: MonacoApi,
  model: Monaco.editor.ITextModel,
  fix: QuickFix,
  d: Diagnostic,
): Monaco.languages.CodeAction {
  return {
    title: fix.title,
    kind: 'quickfix',
    isPreferred: fix.isSafe,
    diagnostics: [toMarker(d)],
    edit: { edits: fix.edits.map((e) => textEdit(monaco, model, e)) },
  };
}

/** Markdown for the hover: measurement, tags, fields with types, timestamp decoded in UTC and local time. */
export function describePoint(p: Point): string {
  const rows = [`**${escapeMd(p.measurement)}**`, ''];
  if (p.tags.length)
    rows.push(`tags: ${p.tags.map(([k, v]) => `\`${escapeMd(k)}\`=\`${escapeMd(v)}\``).join(', ')}`, '');
  rows.push('| field | type | value |', '|---|---|---|');
  for (const f of p.fields) rows.push(`| \`${escapeMd(f.key)}\` | ${f.type} | \`${escapeMd(String(f.value))}\` |`);
  rows.push('');
  if (p.timestampNs === null) rows.push('No timestamp: the server uses its clock.');
  else {
    const utc = formatNs(p.timestampNs);
    const ms = Number(p.timestampNs / 1_000_000n);
    rows.push(
      `time: \`${p.timestampNs}\` ns`,
      '',
      `UTC: ${utc ?? 'out of range'}`,
      '',
      `local: ${Number.isFinite(ms) && utc ? new Date(ms).toString() : '—'}`,
    );
  }
  return rows.join('\n');
}

function escapeMd(s: string): string {
  return s.replace(/[\\`*_|]/g, (c) => `\\${c}`);
}
