/**
 * InfluxQL vocabulary for completion and hover: the reserved words and the function catalogue of
 * InfluxDB 1.x (aggregates, selectors, transformations, predictors, technical analysis), each with a
 * signature, a one-line description and whether InfluxDB 3's InfluxQL implements it (influx-api.md §9:
 * SAMPLE and the technical-analysis family are not implemented there).
 */
import { RESERVED_WORDS } from './lexer';

/** Reserved words (upper-case); they must be double-quoted to be used as identifiers. */
export const INFLUXQL_KEYWORDS: readonly string[] = RESERVED_WORDS;

/** Function families, as the InfluxQL reference groups them. */
export type FunctionCategory =
  'aggregate' | 'selector' | 'transformation' | 'predictor' | 'technical-analysis' | 'clause';

/** One InfluxQL function. */
export interface InfluxQLFunction {
  /** Lower-case name, as the parser stores it. */
  readonly name: string;
  readonly category: FunctionCategory;
  /** Call signature for completion/hover, e.g. `MEAN(field_key)`. */
  readonly signature: string;
  /** One-line description. */
  readonly doc: string;
  /** Accepted argument counts. */
  readonly minArgs: number;
  readonly maxArgs: number;
  /** Whether InfluxDB 3 (Core, Enterprise, Cloud Dedicated, Clustered, Serverless) implements it. */
  readonly v3: boolean;
}

const f = (
  name: string,
  category: FunctionCategory,
  signature: string,
  doc: string,
  minArgs: number,
  maxArgs: number,
  v3 = true,
): InfluxQLFunction => ({ name, category, signature, doc, minArgs, maxArgs, v3 });

const MANY = Number.POSITIVE_INFINITY;

