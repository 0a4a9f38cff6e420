/**
 * Where the cursor is in an InfluxQL statement, for completion: after FROM (measurements), after
 * `tag =` (that tag's values), where the grammar allows only certain keywords (`CREATE |`), where only
 * a new name or a number can go (`CREATE DATABASE |`: nothing to offer), inside a function call
 * (signature help), or anywhere else (fields, tags, functions, keywords). Pure text analysis, no
 * Monaco, so it is unit-tested directly. It is forgiving: the text being typed rarely parses, so the
 * grammar is asked only about the text before the word at the cursor.
 */
import { findFunction, type InfluxQLFunction, parseQuery, quoteIdent } from '../../../../shared/influxql';

/** What to offer at the cursor. */
export type CompletionContext =
  | { readonly kind: 'measurement'; readonly prefix: string }
  | { readonly kind: 'tag-value'; readonly measurement: string; readonly tagKey: string; readonly prefix: string }
  /** The grammar allows only these keywords here. */
  | { readonly kind: 'keyword'; readonly keywords: readonly string[]; readonly prefix: string }
  /** Only a new name, a number, a duration or a string can go here: nothing to offer, nothing to accept. */
  | { readonly kind: 'nothing'; readonly expected: readonly string[]; readonly prefix: string }
  | { readonly kind: 'general'; readonly measurement: string; readonly prefix: string };

const IDENT = String.raw`(?:"(?:[^"\\]|\\.)*"|[A-Za-z_][A-Za-z0-9_]*)`;
// A measurement reference: [db.][rp.]measurement, each part a bare or double-quoted identifier.
const SOURCE = String.raw`${IDENT}(?:\.${IDENT}?){0,2}`;

/** Removes comments and replaces string/regex contents with blanks (offsets stay the same). */
function blankLiterals(text: string): string {
  return text.replace(/--[^\n]*|\/\*[\s\S]*?(?:\*\/|$)|'(?:[^'\\]|\\.)*(?:'|$)/g, (m) => {
    if (!m.startsWith("'")) return ' '.repeat(m.length);
    const closed = m.length > 1 && m.endsWith("'") && !m.endsWith("\\'");
    return `'${' '.repeat(m.length - (closed ? 2 : 1))}${closed ? "'" : ''}`;
  });
}

/** Unquotes one identifier as written (`"a \"b\""` → `a "b"`). */
export function unquoteIdent(text: string): string {
  if (!text.startsWith('"')) return text;
  return text
    .slice(1, text.endsWith('"') && text.length > 1 ? -1 : undefined)
    .replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
}

/** The last segment of a `[db.][rp.]measurement` reference, unquoted. */
function lastSegment(source: string): string {
  const parts = source.match(new RegExp(IDENT, 'g')) ?? [];
  return unquoteIdent(parts[parts.length - 1] ?? '');
}

/** The statement around `offset`: text from the previous `;` (outside literals) to the next. */
export function statementAt(text: string, offset: number): { text: string; start: number } {
  const blank = blankLiterals(text);
  const start = blank.lastIndexOf(';', offset - 1) + 1;
  const endAt = blank.indexOf(';', offset);
  return { text: text.slice(start, endAt < 0 ? text.length : endAt), start };
}

/** The first measurement the statement reads FROM (the one its fields and tags come from). */
export function statementMeasurement(statement: string): string {
  const m = new RegExp(String.raw`\bFROM\s+(${SOURCE})`, 'i').exec(blankLiterals(statement));
  return m ? lastSegment(m[1]!) : '';
}

