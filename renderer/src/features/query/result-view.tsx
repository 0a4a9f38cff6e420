import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';

import type { ServerFlavor } from '../../../../shared/domain/flavor';
import { explainQueryError } from '../../../../shared/errors/query-catalogue';
import type { Cell } from '../../../../shared/query/exact-json';
import {
  type FieldType,
  formatCell,
  resultToJson,
  seriesListToCsv,
  seriesToLineProtocol,
  type TimeDisplay,
} from '../../../../shared/query/format';
import type { QueryEpoch } from '../../../../shared/query/query-request';
import type { QueryResult, Series } from '../../../../shared/query/result-model';
import { fieldTypeMap } from '../../../../shared/query/schema';
import { ExplanationList } from '../explain/explanation-panel';
import { schemaQuery } from './schema-data';
import { chartable, TimeChart } from './time-chart';
import { VirtualTable } from './virtual-table';

/** Statements → series, each as a table or a chart, with copy and export. */
export function ResultView(props: {
  result: QueryResult;
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
  const [notice, setNotice] = useState<string | null>(null);
  const statement = result.statements[stmt] ?? result.statements[0];
  const series: Series | undefined = statement?.series[seriesIndex] ?? statement?.series[0];
  // Copy and export take every series of the statement (a GROUP BY has one per tag set), not the one shown.
  const all = statement?.series ?? [];
  const allLabel = all.length > 1 ? ` (${all.length} series)` : '';
  const csvName = `${series?.name || 'result'}.csv`;
  const copy = (text: string, what: string): void => {
    void navigator.clipboard.writeText(text).then(
      () => setNotice(`Copied ${what}.`),
      () => setNotice('The clipboard is not available here; use Export instead.'),
    );
  };
  const download = (text: string, name: string, type: string): void => {
    const url = URL.createObjectURL(new Blob([text], { type }));
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    a.click();
    URL.revokeObjectURL(url);
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
                    ({s.rows.length})
                  </option>
                ))}
              </select>
            )}
            <span className="muted" data-testid="row-count">
              {series.name} · {series.rows.length.toLocaleString()} rows
              {result.rowCount > series.rows.length ? ` (${result.rowCount.toLocaleString()} in all)` : ''}
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
              onClick={() => copy(seriesListToCsv(all), `CSV${allLabel}`)}
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
                  const byName = new Map(names.map((n, i) => [n, schemas[i]!]));
                  const typed = schemas.some((x) => x.types.size > 0);
                  copy(
                    all
                      .map((x) => seriesToLineProtocol(x, epoch, byName.get(x.name)!.tags, byName.get(x.name)!.types))
                      .join(''),
                    `line protocol${allLabel}${typed ? ' (field types from SHOW FIELD KEYS)' : ''}`,
                  );
                });
              }}
            >
              Copy as LP
            </button>
            <button
              type="button"
              className="btn small"
              onClick={() => download(seriesListToCsv(all), csvName, 'text/csv')}
              data-testid="export-csv"
            >
              Export CSV{allLabel}
            </button>
            <button
              type="button"
              className="btn small"
              onClick={() => download(resultToJson(result), 'result.json', 'application/json')}
            >
              Export JSON
            </button>
          </div>
          {notice && <p className="muted small">{notice}</p>}
          {mode === 'table' ? (
            <VirtualTable
              columns={series.columns}
              rows={series.rows}
              height={360}
              format={(cell: Cell, j: number) => formatCell(cell, series.columns[j] === 'time', epoch, timeDisplay)}
            />
          ) : (
            <TimeChart key={stmt} series={all} epoch={epoch} height={300} />
          )}
        </>
      )}
    </div>
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
