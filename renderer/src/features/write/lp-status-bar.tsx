import { useState } from 'react';

import { formatNs, type LpOptions, type LpSummary } from '../../../../shared/lp';
import { KeyHint } from '../../lib/key-hint';
import { type LpState, summarize } from './lp-language';

/**
 * Under the editor: problem counts, the first error (why Send is blocked), "apply all safe fixes",
 * "send anyway", and the batch summary computed on demand (a full pass, kept off the typing path).
 */
export function LpStatusBar(props: {
  state: LpState;
  sendAnyway: boolean;
  onSendAnyway: (value: boolean) => void;
  onFixAll: () => void;
  body: string;
  options: LpOptions;
}) {
  const { state } = props;
  const [summary, setSummary] = useState<LpSummary | null>(null);
  return (
    <div className="lp-status" data-testid="lp-status">
      <div className="lp-status-row">
        <span className={state.errors > 0 ? 'count err' : 'count ok'} data-testid="lp-errors">
          {state.errors} error{state.errors === 1 ? '' : 's'}
        </span>
        <span className={state.warnings > 0 ? 'count warn' : 'count'} data-testid="lp-warnings">
          {state.warnings} warning{state.warnings === 1 ? '' : 's'}
        </span>
        {state.safeFixes > 0 && (
          <button type="button" className="btn small" onClick={props.onFixAll} data-testid="fix-all">
            Apply all safe fixes ({state.safeFixes})
          </button>
        )}
        <span className="push-right" />
        <KeyHint action="Send" />
        <button
          type="button"
          className="btn small"
          onClick={() => setSummary(summary ? null : summarize(props.body, props.options))}
          data-testid="summary-toggle"
        >
          {summary ? 'Hide summary' : 'Batch summary'}
        </button>
      </div>
      {state.firstError && (
        <div className="lp-status-row">
          <span className="error-text" data-testid="lp-first-error">
            Line {state.firstError.line}: {state.firstError.message}
          </span>
          <label className="check push-right">
            <input
              type="checkbox"
              checked={props.sendAnyway}
              onChange={(e) => props.onSendAnyway(e.target.checked)}
              data-testid="send-anyway"
            />{' '}
            send anyway
          </label>
        </div>
      )}
      {summary && <SummaryView summary={summary} />}
    </div>
  );
}

function SummaryView({ summary }: { summary: LpSummary }) {
  const fields = Object.entries(summary.fields);
  return (
    <div className="lp-summary" data-testid="lp-summary">
      <p>
        {summary.lines} lines · {summary.points} points · {summary.measurements} measurements · {summary.series} series
        {summary.minTimeNs !== null && summary.maxTimeNs !== null && (
          <>
            {' '}
            · {formatNs(summary.minTimeNs) ?? summary.minTimeNs.toString()} →{' '}
            {formatNs(summary.maxTimeNs) ?? summary.maxTimeNs.toString()}
          </>
        )}
        {summary.pointsWithoutTimestamp > 0 && <> · {summary.pointsWithoutTimestamp} without timestamp (server time)</>}
      </p>
      <table className="kv">
        <tbody>
          {fields.map(([m, fs]) => (
            <tr key={m}>
              <th>{m}</th>
              <td className="mono">
                {Object.entries(fs)
                  .map(([f, types]) => `${f}: ${types.join(' | ')}${types.length > 1 ? ' ⚠ conflict' : ''}`)
                  .join(', ')}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {summary.highCardinality.map((w, i) => (
        <p key={i} className="warn-box">
          {w.message}
        </p>
      ))}
    </div>
  );
}
