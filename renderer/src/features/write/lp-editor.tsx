import Editor, { type OnMount } from '@monaco-editor/react';
import type * as Monaco from 'monaco-editor/editor/editor.api';
import { type MutableRefObject, useCallback, useEffect, useRef, useState } from 'react';

import type { LpOptions, SafeFixPlan } from '../../../../shared/lp';
import { LP_LANGUAGE } from '../../lib/monaco/line-protocol';
import { monaco } from '../../lib/monaco/setup';
import {
  type LpEditorHandle,
  type ServerDiagnosticsProp,
  useServerDiagnostics,
} from '../explain/use-server-diagnostics';
import { attachLpLanguage, type LpSession, type LpState } from './lp-language';

/** How long typing may pause before the text is handed to the parent (see LpEditor). */
const HAND_OVER_MS = 150;

/**
 * The line-protocol editor (Monaco) with the live language service. Always LF, whatever was pasted.
 *
 * The Monaco model holds the text while the user types: it is handed to `onChange` once typing
 * pauses, when the editor loses focus, when the page goes away, or when `readBodyRef` is called.
 * Reading the whole text and re-rendering the workspace on every keystroke cost ~10 ms per keystroke
 * at p95 in a 100,000-line document (bench:editor). A new `value` from the parent (a reopened or
 * imported draft, a fix from the error panel) replaces the text, as one undoable edit.
 */
export function LpEditor(props: {
  value: string;
  onChange: (value: string) => void;
  /** Set to a function returning the current text (handed over first), for actions such as Send. */
  readBodyRef?: MutableRefObject<(() => string) | null>;
  /** Validation rules: the connection's flavor, the endpoint and the precision that will be sent. */
  lpOptions: LpOptions;
  onLpState: (state: LpState) => void;
  /** What "apply all safe fixes" did (from the status bar or the quick-fix menu). */
  onFixes?: (plan: SafeFixPlan) => void;
  /** The language session, for "apply all safe fixes" and reading diagnostics. */
  onLpSession?: (session: LpSession | null) => void;
  /** The server's rejected lines after a failed write (own marker owner, apart from validation). */
  serverDiagnostics?: ServerDiagnosticsProp;
  /** Reveal-line and friends for the parent (the explanation panel's line links). */
  onEditorReady?: (handle: LpEditorHandle | null) => void;
  /** Ctrl/Cmd+Enter in the editor (Send). */
  onSubmit?: () => void;
}) {
  const attachServer = useServerDiagnostics(props.serverDiagnostics, props.onEditorReady);
  const session = useRef<LpSession | null>(null);
  const { lpOptions, onLpState, onLpSession, onChange, value, readBodyRef, onSubmit, onFixes } = props;
  const latest = useRef({ lpOptions, onLpState, onLpSession, onChange, value, onSubmit, onFixes });
  useEffect(() => {
    latest.current = { lpOptions, onLpState, onLpSession, onChange, value, onSubmit, onFixes };
  });
  const editorRef = useRef<Monaco.editor.IStandaloneCodeEditor | null>(null);
  // The model starts with the text of the first render: a value that arrives while Monaco loads (a
  // history Reopen into a workspace that just mounted) is then applied in onMount as an undoable edit,
  // so Ctrl+Z brings back the text it replaced.
  const [initialValue] = useState(value);
  // The text the parent has: what was last handed over, or the last value it passed down.
  const handedOver = useRef(value);
  const dirty = useRef(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const applyingValue = useRef(false);
  const handOver = useCallback((): string => {
    if (timer.current !== null) clearTimeout(timer.current);
    timer.current = null;
    const model = editorRef.current?.getModel();
    // No model: the editor was disposed first; its last text was handed over on blur.
    if (!dirty.current || !model) return handedOver.current;
    dirty.current = false;
    handedOver.current = model.getValue();
    latest.current.onChange(handedOver.current);
    return handedOver.current;
  }, []);
  useEffect(() => {
    if (readBodyRef) readBodyRef.current = handOver;
  }, [readBodyRef, handOver]);
  /** Puts the parent's text in the model (one undoable edit), unless the model has it already. */
  const applyValue = useCallback((editor: Monaco.editor.IStandaloneCodeEditor, text: string) => {
    handedOver.current = text;
    dirty.current = false;
    if (timer.current !== null) clearTimeout(timer.current);
    timer.current = null;
    const model = editor.getModel();
    if (!model || model.getValue() === text) return;
    applyingValue.current = true;
    try {
      editor.pushUndoStop();
      editor.executeEdits('workspace', [{ range: model.getFullModelRange(), text, forceMoveMarkers: true }]);
      editor.pushUndoStop();
    } finally {
      applyingValue.current = false;
    }
  }, []);
  // A value that is not the one handed over came from elsewhere: it replaces the text. Comparing
  // with the handed-over string is a reference check when the parent just echoes it back.
  useEffect(() => {
    if (editorRef.current && value !== handedOver.current) applyValue(editorRef.current, value);
  }, [value, applyValue]);
  useEffect(() => {
    // The last keystrokes reach the draft when the window closes or the workspace goes away.
    window.addEventListener('pagehide', handOver);
    return () => {
      window.removeEventListener('pagehide', handOver);
      handOver();
    };
  }, [handOver]);
  const optionsKey = `${lpOptions.flavor}|${lpOptions.api ?? ''}|${lpOptions.precision ?? ''}`;
  useEffect(() => {
    session.current?.setOptions(latest.current.lpOptions);
  }, [optionsKey]);
  useEffect(
    () => () => {
      session.current?.dispose();
      session.current = null;
      latest.current.onLpSession?.(null);
    },
    [],
  );
  const onMount: OnMount = (editor) => {
    editorRef.current = editor;
    editor.getModel()?.setEOL(monaco.editor.EndOfLineSequence.LF);
    // The value may have changed while Monaco loaded.
    applyValue(editor, latest.current.value);
    let first = true;
    editor.onDidChangeModelContent(() => {
      if (applyingValue.current) return;
      dirty.current = true;
      // The first edit is handed over at once: it marks the draft as edited, so a stored copy that
      // arrives a moment later does not replace what the user has begun to type.
      if (first) {
        first = false;
        handOver();
        return;
      }
      if (timer.current !== null) clearTimeout(timer.current);
      timer.current = setTimeout(handOver, HAND_OVER_MS);
    });
    editor.onDidBlurEditorText(() => handOver());
    editor.addAction({
      id: 'influx-workbench.send',
      label: 'Send',
      keybindings: [monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter],
      run: () => latest.current.onSubmit?.(),
    });
    session.current = attachLpLanguage(
      monaco,
      editor,
      latest.current.lpOptions,
      (state) => latest.current.onLpState(state),
      (plan) => latest.current.onFixes?.(plan),
    );
    latest.current.onLpSession?.(session.current);
    attachServer(editor);
  };
  return (
    <div className="editor-frame" data-testid="lp-editor">
      <Editor
        defaultValue={initialValue}
        language={LP_LANGUAGE}
        theme="influx-dark"
        onMount={onMount}
        options={{
          minimap: { enabled: false },
          fontSize: 13,
          wordWrap: 'off',
          renderWhitespace: 'boundary',
          unicodeHighlight: { ambiguousCharacters: true, invisibleCharacters: true, nonBasicASCII: false },
          scrollBeyondLastLine: false,
          automaticLayout: true,
          glyphMargin: true,
          // Hovers and the code-action menu may extend past the editor's box (short documents).
          fixedOverflowWidgets: true,
          lightbulb: { enabled: 'on' as never },
        }}
      />
    </div>
  );
}
