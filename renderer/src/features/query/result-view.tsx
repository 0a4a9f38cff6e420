import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';

import type { ServerFlavor } from '../../../../shared/domain/flavor';
import { explainQueryError } from '../../../../shared/errors/query-catalogue';
import type { Cell } from '../../../../shared/query/exact-json';
import { type FieldType, formatCell, type TimeDisplay } from '../../../../shared/query/format';
import type { QueryEpoch } from '../../../../shared/query/query-request';
import type { ChartSeries, ResultOverview, SeriesOverview } from '../../../../shared/query/result-page';
import { fieldTypeMap } from '../../../../shared/query/schema';
import { invoke } from '../../lib/ipc';
import { ExplanationList } from '../explain/explanation-panel';
import { usePagedRows } from './paged-rows';
import { schemaQuery } from './schema-data';
import { chartable, TimeChart } from './time-chart';
import { VirtualTable } from './virtual-table';

/** Releases scheduled for results whose view unmounted, by result id. */
const pendingReleases = new Map<string, ReturnType<typeof setTimeout>>();

/**
 * Frees a result in main once its view is gone. Deferred by a task, so a view that mounts again at
 * once (React's StrictMode re-runs effects in development) keeps its rows: see {@link keepResult}.
 */
function releaseResultSoon(resultId: string): void {
  pendingReleases.set(
    resultId,
    setTimeout(() => {
      pendingReleases.delete(resultId);
      void invoke('query:release', { resultId }).catch(() => undefined);
    }, 0),
  );
}

/** Cancels a release scheduled for a result whose view mounted again. */
function keepResult(resultId: string): void {
  clearTimeout(pendingReleases.get(resultId));
  pendingReleases.delete(resultId);
}

/**
 * Statements → series, each as a table or a chart, with copy and export. Main keeps the rows: the
 * table asks for the pages it shows, the chart for the rows it draws, and copy/export are done by main
 * over the whole result (see shared/query/result-page.ts).
 */
