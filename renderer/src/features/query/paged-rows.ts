import { useCallback, useRef, useState } from 'react';

import type { Cell } from '../../../../shared/query/exact-json';
import type { SeriesOverview } from '../../../../shared/query/result-page';
import { invoke } from '../../lib/ipc';

/** Rows per `query:page` request. */
const PAGE = 500;
/** Pages kept in the window at most (the rest are asked for again when scrolled back to). */
const KEPT_PAGES = 24;

/**
 * The rows of one series of a result main keeps, fetched a page at a time as the table shows them.
 * The window holds the first page (from `query:run`) and at most {@link KEPT_PAGES} more, so scrolling
 * through 2,000,000 rows costs a few hundred KB here, never the result.
 */
export function usePagedRows(
  resultId: string | null,
  statement: number,
  seriesIndex: number,
  series: SeriesOverview,
): { rowAt: (i: number) => Cell[] | undefined; need: (first: number, last: number) => void; error: string | null } {
  const pages = useRef(new Map<number, Cell[][]>());
  const pending = useRef(new Set<number>());
  const [, setVersion] = useState(0);
  const [error, setError] = useState<string | null>(null);
  // The caller keys the table by result and series, so another series starts with an empty cache.

  const rowAt = useCallback(
    (i: number): Cell[] | undefined => {
      if (i < series.firstRows.length) return series.firstRows[i];
      return pages.current.get(Math.floor(i / PAGE))?.[i % PAGE];
    },
    [series],
  );

  const need = useCallback(
    (first: number, last: number): void => {
      if (resultId === null) return;
      for (let p = Math.floor(first / PAGE); p <= Math.floor(Math.max(first, last - 1) / PAGE); p++) {
        if (p * PAGE + PAGE <= series.firstRows.length || p * PAGE >= series.rowCount) continue;
        const kept = pages.current.get(p);
        if (kept) {
          // Most recently used last: the oldest page is the one dropped.
          pages.current.delete(p);
          pages.current.set(p, kept);
          continue;
        }
        if (pending.current.has(p)) continue;
        pending.current.add(p);
        invoke('query:page', { resultId, statement, series: seriesIndex, offset: p * PAGE, limit: PAGE }).then(
          ({ rows }) => {
            pending.current.delete(p);
            pages.current.set(p, rows);
            while (pages.current.size > KEPT_PAGES) pages.current.delete(pages.current.keys().next().value!);
            setVersion((v) => v + 1);
          },
          (err: Error) => {
            pending.current.delete(p);
            setError(err.message);
          },
        );
      }
    },
    [resultId, statement, seriesIndex, series],
  );
  return { rowAt, need, error };
}
