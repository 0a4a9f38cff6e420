import type * as Monaco from 'monaco-editor/editor/editor.api';
import { useCallback, useEffect, useRef, useState } from 'react';

import type { ServerLineMark } from './server-diagnostics';
import {
  applyServerMarks,
  clearServerMarks,
  registerServerCodeActions,
  type ServerLineActions,
} from './server-markers';

/**
 * Wires the server's diagnostics into an LpEditor: the editor calls the returned `attach` from its
 * onMount; markers follow the `serverDiagnostics` prop; the quick-fix actions call the latest
 * callbacks. Lives apart from lp-editor.tsx so the language service and this stay independent.
 */

/** The `serverDiagnostics` prop of LpEditor. */
export interface ServerDiagnosticsProp {
  readonly status: number;
  /** Already mapped onto the editor's current text (mapServerMarks). */
  readonly marks: readonly ServerLineMark[];
  /** Null hides the quick-fix actions (e.g. while a request is in flight). */
  readonly actions: ServerLineActions | null;
}

/** What LpEditor hands its parent through `onEditorReady`. */
export interface LpEditorHandle {
  /** Scrolls to a line, selects it and focuses the editor. */
  revealLine(line: number): void;
  /** The 1-based lines carrying a server decoration now (read from Monaco; used by tests and the UI). */
  serverLines(): number[];
}

type Editor = Monaco.editor.IStandaloneCodeEditor;

/** See the module comment. */
export function useServerDiagnostics(
  diagnostics: ServerDiagnosticsProp | undefined,
  onEditorReady?: (handle: LpEditorHandle | null) => void,
): (editor: Editor) => void {
  const [editor, setEditor] = useState<Editor | null>(null);
  const collection = useRef<Monaco.editor.IEditorDecorationsCollection | null>(null);
  const latest = useRef({ diagnostics, onEditorReady });
  useEffect(() => {
    latest.current = { diagnostics, onEditorReady };
  });

  useEffect(() => {
    if (!editor) return;
    const handle: LpEditorHandle = {
      revealLine: (line) => {
        const model = editor.getModel();
        if (!model || line < 1 || line > model.getLineCount()) return;
        editor.revealLineInCenter(line);
        editor.setSelection({
          startLineNumber: line,
          startColumn: 1,
          endLineNumber: line,
          endColumn: model.getLineMaxColumn(line),
        });
        editor.focus();
      },
      serverLines: () => (collection.current?.getRanges() ?? []).map((r) => r.startLineNumber),
    };
    latest.current.onEditorReady?.(handle);
    const actions = registerServerCodeActions(editor, () => latest.current.diagnostics?.actions ?? null);
    return () => {
      actions.dispose();
      clearServerMarks(editor, collection.current);
      collection.current = null;
      latest.current.onEditorReady?.(null);
    };
  }, [editor]);

  const marks = diagnostics?.marks;
  const status = diagnostics?.status ?? 0;
  useEffect(() => {
    if (!editor) return;
    collection.current = applyServerMarks(editor, marks ?? [], status, collection.current);
  }, [editor, marks, status]);

  return useCallback((e: Editor) => setEditor(e), []);
}
