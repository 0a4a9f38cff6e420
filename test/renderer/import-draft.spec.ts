import { describe, expect, it } from 'vitest';

import { connectionInputOf, planCurlImport } from '../../renderer/src/features/export/import-draft';
import { initialDraft } from '../../renderer/src/features/write/draft';
import { type ConnectionSummary, DEFAULT_CONNECTION_INPUT } from '../../shared/domain/connection';
import { CurlImportError } from '../../shared/export/curl-import';

/** "Import curl": the draft it fills, and the token kept out of it. */

const CONN: ConnectionSummary = {
  ...DEFAULT_CONNECTION_INPUT,
  id: 'c1',
  createdAt: '',
  updatedAt: '',
  name: 'local',
  url: 'http://127.0.0.1:8086',
  flavor: '1.x',
  db: 'old',
  token: { hasToken: false, hint: null, storage: null },
};
const DRAFT = initialDraft(CONN);

describe('planCurlImport', () => {
  it('fills API, params, auth scheme, username and body; a literal token is handed back, not put in the draft', () => {
    const plan = planCurlImport(
      `curl -i "http://127.0.0.1:8086/write?db=mydb&rp=autogen&precision=s" \\\n  --user ` +
        `"admin:s3cret-pass" \\\n  --data-binary 'home,room=kitchen temp=72 1641024000'`,
      CONN,
      DRAFT,
    );
    expect(plan.draft.params).toMatchObject({ api: 'v1', db: 'mydb', rp: 'autogen', precision: 's' });
    expect(plan.draft.auth).toEqual({ scheme: 'basic', username: 'admin' });
    expect(plan.draft.body).toBe('home,room=kitchen temp=72 1641024000');
    expect(plan.token).toBe('s3cret-pass');
    expect(JSON.stringify(plan.draft)).not.toContain('s3cret-pass');
    expect(plan.notes).toEqual([]);
  });

  it('an $ENV reference is not a token to store, and says so', () => {
    const plan = planCurlImport(
      `curl "http://127.0.0.1:8086/api/v2/write?bucket=b&org=o&precision=ns" --header ` +
        `"Authorization: Token $INFLUX_TOKEN" --data-binary 'm v=1'`,
      CONN,
      DRAFT,
    );
    expect(plan.token).toBeNull();
    expect(plan.draft.params).toMatchObject({ api: 'v2', bucket: 'b', org: 'o', precision: 'ns' });
    expect(plan.draft.auth.scheme).toBe('token');
    expect(plan.notes.join('\n')).toMatch(/\$INFLUX_TOKEN/);
  });

  it('notes another host, an API the flavor lacks, and a body in a file (the editor keeps its text)', () => {
    const plan = planCurlImport(
      `curl -X POST "https://cluster.example.com/api/v3/write_lp?db=x" --data-binary @points.lp`,
      CONN,
      DRAFT,
    );
    expect(plan.draft.body).toBe(DRAFT.body);
    const notes = plan.notes.join('\n');
    expect(notes).toContain('https://cluster.example.com');
    expect(notes).toContain('v3');
    expect(notes).toContain('points.lp');
  });

  it('refuses what is not curl, or not a write', () => {
    expect(() => planCurlImport('wget http://x/write', CONN, DRAFT)).toThrow(CurlImportError);
    expect(() => planCurlImport('curl http://127.0.0.1:8086/query?q=SHOW', CONN, DRAFT)).toThrow(
      /not a write endpoint/,
    );
  });
});

describe('connectionInputOf', () => {
  it('keeps exactly the form fields (no id, dates or token state)', () => {
    expect(connectionInputOf(CONN)).toEqual({
      ...DEFAULT_CONNECTION_INPUT,
      name: 'local',
      url: 'http://127.0.0.1:8086',
      flavor: '1.x',
      db: 'old',
    });
  });
});
