// The core editor API ships without hovers and quick fixes; the server's markers need both (the
// message on hover, the actions in the lightbulb menu). Loaded here, before any editor is created.
import 'monaco-editor/editor/contrib/hover/browser/hoverContribution';
import 'monaco-editor/editor/contrib/codeAction/browser/codeActionContributions';

import type * as Monaco from 'monaco-editor/editor/editor.api';

import { LP_LANGUAGE } from '../../lib/monaco/line-protocol';
import { monaco } from '../../lib/monaco/setup';
import type { ServerLineMark } from './server-diagnostics';

/**
 * The server's rejections drawn on the line-protocol editor. Kept apart from local validation on
 * purpose: its own marker owner (so the language service's `setModelMarkers` never clears these, and
 * vice versa), a message that says it is the server talking, and its own glyph and line classes.
 */

/** Marker owner of the server's diagnostics. Local validation uses a different one. */
export const SERVER_MARKER_OWNER = 'influx-server';

/** The markers' `source`: code-action contexts carry no owner, so this is how they are told apart. */
export const SERVER_MARKER_SOURCE = 'InfluxDB server';

/** CSS classes of the server's decorations (styles.css, "explain & export"). */
export const SERVER_GLYPH_CLASS = 'server-error-glyph';
export const SERVER_LINE_CLASS = 'server-error-line';

/** What the editor's quick-fix menu can do with the rejected lines. */
export interface ServerLineActions {
  readonly remove: () => void;
  readonly sendAgain: () => void;
  readonly copy: () => void;
}

type Editor = Monaco.editor.IStandaloneCodeEditor;

/** The marker message: the server's words, said to be the server's. */
export function serverMarkerMessage(status: number, message: string): string {
  return `InfluxDB rejected this line (HTTP ${status}): ${message}`;
}

/**
 * Puts markers and decorations on the marked lines (replacing the previous ones). Returns a function
 * that removes both, for when the editor unmounts.
 */
export function applyServerMarks(
  editor: Editor,
  marks: readonly ServerLineMark[],
  status: number,
  previous: Monaco.editor.IEditorDecorationsCollection | null,
): Monaco.editor.IEditorDecorationsCollection {
  const model = editor.getModel();
  const collection = previous ?? editor.createDecorationsCollection();
  if (!model) return collection;
  const last = model.getLineCount();
  const inRange = marks.filter((m) => m.line <= last);
  monaco.editor.setModelMarkers(
    model,
    SERVER_MARKER_OWNER,
    inRange.map((m) => {
      const end = Math.min(m.endLine, last);
      return {
        severity: monaco.MarkerSeverity.Error,
        source: SERVER_MARKER_SOURCE,
        message: serverMarkerMessage(status, m.message),
        startLineNumber: m.line,
        startColumn: 1,
        endLineNumber: end,
        endColumn: model.getLineMaxColumn(end),
      };
    }),
  );
  collection.set(
    inRange.map((m) => ({
      range: new monaco.Range(m.line, 1, Math.min(m.endLine, last), 1),
      options: {
        isWholeLine: true,
        className: SERVER_LINE_CLASS,
        glyphMarginClassName: SERVER_GLYPH_CLASS,
        glyphMarginHoverMessage: { value: `**InfluxDB (HTTP ${status})**: ${escapeMarkdown(m.message)}` },
        overviewRuler: { color: '#ff6b6b', position: monaco.editor.OverviewRulerLane.Left },
        stickiness: monaco.editor.TrackedRangeStickiness.NeverGrowsWhenTypingAtEdges,
      },
    })),
  );
  return collection;
}

/** Clears the server's markers from the editor's model. */
export function clearServerMarks(editor: Editor, collection: Monaco.editor.IEditorDecorationsCollection | null): void {
  const model = editor.getModel();
  if (model && !model.isDisposed()) monaco.editor.setModelMarkers(model, SERVER_MARKER_OWNER, []);
  collection?.clear();
}

/**
 * Registers the three actions as editor commands and a code-action provider that offers them on
 * lines carrying a server marker. `actions()` is read at run time so the latest callbacks are used.
 */
export function registerServerCodeActions(editor: Editor, actions: () => ServerLineActions | null): Monaco.IDisposable {
  const defs = [
    { id: 'influx-server.remove', title: 'Remove rejected lines', run: (a: ServerLineActions) => a.remove() },
    {
      id: 'influx-server.send-again',
      title: 'Send only the rejected lines again',
      run: (a: ServerLineActions) => a.sendAgain(),
    },
    { id: 'influx-server.copy', title: 'Copy rejected lines', run: (a: ServerLineActions) => a.copy() },
  ];
  const disposables = defs.map((d) =>
    editor.addAction({
      id: d.id,
      label: d.title,
      run: () => {
        const a = actions();
        if (a) d.run(a);
      },
    }),
  );
  const provider = monaco.languages.registerCodeActionProvider(LP_LANGUAGE, {
    provideCodeActions: (model, _range, context) => {
      // Providers are per language: answer only for this editor's model and the server's markers.
      if (model !== editor.getModel() || actions() === null) return { actions: [], dispose: () => {} };
      const server = context.markers.filter((m) => m.source === SERVER_MARKER_SOURCE);
      if (server.length === 0) return { actions: [], dispose: () => {} };
      return {
        actions: defs.map((d) => ({
          title: d.title,
          kind: 'quickfix',
          diagnostics: server,
          // addAction registers the command as "<editor id>:<action id>".
          command: { id: `${editor.getId()}:${d.id}`, title: d.title },
        })),
        dispose: () => {},
      };
    },
  });
  return {
    dispose: () => {
      for (const d of disposables) d.dispose();
      provider.dispose();
    },
  };
}

function escapeMarkdown(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!<>|]/g, (c) => `\\${c}`);
}
