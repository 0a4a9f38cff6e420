/**
 * Offline InfluxQL validation: influxd 1.x's parse verdict (exact message and position) plus what the
 * chosen flavor rejects. This is what the editor shows live and `validate-query` prints.
 */
import type { ServerFlavor } from '../domain/flavor';
import type { Query } from './ast';
import { type Diagnostic, diagnosticAt } from './diagnostics';
import { checkFlavor } from './flavors';
import { parseQuery } from './parser';

/** Options for {@link validateQuery}. */
export interface ValidateOptions {
  /** The server flavor the query is meant for (default `1.x`: syntax only). */
  readonly flavor?: ServerFlavor;
  /** Bound parameters (the `params` JSON object of the request). */
  readonly params?: Readonly<Record<string, unknown>>;
}

/** Result of {@link validateQuery}. `ok` is false when any diagnostic is an error. */
export interface ValidationResult {
  readonly ok: boolean;
  readonly diagnostics: readonly Diagnostic[];
  /** The syntax tree, when the text parsed. */
  readonly query: Query | null;
}

/**
 * Validates an InfluxQL text for a flavor. A syntax error is reported as influxd reports it
 * (`found X, expected Y at line L, char C`, 1-based) with code `parse-error`; when influxd's message
 * has no position (e.g. `invalid duration`) the diagnostic still points at the offending token.
 */
export function validateQuery(text: string, options: ValidateOptions = {}): ValidationResult {
  const flavor = options.flavor ?? '1.x';
  const parsed = parseQuery(text, options.params ? { params: options.params } : {});
  if (!parsed.ok) {
    const e = parsed.error;
    const line = e.pos?.line ?? e.hint.line;
    const char = e.pos?.char ?? e.hint.char;
    const d = diagnosticAt(text, e.hint.span.start, e.hint.span.end, 'parse-error', e.message, 'error');
    // The reported line/char are influxd's, which can sit one past the end of the text (consumed EOF).
    return { ok: false, diagnostics: [{ ...d, line, char }], query: null };
  }
  const diagnostics = checkFlavor(text, parsed.query, flavor);
  return { ok: !diagnostics.some((d) => d.severity === 'error'), diagnostics, query: parsed.query };
}
