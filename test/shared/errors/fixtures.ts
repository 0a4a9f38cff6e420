import fs from 'node:fs';
import path from 'node:path';

import type { ServerFlavor } from '../../../shared/domain/flavor';

/** One literal error body copied from the reference, the 1.6 transcript or the seeds (see `source`). */
export interface ErrorFixture {
  readonly name: string;
  readonly source: string;
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
  readonly flavor?: ServerFlavor;
  readonly requestBody?: string;
  readonly headers?: Record<string, string>;
}

const FILE = path.join(__dirname, '../../fixtures/errors/bodies.json');

/** All fixtures, keyed by name. */
export const FIXTURES: ReadonlyMap<string, ErrorFixture> = new Map(
  (JSON.parse(fs.readFileSync(FILE, 'utf8')) as ErrorFixture[]).map((f) => [f.name, f]),
);

/** A fixture by name; throws on a typo so a table row cannot silently test nothing. */
export function fixture(name: string): ErrorFixture {
  const f = FIXTURES.get(name);
  if (!f) throw new Error(`no fixture named ${name}`);
  return f;
}
