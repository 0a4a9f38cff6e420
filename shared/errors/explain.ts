import type { AuthScheme } from '../domain/auth';
import { detectFlavor } from '../domain/detect';
import type { ServerFlavor } from '../domain/flavor';
import { CATALOGUE, type CatalogueEntry, type MatchContext, type ServerIdentity } from './catalogue';
import { type DecodedWriteError, decodeWriteError, type ErrorShape } from './decode';

/**
 * Explains a write error: matches the decoded message and every per-line message against the
 * catalogue and ranks what matched. The explanation goes beside the raw body, never in its place.
 */

/** What {@link explain} reads. */
export interface ExplainInput {
  readonly status: number;
  readonly body: string;
  readonly contentType?: string;
  readonly flavor?: ServerFlavor;
  /** Response headers (for Retry-After); a record or a list of pairs. */
  readonly headers?: Readonly<Record<string, string>> | ReadonlyArray<readonly [string, string]>;
  /** The line protocol as it was sent, to number the rejected lines. */
  readonly requestBody?: string;
  /** An already decoded body, to avoid decoding twice. */
  readonly decoded?: DecodedWriteError;
  /** The auth scheme the request went out with (see `authSchemeSent`), so advice never names the one just used. */
  readonly authScheme?: AuthScheme;
  /** The request's URL or path, for which route a 404 was about. */
  readonly requestUrl?: string;
  /** The connection's last detection (ping or probe); the answer's own version headers win over it. */
  readonly detected?: { readonly flavor: ServerFlavor | null; readonly version: string | null } | null;
}

/** One matching catalogue entry, with what was found in this particular error. */
export interface Explanation extends Pick<CatalogueEntry, 'id' | 'title' | 'cause' | 'fix' | 'flavors' | 'docs'> {
  /** Facts taken from the message: names, types, limits, Retry-After. */
  readonly details: string[];
  /** 1-based editor lines this explanation is about (empty when it is about the whole request). */
  readonly lines: number[];
  /** `message` when the server's wording matched, `status` when only the status code did. */
  readonly matchedBy: 'message' | 'status';
}

/** Flavors whose servers answer with a body of this shape, for when the caller does not know the flavor. */
export function flavorsForShape(shape: ErrorShape): readonly ServerFlavor[] {
  switch (shape) {
    case '1.x':
      return ['1.x', 'core'];
    case '2.x':
      return ['2.x', 'core', 'cloud-dedicated', 'clustered', 'serverless'];
    case 'iox':
      return ['cloud-dedicated', 'clustered', 'serverless'];
    case 'core-object':
    case 'core-array':
      return ['core'];
    default:
      return ['1.x', '2.x', 'core', 'cloud-dedicated', 'clustered', 'serverless'];
  }
}

interface Hit {
  entry: CatalogueEntry;
  score: number;
  matchedBy: 'message' | 'status';
  details: string[];
  lines: Set<number>;
}

