/**
 * Schema exploration over InfluxQL: the SHOW statement for each kind of schema item (per flavor) and
 * the reading of its answer into a flat list. Shared by the schema service (main), the editor's
 * completion and the schema sidebar (renderer), so every consumer asks the server the same question.
 */
import type { ServerFlavor } from '../domain/flavor';
import { quoteIdent } from '../influxql/parser';
import { cellText } from './exact-json';
import type { FieldType } from './format';
import type { QueryResult } from './result-model';

/** The kinds of schema item the explorer fetches. */
export const SCHEMA_KINDS = [
  'databases',
  'retention-policies',
  'measurements',
  'fields',
  'tags',
  'tag-values',
] as const;

/** One of {@link SCHEMA_KINDS}. */
export type SchemaKind = (typeof SCHEMA_KINDS)[number];

/** What to fetch. `measurement` narrows fields, tags and tag values; `tagKey` is required for tag values. */
export interface SchemaRequest {
  readonly kind: SchemaKind;
  readonly db: string;
  readonly rp: string;
  readonly measurement: string;
  readonly tagKey: string;
}

/** One schema item: a name, plus the field type for fields and `default` for retention policies. */
export interface SchemaItem {
  readonly name: string;
  /** Field type (fields), or the measurement a tag/field belongs to when none was given. */
  readonly type?: FieldType | string;
  readonly measurement?: string;
  readonly isDefault?: boolean;
}

/** What the schema service answers. */
export interface SchemaAnswer {
  readonly kind: SchemaKind;
  readonly items: SchemaItem[];
  /** The statement that was sent, shown on errors so the user can run it by hand. */
  readonly statement: string;
  /** The server's error (request or statement level), or null. */
  readonly error: string | null;
}

/**
 * How far back 3.x schema queries look. InfluxDB 3 answers SHOW MEASUREMENTS / TAG KEYS / TAG VALUES
 * by scanning data (there is no in-memory index as in 1.x), so an unbounded SHOW on a large database
 * is slow; a one-day window matches what its docs use and keeps completion responsive.
 */
export const V3_SCHEMA_LOOKBACK = '1d';

/** Tag values listed at most (completion lists, not exports). */
export const TAG_VALUE_LIMIT = 1000;

const isV3 = (f: ServerFlavor): boolean =>
  f === 'core' || f === 'cloud-dedicated' || f === 'clustered' || f === 'serverless';

/** The SHOW statement answering a schema request on a flavor, or an error when the request is incomplete. */
export function schemaStatement(req: SchemaRequest, flavor: ServerFlavor): string {
  const from =
    req.measurement === ''
      ? ''
      : ` FROM ${req.rp === '' ? quoteIdent(req.measurement) : quoteIdent(req.rp, req.measurement)}`;
  const since = isV3(flavor) ? ` WHERE time > now() - ${V3_SCHEMA_LOOKBACK}` : '';
  const on = req.db === '' ? '' : ` ON ${quoteIdent(req.db)}`;
  switch (req.kind) {
    case 'databases':
      return 'SHOW DATABASES';
    case 'retention-policies':
      return `SHOW RETENTION POLICIES${on}`;
    case 'measurements':
      return `SHOW MEASUREMENTS${on}${since}`;
    // SHOW FIELD KEYS has no WHERE clause in InfluxQL's grammar (1.x and 3.x).
    case 'fields':
      return `SHOW FIELD KEYS${on}${from}`;
    case 'tags':
      return `SHOW TAG KEYS${on}${from}${since}`;
    case 'tag-values':
      return `SHOW TAG VALUES${on}${from} WITH KEY = ${quoteIdent(req.tagKey)}${since} LIMIT ${TAG_VALUE_LIMIT}`;
  }
}

/** Why a request cannot be answered (before asking the server), or null. */
export function schemaRequestProblem(req: SchemaRequest, flavor: ServerFlavor): string | null {
  if (req.kind === 'databases' && (flavor === 'cloud-dedicated' || flavor === 'clustered' || flavor === 'serverless')) {
    return 'This flavor does not implement SHOW DATABASES; type the database name in the db field.';
  }
  if (req.kind !== 'databases' && req.db === '') return 'Choose a database first.';
  if (req.kind === 'tag-values' && req.tagKey === '') return 'A tag key is required for tag values.';
  return null;
}

/**
 * Reads a SHOW answer into items. Every series is read (fields and tags come as one series per
 * measurement), and duplicates are dropped (tag values repeat across measurements).
 */
export function schemaItems(kind: SchemaKind, result: QueryResult): SchemaItem[] {
  const out: SchemaItem[] = [];
  const seen = new Set<string>();
  for (const st of result.statements) {
    for (const s of st.series) {
      const col = (name: string): number => s.columns.indexOf(name);
      for (const row of s.rows) {
        const text = (i: number): string => (i >= 0 ? cellText(row[i] ?? null) : '');
        let item: SchemaItem;
        if (kind === 'fields')
          item = { name: text(col('fieldKey')), type: text(col('fieldType')), measurement: s.name };
        else if (kind === 'tags') item = { name: text(col('tagKey')), measurement: s.name };
        else if (kind === 'tag-values') item = { name: text(col('value')) };
        else if (kind === 'retention-policies')
          item = { name: text(col('name')), isDefault: row[col('default')] === true };
        else item = { name: text(col('name') >= 0 ? col('name') : 0) };
        const key = kind === 'fields' || kind === 'tags' ? `${item.measurement ?? ''}\u0000${item.name}` : item.name;
        if (item.name === '' || seen.has(key)) continue;
        seen.add(key);
        out.push(item);
      }
    }
  }
  return out;
}

/** The first error of a result (request level, then statement level), or null. */
export function firstError(result: QueryResult): string | null {
  return result.error ?? result.statements.find((s) => s.error !== null)?.error ?? null;
}

/** Field types by field key, from a `fields` answer (the first measurement wins on conflicts). */
export function fieldTypeMap(items: readonly SchemaItem[]): Map<string, FieldType> {
  const m = new Map<string, FieldType>();
  for (const it of items) {
    const t = it.type;
    if ((t === 'float' || t === 'integer' || t === 'unsigned' || t === 'string' || t === 'boolean') && !m.has(it.name))
      m.set(it.name, t);
  }
  return m;
}
