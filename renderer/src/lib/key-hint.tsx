/**
 * The editor's keys: Ctrl/Cmd+Enter runs the action, and Tab indents until Ctrl+M (Monaco's "Tab
 * moves focus") lets it leave the editor; without this hint Tab looks like a focus trap.
 */
export function KeyHint(props: { action: string }) {
  return (
    <span className="muted small key-hint" data-testid="key-hint">
      Ctrl+Enter: {props.action} · Ctrl+M: Tab leaves the editor
    </span>
  );
}
