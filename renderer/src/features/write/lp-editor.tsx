import Editor, { type OnMount } from '@monaco-editor/react';
import { monaco } from '../../lib/monaco/setup';
import { LP_LANGUAGE } from '../../lib/monaco/line-protocol';

/** The line-protocol editor (Monaco). Always LF, whatever was pasted. */
export function LpEditor(props: { value: string; onChange: (value: string) => void }) {
  const onMount: OnMount = (editor) => {
    editor.getModel()?.setEOL(monaco.editor.EndOfLineSequence.LF);
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
        }}
      />
    </div>
  );
}
