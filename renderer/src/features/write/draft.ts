import type { ConnectionSummary } from '../../../../shared/domain/connection';
import { FLAVOR_WRITE_APIS } from '../../../../shared/domain/flavor';
import { defaultPrecision } from '../../../../shared/domain/precision';
import { type AuthChoice, DEFAULT_WRITE_PARAMS, type WriteParams } from '../../../../shared/domain/write-request';

/** What the write workspace edits for one connection. */
export interface WriteDraft {
  readonly params: WriteParams;
  readonly auth: AuthChoice;
  readonly body: string;
}

const SAMPLE = 'home,room=kitchen temp=72,hum=35.9 1641024000\nhome,room=living\\ room temp=71.5,hum=36.1 1641024000\n';

/** The starting draft for a connection: its defaults, the first API its flavor serves. */
export function initialDraft(c: ConnectionSummary): WriteDraft {
  const api = FLAVOR_WRITE_APIS[c.flavor][0] ?? 'v1';
  return {
    params: {
      ...DEFAULT_WRITE_PARAMS,
      api,
      db: c.db,
      rp: c.rp,
      bucket: c.bucket || (c.db && c.flavor !== '2.x' ? c.db : ''),
      org: c.org,
      // One the endpoint accepts: `s` was the default on Core's v3 endpoint, which only takes `second`.
      precision: defaultPrecision(c.flavor, api),
    },
    auth: { scheme: c.authScheme, username: c.username },
    body: c.flavor === '1.x' ? SAMPLE.replace(/ 1641024000/g, '') : SAMPLE,
  };
}

/** A stored draft merged with the connection's defaults (drafts from older versions lack fields). */
export function reviveDraft(c: ConnectionSummary, stored: Record<string, unknown> | null): WriteDraft {
  const fallback = initialDraft(c);
  if (stored === null) return fallback;
  const d = stored as Partial<WriteDraft>;
  return {
    params: { ...fallback.params, ...(typeof d.params === 'object' ? d.params : {}) },
    auth: { ...fallback.auth, ...(typeof d.auth === 'object' ? d.auth : {}) },
    body: typeof d.body === 'string' ? d.body : fallback.body,
  };
}
