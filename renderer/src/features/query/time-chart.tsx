import 'uplot/dist/uPlot.min.css';

import { useEffect, useRef } from 'react';
import uPlot from 'uplot';

import { isExactInt } from '../../../../shared/query/exact-json';
import { timeToNs } from '../../../../shared/query/format';
import type { QueryEpoch } from '../../../../shared/query/query-request';
import type { Series } from '../../../../shared/query/result-model';

const COLORS = ['#4f8cff', '#3fb950', '#d29922', '#f85149', '#a371f7', '#39c5cf', '#ff7b72', '#e3b341'];

/** Numeric columns of a series (the ones worth charting). */
export function numericColumns(series: Series): number[] {
  const idx: number[] = [];
  series.columns.forEach((c, i) => {
    if (c === 'time') return;
    const sample = series.rows.find((r) => r[i] !== null && r[i] !== undefined)?.[i];
    if (typeof sample === 'number' || (sample !== undefined && sample !== null && isExactInt(sample))) idx.push(i);
  });
  return idx;
}

/** A time-series line chart of the numeric columns (uPlot: canvas, fast on large series). */
export function TimeChart(props: { series: Series; epoch: QueryEpoch; width: number; height: number }) {
  const host = useRef<HTMLDivElement>(null);
  const { series, epoch, width, height } = props;
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const t = series.columns.indexOf('time');
    const cols = numericColumns(series);
    if (t < 0 || cols.length === 0) return;
    const xs = new Float64Array(series.rows.length);
    const ys = cols.map(() => new Array<number | null>(series.rows.length));
    series.rows.forEach((row, r) => {
      const ns = timeToNs(row[t] ?? null, epoch);
      xs[r] = ns === null ? NaN : Number(ns) / 1e9;
      cols.forEach((c, k) => {
        const v = row[c];
        ys[k]![r] =
          typeof v === 'number' ? v : v !== null && v !== undefined && isExactInt(v) ? Number(v.slice(1)) : null;
      });
    });
    // uPlot needs ascending x: results may be ORDER BY time DESC.
    let data: uPlot.AlignedData = [Array.from(xs), ...ys];
    const ascending = xs.every((x, i) => i === 0 || !(x < xs[i - 1]!));
    if (!ascending) {
      const order = Array.from(xs.keys()).sort((a, b) => xs[a]! - xs[b]!);
      data = [order.map((i) => xs[i]!), ...ys.map((y) => order.map((i) => y[i] ?? null))];
    }
    const plot = new uPlot(
      {
        width,
        height,
        scales: { x: { time: true } },
        axes: [
          { stroke: '#9aa3b2', grid: { stroke: '#2b2f39' } },
          { stroke: '#9aa3b2', grid: { stroke: '#2b2f39' } },
        ],
        series: [
          {},
          ...cols.map((c, k) => ({
            label: series.columns[c],
            stroke: COLORS[k % COLORS.length],
            width: 1.5,
            spanGaps: false,
          })),
        ],
      },
      data,
      el,
    );
    return () => plot.destroy();
  }, [series, epoch, width, height]);
  return <div ref={host} className="chart" data-testid="result-chart" />;
}
