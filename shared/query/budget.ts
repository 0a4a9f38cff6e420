/**
 * The one policy for how much of a `/query` answer the app keeps: the defaults every connection starts
 * with, and the range its settings accept. Main keeps a result's rows (see result-page.ts), so this
 * bounds main's memory: 2,000,000 rows of a few columns is a few hundred MB of JS objects.
 */

/** Rows and bytes read before a result is ended cleanly, with a message saying how to narrow the query. */
export interface QueryBudget {
  readonly maxRows: number;
  readonly maxBytes: number;
}

/** The app's budget per query request, unless the connection sets its own. */
export const DEFAULT_QUERY_BUDGET: QueryBudget = { maxRows: 2_000_000, maxBytes: 512 * 1024 * 1024 };

/**
 * What a connection may set. The upper bounds keep one result within what main can hold next to the
 * others it keeps (the app's 1 GiB-answer benchmark stays under 1 GB at the defaults); the lower
 * bounds keep a result useful.
 */
export const QUERY_BUDGET_RANGE = {
  maxRows: { min: 1_000, max: 5_000_000 },
  maxBytes: { min: 1024 * 1024, max: 1024 * 1024 * 1024 },
} as const;
