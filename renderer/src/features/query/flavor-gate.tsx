import type { ServerFlavor } from '../../../../shared/domain/flavor';
import { type Diagnostic, validateQuery } from '../../../../shared/influxql';

/**
 * What the connection's flavor rejects in a script (SELECT INTO on 3.x, SHOW DATABASES on Cloud
 * Dedicated, SLIMIT…), found before sending so the user reads the rule instead of a cryptic server
 * error. Syntax errors are not blockers: the server's own parse error is the authoritative message.
 */
export function flavorBlockers(q: string, flavor: ServerFlavor): Diagnostic[] {
  return validateQuery(q, { flavor }).diagnostics.filter((d) => d.severity === 'error' && d.code !== 'parse-error');
}

/** The blocked-run notice: each rule with its position, and "Run anyway" for the user who knows better. */
export function FlavorGate(props: {
  blockers: readonly Diagnostic[];
  flavorLabel: string;
  onRunAnyway: () => void;
  onDismiss: () => void;
}) {
  return (
    <div className="warn-box flavor-gate" role="alert" data-testid="flavor-gate">
      <p>
        <strong>Not sent:</strong> {props.flavorLabel} does not run{' '}
        {props.blockers.length === 1 ? 'this statement' : 'these statements'}.
      </p>
      <ul>
        {props.blockers.map((d, i) => (
          <li key={i}>
            <span className="muted">
              line {d.line}, char {d.char}:
            </span>{' '}
            {d.message}
          </li>
        ))}
      </ul>
      <div className="row-actions">
        <button type="button" className="btn small danger" onClick={props.onRunAnyway} data-testid="run-anyway">
          Run anyway
        </button>
        <button type="button" className="btn small" onClick={props.onDismiss}>
          Edit the query
        </button>
      </div>
    </div>
  );
}
