import type * as Monaco from 'monaco-editor/editor/editor.api';

import { INFLUXQL_KEYWORDS } from '../../../../shared/influxql/catalog';

/** Language id of InfluxQL in Monaco. */
export const INFLUXQL_LANGUAGE = 'influxql';

// The parser's reserved words, plus the words that are functions or literals to the parser but read
// as keywords in a query (fill options, boolean literals, operators).
const KEYWORDS = [
  ...new Set([
    ...INFLUXQL_KEYWORDS,
    'AND',
    'OR',
    'NOT',
    'FILL',
    'TZ',
    'NULL',
    'NONE',
    'LINEAR',
    'PREVIOUS',
    'TRUE',
    'FALSE',
  ]),
];

/** Registers InfluxQL highlighting (completion and diagnostics come from the language service). */
export function registerInfluxQl(monaco: typeof Monaco): void {
  if (monaco.languages.getLanguages().some((l) => l.id === INFLUXQL_LANGUAGE)) return;
  monaco.languages.register({ id: INFLUXQL_LANGUAGE });
  monaco.languages.setLanguageConfiguration(INFLUXQL_LANGUAGE, {
    comments: { lineComment: '--', blockComment: ['/*', '*/'] },
    brackets: [['(', ')']],
    autoClosingPairs: [
      { open: '(', close: ')' },
      { open: '"', close: '"' },
      { open: "'", close: "'" },
    ],
  });
  monaco.languages.setMonarchTokensProvider(INFLUXQL_LANGUAGE, {
    ignoreCase: true,
    keywords: KEYWORDS,
    tokenizer: {
      root: [
        [/--.*$/, 'comment'],
        [/\/\*/, 'comment', '@comment'],
        [/"([^"\\]|\\.)*"/, 'identifier.quoted'],
        [/'([^'\\]|\\.)*'/, 'string'],
        [/\/([^/\\]|\\.)+\//, 'regexp'],
        [/\$[A-Za-z_][A-Za-z0-9_]*/, 'variable'],
        [/\d+(ns|u|µ|ms|s|m|h|d|w)\b/, 'number.duration'],
        [/\d*\.\d+([eE][-+]?\d+)?|\d+/, 'number'],
        [/::[A-Za-z]+/, 'type'],
        [/[A-Za-z_][A-Za-z0-9_]*(?=\s*\()/, 'predefined'],
        [/[A-Za-z_][A-Za-z0-9_]*/, { cases: { '@keywords': 'keyword', '@default': 'identifier' } }],
        [/[=!<>]=?|=~|!~|[+\-*/%&|^]/, 'operator'],
      ],
      comment: [
        [/\*\//, 'comment', '@pop'],
        [/./, 'comment'],
      ],
    },
  });
}
