import { randomUUID } from 'node:crypto';

import { AppError } from '../../shared/ipc/result';
import type { QueryEpoch } from '../../shared/query/query-request';
import type { QueryResult, Series } from '../../shared/query/result-model';

/**
 * Query results kept in main so the renderer can page through them (see shared/query/result-page.ts).
 * Bounded: the most recent results only, by count and by rows over all of them; the renderer frees a
 * result when its view goes away (`query:release`), and an older result is dropped when a new one
 * would pass either bound (the newest is always kept, whatever its size: its own budget bounds it).
 */
export interface ResultStore {
  /** Keeps a result; returns its id. */
  put(result: QueryResult, meta: StoredResultMeta): string;
  /** The result, or NOT_FOUND with what to do (it was released or dropped for newer ones). */
  get(id: string): StoredResult;
  /** Frees a result; false when it was not kept. */
  release(id: string): boolean;
  /** Ids kept, oldest first (for tests and diagnostics). */
  ids(): string[];
}

/** What a stored result was run with (exports need the epoch; the connection scopes access). */
export interface StoredResultMeta {
  readonly connectionId: string;
  readonly epoch: QueryEpoch;
  readonly db: string;
}

/** A result main keeps. */
export interface StoredResult extends StoredResultMeta {
  readonly result: QueryResult;
}

/** Bounds of {@link createResultStore}. */
export interface ResultStoreLimits {
  /** Results kept at most. */
  readonly maxResults: number;
  /** Rows kept over all results at most (the newest result is kept even when it alone is larger). */
  readonly maxRows: number;
}

/**
 * The app's bounds: a few results (one per open query tab is the usual case) and at most 3,000,000
 * rows over all of them, so main stays well under 1 GB with one result at the default budget.
 */
export const DEFAULT_RESULT_STORE_LIMITS: ResultStoreLimits = { maxResults: 8, maxRows: 3_000_000 };

/** Creates an LRU store of query results. */
export function createResultStore(limits: ResultStoreLimits = DEFAULT_RESULT_STORE_LIMITS): ResultStore {
  // A Map iterates in insertion order: re-inserting on access makes it an LRU.
  const kept = new Map<string, StoredResult>();
  let rows = 0;
  const drop = (id: string): boolean => {
    const r = kept.get(id);
    if (!r) return false;
    kept.delete(id);
    rows -= r.result.rowCount;
    return true;
  };
  return {
    put(result, meta) {
      const id = randomUUID();
      // Make room first, so the old rows can be collected before the new ones pile on.
      for (const old of [...kept.keys()]) {
        if (kept.size < limits.maxResults && rows + result.rowCount <= limits.maxRows) break;
        drop(old);
      }
      kept.set(id, { ...meta, result });
      rows += result.rowCount;
      return id;
    },
    get(id) {
      const r = kept.get(id);
      if (!r) {
        throw new AppError(
          'NOT_FOUND',
          'This result is no longer kept (newer results replaced it, or its view was closed). Run the query again.',
        );
      }
      kept.delete(id);
      kept.set(id, r);
      return r;
    },
    release: drop,
    ids: () => [...kept.keys()],
  };
}

/** The series a paging request names, or NOT_FOUND. */
export function seriesAt(stored: StoredResult, statement: number, series: number): Series {
  const s = stored.result.statements[statement]?.series[series];
  if (!s) throw new AppError('NOT_FOUND', `The result has no series ${series + 1} in statement ${statement + 1}.`);
  return s;
}
