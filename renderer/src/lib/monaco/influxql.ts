import type * as Monaco from 'monaco-editor/editor/editor.api';

/** Language id of InfluxQL in Monaco. */
export const INFLUXQL_LANGUAGE = 'influxql';

const KEYWORDS = [
  'ALL', 'ALTER', 'ANALYZE', 'ANY', 'AS', 'ASC', 'BEGIN', 'BY', 'CARDINALITY', 'CREATE', 'CONTINUOUS', 'DATABASE', 'DATABASES',
  'DEFAULT', 'DELETE', 'DESC', 'DESTINATIONS', 'DIAGNOSTICS', 'DISTINCT', 'DROP', 'DURATION', 'END', 'EVERY', 'EXACT', 'EXPLAIN',
  'FIELD', 'FOR', 'FROM', 'GRANT', 'GRANTS', 'GROUP', 'GROUPS', 'IN', 'INF', 'INSERT', 'INTO', 'KEY', 'KEYS', 'KILL', 'LIMIT',
  'MEASUREMENT', 'MEASUREMENTS', 'NAME', 'OFFSET', 'ON', 'ORDER', 'PASSWORD', 'POLICY', 'POLICIES', 'PRIVILEGES', 'QUERIES',
  'QUERY', 'READ', 'REPLICATION', 'RESAMPLE', 'RETENTION', 'REVOKE', 'SELECT', 'SERIES', 'SET', 'SHARD', 'SHARDS', 'SHOW',
  'SLIMIT', 'SOFFSET', 'STATS', 'SUBSCRIPTION', 'SUBSCRIPTIONS', 'TAG', 'TO', 'USER', 'USERS', 'VALUES', 'WHERE', 'WITH',
  'WRITE', 'AND', 'OR', 'NOT', 'FILL', 'TZ', 'NULL', 'NONE', 'LINEAR', 'PREVIOUS', 'TRUE', 'FALSE',
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
