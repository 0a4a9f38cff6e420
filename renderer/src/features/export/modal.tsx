import { type ReactNode, useEffect } from 'react';

/** A plain modal: a backdrop, a titled panel, Escape and the × button close it. */
export function Modal(props: { title: string; onClose: () => void; testId: string; children: ReactNode }) {
  const { onClose } = props;
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className="modal panel" role="dialog" aria-modal="true" aria-label={props.title} data-testid={props.testId}>
        <header className="modal-head">
          <h2>{props.title}</h2>
          <button type="button" className="icon-btn" aria-label="Close" onClick={onClose}>
            ×
          </button>
        </header>
        {props.children}
      </div>
    </div>
  );
}
