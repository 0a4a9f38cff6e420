import type * as Monaco from 'monaco-editor/editor/editor.api';

import type { ServerFlavor } from '../../../../shared/domain/flavor';
import {
  type Diagnostic,
  findFunction,
  INFLUXQL_FUNCTIONS,
  INFLUXQL_KEYWORDS,
  validateQuery,
} from '../../../../shared/influxql';
import type { SchemaItem } from '../../../../shared/query/schema';
import { INFLUXQL_LANGUAGE } from './influxql';
import { callAt, completionContext, identText, signatureParameters, stringLiteral } from './influxql-context';

/**
 * InfluxQL language features for Monaco: live diagnostics (influxd's parser plus the connection's
 * flavor rules), keyword/function completion with signature help, function hover, and schema
 * completion (measurements, fields with types, tag keys, tag values) from the connected database.
 * Providers are registered once per language; each editor model says where its schema comes from.
 */

/** Where an editor's schema completions come from (cached per connection and database by the caller). */
export interface SchemaSource {
  measurements(): Promise<SchemaItem[]>;
  fields(measurement: string): Promise<SchemaItem[]>;
  tags(measurement: string): Promise<SchemaItem[]>;
  tagValues(measurement: string, tagKey: string): Promise<SchemaItem[]>;
}

const sources = new Map<string, SchemaSource>();

/** Sets (or clears with null) the schema source of a model; returns a function that clears it. */
export function setSchemaSource(model: Monaco.editor.ITextModel, source: SchemaSource | null): () => void {
  const key = model.uri.toString();
  if (source) sources.set(key, source);
  else sources.delete(key);
  return () => {
    if (sources.get(key) === source) sources.delete(key);
  };
}

/** Marker owner id of InfluxQL diagnostics. */
export const INFLUXQL_MARKER_OWNER = 'influxql';

/** Monaco markers for validator diagnostics, at their exact UTF-16 ranges. */
export function diagnosticMarkers(
  monaco: typeof Monaco,
  model: Monaco.editor.ITextModel,
  diagnostics: readonly Diagnostic[],
): Monaco.editor.IMarkerData[] {
  return diagnostics.map((d) => {
    const a = model.getPositionAt(d.start);
    // An empty range (error at the end of the text) still gets one visible character.
    const b = model.getPositionAt(Math.max(d.end, d.start + 1));
    return {
      startLineNumber: a.lineNumber,
      startColumn: a.column,
      endLineNumber: b.lineNumber,
      endColumn: b.column === a.column && b.lineNumber === a.lineNumber ? a.column + 1 : b.column,
      message: d.message,
      code: d.code,
      source: 'InfluxQL',
      severity:
        d.severity === 'error'
          ? monaco.MarkerSeverity.Error
          : d.severity === 'warning'
            ? monaco.MarkerSeverity.Warning
            : monaco.MarkerSeverity.Info,
    };
  });
}

/**
 * Validates the editor's text as the user types (debounced) and shows the result as markers.
 * `flavor()` is read on every run so a connection edit takes effect at the next keystroke.
 */
export function attachDiagnostics(
  monaco: typeof Monaco,
  editor: Monaco.editor.IStandaloneCodeEditor,
  flavor: () => ServerFlavor,
  delayMs = 250,
): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const run = (): void => {
    const model = editor.getModel();
    if (!model) return;
    const text = model.getValue();
    const diagnostics = text.trim() === '' ? [] : validateQuery(text, { flavor: flavor() }).diagnostics;
    monaco.editor.setModelMarkers(model, INFLUXQL_MARKER_OWNER, diagnosticMarkers(monaco, model, diagnostics));
  };
  const schedule = (): void => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(run, delayMs);
  };
  run();
  const sub = editor.onDidChangeModelContent(schedule);
  return () => {
    if (timer) clearTimeout(timer);
    sub.dispose();
  };
}

let registered = false;

