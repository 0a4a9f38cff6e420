/**
 * The sandbox catalog: the authoritative schema (databases, tables, column kinds and types, limits)
 * and the database tokens. It lives in `catalog.json` next to `data.duckdb`, so every schema check
 * happens before any SQL runs (spec §12.4). Saved atomically (temporary file, fsync, rename) before
 * the rows that need it are committed, so a crash never leaves rows whose columns the catalog lacks.
 */

import { createHash, randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** Field types as the sandbox stores them (the contract with the InfluxQL engine). */
export type SandboxFieldType = 'float' | 'integer' | 'uinteger' | 'string' | 'boolean';

export interface MeasurementSchema {
  name: string;
  /** in first-seen order */
  tags: string[];
  /** in first-seen order (object insertion order) */
  fields: Record<string, SandboxFieldType>;
}

export interface DatabaseSchema {
  name: string;
  measurements: Record<string, MeasurementSchema>;
}

/** CD database settings (management API `ClusterDatabase*`). */
export interface DatabaseSettings {
  maxTables: number;
  maxColumnsPerTable: number;
  /** ns; 0 = infinite */
  retentionPeriod: number;
}

export interface StoredDatabase extends DatabaseSchema, DatabaseSettings {
  createdAt: string;
}

export interface TokenPermission {
  action: 'read' | 'write';
  /** a database name or `*` */
  resource: string;
}

/** A token as stored: only the SHA-256 of its secret, so catalog.json never holds a usable token. */
export interface StoredToken {
  id: string;
  description: string;
  permissions: TokenPermission[];
  createdAt: string;
  hash: string;
}

/** A token as listed (never with its secret). */
export type TokenInfo = Omit<StoredToken, 'hash'>;

export interface CatalogData {
  version: 1;
  databases: StoredDatabase[];
  tokens: StoredToken[];
}

export const DEFAULT_DATABASE_SETTINGS: DatabaseSettings = {
  maxTables: 500,
  maxColumnsPerTable: 250,
  retentionPeriod: 0,
};

/** A catalog file that cannot be used; the message names the file and what to do. */
export class CatalogError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CatalogError';
  }
}

