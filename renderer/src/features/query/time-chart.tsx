import 'uplot/dist/uPlot.min.css';

import { useEffect, useMemo, useRef, useState } from 'react';
import uPlot from 'uplot';

import { isExactInt } from '../../../../shared/query/exact-json';
import { timeToNs } from '../../../../shared/query/format';
import type { QueryEpoch } from '../../../../shared/query/query-request';
import { type ChartSeries, numericColumns, type SeriesOverview } from '../../../../shared/query/result-page';

const COLORS = [
  '#4f8cff',
  '#3fb950',
  '#d29922',
  '#f85149',
  '#a371f7',
  '#39c5cf',
  '#ff7b72',
  '#e3b341',
  '#f778ba',
  '#8b949e',
];

/** Whether any series of a statement can be charted (a time column and a numeric one, judged by main over every row). */
export function chartable(list: readonly SeriesOverview[]): boolean {
  return list.some((s) => s.columns.includes('time') && s.numericColumns.length > 0);
}

/** One line of the chart: a numeric column of one series. */
interface Line {
  readonly label: string;
  readonly color: string;
}

/** `usage {host=h0}`: the column, and the series' tags when there are several series. */
function lineLabel(series: ChartSeries, column: string, many: boolean): string {
  const tags = Object.entries(series.tags);
  if (!many || tags.length === 0) return many && series.name ? `${series.name}.${column}` : column;
  return `${column} {${tags.map(([k, v]) => `${k}=${v}`).join(', ')}}`;
}

/** Every numeric column of every series, aligned on the union of their times (uPlot wants one x array). */
function chartData(list: readonly ChartSeries[], epoch: QueryEpoch): { data: uPlot.AlignedData; lines: Line[] } {
  const many = list.length > 1;
  const parts = list
    .filter((s) => s.columns.includes('time'))
    .map((s) => {
      const t = s.columns.indexOf('time');
      const xs = s.rows.map((row) => {
        const ns = timeToNs(row[t] ?? null, epoch);
        return ns === null ? NaN : Number(ns) / 1e9;
      });
      return { s, xs, cols: numericColumns(s) };
    })
    .filter((p) => p.cols.length > 0);
  const lines: Line[] = [];
  for (const p of parts)
    for (const c of p.cols)
      lines.push({ label: lineLabel(p.s, p.s.columns[c]!, many), color: COLORS[lines.length % COLORS.length]! });
  // One x array: the sorted union of all times (results may be ORDER BY time DESC, series may differ).
  const single = parts.length === 1 ? parts[0]!.xs : null;
  const xs =
    single && single.every((x, i) => i === 0 || !(x < single[i - 1]!))
      ? single
      : [...new Set(parts.flatMap((p) => p.xs))].filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  const at = new Map<number, number>();
  if (xs !== single) xs.forEach((x, i) => at.set(x, i));
  const ys: Array<Array<number | null>> = [];
  for (const p of parts)
    for (const c of p.cols) {
      const y = new Array<number | null>(xs.length).fill(null);
      p.s.rows.forEach((row, r) => {
        const i = xs === single ? r : at.get(p.xs[r]!);
        if (i === undefined) return;
        const v = row[c];
        y[i] = typeof v === 'number' ? v : v !== null && v !== undefined && isExactInt(v) ? Number(v.slice(1)) : null;
      });
      ys.push(y);
    }
  return { data: [xs, ...ys], lines };
}

/**
 * A y axis as wide as its longest tick label (uPlot's fixed 50 px cut "200,000" to "0,000").
 * Measured with the axis font on uPlot's own canvas context.
 */
function axisSize(self: uPlot, values: string[] | null, axisIdx: number, cycleNum: number): number {
  const axis = self.axes[axisIdx]!;
  if (cycleNum > 1) return (axis as unknown as { _size: number })._size;
  let size = (axis.ticks?.size ?? 10) + (axis.gap ?? 5) + 8;
  const longest = (values ?? []).reduce((a, v) => (v.length > a.length ? v : a), '');
  if (longest !== '') {
    self.ctx.font = (axis.font as unknown as string[] | undefined)?.[0] ?? self.ctx.font;
    size += self.ctx.measureText(longest).width / devicePixelRatio;
  }
  return Math.ceil(size);
}

/**
 * A time-series line chart of every numeric column of every series (uPlot: canvas, fast on large
 * series). It fills its container's width at any window size; the legend sits above the plot, where
 * it is seen, and each entry hides or shows its line.
 */
export function TimeChart(props: { series: readonly ChartSeries[]; epoch: QueryEpoch; height: number }) {
  const frame = useRef<HTMLDivElement>(null);
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  // Keyed by the caller per statement: which lines are hidden starts afresh with new data.
  const { series, epoch, height } = props;
  const [width, setWidth] = useState(0);
  const model = useMemo(() => chartData(series, epoch), [series, epoch]);
  const lines = model.lines;
  const [hidden, setHidden] = useState<ReadonlySet<number>>(new Set());
  const [showLegend, setShowLegend] = useState(true);

  useEffect(() => {
    const el = frame.current;
    if (!el) return;
    const measure = (): void => setWidth(Math.max(0, Math.floor(el.clientWidth)));
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const ready = width > 0;
  useEffect(() => {
    const el = host.current;
    if (!el || !ready) return;
    const { data, lines: ls } = model;
    if (ls.length === 0) return;
    const axis = { stroke: '#9aa3b2', grid: { stroke: '#2b2f39' }, ticks: { stroke: '#2b2f39' } };
    const p = new uPlot(
      {
        width: Math.floor(frame.current?.clientWidth ?? 600),
        height,
        legend: { show: false },
        scales: { x: { time: true } },
        axes: [axis, { ...axis, size: axisSize }],
        series: [{}, ...ls.map((l) => ({ label: l.label, stroke: l.color, width: 1.5, spanGaps: false }))],
      },
      data,
      el,
    );
    plot.current = p;
    return () => {
      p.destroy();
      plot.current = null;
    };
  }, [model, height, ready]);

  useEffect(() => {
    if (width > 0) plot.current?.setSize({ width, height });
  }, [width, height]);

  const toggle = (i: number): void => {
    const next = new Set(hidden);
    if (next.has(i)) next.delete(i);
    else next.add(i);
    setHidden(next);
    plot.current?.setSeries(i + 1, { show: !next.has(i) });
  };

  return (
    <div className="chart" data-testid="result-chart">
      <div className="chart-legend-bar">
        <button
          type="button"
          className="btn small"
          onClick={() => setShowLegend((s) => !s)}
          aria-pressed={showLegend}
          data-testid="legend-toggle"
        >
          {showLegend ? 'Hide legend' : `Legend (${lines.length})`}
        </button>
        {showLegend && (
          <ul className="chart-legend" data-testid="chart-legend">
            {lines.map((l, i) => (
              <li key={i}>
                <button
                  type="button"
                  className={hidden.has(i) ? 'legend-item off' : 'legend-item'}
                  onClick={() => toggle(i)}
                  aria-pressed={!hidden.has(i)}
                  title={hidden.has(i) ? 'Show this line' : 'Hide this line'}
                >
                  <span className="swatch" style={{ background: l.color }} />
                  {l.label}
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
      <div ref={frame} className="chart-frame">
        <div ref={host} />
      </div>
    </div>
  );
}
