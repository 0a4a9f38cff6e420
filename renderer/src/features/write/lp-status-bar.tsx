import { useEffect, useState } from 'react';

import { formatNs, lookalikeMeasurements, type LpSummary, type SafeFixPlan, visibleName } from '../../../../shared/lp';
import { KeyHint } from '../../lib/key-hint';
import type { LpState } from './lp-language';

/** How long typing pauses before an open batch summary follows it. */
const SUMMARY_DEBOUNCE_MS = 250;

/**
 * Under the editor: problem counts, the first error (why Send is blocked), "apply all safe fixes",
 * "send anyway", and the batch summary. The summary comes from the editor's own language session
 * (the document the diagnostics come from, not a second parse of a copy of the text) and, while it is
 * open, follows the text as you type, once typing pauses.
 */
export function LpStatusBar(props: {
  state: LpState;
  sendAnyway: boolean;
  onSendAnyway: (value: boolean) => void;
  onFixAll: () => void;
  /** What the last "apply all safe fixes" did. */
  fixes: SafeFixPlan | null;
  onDismissFixes: () => void;
  /** The summary of the editor's text now; null before the editor is ready. */
  summarize: () => LpSummary | null;
}) {
  const { state, summarize } = props;
  const [open, setOpen] = useState(false);
  const [summary, setSummary] = useState<LpSummary | null>(null);
  // Every revalidation publishes a new state: the open summary is rebuilt once they pause.
  useEffect(() => {
    if (!open) return;
    const t = setTimeout(() => setSummary(summarize()), SUMMARY_DEBOUNCE_MS);
    return () => clearTimeout(t);
  }, [open, state, summarize]);
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
        <button
          type="button"
          className="btn small"
          onClick={() => {
            setSummary(open ? null : summarize());
            setOpen(!open);
          }}
          data-testid="summary-toggle"
          aria-expanded={open}
        >
          {open ? 'Hide summary' : 'Batch summary'}
        </button>
        <KeyHint action="Send" />
      </div>
      {state.firstError && (
        <div className="lp-status-row">
          <span
            className="error-text"
            title={`Line ${state.firstError.line}: ${state.firstError.message}`}
            data-testid="lp-first-error"
          >
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
      {props.fixes && <FixReport plan={props.fixes} onDismiss={props.onDismissFixes} />}
      {open && summary && <SummaryView summary={summary} />}
    </div>
  );
}

function SummaryView({ summary }: { summary: LpSummary }) {
  const fields = Object.entries(summary.fields);
  const lookalikes = lookalikeMeasurements(Object.keys(summary.fields));
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
              <th className="mono" title={m === visibleName(m) ? undefined : 'Invisible characters spelled out'}>
                {visibleName(m)}
              </th>
              <td className="mono">
                {Object.entries(fs)
                  .map(([f, types]) => `${f}: ${types.join(' | ')}${types.length > 1 ? ' ⚠ conflict' : ''}`)
                  .join(', ')}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {lookalikes.map((l) => (
        <p key={l.name} className="warn-box" data-testid="lp-summary-lookalike">
          “{visibleName(l.name)}” and “{visibleName(l.looksLike)}” look alike but are two measurements for the server:{' '}
          {l.characters.join(', ')}
          {l.characters.includes('U+FEFF')
            ? ' is a byte order mark, which the server keeps as part of the name'
            : ` ${l.characters.length === 1 ? 'is an invisible character' : 'are invisible characters'} of the name`}
          . It is sent as it is; remove it (the quick fix on its line) to write one measurement.
        </p>
      ))}
      {summary.highCardinality.map((w, i) => (
        <p key={i} className="warn-box">
          {w.message}
        </p>
      ))}
    </div>
  );
}

/** What "apply all safe fixes" applied, and each safe fix it refused because it would leave an error. */
function FixReport({ plan, onDismiss }: { plan: SafeFixPlan; onDismiss: () => void }) {
  const n = plan.applied.length;
  return (
    <div
      className={plan.refused.length > 0 ? 'warn-box small fix-report' : 'fix-report small'}
      role="status"
      data-testid="fix-report"
    >
      <p>
        {n === 0 ? 'No fix applied.' : `Applied ${n} safe fix${n === 1 ? '' : 'es'} (Ctrl+Z undoes them).`}{' '}
        <button type="button" className="btn small" onClick={onDismiss} data-testid="fix-report-dismiss">
          Dismiss
        </button>
      </p>
      {plan.refused.length > 0 && (
        <ul data-testid="fix-refused">
          {plan.refused.map((r, i) => (
            <li key={i}>
              Not applied: line {r.line}, “{r.title}”: it would leave an error ({r.error}).
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
