import Editor, { type OnMount } from '@monaco-editor/react';
import { useEffect, useRef } from 'react';
import type { LpOptions } from '../../../../shared/lp';
import { monaco } from '../../lib/monaco/setup';
import { attachLpLanguage, type LpSession, type LpState } from './lp-language';
import { LP_LANGUAGE } from '../../lib/monaco/line-protocol';
import { useServerDiagnostics, type LpEditorHandle, type ServerDiagnosticsProp } from '../explain/use-server-diagnostics';

/** The line-protocol editor (Monaco) with the live language service. Always LF, whatever was pasted. */
export function LpEditor(props: {
  value: string;
  onChange: (value: string) => void;
  /** Validation rules: the connection's flavor, the endpoint and the precision that will be sent. */
  lpOptions: LpOptions;
  onLpState: (state: LpState) => void;
  /** The language session, for "apply all safe fixes" and reading diagnostics. */
  onLpSession?: (session: LpSession | null) => void;
  /** The server's rejected lines after a failed write (own marker owner, apart from validation). */
  serverDiagnostics?: ServerDiagnosticsProp;
  /** Reveal-line and friends for the parent (the explanation panel's line links). */
  onEditorReady?: (handle: LpEditorHandle | null) => void;
}) {
  const attachServer = useServerDiagnostics(props.serverDiagnostics, props.onEditorReady);
  const session = useRef<LpSession | null>(null);
  const { lpOptions, onLpState, onLpSession } = props;
  const latest = useRef({ lpOptions, onLpState, onLpSession });
  useEffect(() => {
    latest.current = { lpOptions, onLpState, onLpSession };
  });
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
    editor.getModel()?.setEOL(monaco.editor.EndOfLineSequence.LF);
    session.current = attachLpLanguage(monaco, editor, latest.current.lpOptions, (state) => latest.current.onLpState(state));
    latest.current.onLpSession?.(session.current);
    attachServer(editor);
  };
  return (
    <div className="editor-frame" data-testid="lp-editor">
      <Editor
        value={props.value}
        language={LP_LANGUAGE}
        theme="influx-dark"
        onMount={onMount}
        onChange={(v) => props.onChange(v ?? '')}
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