export function ResultView(props: {
  result: ResultOverview;
  epoch: QueryEpoch;
  connectionId?: string;
  db?: string;
  /** The connection's flavor, for the error explanations. */
  flavor?: ServerFlavor;
}) {
  const { result, epoch } = props;
  const qc = useQueryClient();
  const [stmt, setStmt] = useState(0);
  const [seriesIndex, setSeriesIndex] = useState(0);
  const [mode, setMode] = useState<'table' | 'chart'>('table');
  const [timeDisplay, setTimeDisplay] = useState<TimeDisplay>('utc');
  // What the last copy or export did; `path` is the file main wrote.
  const [notice, setNotice] = useState<{ text: string; path?: string } | null>(null);
  const statementIndex = result.statements[stmt] ? stmt : 0;
  const statement = result.statements[statementIndex];
  const shownIndex = statement?.series[seriesIndex] ? seriesIndex : 0;
  const series: SeriesOverview | undefined = statement?.series[shownIndex];
  // Copy and export take every series of the statement (a GROUP BY has one per tag set), not the one shown.
  const all = statement?.series ?? [];
  const allLabel = all.length > 1 ? ` (${all.length} series)` : '';
  const { resultId } = result;
  // Main keeps the rows until the view goes away (a new run, another tab, closing the workspace).
  useEffect(() => {
    if (resultId === null) return;
    keepResult(resultId);
    return () => releaseResultSoon(resultId);
  }, [resultId]);
  const exportResult = (
    format: 'csv' | 'json' | 'lp',
    to: 'file' | 'clipboard',
    what: string,
    lp?: Record<string, { tags: string[]; types: Record<string, FieldType> }>,
  ): void => {
    if (resultId === null) return;
    setNotice({ text: `Exporting ${what}…` });
    invoke('query:export', { resultId, statement: statementIndex, format, to, ...(lp ? { lp } : {}) }).then(
      (d) => {
        const rows = `${d.rows.toLocaleString()} rows`;
        if (d.to === 'clipboard') setNotice({ text: `Copied ${what}: ${rows}.` });
        else if (d.to === 'file')
          setNotice({
            text:
              to === 'clipboard'
                ? `Browser mode cannot put the whole result on this browser's clipboard: ${what} (${rows}) was saved to`
                : `Saved ${what} (${rows}) to`,
            path: d.path,
          });
        else setNotice({ text: 'Export cancelled.' });
      },
      (err: Error) => setNotice({ text: err.message }),
    );
  };

  return (
    <div className="results" data-testid="results">
      {result.error && (
        <>
          <p className="error-box" role="alert" data-testid="query-error">
            {result.error}
          </p>
          <QueryErrorExplanation message={result.error} flavor={props.flavor} />
        </>
      )}
      {result.statements.length > 1 && (
        <div className="tabs" role="tablist" aria-label="Statements">
          {result.statements.map((s, i) => (
            <button
              key={s.statementId}
              type="button"
              role="tab"
              aria-selected={i === stmt}
              className={`tab ${i === stmt ? 'active' : ''} ${s.error ? 'has-error' : ''}`}
              onClick={() => {
                setStmt(i);
                setSeriesIndex(0);
              }}
            >
              Statement {s.statementId + 1}
              {s.error ? ' ⚠' : ''}
            </button>
          ))}
        </div>
      )}
      {statement?.error && (
        <p className="error-box" role="alert" data-testid="statement-error">
          Statement {statement.statementId + 1}: {statement.error}
          {statement.error === 'not executed' && (
            <span className="muted">
              {' '}
              — InfluxDB 1.6 stops at the first failing statement and reports it as “not executed” in non-chunked mode.
              Run again with “chunked” on to see the real error.
            </span>
          )}
        </p>
      )}
      {statement?.error && <QueryErrorExplanation message={statement.error} flavor={props.flavor} />}
      {statement?.messages.map((m, i) => (
        <p key={i} className="warn-box">
          {m.level}: {m.text}
        </p>
      ))}
      {statement && statement.series.length === 0 && !statement.error && (
        <p className="muted">Statement {statement.statementId + 1} returned no series.</p>
      )}
      {series && (
        <>
          <div className="result-toolbar">
            {statement!.series.length > 1 && (
              <select value={seriesIndex} onChange={(e) => setSeriesIndex(Number(e.target.value))} aria-label="Series">
                {statement!.series.map((s, i) => (
                  <option key={i} value={i}>
                    {s.name}
                    {Object.keys(s.tags).length
                      ? ` {${Object.entries(s.tags)
                          .map(([k, v]) => `${k}=${v}`)
                          .join(', ')}}`
                      : ''}{' '}
                    ({s.rowCount})
                  </option>
                ))}
              </select>
            )}
            <span className="muted" data-testid="row-count">
              {series.name} · {series.rowCount.toLocaleString()} rows
              {result.rowCount > series.rowCount ? ` (${result.rowCount.toLocaleString()} in all)` : ''}
            </span>
            <span className="push-right" />
            <div className="segmented" role="group" aria-label="View">
              <button type="button" className={mode === 'table' ? 'active' : ''} onClick={() => setMode('table')}>
                Table
              </button>
              <button
                type="button"
                className={mode === 'chart' ? 'active' : ''}
                onClick={() => setMode('chart')}
                disabled={!chartable(all)}
                data-testid="chart-toggle"
              >
                Chart
              </button>
            </div>
            <select
              value={timeDisplay}
              onChange={(e) => setTimeDisplay(e.target.value as TimeDisplay)}
              aria-label="Time format"
            >
              <option value="utc">time: RFC3339 UTC</option>
              <option value="local">time: local</option>
              <option value="raw">time: raw</option>
            </select>
            <button
              type="button"
              className="btn small"
              onClick={() => exportResult('csv', 'clipboard', `CSV${allLabel}`)}
              data-testid="copy-csv"
            >
              Copy CSV{allLabel}
            </button>
            <button
              type="button"
              className="btn small"
              data-testid="copy-lp"
              onClick={() => {
                // JSON cannot tell 100i from 100.0, nor a tag column from a string field: SHOW FIELD
                // KEYS and SHOW TAG KEYS (cached) say which is which.
                const { connectionId, db } = props;
                const schemaOf = async (name: string) => {
                  if (!connectionId || !db || !name)
                    return { types: new Map<string, FieldType>(), tags: new Set<string>() };
                  const [types, tags] = await Promise.all([
                    qc
                      .fetchQuery(schemaQuery(connectionId, db, 'fields', '', name))
                      .then(fieldTypeMap, () => new Map<string, FieldType>()),
                    qc.fetchQuery(schemaQuery(connectionId, db, 'tags', '', name)).then(
                      (ts) => new Set(ts.map((t) => t.name)),
                      () => new Set<string>(),
                    ),
                  ]);
                  return { types, tags };
                };
                const names = [...new Set(all.map((x) => x.name))];
                void Promise.all(names.map(schemaOf)).then((schemas) => {
                  const lp = Object.fromEntries(
                    names.map((n, i) => [
                      n,
                      { tags: [...schemas[i]!.tags], types: Object.fromEntries(schemas[i]!.types) },
                    ]),
                  );
                  const typed = schemas.some((x) => x.types.size > 0);
                  exportResult(
                    'lp',
                    'clipboard',
                    `line protocol${allLabel}${typed ? ' (field types from SHOW FIELD KEYS)' : ''}`,
                    lp,
                  );
                });
              }}
            >
              Copy as LP
            </button>
            <button
              type="button"
              className="btn small"
              onClick={() => exportResult('csv', 'file', `CSV${allLabel}`)}
              data-testid="export-csv"
            >
              Export CSV{allLabel}
            </button>
            <button
              type="button"
              className="btn small"
              onClick={() => exportResult('json', 'file', 'JSON')}
              data-testid="export-json"
            >
              Export JSON
            </button>
          </div>
          {notice && (
            <p className="muted small" data-testid="result-notice">
              {notice.text}
              {notice.path !== undefined && (
                <>
                  {' '}
                  <code data-testid="export-path">{notice.path}</code>
                </>
              )}
            </p>
          )}
          {mode === 'table' ? (
            <SeriesTable
              key={`${statementIndex}/${shownIndex}`}
              resultId={resultId}
              statement={statementIndex}
              seriesIndex={shownIndex}
              series={series}
              format={(cell: Cell, j: number) => formatCell(cell, series.columns[j] === 'time', epoch, timeDisplay)}
            />
          ) : (
            <StatementChart key={statementIndex} resultId={resultId} statement={statementIndex} epoch={epoch} />
          )}
        </>
      )}
    </div>
  );
}

