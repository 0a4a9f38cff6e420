import { useCallback } from 'react';

import type { ConnectionSummary } from '../../../../shared/domain/connection';
import { type DraftPersistence, useStoredDraft } from '../../lib/stored-draft';
import { reviveDraft, type WriteDraft } from './draft';

/**
 * The write draft of a connection: kept in main's data folder (and a small copy in localStorage), so
 * what the user typed survives a reload or a restart. Drafts hold no credentials.
 */
export function useWriteDraft(
  c: ConnectionSummary,
): [WriteDraft, (update: (d: WriteDraft) => WriteDraft) => void, DraftPersistence] {
  const revive = useCallback((stored: Record<string, unknown> | null) => reviveDraft(c, stored), [c]);
  return useStoredDraft('write', c.id, `iwb:draft:${c.id}`, revive);
}