/** Every InfluxQL function of InfluxDB 1.x, plus the clause functions `time()`, `fill()`, `tz()`, `now()`. */
export const INFLUXQL_FUNCTIONS: readonly InfluxQLFunction[] = [
  // Aggregations
  f(
    'count',
    'aggregate',
    'COUNT(field_key | * | /regex/ | DISTINCT(field_key))',
    'Number of non-null field values.',
    1,
    1,
  ),
  f('distinct', 'aggregate', 'DISTINCT(field_key)', 'List of unique field values.', 1, 1),
  f(
    'integral',
    'aggregate',
    'INTEGRAL(field_key [, unit])',
    'Area under the curve of field values, per unit of time (default 1s).',
    1,
    2,
  ),
  f('mean', 'aggregate', 'MEAN(field_key)', 'Arithmetic mean of field values.', 1, 1),
  f('median', 'aggregate', 'MEDIAN(field_key)', 'Middle value of the sorted field values.', 1, 1),
  f('mode', 'aggregate', 'MODE(field_key)', 'Most frequent field value.', 1, 1),
  f('spread', 'aggregate', 'SPREAD(field_key)', 'Difference between the largest and smallest field value.', 1, 1),
  f('stddev', 'aggregate', 'STDDEV(field_key)', 'Standard deviation of field values.', 1, 1),
  f('sum', 'aggregate', 'SUM(field_key)', 'Sum of field values.', 1, 1),
  // Selectors
  f('bottom', 'selector', 'BOTTOM(field_key [, tag_key…], N)', 'Smallest N field values.', 2, MANY),
  f('first', 'selector', 'FIRST(field_key)', 'Field value with the oldest timestamp.', 1, 1),
  f('last', 'selector', 'LAST(field_key)', 'Field value with the newest timestamp.', 1, 1),
  f('max', 'selector', 'MAX(field_key)', 'Greatest field value.', 1, 1),
  f('min', 'selector', 'MIN(field_key)', 'Lowest field value.', 1, 1),
  f('percentile', 'selector', 'PERCENTILE(field_key, N)', 'The Nth percentile field value (N from 0 to 100).', 2, 2),
  f('sample', 'selector', 'SAMPLE(field_key, N)', 'N randomly selected field values.', 2, 2, false),
  f('top', 'selector', 'TOP(field_key [, tag_key…], N)', 'Greatest N field values.', 2, MANY),
  // Transformations
  f('abs', 'transformation', 'ABS(field_key)', 'Absolute value.', 1, 1),
  f('acos', 'transformation', 'ACOS(field_key)', 'Arccosine, in radians.', 1, 1),
  f('asin', 'transformation', 'ASIN(field_key)', 'Arcsine, in radians.', 1, 1),
  f('atan', 'transformation', 'ATAN(field_key)', 'Arctangent, in radians.', 1, 1),
  f('atan2', 'transformation', 'ATAN2(y, x)', 'Arctangent of y/x, in radians.', 2, 2),
  f('ceil', 'transformation', 'CEIL(field_key)', 'Rounds up to the nearest integer.', 1, 1),
  f('cos', 'transformation', 'COS(field_key)', 'Cosine of a value in radians.', 1, 1),
  f('cumulative_sum', 'transformation', 'CUMULATIVE_SUM(field_key)', 'Running total of field values.', 1, 1),
  f(
    'derivative',
    'transformation',
    'DERIVATIVE(field_key [, unit])',
    'Rate of change between consecutive values, per unit (default 1s).',
    1,
    2,
  ),
  f('difference', 'transformation', 'DIFFERENCE(field_key)', 'Difference between consecutive field values.', 1, 1),
  f(
    'elapsed',
    'transformation',
    'ELAPSED(field_key [, unit])',
    'Time between consecutive points, in unit (default 1ns).',
    1,
    2,
  ),
  f('exp', 'transformation', 'EXP(field_key)', 'e raised to the field value.', 1, 1),
  f('floor', 'transformation', 'FLOOR(field_key)', 'Rounds down to the nearest integer.', 1, 1),
  f('ln', 'transformation', 'LN(field_key)', 'Natural logarithm.', 1, 1),
  f('log', 'transformation', 'LOG(field_key, base)', 'Logarithm in the given base.', 2, 2),
  f('log2', 'transformation', 'LOG2(field_key)', 'Base-2 logarithm.', 1, 1),
  f('log10', 'transformation', 'LOG10(field_key)', 'Base-10 logarithm.', 1, 1),
  f(
    'moving_average',
    'transformation',
    'MOVING_AVERAGE(field_key, N)',
    'Rolling average over N consecutive values.',
    2,
    2,
  ),
  f(
    'non_negative_derivative',
    'transformation',
    'NON_NEGATIVE_DERIVATIVE(field_key [, unit])',
    'Non-negative rate of change per unit (default 1s).',
    1,
    2,
  ),
  f(
    'non_negative_difference',
    'transformation',
    'NON_NEGATIVE_DIFFERENCE(field_key)',
    'Non-negative difference between consecutive values.',
    1,
    1,
  ),
  f('pow', 'transformation', 'POW(field_key, x)', 'Field value raised to the power x.', 2, 2),
  f('round', 'transformation', 'ROUND(field_key)', 'Rounds to the nearest integer.', 1, 1),
  f('sin', 'transformation', 'SIN(field_key)', 'Sine of a value in radians.', 1, 1),
  f('sqrt', 'transformation', 'SQRT(field_key)', 'Square root.', 1, 1),
  f('tan', 'transformation', 'TAN(field_key)', 'Tangent of a value in radians.', 1, 1),
  // Predictors
  f(
    'holt_winters',
    'predictor',
    'HOLT_WINTERS(aggregate(field_key), N, S)',
    'Predicts N future values with Holt-Winters (seasonal pattern S); needs GROUP BY time().',
    3,
    3,
    false,
  ),
  f(
    'holt_winters_with_fit',
    'predictor',
    'HOLT_WINTERS_WITH_FIT(aggregate(field_key), N, S)',
    'Like HOLT_WINTERS, also returning the fitted values.',
    3,
    3,
    false,
  ),
  // Technical analysis
  f(
    'chande_momentum_oscillator',
    'technical-analysis',
    'CHANDE_MOMENTUM_OSCILLATOR(field_key, period [, hold_period [, warmup_type]])',
    'Chande Momentum Oscillator (CMO).',
    2,
    4,
    false,
  ),
  f(
    'exponential_moving_average',
    'technical-analysis',
    'EXPONENTIAL_MOVING_AVERAGE(field_key, period [, hold_period [, warmup_type]])',
    'Exponential moving average.',
    2,
    4,
    false,
  ),
  f(
    'double_exponential_moving_average',
    'technical-analysis',
    'DOUBLE_EXPONENTIAL_MOVING_AVERAGE(field_key, period [, hold_period [, warmup_type]])',
    'Double exponential moving average (DEMA).',
    2,
    4,
    false,
  ),
  f(
    'kaufmans_efficiency_ratio',
    'technical-analysis',
    'KAUFMANS_EFFICIENCY_RATIO(field_key, period [, hold_period])',
    "Kaufman's efficiency ratio.",
    2,
    3,
    false,
  ),
  f(
    'kaufmans_adaptive_moving_average',
    'technical-analysis',
    'KAUFMANS_ADAPTIVE_MOVING_AVERAGE(field_key, period [, hold_period])',
    "Kaufman's adaptive moving average (KAMA).",
    2,
    3,
    false,
  ),
  f(
    'triple_exponential_moving_average',
    'technical-analysis',
    'TRIPLE_EXPONENTIAL_MOVING_AVERAGE(field_key, period [, hold_period [, warmup_type]])',
    'Triple exponential moving average (TEMA).',
    2,
    4,
    false,
  ),
  f(
    'triple_exponential_derivative',
    'technical-analysis',
    'TRIPLE_EXPONENTIAL_DERIVATIVE(field_key, period [, hold_period [, warmup_type]])',
    'Triple exponential derivative (TRIX).',
    2,
    4,
    false,
  ),
  f(
    'relative_strength_index',
    'technical-analysis',
    'RELATIVE_STRENGTH_INDEX(field_key, period [, hold_period [, warmup_type]])',
    'Relative strength index (RSI).',
    2,
    4,
    false,
  ),
  // Clause functions
  f(
    'time',
    'clause',
    'time(interval [, offset])',
    'GROUP BY time bucket of the given duration, optionally shifted by an offset.',
    1,
    2,
  ),
  f(
    'fill',
    'clause',
    'fill(null | none | previous | linear | number)',
    'Value reported for time buckets without data.',
    1,
    1,
  ),
  f('tz', 'clause', "tz('time_zone')", 'Returns timestamps in the given IANA time zone.', 1, 1),
  f('now', 'clause', 'now()', "The server's current time (nanoseconds).", 0, 0),
];

const BY_NAME = new Map(INFLUXQL_FUNCTIONS.map((fn) => [fn.name, fn]));

/** The catalogue entry for a function name (case-insensitive), if it is one. */
export function findFunction(name: string): InfluxQLFunction | undefined {
  return BY_NAME.get(name.toLowerCase());
}

/** Hover text for a function: signature, then the description. */
export function functionHover(name: string): string | undefined {
  const fn = findFunction(name);
  if (!fn) return undefined;
  const v3 = fn.v3 ? '' : '\nNot implemented by InfluxDB 3 (Core, Enterprise, Cloud Dedicated, Clustered, Serverless).';
  return `${fn.signature}\n${fn.doc}${v3}`;
}