export function hashToken(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** A new token secret: `iwsb_` + 32 random bytes in base64url (recognisable in a leaked log). */
export function newTokenSecret(): string {
  return 'iwsb_' + randomBytes(32).toString('base64url');
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const FIELD_TYPES = new Set<string>(['float', 'integer', 'uinteger', 'string', 'boolean']);

/** Checks the shape of a parsed catalog.json; returns a reason when it is not one. */
function shapeProblem(data: unknown): string | null {
  if (!isObject(data)) return 'it is not a JSON object';
  if (data.version !== 1) return `unknown version ${JSON.stringify(data.version)}`;
  if (!Array.isArray(data.databases) || !Array.isArray(data.tokens)) return '"databases" or "tokens" is missing';
  for (const db of data.databases as unknown[]) {
    if (!isObject(db) || typeof db.name !== 'string' || !isObject(db.measurements))
      return 'a database entry is malformed';
    for (const m of Object.values(db.measurements)) {
      if (!isObject(m) || typeof m.name !== 'string' || !Array.isArray(m.tags) || !isObject(m.fields)) {
        return `a table of database ${db.name} is malformed`;
      }
      for (const t of Object.values(m.fields))
        if (!FIELD_TYPES.has(String(t))) return `unknown field type ${String(t)}`;
    }
  }
  for (const t of data.tokens as unknown[]) {
    if (!isObject(t) || typeof t.id !== 'string' || typeof t.hash !== 'string' || !Array.isArray(t.permissions)) {
      return 'a token entry is malformed';
    }
  }
  return null;
}

/**
 * The in-memory catalog with optional persistence. `file` undefined = memory only (`--memory`).
 */
export class Catalog {
  private data: CatalogData;
  private readonly byHash = new Map<string, StoredToken>();

  private constructor(
    data: CatalogData,
    readonly file: string | undefined,
  ) {
    this.data = data;
    for (const t of data.tokens) this.byHash.set(t.hash, t);
  }

  static inMemory(): Catalog {
    return new Catalog({ version: 1, databases: [], tokens: [] }, undefined);
  }

  /** Loads `file`, or starts empty when it does not exist. Never overwrites a file it cannot read. */
  static load(file: string): Catalog {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        return new Catalog({ version: 1, databases: [], tokens: [] }, file);
      }
      throw new CatalogError(
        `cannot read the sandbox catalog ${file}: ${(err as Error).message}. Check the file's permissions.`,
      );
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (err) {
      throw new CatalogError(
        `the sandbox catalog ${file} is corrupt (${(err as Error).message}). It was left unchanged: ` +
          'restore it from a backup, or move the folder away to start an empty sandbox.',
      );
    }
    const problem = shapeProblem(data);
    if (problem) {
      throw new CatalogError(
        `the sandbox catalog ${file} is corrupt (${problem}). It was left unchanged: ` +
          'restore it from a backup, or move the folder away to start an empty sandbox.',
      );
    }
    return new Catalog(data as CatalogData, file);
  }

  /** Writes catalog.json atomically and durably (a crash leaves the old or the new file, never half). */
  save(): void {
    if (!this.file) return;
    const tmp = this.file + '.tmp';
    const fd = fs.openSync(tmp, 'w', 0o600);
    try {
      fs.writeFileSync(fd, JSON.stringify(this.data, null, 1));
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, this.file);
    try {
      const dfd = fs.openSync(path.dirname(this.file), 'r');
      fs.fsyncSync(dfd);
      fs.closeSync(dfd);
    } catch {
      // Directory fsync is not supported everywhere (Windows); the rename is still atomic.
    }
  }

  // ---- databases ----

  databaseNames(): string[] {
    return this.data.databases.map((d) => d.name);
  }

  database(name: string): StoredDatabase | undefined {
    return this.data.databases.find((d) => d.name === name);
  }

  listDatabases(): StoredDatabase[] {
    return this.data.databases;
  }

  /** Adds a database (the caller validated the name); returns it. */
  addDatabase(name: string, settings: Partial<DatabaseSettings> = {}, now = new Date()): StoredDatabase {
    const db: StoredDatabase = {
      name,
      measurements: {},
      ...DEFAULT_DATABASE_SETTINGS,
      ...settings,
      createdAt: now.toISOString(),
    };
    this.data.databases.push(db);
    return db;
  }

  removeDatabase(name: string): boolean {
    const before = this.data.databases.length;
    this.data.databases = this.data.databases.filter((d) => d.name !== name);
    return this.data.databases.length !== before;
  }

  // ---- tokens ----

  /** Creates a token; the secret is returned once and only its hash is kept. */
  addToken(
    description: string,
    permissions: TokenPermission[],
    now = new Date(),
  ): { token: TokenInfo; secret: string } {
    const secret = newTokenSecret();
    const stored: StoredToken = {
      id: randomUUID(),
      description,
      permissions,
      createdAt: now.toISOString(),
      hash: hashToken(secret),
    };
    this.data.tokens.push(stored);
    this.byHash.set(stored.hash, stored);
    return { token: tokenInfo(stored), secret };
  }

  listTokens(): TokenInfo[] {
    return this.data.tokens.map(tokenInfo);
  }

  removeToken(id: string): boolean {
    const t = this.data.tokens.find((x) => x.id === id);
    if (!t) return false;
    this.data.tokens = this.data.tokens.filter((x) => x.id !== id);
    this.byHash.delete(t.hash);
    return true;
  }

  /** The token whose secret this is, or undefined. */
  tokenBySecret(secret: string): StoredToken | undefined {
    return this.byHash.get(hashToken(secret));
  }
}

function tokenInfo(t: StoredToken): TokenInfo {
  return { id: t.id, description: t.description, permissions: t.permissions, createdAt: t.createdAt };
}

/** Whether `token` grants `action` on database `db`. */
export function tokenAllows(token: TokenInfo, action: 'read' | 'write', db: string): boolean {
  return token.permissions.some((p) => p.action === action && (p.resource === '*' || p.resource === db));
}
