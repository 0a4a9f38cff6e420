/**
 * What the InfluxQL engine needs from the sandbox server (the contract in SANDBOX-CONTRACT.md): the
 * catalog's schema, a DuckDB connection of its own for the request, read permission and the clock.
 */
import type { DuckDBConnection } from '@duckdb/node-api';

import type { DatabaseSchema } from '../catalog';
import type { SeriesSpans } from '../store';

export type { DatabaseSchema, MeasurementSchema, SandboxFieldType } from '../catalog';

/** The server side of a /query request. */
export interface SandboxQueryContext {
  profile: 'cloud-dedicated' | 'core';
  /** Runs the translated SQL; nothing else may use it while the response body is read. */
  connection: DuckDBConnection;
  /** Current schema; undefined = the database does not exist. */
  database(name: string): DatabaseSchema | undefined;
  databases(): string[];
  /** May the request's token read this database? */
  canRead(db: string): boolean;
  /** Nanoseconds since the epoch (injectable for tests). */
  now(): bigint;
  /** The metadata lookback of SHOW statements that read rows, in ns (default 24 h, spec §10.1). */
  metadataCutoffNs?: bigint;
  /**
   * The series index (store.ts `seriesSpans`): each stored series of a measurement with its oldest and
   * newest time. When given, SHOW statements answer from it without reading rows.
   */
  seriesSpans?(db: string, measurement: string): Promise<SeriesSpans | undefined>;
  /** Rows per time slice when a large raw result is read in slices (default 200,000; tests set it small). */
  sliceRows?: number;
}

/** The parsed /query parameters (transport parsing — methods, forms, Accept — is the server's). */
export interface SandboxQueryRequest {
  q: string;
  db?: string;
  rp?: string;
  epoch?: string;
  chunked: boolean;
  chunkSize?: number;
  params?: Record<string, unknown>;
  pretty?: boolean;
  method: 'GET' | 'POST';
  /** From Accept (the server validates it); absent = json. */
  format?: 'json' | 'csv' | 'msgpack';
  /** CD error body shape (`queryErrorShape`); default `cd`. */
  errorShape?: 'cd' | 'v1';
}

/** The answer: status, headers, and the body as it is produced (never built whole). */
export interface SandboxQueryResponse {
  status: number;
  headers: Record<string, string>;
  body: AsyncIterable<Uint8Array | string>;
}
