/**
 * Per-flavor line-protocol rules, restated from the server-behaviour reference
 * (`influx-api.md` §3.1, §3.3, §5, §6). Every rule the validator applies that differs between
 * server flavors lives in this table, so the differences can be reviewed in one place.
 */

import {
  FLAVOR_LABELS,
  FLAVOR_WRITE_APIS,
  type ServedWriteApi,
  SERVER_FLAVORS,
  type ServerFlavor,
  WRITE_API_PATHS,
  WRITE_APIS,
  type WriteApi,
} from '../domain/flavor';

export type { WriteApi } from '../domain/flavor';

/** Server flavors the validator knows: the app's flavor ids (shared/domain/flavor.ts). */
export type Flavor = ServerFlavor;

/** Every flavor id (the registry's order). */
export const FLAVORS: readonly Flavor[] = SERVER_FLAVORS;

/** Canonical precision units after alias resolution. `auto` exists only on Core's v3 endpoint. */
export type PrecisionUnit = 'ns' | 'us' | 'ms' | 's' | 'm' | 'h' | 'auto';

/** Nanoseconds per unit of each fixed precision (`auto` has none). */
export const PRECISION_NS: Readonly<Record<Exclude<PrecisionUnit, 'auto'>, bigint>> = {
  ns: 1n,
  us: 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

/** How one endpoint of one flavor reads `?precision=`. */
export interface PrecisionSpec {
  /** Accepted raw parameter values mapped to the unit the server really uses. */
  readonly accepted: Readonly<Record<string, PrecisionUnit>>;
  /** The spelling of each unit the write form offers, in order (each a key of `accepted`). */
  readonly offered: readonly string[];
  /** Unit used when the parameter is absent. */
  readonly default: PrecisionUnit;
  /**
   * Unit used for any value not in `accepted`, when the server does not reject it
   * (2.x `/write` silently treats unknown values as ns); `null` means the server answers 400.
   */
  readonly fallback: PrecisionUnit | null;
  /** The server's own 400 text for an invalid value (`{v}` is replaced by the value). */
  readonly invalidMessage: string;
}

/** The rule table of one flavor. */
export interface FlavorRules {
  readonly id: Flavor;
  readonly label: string;
  /** Which parser family the server runs: InfluxDB's Go parser (1.x/2.x) or the Rust parser (3.x). */
  readonly parser: 'go' | 'rust';
  /** Which write path converts parsed lines to rows: TSM storage, IOx (`mutable_batch_lp`) or Core's validator. */
  readonly engine: 'tsm' | 'iox' | 'core';
  /** `\\` inside identifiers: kept as two characters (Go) or collapsed to one backslash (Rust). */
  readonly identifierBackslash: 'literal' | 'unescape';
  /** The `u` suffix: 1.x release builds reject it (`invalid number`); every other flavor accepts it. */
  readonly unsigned: boolean;
  /** Duplicate tag key in one line. */
  readonly duplicateTags: 'parse-error' | 'rejected' | 'undetermined';
  /** Duplicate field key in one line. */
  readonly duplicateFields: 'last-wins' | 'last-wins-same-type' | 'rejected';
  /** The same key used as a tag and as a field (in one line, or across lines of one measurement). */
  readonly tagFieldSameName: 'allowed' | 'rejected';
  /** Tag keys the parser itself refuses (2.x). */
  readonly parserReservedTagKeys: readonly string[];
  /** What happens to a tag named `time`. */
  readonly timeTag: 'dropped' | 'parse-error' | 'rejected';
  /** What happens to a field named `time`. */
  readonly timeField: 'stripped' | 'rejected';
  /** Max bytes of one string field value (storage limit on 1.x/2.x, parser limit on 3.x). */
  readonly maxStringBytes: number;
  /** Max bytes of a measurement, tag key/value or field key (3.x parser); `null`: only the series-key limit applies. */
  readonly maxNameBytes: number | null;
  /** Max bytes of measurement+tags(+field key) on 1.x/2.x (`max key length exceeded`). */
  readonly maxSeriesKeyBytes: number | null;
  /** Max columns per table; `null` when the flavor has no such limit. */
  readonly maxColumns: number | null;
  /** Whether the `time` column counts towards `maxColumns`. */
  readonly columnsIncludeTime: boolean;
  /** Max tag columns per table (Core: 4096). */
  readonly maxTagColumns: number | null;
  /** Max tables (measurements) per database/bucket, where the flavor has a default. */
  readonly maxTables: number | null;
  /** Default max request body in bytes (`null`: unlimited by default). */
  readonly maxBodyBytes: number | null;
  /** Whether an empty (or comment-only) body is an error. */
  readonly emptyBodyIsError: boolean;
  /**
   * Precision handling per write endpoint; `null` when the endpoint does not exist on this flavor
   * (built by {@link servedPrecision} from the registry's FLAVOR_WRITE_APIS).
   */
  readonly precision: Readonly<Record<WriteApi, PrecisionSpec | null>>;
  /** The endpoint assumed when the caller does not name one. */
  readonly defaultApi: WriteApi;
}

/** The four units of the 2.x API (and of Serverless). */
const NS_US_MS_S: Readonly<Record<string, PrecisionUnit>> = { ns: 'ns', us: 'us', ms: 'ms', s: 's' };
const NS_US_MS_S_OFFERED: readonly string[] = ['ns', 'us', 'ms', 's'];

const GO_V1: PrecisionSpec = {
  offered: ['n', 'u', 'ms', 's', 'm', 'h'],
  accepted: { n: 'ns', ns: 'ns', u: 'us', ms: 'ms', s: 's', m: 'm', h: 'h' },
  default: 'ns',
  fallback: null,
  invalidMessage: 'invalid precision "{v}" (use n, u, ms, s, m or h)',
};
const ONEX_V2: PrecisionSpec = {
  offered: NS_US_MS_S_OFFERED,
  accepted: NS_US_MS_S,
  default: 'ns',
  fallback: null,
  invalidMessage: 'invalid precision "{v}" (use ns, us, ms or s)',
};
const TWOX_V2: PrecisionSpec = {
  offered: NS_US_MS_S_OFFERED,
  accepted: NS_US_MS_S,
  default: 'ns',
  fallback: null,
  invalidMessage: 'invalid precision; valid precision units are ns, us, ms, and s',
};
/** 2.x `/write` hands the raw value to the 2.x parser, which knows only us/ms/s: anything else is ns. */
const TWOX_V1: PrecisionSpec = {
  offered: NS_US_MS_S_OFFERED,
  accepted: NS_US_MS_S,
  default: 'ns',
  fallback: 'ns',
  invalidMessage: 'precision "{v}" is not us, ms or s: InfluxDB 2.x /write treats it as nanoseconds',
};
const IOX_NAMES: Readonly<Record<string, PrecisionUnit>> = {
  ns: 'ns',
  n: 'ns',
  nanosecond: 'ns',
  us: 'us',
  u: 'us',
  microsecond: 'us',
  ms: 'ms',
  millisecond: 'ms',
  s: 's',
  second: 's',
};
const IOX_V1: PrecisionSpec = {
  offered: NS_US_MS_S_OFFERED,
  accepted: IOX_NAMES,
  default: 'ns',
  fallback: null,
  invalidMessage:
    // The reference gives only the start of this message (the variant list varies by build).
    'failed to deserialize db/rp/precision in request: unknown variant `{v}`',
};
const IOX_V2: PrecisionSpec = {
  ...IOX_V1,
  invalidMessage: 'failed to deserialize org/bucket/precision in request: unknown variant `{v}`',
};
const CORE_V3: PrecisionSpec = {
  offered: ['auto', 'nanosecond', 'microsecond', 'millisecond', 'second'],
  accepted: { ...IOX_NAMES, auto: 'auto' },
  default: 'auto',
  fallback: null,
  invalidMessage: 'serde error: unknown variant `{v}`',
};
const SV_PRECISION: PrecisionSpec = {
  offered: NS_US_MS_S_OFFERED,
  accepted: NS_US_MS_S,
  default: 'ns',
  fallback: null,
  // No server text is known for Serverless; this is our own wording.
  invalidMessage: 'invalid precision "{v}": Cloud Serverless accepts ns, us, ms and s',
};

/**
 * A flavor's precision table: one spec for each endpoint the registry says the flavor serves (the
 * type refuses a missing or an extra one), `null` for the others.
 */
function servedPrecision<F extends Flavor>(
  flavor: F,
  specs: Readonly<Record<ServedWriteApi<F>, PrecisionSpec>>,
): Readonly<Record<WriteApi, PrecisionSpec | null>> {
  const served: readonly WriteApi[] = FLAVOR_WRITE_APIS[flavor];
  const byApi: Partial<Record<WriteApi, PrecisionSpec>> = specs;
  return Object.fromEntries(WRITE_APIS.map((api) => [api, served.includes(api) ? byApi[api] : null])) as Record<
    WriteApi,
    PrecisionSpec | null
  >;
}

const IOX_COMMON = {
  parser: 'rust',
  engine: 'iox',
  identifierBackslash: 'unescape',
  unsigned: true,
  duplicateTags: 'rejected',
  duplicateFields: 'last-wins-same-type',
  tagFieldSameName: 'rejected',
  parserReservedTagKeys: [],
  timeTag: 'rejected',
  timeField: 'stripped',
  // The IOx parser crate defaults to 64 KiB unless built with `large-strings` (§3.3, §12.6).
  maxStringBytes: 65_536,
  maxNameBytes: 65_536,
  maxSeriesKeyBytes: null,
  columnsIncludeTime: true,
  maxTagColumns: null,
  maxTables: 500,
  emptyBodyIsError: false,
  defaultApi: 'v2',
} as const;

/** The rule table, one entry per flavor (sources: influx-api.md §2a, §3, §5, §6). */
export const FLAVOR_RULES: Readonly<Record<Flavor, FlavorRules>> = {
  '1.x': {
    id: '1.x',
    label: FLAVOR_LABELS['1.x'],
    parser: 'go',
    engine: 'tsm',
    identifierBackslash: 'literal',
    unsigned: false,
    duplicateTags: 'parse-error',
    duplicateFields: 'last-wins',
    tagFieldSameName: 'allowed',
    parserReservedTagKeys: [],
    timeTag: 'dropped',
    timeField: 'stripped',
    maxStringBytes: 1_048_576,
    maxNameBytes: null,
    maxSeriesKeyBytes: 65_535,
    maxColumns: null,
    columnsIncludeTime: false,
    maxTagColumns: null,
    maxTables: null,
    maxBodyBytes: 25_000_000,
    emptyBodyIsError: false,
    precision: servedPrecision('1.x', { v1: GO_V1, v2: ONEX_V2 }),
    defaultApi: 'v1',
  },
  '2.x': {
    id: '2.x',
    label: FLAVOR_LABELS['2.x'],
    parser: 'go',
    engine: 'tsm',
    identifierBackslash: 'literal',
    unsigned: true,
    duplicateTags: 'parse-error',
    duplicateFields: 'last-wins',
    tagFieldSameName: 'allowed',
    parserReservedTagKeys: ['_measurement', '_field', 'time'],
    timeTag: 'parse-error',
    timeField: 'stripped',
    maxStringBytes: 1_048_576,
    maxNameBytes: null,
    maxSeriesKeyBytes: 65_535,
    maxColumns: null,
    columnsIncludeTime: false,
    maxTagColumns: null,
    maxTables: null,
    maxBodyBytes: null,
    emptyBodyIsError: false,
    precision: servedPrecision('2.x', { v1: TWOX_V1, v2: TWOX_V2 }),
    defaultApi: 'v2',
  },
  'cloud-dedicated': {
    ...IOX_COMMON,
    id: 'cloud-dedicated',
    label: FLAVOR_LABELS['cloud-dedicated'],
    maxColumns: 250,
    maxBodyBytes: 10_485_760,
    precision: servedPrecision('cloud-dedicated', { v1: IOX_V1, v2: IOX_V2 }),
  },
  clustered: {
    ...IOX_COMMON,
    id: 'clustered',
    label: FLAVOR_LABELS['clustered'],
    maxColumns: 250,
    maxBodyBytes: 52_428_800,
    precision: servedPrecision('clustered', { v1: IOX_V1, v2: IOX_V2 }),
  },
  serverless: {
    ...IOX_COMMON,
    id: 'serverless',
    label: FLAVOR_LABELS['serverless'],
    maxColumns: 200,
    maxBodyBytes: 50_000_000,
    precision: servedPrecision('serverless', { v1: SV_PRECISION, v2: SV_PRECISION }),
  },
  core: {
    id: 'core',
    label: FLAVOR_LABELS['core'],
    parser: 'rust',
    engine: 'core',
    identifierBackslash: 'unescape',
    unsigned: true,
    // Core's validator has no explicit duplicate-tag check (influx-api.md §5, "not determined").
    duplicateTags: 'undetermined',
    duplicateFields: 'rejected',
    tagFieldSameName: 'rejected',
    parserReservedTagKeys: [],
    timeTag: 'rejected',
    timeField: 'rejected',
    // The influxdb3 build enables `large-strings`: 1 MiB for every string component.
    maxStringBytes: 1_048_576,
    maxNameBytes: 1_048_576,
    maxSeriesKeyBytes: null,
    maxColumns: 500,
    columnsIncludeTime: false,
    maxTagColumns: 4096,
    maxTables: 2000,
    maxBodyBytes: 10_485_760,
    emptyBodyIsError: true,
    precision: servedPrecision('core', { v1: IOX_V1, v2: IOX_V2, v3: CORE_V3 }),
    defaultApi: 'v3',
  },
};

/** Narrowing guard for untrusted input (CLI flags, settings files). */
export function isFlavor(value: string): value is Flavor {
  return (FLAVORS as readonly string[]).includes(value);
}

/** Outcome of resolving a raw `?precision=` value against one endpoint. */
export type PrecisionResolution =
  | {
      ok: true;
      unit: PrecisionUnit;
      /** set when the server accepts the value but reads it differently than it looks */ note?: string;
    }
  | { ok: false; message: string };

/**
 * Resolves a raw `?precision=` value the way the flavor's endpoint does.
 * `raw` undefined or empty means "parameter absent".
 */
export function resolvePrecision(flavor: Flavor, api: WriteApi, raw: string | undefined): PrecisionResolution {
  const spec = FLAVOR_RULES[flavor].precision[api];
  if (spec === null) {
    return { ok: false, message: `${FLAVOR_RULES[flavor].label} has no ${apiPath(api)} endpoint` };
  }
  if (raw === undefined || raw === '') return { ok: true, unit: spec.default };
  const unit = spec.accepted[raw];
  if (unit !== undefined) return { ok: true, unit };
  if (spec.fallback !== null) {
    return { ok: true, unit: spec.fallback, note: spec.invalidMessage.replace('{v}', raw) };
  }
  return { ok: false, message: spec.invalidMessage.replace('{v}', raw) };
}

/** The HTTP path of a write endpoint family. */
export function apiPath(api: WriteApi): string {
  return WRITE_API_PATHS[api];
}

/** Every `?precision=` value some endpoint of some flavor accepts (the CLI's first check of `--precision`). */
export function knownPrecisionValues(): ReadonlySet<string> {
  const values = new Set<string>();
  for (const rules of Object.values(FLAVOR_RULES))
    for (const spec of Object.values(rules.precision)) for (const v of Object.keys(spec?.accepted ?? {})) values.add(v);
  return values;
}

/**
 * Core's `precision=auto` guess from a timestamp's magnitude (influx-api.md §6.4):
 * below 5e9 seconds, below 5e12 ms, below 5e15 µs, else ns.
 */
export function autoPrecisionUnit(ts: bigint): Exclude<PrecisionUnit, 'auto' | 'm' | 'h'> {
  const a = ts < 0n ? -ts : ts;
  if (a < 5_000_000_000n) return 's';
  if (a < 5_000_000_000_000n) return 'ms';
  if (a < 5_000_000_000_000_000n) return 'us';
  return 'ns';
}
