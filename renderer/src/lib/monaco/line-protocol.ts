import type * as Monaco from 'monaco-editor/editor/editor.api';

/** Language id of line protocol in Monaco. */
export const LP_LANGUAGE = 'influx-line-protocol';

/**
 * Registers line protocol with a Monarch tokenizer: measurement, tag keys/values, field keys, values by
 * type, timestamps, comments and escapes. (Validation and semantic colouring come from the language service.)
 */
export function registerLineProtocol(monaco: typeof Monaco): void {
  if (monaco.languages.getLanguages().some((l) => l.id === LP_LANGUAGE)) return;
  monaco.languages.register({ id: LP_LANGUAGE });
  monaco.languages.setMonarchTokensProvider(LP_LANGUAGE, {
    defaultToken: '',
    tokenizer: {
      // root is also the measurement: every line starts here (see the reset rule in the other states).
      root: [
        [/^\s*#.*$/, 'comment'],
        [/\\./, 'string.escape'],
        [/,/, { token: 'delimiter', next: '@tagKey' }],
        [/ +/, { token: 'white', next: '@fieldKey' }],
        [/[^\\, ]+/, 'type.identifier'],
      ],
      tagKey: [
        // Monarch never applies rules at the end of a line, so a line would inherit the previous
        // line's state: start every line (outside a multi-line string) from the measurement again.
        [/^/, { token: '', next: '@popall' }],
        [/\\./, 'string.escape'],
        [/=/, { token: 'operator', next: '@tagValue' }],
        [/ +/, { token: 'white', next: '@fieldKey' }],
        [/$/, { token: '', next: '@popall' }],
        [/[^\\= ,]+/, 'attribute.name'],
      ],
      tagValue: [
        // Monarch never applies rules at the end of a line, so a line would inherit the previous
        // line's state: start every line (outside a multi-line string) from the measurement again.
        [/^/, { token: '', next: '@popall' }],
        [/\\./, 'string.escape'],
        [/,/, { token: 'delimiter', next: '@tagKey' }],
        [/ +/, { token: 'white', next: '@fieldKey' }],
        [/$/, { token: '', next: '@popall' }],
        [/[^\\, ]+/, 'attribute.value'],
      ],
      fieldKey: [
        // Monarch never applies rules at the end of a line, so a line would inherit the previous
        // line's state: start every line (outside a multi-line string) from the measurement again.
        [/^/, { token: '', next: '@popall' }],
        [/\\./, 'string.escape'],
        [/=/, { token: 'operator', next: '@fieldValue' }],
        [/ +/, { token: 'white', next: '@timestamp' }],
        [/$/, { token: '', next: '@popall' }],
        [/[^\\= ,]+/, 'variable'],
      ],
      fieldValue: [
        // Monarch never applies rules at the end of a line, so a line would inherit the previous
        // line's state: start every line (outside a multi-line string) from the measurement again.
        [/^/, { token: '', next: '@popall' }],
        [/"/, { token: 'string.quote', next: '@string' }],
        [/-?\d+i\b/, 'number.integer'],
        [/\d+u\b/, 'number.unsigned'],
        [/-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/, 'number.float'],
        [/(t|T|true|True|TRUE|f|F|false|False|FALSE)(?=[ ,]|$)/, 'keyword'],
        [/,/, { token: 'delimiter', next: '@fieldKey' }],
        [/ +/, { token: 'white', next: '@timestamp' }],
        [/$/, { token: '', next: '@popall' }],
        [/[^, ]+/, 'invalid'],
      ],
      string: [
        [/\\["\\]/, 'string.escape'],
        [/[^"\\]+/, 'string'],
        [/\\/, 'string'],
        [/"/, { token: 'string.quote', next: '@pop' }],
      ],
      timestamp: [
        // Monarch never applies rules at the end of a line, so a line would inherit the previous
        // line's state: start every line (outside a multi-line string) from the measurement again.
        [/^/, { token: '', next: '@popall' }],
        [/-?\d+/, 'number.timestamp'],
        [/$/, { token: '', next: '@popall' }],
        [/\S+/, 'invalid'],
      ],
    },
  });
  monaco.editor.defineTheme('influx-dark', {
    base: 'vs-dark',
    inherit: true,
    rules: [
      { token: 'type.identifier', foreground: '4FC1FF', fontStyle: 'bold' },
      { token: 'attribute.name', foreground: '9CDCFE' },
      { token: 'attribute.value', foreground: 'CE9178' },
      { token: 'variable', foreground: 'DCDCAA' },
      { token: 'number.integer', foreground: 'B5CEA8' },
      { token: 'number.unsigned', foreground: 'B5CEA8', fontStyle: 'italic' },
      { token: 'number.float', foreground: 'B5CEA8' },
      { token: 'number.timestamp', foreground: 'C586C0' },
      { token: 'string.escape', foreground: 'D7BA7D' },
      { token: 'invalid', foreground: 'F44747', fontStyle: 'underline' },
    ],
    colors: {},
  });
}
