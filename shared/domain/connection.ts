import { DEFAULT_QUERY_BUDGET } from '../query/budget';
import type { AuthScheme } from './auth';
import type { ServerFlavor } from './flavor';

/** What the user edits in the connection form. Never contains a token. */
export interface ConnectionInput {
  readonly name: string;
  /** Base URL, e.g. `http://localhost:8086` or `https://cluster-id.a.influxdb.io`; may carry a path prefix. */
  readonly url: string;
  readonly flavor: ServerFlavor;
  readonly db: string;
  readonly rp: string;
  readonly bucket: string;
  readonly org: string;
  readonly authScheme: AuthScheme;
  readonly username: string;
  /** PEM text of extra CA certificates to trust for this connection (empty for none). */
  readonly caPem: string;
  /** Skip TLS certificate verification. The UI shows a warning wherever this is on. */
  readonly skipTlsVerify: boolean;
  readonly timeoutMs: number;
  /** Rows a query result keeps before it is ended with a message (see shared/query/budget.ts). */
  readonly queryMaxRows: number;
  /** Response bytes a query reads before it is ended with a message. */
  readonly queryMaxBytes: number;
}

/** A stored connection. */
export interface Connection extends ConnectionInput {
  readonly id: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** How a connection's token is kept. `weak` is Linux `basic_text`, which the user accepted explicitly. */
export type TokenStorage = 'encrypted' | 'weak' | 'session';

/** What the renderer may know about a token: that it exists, a masked hint, and where it lives. */
export interface TokenState {
  readonly hasToken: boolean;
  /** e.g. `••••9f2c`: the last four characters of tokens of 16 characters or more, else dots only. */
  readonly hint: string | null;
  readonly storage: TokenStorage | null;
}

/** A connection as the renderer sees it. */
export interface ConnectionSummary extends Connection {
  readonly token: TokenState;
}

/** Defaults for a new connection: a local OSS 1.x with auth off, the way `apt install influxdb` starts. */
export const DEFAULT_CONNECTION_INPUT: ConnectionInput = {
  name: '',
  url: 'http://127.0.0.1:8086',
  flavor: '1.x',
  db: '',
  rp: '',
  bucket: '',
  org: '',
  authScheme: 'none',
  username: '',
  caPem: '',
  skipTlsVerify: false,
  timeoutMs: 30_000,
  queryMaxRows: DEFAULT_QUERY_BUDGET.maxRows,
  queryMaxBytes: DEFAULT_QUERY_BUDGET.maxBytes,
};

/** The masked hint shown for a token. Short tokens show no characters at all. */
export function tokenHint(token: string): string {
  return token.length >= 16 ? `••••${token.slice(-4)}` : '••••';
}

/** The form's fields of a stored connection (drops id, timestamps and token state), e.g. to re-save it. */
export function connectionInputOf(c: Connection): ConnectionInput {
  return {
    name: c.name,
    url: c.url,
    flavor: c.flavor,
    db: c.db,
    rp: c.rp,
    bucket: c.bucket,
    org: c.org,
    authScheme: c.authScheme,
    username: c.username,
    caPem: c.caPem,
    skipTlsVerify: c.skipTlsVerify,
    timeoutMs: c.timeoutMs,
    queryMaxRows: c.queryMaxRows,
    queryMaxBytes: c.queryMaxBytes,
  };
}