/** Registers completion, signature help and hover for InfluxQL (idempotent). */
export function registerInfluxQlLanguageFeatures(monaco: typeof Monaco): void {
  if (registered) return;
  registered = true;
  const { CompletionItemKind: Kind, CompletionItemInsertTextRule: Rule } = monaco.languages;

  monaco.languages.registerCompletionItemProvider(INFLUXQL_LANGUAGE, {
    triggerCharacters: ['"', "'", '.', ' ', '='],
    async provideCompletionItems(model, position, context) {
      const offset = model.getOffsetAt(position);
      const ctx = completionContext(model.getValue(), offset);
      // Where only a new name (or a number) can go there is nothing to offer, so nothing Enter could accept.
      if (ctx.kind === 'nothing') return { suggestions: [] };
      // A space opens the list only where a name or keyword is expected next (after FROM, `tag =`, `CREATE`).
      if (context.triggerCharacter === ' ' && ctx.kind === 'general') return { suggestions: [] };
      // Typing a digit or a symbol asks too: with no word typed, only an explicit Ctrl+Space lists everything.
      if (
        ctx.kind === 'general' &&
        ctx.prefix === '' &&
        context.triggerKind !== monaco.languages.CompletionTriggerKind.Invoke &&
        context.triggerCharacter === undefined
      )
        return { suggestions: [] };
      const source = sources.get(model.uri.toString());
      const start = model.getPositionAt(offset - ctx.prefix.length);
      // Replace what was typed, plus the closing quote Monaco auto-inserted after an opening one.
      const after = model.getValueInRange({
        startLineNumber: position.lineNumber,
        startColumn: position.column,
        endLineNumber: position.lineNumber,
        endColumn: position.column + 1,
      });
      const quote = ctx.kind === 'tag-value' ? "'" : '"';
      const endColumn = ctx.prefix.startsWith(quote) && after === quote ? position.column + 1 : position.column;
      const range = {
        startLineNumber: start.lineNumber,
        startColumn: start.column,
        endLineNumber: position.lineNumber,
        endColumn,
      };
      const filter = (insert: string, name: string): string => (ctx.prefix.startsWith(quote) ? insert : name);
      const suggestions: Monaco.languages.CompletionItem[] = [];
      const safely = async (load: () => Promise<SchemaItem[]>): Promise<SchemaItem[]> => {
        try {
          return await load();
        } catch {
          return []; // a schema fetch failing must not break keyword completion
        }
      };

      if (ctx.kind === 'tag-value') {
        const values = source ? await safely(() => source.tagValues(ctx.measurement, ctx.tagKey)) : [];
        for (const v of values) {
          const insertText = stringLiteral(v.name);
          suggestions.push({
            label: v.name,
            kind: Kind.Value,
            detail: `${ctx.tagKey} value`,
            insertText,
            filterText: filter(insertText, v.name),
            range,
            sortText: `0${v.name}`,
          });
        }
        return { suggestions };
      }
      if (ctx.kind === 'keyword') {
        for (const k of ctx.keywords)
          suggestions.push({ label: k, kind: Kind.Keyword, insertText: k, range, sortText: `3${k}` });
        return { suggestions };
      }
      if (ctx.kind === 'measurement') {
        const ms = source ? await safely(() => source.measurements()) : [];
        for (const m of ms) {
          const insertText = identText(m.name);
          suggestions.push({
            label: m.name,
            kind: Kind.Class,
            detail: 'measurement',
            insertText,
            filterText: filter(insertText, m.name),
            range,
            sortText: `0${m.name}`,
          });
        }
        return { suggestions };
      }
      if (source && ctx.measurement !== '') {
        const [fields, tags] = await Promise.all([
          safely(() => source.fields(ctx.measurement)),
          safely(() => source.tags(ctx.measurement)),
        ]);
        for (const f of fields) {
          const insertText = identText(f.name);
          suggestions.push({
            label: { label: f.name, description: f.type ?? '' },
            kind: Kind.Field,
            detail: `field · ${f.type ?? '?'} · ${ctx.measurement}`,
            insertText,
            filterText: filter(insertText, f.name),
            range,
            sortText: `0${f.name}`,
          });
        }
        for (const t of tags) {
          const insertText = identText(t.name);
          suggestions.push({
            label: { label: t.name, description: 'tag' },
            kind: Kind.Property,
            detail: `tag key · ${ctx.measurement}`,
            insertText,
            filterText: filter(insertText, t.name),
            range,
            sortText: `1${t.name}`,
          });
        }
      }
      if (!ctx.prefix.startsWith('"')) {
        // Functions and keywords only when they start with what was typed: a fuzzy match turned a new
        // name `demo` into DOUBLE_EXPONENTIAL_MOVING_AVERAGE(). The list is marked incomplete below so
        // Monaco asks again as the word grows instead of fuzzy-filtering this list.
        const starts = (name: string): boolean => name.toUpperCase().startsWith(ctx.prefix.toUpperCase());
        for (const fn of INFLUXQL_FUNCTIONS) {
          const name = fn.name.toUpperCase();
          if (!starts(name)) continue;
          suggestions.push({
            label: { label: name, description: fn.category },
            kind: Kind.Function,
            detail: fn.signature,
            documentation: { value: functionDoc(fn.name) },
            insertText: fn.maxArgs === 0 ? `${name}()` : `${name}($0)`,
            insertTextRules: Rule.InsertAsSnippet,
            command: { id: 'editor.action.triggerParameterHints', title: 'Signature' },
            range,
            sortText: `2${name}`,
          });
        }
        for (const k of INFLUXQL_KEYWORDS)
          if (starts(k)) suggestions.push({ label: k, kind: Kind.Keyword, insertText: k, range, sortText: `3${k}` });
      }
      return { suggestions, incomplete: true };
    },
  });

  monaco.languages.registerSignatureHelpProvider(INFLUXQL_LANGUAGE, {
    signatureHelpTriggerCharacters: ['(', ','],
    signatureHelpRetriggerCharacters: [','],
    provideSignatureHelp(model, position) {
      const call = callAt(model.getValue(), model.getOffsetAt(position));
      if (!call) return null;
      const params = signatureParameters(call.fn.signature);
      return {
        value: {
          signatures: [
            {
              label: call.fn.signature,
              documentation: { value: functionDoc(call.fn.name) },
              parameters: params.map((label) => ({ label })),
            },
          ],
          activeSignature: 0,
          activeParameter: Math.min(call.argument, Math.max(0, params.length - 1)),
        },
        dispose: () => {},
      };
    },
  });

  monaco.languages.registerHoverProvider(INFLUXQL_LANGUAGE, {
    provideHover(model, position) {
      const word = model.getWordAtPosition(position);
      if (!word) return null;
      // Only a name followed by `(` is a call; `mean` as a field name gets no function doc.
      const rest = model.getLineContent(position.lineNumber).slice(word.endColumn - 1);
      if (!/^\s*\(/.test(rest) || !findFunction(word.word)) return null;
      return {
        range: {
          startLineNumber: position.lineNumber,
          startColumn: word.startColumn,
          endLineNumber: position.lineNumber,
          endColumn: word.endColumn,
        },
        contents: [{ value: `\`${findFunction(word.word)!.signature}\`` }, { value: functionDoc(word.word) }],
      };
    },
  });
}

/** Markdown documentation of a function: description, family, and 3.x support. */
export function functionDoc(name: string): string {
  const fn = findFunction(name);
  if (!fn) return '';
  const v3 = fn.v3
    ? ''
    : '\n\n⚠ Not implemented by InfluxDB 3 (Core, Enterprise, Cloud Dedicated, Clustered, Serverless).';
  return `${fn.doc}\n\n*${fn.category.replace('-', ' ')}*${v3}`;
}
