import { type Cell, isExactInt } from './exact-json';
import type { QueryResult, Series } from './result-model';

/**
 * What the renderer gets of a query result: main keeps the rows (electron/services/result-store.ts)
 * and hands out the columns, counts and first page, then pages on demand (`query:page`), chart
 * samples (`query:chart`) and whole-result exports (`query:export`). The renderer never holds more
 * rows than it shows, so a 2,000,000-row result costs it a few pages.
 */

/** Rows sent with `query:run`'s answer for each series (the table's first screens). */
export const FIRST_PAGE_ROWS = 200;
/** Most rows one `query:page` answer carries. */
export const MAX_PAGE_ROWS = 2_000;

/** One series without its rows: what the table and the chart need to ask for them. */
export interface SeriesOverview {
  readonly name: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly columns: readonly string[];
  /** Rows main keeps for this series. */
  readonly rowCount: number;
  /** Columns worth charting (see {@link numericColumns}), judged over the whole series in main. */
  readonly numericColumns: readonly number[];
  /** The first {@link FIRST_PAGE_ROWS} rows (fewer when the series is shorter). */
  readonly firstRows: Cell[][];
}

/** One statement without its rows. */
export interface StatementOverview {
  readonly statementId: number;
  readonly series: SeriesOverview[];
  readonly error: string | null;
  readonly messages: ReadonlyArray<{ level: string; text: string }>;
}

/** A query result as the renderer sees it. */
export interface ResultOverview {
  /** Main's handle for the rows; null when the result has no rows to keep. */
  readonly resultId: string | null;
  readonly statements: StatementOverview[];
  readonly error: string | null;
  readonly rowCount: number;
}

/** The overview of a result kept in main under `resultId`. */
export function overviewOf(result: QueryResult, resultId: string | null, firstRows = FIRST_PAGE_ROWS): ResultOverview {
  return {
    resultId,
    error: result.error,
    rowCount: result.rowCount,
    statements: result.statements.map((st) => ({
      statementId: st.statementId,
      error: st.error,
      messages: st.messages,
      series: st.series.map((s) => ({
        name: s.name,
        tags: s.tags,
        columns: s.columns,
        rowCount: s.rows.length,
        numericColumns: numericColumns(s),
        firstRows: s.rows.slice(0, firstRows),
      })),
    })),
  };
}

/**
 * Numeric columns of a series (the ones worth charting): not `time`, and the first non-null cell is
 * a number or an exact integer.
 */
export function numericColumns(series: Pick<Series, 'columns' | 'rows'>): number[] {
  const idx: number[] = [];
  series.columns.forEach((c, i) => {
    if (c === 'time') return;
    const sample = series.rows.find((r) => r[i] !== null && r[i] !== undefined)?.[i];
    if (typeof sample === 'number' || (sample !== undefined && sample !== null && isExactInt(sample))) idx.push(i);
  });
  return idx;
}

/** Rows the chart gets over all series of a statement, at most (see {@link chartSample}). */
export const CHART_POINT_BUDGET = 40_000;

/** One series as the chart gets it: `time` and its numeric columns, every row or a sample of rows. */
export interface ChartSeries {
  readonly name: string;
  readonly tags: Readonly<Record<string, string>>;
  /** `time`, then the numeric columns. */
  readonly columns: readonly string[];
  readonly rows: Cell[][];
  /** Rows of the series in main; `rows.length` when every row was sent. */
  readonly rowCount: number;
}

/**
 * The rows a chart of `series` draws. A line chart a few thousand pixels wide cannot show more than
 * the first, last, lowest and highest point of each pixel column, so when a series has more rows than
 * its share of {@link CHART_POINT_BUDGET}, its time range is cut into slices and each slice keeps
 * exactly those rows (per numeric column: the rows of its minimum and maximum). Kept rows are the
 * server's rows, in their order, with their values unchanged: the chart looks as it would with every
 * point (peaks and dips included), nothing is averaged, and the caller says that it is a sample.
 */
export function chartSample(list: readonly Series[], budget = CHART_POINT_BUDGET): ChartSeries[] {
  const withTime = list.filter((s) => s.columns.includes('time'));
  const share = Math.max(200, Math.floor(budget / Math.max(1, withTime.length)));
  return withTime.map((s) => {
    const t = s.columns.indexOf('time');
    const numeric = numericColumns(s);
    const pick = [t, ...numeric];
    const project = (row: Cell[]): Cell[] => pick.map((i) => row[i] ?? null);
    const base = { name: s.name, tags: s.tags, columns: pick.map((i) => s.columns[i]!), rowCount: s.rows.length };
    if (s.rows.length <= share) return { ...base, rows: s.rows.map(project) };
    return { ...base, rows: sampleRows(s.rows, t, numeric, share).map((r) => project(s.rows[r]!)) };
  });
}

/** Indexes of the rows kept (ascending): first, last, min and max per column in each time slice. */
function sampleRows(rows: readonly Cell[][], t: number, numeric: readonly number[], share: number): number[] {
  const slices = Math.max(10, Math.floor(share / (2 + 2 * numeric.length)));
  const times = rows.map((r) => toNumber(r[t] ?? null));
  let lo = Infinity;
  let hi = -Infinity;
  for (const x of times) {
    if (Number.isNaN(x)) continue;
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  const kept = new Set<number>();
  if (lo === Infinity) return [];
  const span = hi - lo || 1;
  // Per slice: first row, last row, and per column the rows of the least and greatest value.
  const first = new Int32Array(slices).fill(-1);
  const last = new Int32Array(slices).fill(-1);
  const minAt = numeric.map(() => new Int32Array(slices).fill(-1));
  const maxAt = numeric.map(() => new Int32Array(slices).fill(-1));
  const minV = numeric.map(() => new Float64Array(slices).fill(Infinity));
  const maxV = numeric.map(() => new Float64Array(slices).fill(-Infinity));
  for (let r = 0; r < rows.length; r++) {
    const x = times[r]!;
    if (Number.isNaN(x)) continue;
    const b = Math.min(slices - 1, Math.floor(((x - lo) / span) * slices));
    if (first[b] === -1) first[b] = r;
    last[b] = r;
    const row = rows[r]!;
    for (let k = 0; k < numeric.length; k++) {
      const v = toNumber(row[numeric[k]!] ?? null);
      if (Number.isNaN(v)) continue;
      if (v < minV[k]![b]!) {
        minV[k]![b] = v;
        minAt[k]![b] = r;
      }
      if (v > maxV[k]![b]!) {
        maxV[k]![b] = v;
        maxAt[k]![b] = r;
      }
    }
  }
  const keep = (i: number): void => {
    if (i >= 0) kept.add(i);
  };
  for (let b = 0; b < slices; b++) {
    keep(first[b]!);
    keep(last[b]!);
    for (let k = 0; k < numeric.length; k++) {
      keep(minAt[k]![b]!);
      keep(maxAt[k]![b]!);
    }
  }
  return [...kept].sort((a, b) => a - b);
}

/** A cell as a number for ordering (times as epoch numbers or RFC3339 text); NaN when it is none. */
function toNumber(cell: Cell): number {
  if (typeof cell === 'number') return cell;
  if (cell === null || typeof cell === 'boolean') return NaN;
  if (isExactInt(cell)) return Number(cell.slice(1));
  const ms = Date.parse(cell);
  if (Number.isNaN(ms)) return NaN;
  // Sub-millisecond digits order rows inside one millisecond.
  const frac = /\.\d{3}(\d{1,6})/.exec(cell)?.[1];
  return ms + (frac ? Number(`0.${frac}`) : 0);
}
