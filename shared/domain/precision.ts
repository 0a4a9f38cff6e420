import { FLAVOR_RULES, FLAVORS, type PrecisionSpec, type PrecisionUnit } from '../lp/flavors';
import { FLAVOR_LABELS, type ServerFlavor, WRITE_API_PATHS, type WriteApi } from './flavor';

/**
 * The write form's precision choices, derived from the line-protocol rule table (shared/lp/flavors.ts):
 * the one place that says which `?precision=` values each endpoint of each flavor accepts.
 */

/** A precision choice for the form: the value sent, and a label. An empty value sends no parameter. */
export interface PrecisionOption {
  readonly value: string;
  readonly label: string;
}

const UNIT_WORDS: Readonly<Record<Exclude<PrecisionUnit, 'auto'>, string>> = {
  ns: 'nanoseconds',
  us: 'microseconds',
  ms: 'milliseconds',
  s: 'seconds',
  m: 'minutes',
  h: 'hours',
};

/** `s (seconds)`; a spelled-out value (`second`) is its own label; `auto` says what it does. */
function optionLabel(value: string, unit: PrecisionUnit): string {
  if (unit === 'auto') return 'auto (from magnitude)';
  return value.length > 2 ? value : `${value} (${UNIT_WORDS[unit]})`;
}

/**
 * The endpoint's rules. An endpoint the flavor does not serve (v3 on Cloud Dedicated, say: a draft
 * imported from elsewhere) is described by a flavor that serves it, so its spelling can be translated.
 */
function specOf(flavor: ServerFlavor, api: WriteApi): PrecisionSpec {
  const own = FLAVOR_RULES[flavor].precision[api];
  if (own) return own;
  const other = FLAVORS.map((f) => FLAVOR_RULES[f].precision[api]).find((s) => s !== null);
  if (!other) throw new Error(`no flavor serves ${WRITE_API_PATHS[api]}`);
  return other;
}

/**
 * The precision values the form offers for an endpoint of a flavor, one spelling per unit (the spec's
 * `offered`): 1.x `/write` takes n/u/ms/s/m/h (and `ns`, offered as `n`; `us` is a 400 there); 3.x has
 * no m/h; Core's v3 endpoint defaults to `auto`.
 */
export function precisionOptions(flavor: ServerFlavor, api: WriteApi): readonly PrecisionOption[] {
  const spec = specOf(flavor, api);
  return [
    { value: '', label: `server default (${spec.default})` },
    ...spec.offered.map((value) => ({ value, label: optionLabel(value, spec.accepted[value]!) })),
  ];
}

/**
 * Whether `precision` is one the form offers for the endpoint (empty means "not sent"). Another
 * spelling the server also takes (`ns` on 1.x `/write`) is translated to the offered one instead.
 */
export function isPrecisionAccepted(flavor: ServerFlavor, api: WriteApi, precision: string): boolean {
  return precisionOptions(flavor, api).some((o) => o.value === precision);
}

/**
 * `precision` spelled as `api` on `flavor` accepts it (`s` on v3 → `second`), or null when that
 * endpoint has no such unit. The empty value (server default) is kept.
 */
export function translatePrecision(flavor: ServerFlavor, api: WriteApi, precision: string): string | null {
  if (isPrecisionAccepted(flavor, api, precision)) return precision;
  // The unit any endpoint reads `precision` as (`n`, `ns` and `nanosecond` are one unit).
  const unit = FLAVORS.flatMap((f) => Object.values(FLAVOR_RULES[f].precision)).find(
    (s) => s?.accepted[precision] !== undefined,
  )?.accepted[precision];
  if (unit === undefined) return null;
  const spec = specOf(flavor, api);
  return spec.offered.find((v) => spec.accepted[v] === unit) ?? null;
}

/**
 * The precision a new draft starts with: seconds where the endpoint accepts them (the sample lines
 * carry second timestamps), the server default on 1.x (whose sample has none).
 */
export function defaultPrecision(flavor: ServerFlavor, api: WriteApi): string {
  if (flavor === '1.x') return '';
  return translatePrecision(flavor, api, 's') ?? '';
}

/**
 * Why `precision` cannot be sent to `api` on `flavor`, or null when it can. Sending it anyway gets a
 * 400 at best and a misread timestamp at worst, so the form blocks Send with this reason.
 */
export function precisionProblem(flavor: ServerFlavor, api: WriteApi, precision: string): string | null {
  if (isPrecisionAccepted(flavor, api, precision)) return null;
  const accepted = precisionOptions(flavor, api)
    .map((o) => o.value)
    .filter((v) => v !== '');
  return (
    `precision “${precision}” is not accepted by ${WRITE_API_PATHS[api]} on ${FLAVOR_LABELS[flavor]}: ` +
    `choose ${accepted.join(', ')} or the server default.`
  );
}