/** Explanations for a write error, best first; empty when nothing in the catalogue matches. */
export function explain(input: ExplainInput, catalogue: readonly CatalogueEntry[] = CATALOGUE): Explanation[] {
  const decoded =
    input.decoded ??
    decodeWriteError({
      status: input.status,
      body: input.body,
      contentType: input.contentType,
      flavor: input.flavor,
      requestBody: input.requestBody,
    });
  const headers: ReadonlyArray<readonly [string, string]> = Array.isArray(input.headers)
    ? (input.headers as ReadonlyArray<readonly [string, string]>)
    : Object.entries((input.headers ?? {}) as Record<string, string>);
  const server = serverIdentity(input.status, headers, input.detected ?? null);
  const path = input.requestUrl === undefined ? undefined : pathOf(input.requestUrl);
  const base: Omit<MatchContext, 'message'> = {
    status: input.status,
    flavor: input.flavor,
    headers,
    requestBody: input.requestBody,
    ...(input.authScheme !== undefined ? { authScheme: input.authScheme } : {}),
    ...(path !== undefined ? { path } : {}),
    ...(server !== null ? { server } : {}),
  };
  // Per-line messages first: they carry the line's text and number; the whole message is tried only
  // for entries no line matched (auth, target, limits), so details are not found twice.
  const candidates: Array<{ ctx: MatchContext; line: number | null; whole: boolean }> = [
    ...decoded.lines.map((l) => ({
      ctx: { ...base, message: l.message, ...(l.text !== undefined ? { text: l.text } : {}) },
      line: l.line,
      whole: false,
    })),
    { ctx: { ...base, message: decoded.message }, line: null, whole: true },
  ];
  const flavors = input.flavor !== undefined ? [input.flavor] : flavorsForShape(decoded.shape);
  const hits = new Map<string, Hit>();

  for (const entry of catalogue) {
    const flavorOk = entry.flavors.some((f) => flavors.includes(f));
    let hit: Hit | undefined;
    if (entry.message) {
      for (const c of candidates) {
        if (c.whole && hit) continue;
        const m = entry.message.exec(c.ctx.message);
        if (!m || (entry.when && !entry.when(c.ctx, m))) continue;
        hit ??= {
          entry,
          score: 100 + (entry.priority ?? 0) + (flavorOk ? 10 : 0),
          matchedBy: 'message',
          details: [],
          lines: new Set(),
        };
        for (const d of entry.details?.(m, c.ctx) ?? []) if (!hit.details.includes(d)) hit.details.push(d);
        if (c.line !== null) hit.lines.add(c.line);
      }
    }
    if (!hit && entry.status?.includes(input.status) && flavorOk) {
      const ctx: MatchContext = { ...base, message: decoded.message };
      if (!entry.when || entry.when(ctx, null)) {
        hit = {
          entry,
          score: 20 + (entry.priority ?? 0),
          matchedBy: 'status',
          details: [...(entry.details?.(null, ctx) ?? [])],
          lines: new Set(),
        };
      }
    }
    if (hit) hits.set(entry.id, hit);
  }
  for (const h of [...hits.values()]) for (const id of h.entry.supersedes ?? []) hits.delete(id);
  // A 401/403 whose message the catalogue understood needs no second, generic card for the status (it
  // told a user whose password was wrong to use Basic, which they had just used).
  if ((input.status === 401 || input.status === 403) && [...hits.values()].some((h) => h.matchedBy === 'message')) {
    for (const [id, h] of hits) if (h.matchedBy === 'status') hits.delete(id);
  }
  const whole: MatchContext = { ...base, message: decoded.message };
  return [...hits.values()]
    .sort((a, b) => b.score - a.score)
    .map((h) => ({ h, adapted: h.entry.adapt?.(whole) ?? null }))
    .map(({ h, adapted }) => ({
      id: h.entry.id,
      title: h.entry.title,
      cause: adapted?.cause ?? h.entry.cause,
      fix: adapted?.fix ?? h.entry.fix,
      flavors: h.entry.flavors,
      ...(h.entry.docs !== undefined ? { docs: h.entry.docs } : {}),
      details: h.details,
      lines: [...h.lines].sort((a, b) => a - b),
      matchedBy: h.matchedBy,
    }));
}

/** What the server is: its answer's version headers when it sent them, else the last detection. */
function serverIdentity(
  status: number,
  headers: ReadonlyArray<readonly [string, string]>,
  detected: ExplainInput['detected'],
): ServerIdentity | null {
  const own = detectFlavor({ status, headers, body: '' });
  if (own.version !== null || (own.flavor !== null && own.confidence === 'high'))
    return { flavor: own.flavor, version: own.version, source: 'response' };
  if (detected && (detected.flavor !== null || detected.version !== null))
    return { flavor: detected.flavor, version: detected.version, source: 'detected' };
  return null;
}

/** `http://h:8086/prefix/api/v2/write?x` → `/api/v2/write` (a base-URL prefix dropped), or the path as given. */
function pathOf(url: string): string {
  const path = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*([^?#]*)/i.exec(url)?.[1] ?? url.split(/[?#]/)[0] ?? '';
  const route = /\/(?:api\/v[23]\/[^/]+|write|query|ping|health)$/.exec(path);
  return route?.[0] ?? path;
}