/** The completion context at `offset` in `text`. */
export function completionContext(text: string, offset: number): CompletionContext {
  const stmt = statementAt(text, offset);
  const before = blankLiterals(stmt.text.slice(0, offset - stmt.start));
  const measurement = statementMeasurement(stmt.text);
  // Inside a string literal after `tag =`, `tag != `, `tag <>`: that tag's values.
  const tagValue = new RegExp(String.raw`(${IDENT})\s*(?:=|!=|<>)\s*'([^']*)$`).exec(before);
  if (tagValue)
    return {
      kind: 'tag-value',
      measurement,
      tagKey: unquoteIdent(tagValue[1]!),
      prefix: stmt.text.slice(offset - stmt.start - tagValue[2]!.length - 1, offset - stmt.start),
    };
  const bareTagValue = new RegExp(String.raw`(${IDENT})\s*(?:=|!=|<>)\s*$`).exec(before);
  if (bareTagValue && !/^(?:time)$/i.test(unquoteIdent(bareTagValue[1]!))) {
    return { kind: 'tag-value', measurement, tagKey: unquoteIdent(bareTagValue[1]!), prefix: '' };
  }
  const open = openQuoteStart(before);
  const prefix = open >= 0 ? before.slice(open) : (/[A-Za-z_][A-Za-z0-9_]*$/.exec(before)?.[0] ?? '');
  const head = before.slice(0, before.length - prefix.length);
  // After FROM, after a comma in the FROM list, or after `db.`/`db.rp.`.
  if (new RegExp(String.raw`\bFROM\s+(?:${SOURCE}\s*,\s*)*(?:${IDENT}\.){0,2}$`, 'i').test(head))
    return { kind: 'measurement', prefix };
  const expected = expectedAtEnd(stmt.text.slice(0, offset - stmt.start - prefix.length));
  if (expected !== null) {
    // `ALL [PRIVILEGES]` is offered as the words it stands for.
    if (expected.every((e) => /^[A-Z][A-Z [\]]*$/.test(e)))
      return { kind: 'keyword', keywords: expected.map((e) => e.replace(/[[\]]/g, '')), prefix };
    if (expected.length === 1 && expected[0] === 'identifier') {
      // An existing measurement goes here; any other bare name is a new one (a database, a user, an alias).
      if (new RegExp(String.raw`\b(?:DROP\s+MEASUREMENT|INTO)\s+(?:${IDENT}\.){0,2}$`, 'i').test(head))
        return { kind: 'measurement', prefix };
      return { kind: 'nothing', expected, prefix };
    }
    if (!expected.includes('identifier')) return { kind: 'nothing', expected, prefix };
  }
  return { kind: 'general', measurement, prefix };
}

/**
 * What influxd's grammar expects at the end of `head` (`CREATE DATABASE ` → `identifier`), or null
 * when `head` parses (the statement may be complete) or fails before its end (no reliable answer).
 */
export function expectedAtEnd(head: string): string[] | null {
  if (head.trim() === '') return null;
  const parsed = parseQuery(head);
  if (parsed.ok) return null;
  const m = /^found EOF, expected (.+) at line \d+, char \d+$/.exec(parsed.error.message);
  return m ? m[1]!.split(', ') : null;
}

/** Where an unterminated double-quoted identifier at the end of `text` starts, or -1. */
function openQuoteStart(text: string): number {
  let start = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (start >= 0 && c === '\\') i++;
    else if (c === '"') start = start >= 0 ? -1 : i;
  }
  return start;
}

/** The function call enclosing `offset` and which argument the cursor is in, for signature help. */
export function callAt(text: string, offset: number): { fn: InfluxQLFunction; argument: number } | null {
  const before = blankLiterals(statementAt(text, offset).text.slice(0, offset - statementAt(text, offset).start));
  let depth = 0;
  let commas = 0;
  for (let i = before.length - 1; i >= 0; i--) {
    const c = before[i];
    if (c === ')') depth++;
    else if (c === '(') {
      if (depth === 0) {
        const name = /([A-Za-z_][A-Za-z0-9_]*)\s*$/.exec(before.slice(0, i))?.[1];
        const fn = name ? findFunction(name) : undefined;
        return fn ? { fn, argument: commas } : null;
      }
      depth--;
    } else if (c === ',' && depth === 0) commas++;
  }
  return null;
}

/** The parameters of a catalogue signature (`BOTTOM(field_key [, tag_key…], N)` → three labels). */
export function signatureParameters(signature: string): string[] {
  const open = signature.indexOf('(');
  const inner = signature.slice(open + 1, signature.lastIndexOf(')'));
  if (inner.trim() === '') return [];
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const c of inner) {
    if (c === '[' || c === '(') depth++;
    if (c === ']' || c === ')') depth--;
    // `[, x]` starts an optional parameter: split there too.
    if ((c === ',' && depth === 0) || (c === '[' && depth === 1 && cur.trim() !== '')) {
      if (cur.trim() !== '') out.push(cur.trim());
      cur = c === '[' ? '[' : '';
      continue;
    }
    cur += c;
  }
  if (cur.trim() !== '') out.push(cur.trim());
  return out.map((p) => p.replace(/^\[\s*,\s*/, '[').trim());
}

/** A name as it must be written in InfluxQL (quoted when it is a keyword or not a bare identifier). */
export function identText(name: string): string {
  return quoteIdent(name);
}

/** A tag value as an InfluxQL string literal. */
export function stringLiteral(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
