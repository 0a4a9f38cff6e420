import { type ReactNode, useCallback, useMemo, useRef, useState } from 'react';

import type { ConnectionSummary } from '../../../../shared/domain/connection';
import type { FlavorDetection } from '../../../../shared/domain/detect';
import type { HttpExchange } from '../../../../shared/domain/http';
import type { Explanation } from '../../../../shared/errors/explain';
import {
  buildServerReport,
  currentLineOf,
  mapServerMarks,
  pickMarkedLines,
  removeMarkedLines,
  type ServerLineMark,
  type ServerReport,
} from './server-diagnostics';
import type { ServerLineActions } from './server-markers';
import type { LpEditorHandle, ServerDiagnosticsProp } from './use-server-diagnostics';

/**
 * The "Explanation" section of the inspector and the server markers of the editor, from one place:
 * the last write's exchange and the body that was sent with it.
 */

/** What the write workspace gives {@link useServerExplain}. */
export interface ServerExplainInput {
  readonly connection: ConnectionSummary;
  /** The connection's last ping or probe detection, for what the server is when its answer does not say. */
  readonly detected?: FlavorDetection | null;
  /** The last write's exchange (null when the last action was not a write, or none yet). */
  readonly exchange: HttpExchange | null;
  /** The body exactly as it was sent with that write. */
  readonly sentBody: string;
  /** The editor's text now. */
  readonly body: string;
  readonly setBody: (body: string) => void;
  /** Sends a write with this body (the rest of the draft unchanged). */
  readonly resend: (body: string) => void;
  readonly busy: boolean;
}

/** What the workspace passes on to the editor and the inspector. */
export interface ServerExplain {
  readonly report: ServerReport | null;
  readonly marks: readonly ServerLineMark[];
  readonly diagnostics: ServerDiagnosticsProp | undefined;
  readonly onEditorReady: (handle: LpEditorHandle | null) => void;
  /** The inspector's Explanation section; null when there is nothing to explain. */
  readonly panel: ReactNode;
}

/** See the module comment. */
export function useServerExplain(input: ServerExplainInput): ServerExplain {
  const { connection, exchange, sentBody, body, setBody, resend, busy, detected = null } = input;
  const report = useMemo(
    () => buildServerReport(exchange, sentBody, connection.flavor, detected),
    [exchange, sentBody, connection.flavor, detected],
  );
  const marks = useMemo(() => mapServerMarks(report, body), [report, body]);
  const editor = useRef<LpEditorHandle | null>(null);
  const [copied, setCopied] = useState<string | null>(null);
  const onEditorReady = useCallback((h: LpEditorHandle | null) => {
    editor.current = h;
  }, []);

  const actions = useMemo<ServerLineActions | null>(() => {
    if (marks.length === 0) return null;
    return {
      remove: () => setBody(removeMarkedLines(body, marks)),
      sendAgain: () => resend(pickMarkedLines(body, marks)),
      copy: () => {
        const text = pickMarkedLines(body, marks);
        void navigator.clipboard.writeText(text).then(
          () => setCopied(`Copied ${marks.length} rejected line${marks.length === 1 ? '' : 's'}.`),
          () => setCopied('The clipboard is not available here.'),
        );
      },
    };
  }, [marks, body, setBody, resend]);

  const diagnostics = useMemo<ServerDiagnosticsProp | undefined>(
    () => (report ? { status: report.status, marks, actions: busy ? null : actions } : undefined),
    [report, marks, actions, busy],
  );
  const panel = report ? (
    <ExplanationPanel
      report={report}
      marks={marks}
      actions={busy ? null : actions}
      copied={copied}
      reveal={(line) => editor.current?.revealLine(line)}
    />
  ) : null;
  return { report, marks, diagnostics, onEditorReady, panel };
}

