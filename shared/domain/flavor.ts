/**
 * InfluxDB server flavors the workbench knows how to talk to.
 *
 * The ids match the CLI's `--flavor` values; `core` covers InfluxDB 3 Core and Enterprise, which share
 * one HTTP server implementation.
 */
export const SERVER_FLAVORS = ['cloud-dedicated', 'clustered', 'serverless', 'core', '1.x', '2.x'] as const;

/** One of {@link SERVER_FLAVORS}. */
export type ServerFlavor = (typeof SERVER_FLAVORS)[number];

/** Human labels for the flavor picker. */
export const FLAVOR_LABELS: Record<ServerFlavor, string> = {
  'cloud-dedicated': 'InfluxDB 3 Cloud Dedicated',
  clustered: 'InfluxDB 3 Clustered',
  serverless: 'InfluxDB Cloud Serverless',
  core: 'InfluxDB 3 Core / Enterprise',
  '1.x': 'InfluxDB OSS 1.x',
  '2.x': 'InfluxDB OSS 2.x',
};

/** The write APIs: v1 `/write`, v2 `/api/v2/write`, v3 `/api/v3/write_lp`. */
export const WRITE_APIS = ['v1', 'v2', 'v3'] as const;

/** One of {@link WRITE_APIS}. */
export type WriteApi = (typeof WRITE_APIS)[number];

/** Path of each write API. */
export const WRITE_API_PATHS: Record<WriteApi, string> = {
  v1: '/write',
  v2: '/api/v2/write',
  v3: '/api/v3/write_lp',
};

/**
 * Which write APIs a flavor serves (influx-api.md §3.1). v2 on 1.x exists from 1.8 on only; it is
 * offered because the version is often unknown, and the server's 404 says the rest.
 */
export const FLAVOR_WRITE_APIS: Record<ServerFlavor, readonly WriteApi[]> = {
  'cloud-dedicated': ['v1', 'v2'],
  clustered: ['v1', 'v2'],
  serverless: ['v2', 'v1'],
  core: ['v3', 'v1', 'v2'],
  '1.x': ['v1', 'v2'],
  '2.x': ['v2', 'v1'],
};

/** A precision choice for the form: the value sent, and a label. An empty value sends no parameter. */
export interface PrecisionOption {
  readonly value: string;
  readonly label: string;
}

const SERVER_DEFAULT_NS: PrecisionOption = { value: '', label: 'server default (ns)' };

/**
 * The precision values an endpoint of a flavor accepts (influx-api.md §3.1): 1.x `/write` knows
 * n/u/ms/s/m/h and silently treats `ns`/`us` as nanoseconds, so those are not offered; 3.x has no m/h;
 * Core's v3 endpoint defaults to `auto`.
 */
export function precisionOptions(flavor: ServerFlavor, api: WriteApi): readonly PrecisionOption[] {
  if (api === 'v3') {
    return [
      { value: '', label: 'server default (auto)' },
      { value: 'auto', label: 'auto (from magnitude)' },
      { value: 'nanosecond', label: 'nanosecond' },
      { value: 'microsecond', label: 'microsecond' },
      { value: 'millisecond', label: 'millisecond' },
      { value: 'second', label: 'second' },
    ];
  }
  if (flavor === '1.x' && api === 'v1') {
    return [
      SERVER_DEFAULT_NS,
      { value: 'n', label: 'n (nanoseconds)' },
      { value: 'u', label: 'u (microseconds)' },
      { value: 'ms', label: 'ms (milliseconds)' },
      { value: 's', label: 's (seconds)' },
      { value: 'm', label: 'm (minutes)' },
      { value: 'h', label: 'h (hours)' },
    ];
  }
  return [
    SERVER_DEFAULT_NS,
    { value: 'ns', label: 'ns (nanoseconds)' },
    { value: 'us', label: 'us (microseconds)' },
    { value: 'ms', label: 'ms (milliseconds)' },
    { value: 's', label: 's (seconds)' },
  ];
}

/** Whether `precision` is one the endpoint accepts (empty means "not sent"). */
export function isPrecisionAccepted(flavor: ServerFlavor, api: WriteApi, precision: string): boolean {
  return precisionOptions(flavor, api).some((o) => o.value === precision);
}

// The same unit under each API's spelling (v1/v2 `s`, v3 `second`; 1.x v1 `n`/`u` for ns/us).
const PRECISION_UNITS: readonly (readonly string[])[] = [
  ['ns', 'n', 'nanosecond'],
  ['us', 'u', 'microsecond'],
  ['ms', 'millisecond'],
  ['s', 'second'],
  ['m'],
  ['h'],
];

/**
 * `precision` spelled as `api` on `flavor` accepts it (`s` on v3 → `second`), or null when that
 * endpoint has no such unit. The empty value (server default) is kept.
 */
export function translatePrecision(flavor: ServerFlavor, api: WriteApi, precision: string): string | null {
  if (isPrecisionAccepted(flavor, api, precision)) return precision;
  const unit = PRECISION_UNITS.find((u) => u.includes(precision));
  return unit?.find((p) => isPrecisionAccepted(flavor, api, p)) ?? null;
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
  return `precision “${precision}” is not accepted by ${WRITE_API_PATHS[api]} on ${FLAVOR_LABELS[flavor]}: choose ${accepted.join(', ')} or the server default.`;
}
