import { useEffect, useState } from 'react';

import type { Cell } from '../../../../shared/query/exact-json';

const ROW = 24;
const OVERSCAN = 10;
const TIME_MIN = 250;
const COLUMN_MIN = 110;

/**
 * A table that renders only the rows in view, so a million rows scroll as smoothly as ten.
 * Fixed row height; the body is a spacer as tall as all rows with the visible slice positioned in it.
 * Rows come from `rowAt` (main keeps the result; `onRange` says which rows are in view so they can be
 * fetched); a row not fetched yet shows as loading.
 */
export function VirtualTable(props: {
  columns: readonly string[];
  rowCount: number;
  rowAt: (index: number) => readonly Cell[] | undefined;
  onRange?: (first: number, last: number) => void;
  format: (cell: Cell, columnIndex: number) => string;
  height: number;
}) {
  const [scrollTop, setScrollTop] = useState(0);
  const first = Math.max(0, Math.floor(scrollTop / ROW) - OVERSCAN);
  const count = Math.ceil(props.height / ROW) + OVERSCAN * 2;
  const last = Math.min(props.rowCount, first + count);
  const { onRange } = props;
  useEffect(() => onRange?.(first, last), [onRange, first, last]);
  const template = props.columns
    .map((c) => (c === 'time' ? `minmax(${TIME_MIN}px, max-content)` : `minmax(${COLUMN_MIN}px, 1fr)`))
    .join(' ');
  // Head and rows share one scroller and this minimum width: a result wider than the pane scrolls
  // sideways as a whole (the last column was cut off by the pane's edge), the head stays on top.
  const minWidth = props.columns.reduce((w, c) => w + (c === 'time' ? TIME_MIN : COLUMN_MIN), 0);
  const slice: React.ReactNode[] = [];
  for (let i = first; i < last; i++) {
    const row = props.rowAt(i);
    if (!row) {
      slice.push(
        <div key={i} className="vt-row" style={{ top: i * ROW }} role="row" aria-rowindex={i + 2} aria-busy="true">
          <span className="vt-cell null" role="cell">
            …
          </span>
        </div>,
      );
      continue;
    }
    slice.push(
      <div
        key={i}
        className="vt-row"
        style={{ top: i * ROW, gridTemplateColumns: template }}
        role="row"
        aria-rowindex={i + 2}
      >
        {props.columns.map((_, j) => {
          const cell = row[j] ?? null;
          return (
            <span
              key={j}
              className={typeof cell === 'number' ? 'vt-cell num' : cell === null ? 'vt-cell null' : 'vt-cell'}
              role="cell"
            >
              {cell === null ? '—' : props.format(cell, j)}
            </span>
          );
        })}
      </div>,
    );
  }
  return (
    <div className="vt" role="table" aria-rowcount={props.rowCount + 1} data-testid="result-table">
      <div
        className="vt-scroll"
        style={{ height: props.height }}
        onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
      >
        <div className="vt-head" role="row" style={{ gridTemplateColumns: template, minWidth }}>
          {props.columns.map((c, j) => (
            <span key={j} className="vt-cell" role="columnheader" title={c}>
              {c}
            </span>
          ))}
        </div>
        <div className="vt-spacer" style={{ height: props.rowCount * ROW, minWidth }}>
          {slice}
        </div>
      </div>
    </div>
  );
}