/** The decoded lines, the matched catalogue entries, and the actions on the rejected lines. */
export function ExplanationPanel(props: {
  report: ServerReport;
  marks: readonly ServerLineMark[];
  actions: ServerLineActions | null;
  copied: string | null;
  reveal: (line: number) => void;
}) {
  const { report, marks, actions } = props;
  const d = report.decoded;
  const batchLevel = d.lines.filter((l) => l.line === null);
  const located = d.lines.filter((l) => l.line !== null);
  return (
    <section className="explanation" aria-label="Explanation" data-testid="explanation">
      <h3>Explanation</h3>
      <p className="explain-summary" data-testid="explain-summary">
        {d.summary}
      </p>
      {located.length > 0 && (
        <>
          <ol className="rejected-lines" data-testid="rejected-lines">
            {located.map((l, i) => {
              const now = currentLineOf(marks, l.line!);
              return (
                <li key={i}>
                  {now === null ? (
                    <span className="line-ref edited" title="This line was edited since it was sent">
                      line {l.line} (edited)
                    </span>
                  ) : (
                    <button
                      type="button"
                      className="line-ref"
                      onClick={() => props.reveal(now)}
                      data-testid="reveal-line"
                      title="Show this line in the editor"
                    >
                      line {now}
                    </button>
                  )}
                  <span className="server-message">{l.message}</span>
                  {l.text !== undefined && <code className="rejected-text">{l.text}</code>}
                </li>
              );
            })}
          </ol>
          <div className="explain-actions">
            <button
              type="button"
              className="btn small"
              disabled={!actions}
              onClick={() => actions?.remove()}
              data-testid="remove-rejected"
            >
              Remove rejected lines
            </button>
            <button
              type="button"
              className="btn small"
              disabled={!actions}
              onClick={() => actions?.sendAgain()}
              data-testid="resend-rejected"
            >
              Send only the rejected lines again
            </button>
            <button
              type="button"
              className="btn small"
              disabled={!actions}
              onClick={() => actions?.copy()}
              data-testid="copy-rejected"
            >
              Copy rejected lines
            </button>
            {props.copied && <span className="muted small">{props.copied}</span>}
            {!actions && located.length > 0 && (
              <span className="muted small">The rejected lines were edited since they were sent.</span>
            )}
          </div>
        </>
      )}
      {batchLevel.map((l, i) => (
        <p key={i} className="server-message batch">
          {l.message}
        </p>
      ))}
      {report.explanations.length === 0 ? (
        <p className="muted">No entry in the error catalogue matches this answer; the raw body is above.</p>
      ) : (
        <ExplanationList explanations={report.explanations} />
      )}
    </section>
  );
}

/** Catalogue explanations as cards: title, cause, fix, the facts found, the docs. */
export function ExplanationList(props: { explanations: readonly Explanation[] }) {
  return (
    <ul className="explanations">
      {props.explanations.map((e) => (
        <li key={e.id} className="explain-entry" data-testid="explanation-entry" data-explanation-id={e.id}>
          <h4>
            {e.title}
            {e.matchedBy === 'status' && <span className="muted small"> (from the status code)</span>}
          </h4>
          <p>
            <strong>Cause:</strong> <CodeText text={e.cause} />
          </p>
          <p>
            <strong>Fix:</strong> <CodeText text={e.fix} />
          </p>
          {e.details.length > 0 && (
            <ul className="explain-details">
              {e.details.map((x, i) => (
                <li key={i}>
                  <CodeText text={x} />
                </li>
              ))}
            </ul>
          )}
          {e.docs && <p className="muted small mono wrap">{e.docs}</p>}
        </li>
      ))}
    </ul>
  );
}

/** Catalogue text with its `backticked` parts as code, not as literal backticks. */
export function CodeText(props: { text: string }) {
  const parts = props.text.split(/`([^`]+)`/);
  return (
    <>
      {parts.map((part, i) =>
        i % 2 === 1 ? (
          <code key={i} className="inline-code">
            {part}
          </code>
        ) : (
          part
        ),
      )}
    </>
  );
}