/** One series as a virtual table whose rows come from main a page at a time. */
function SeriesTable(props: {
  resultId: string | null;
  statement: number;
  seriesIndex: number;
  series: SeriesOverview;
  format: (cell: Cell, columnIndex: number) => string;
}) {
  const { rowAt, need, error } = usePagedRows(props.resultId, props.statement, props.seriesIndex, props.series);
  return (
    <>
      {error && (
        <p className="error-box" role="alert" data-testid="page-error">
          {error}
        </p>
      )}
      <VirtualTable
        columns={props.series.columns}
        rowCount={props.series.rowCount}
        rowAt={rowAt}
        onRange={need}
        height={360}
        format={props.format}
      />
    </>
  );
}

/**
 * The chart of a statement, drawn from the rows main sends for it: every row, or for long series the
 * rows that shape each line (the first, last, lowest and highest of each time slice; values unchanged),
 * and then it says so.
 */
function StatementChart(props: { resultId: string | null; statement: number; epoch: QueryEpoch }) {
  const { resultId, statement } = props;
  const [data, setData] = useState<{ series: ChartSeries[] } | { error: string } | null>(null);
  useEffect(() => {
    if (resultId === null) return;
    let live = true;
    invoke('query:chart', { resultId, statement }).then(
      (d) => live && setData(d),
      (err: Error) => live && setData({ error: err.message }),
    );
    return () => {
      live = false;
    };
  }, [resultId, statement]);
  if (data === null) return <p className="muted">Loading the chart…</p>;
  if ('error' in data)
    return (
      <p className="error-box" role="alert">
        {data.error}
      </p>
    );
  const sent = data.series.reduce((n, s) => n + s.rows.length, 0);
  const total = data.series.reduce((n, s) => n + s.rowCount, 0);
  return (
    <>
      {sent < total && (
        <p className="muted small" data-testid="chart-sampled">
          The chart draws {sent.toLocaleString()} of {total.toLocaleString()} rows: for each line, the first, last,
          lowest and highest point of each time slice, so peaks and dips are all drawn. Values are the server&apos;s,
          unchanged; the table and exports have every row.
        </p>
      )}
      <TimeChart series={data.series} epoch={props.epoch} height={300} />
    </>
  );
}

/** What the error catalogue says about a query error (statement errors come with HTTP 200, unexplained before). */
function QueryErrorExplanation(props: { message: string; flavor: ServerFlavor | undefined }) {
  const explanations = explainQueryError(props.message, props.flavor);
  if (explanations.length === 0) return null;
  return (
    <section className="explanation" aria-label="Explanation" data-testid="query-explanation">
      <ExplanationList explanations={explanations} />
    </section>
  );
}
