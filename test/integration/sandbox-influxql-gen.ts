/**
 * The differential test's seeded data set and query corpus (issue 10): several measurements, every
 * field type influxd 1.6 stores (no unsigned), tags that are sometimes absent, gaps, sub-second
 * times, out-of-order writes and duplicate points whose fields merge. The corpus is generated from
 * templates covering the SELECT and SHOW features, and committed (test/fixtures/sandbox-iql/corpus.json);
 * `node --experimental-strip-types` is not needed: `npx tsx`-free regeneration runs through vitest
 * (`WRITE_CORPUS=1 npx vitest run test/integration/sandbox-influxql-diff.spec.ts`).
 */
import type { FieldValue, TestPoint } from '../electron/sandbox-influxql-db';
import { mulberry32 } from '../shared/influxql/mutate';

/** The committed seed. */
export const SEED = 20261203;
/** First point: 2023-11-14T22:13:20Z. */
export const BASE_NS = 1_700_000_000_000_000_000n;
const S = 1_000_000_000n;

/** The seeded generator the other InfluxQL tests use (mulberry32). */
export const rng = mulberry32;

/** Floats are multiples of 1/4 so sums are exact in any order. */
const quarter = (r: () => number, max: number): number => Math.floor(r() * max * 4) / 4;

/** The data set, in write order (shuffled: out of order, with duplicates). */
export function generatePoints(seed: number = SEED): TestPoint[] {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const points: TestPoint[] = [];
  const series: { m: string; tags: Record<string, string>; make: () => Record<string, FieldValue> }[] = [];
  for (const host of ['h1', 'h2', 'h3', 'h4'])
    for (const region of ['us', 'eu', ''])
      if (region !== '' || host === 'h2' || host === 'h4')
        series.push({
          m: 'cpu',
          tags: region === '' ? { host } : { host, region },
          make: () => {
            const f: Record<string, FieldValue> = {};
            if (r() < 0.9) f.usage = { type: 'float', value: quarter(r, 100) - 10 };
            if (r() < 0.8) f.load = { type: 'integer', value: BigInt(Math.floor(r() * 200) - 50) };
            if (r() < 0.7) f.state = { type: 'string', value: pick(['idle', 'busy', 'off']) };
            if (r() < 0.7) f.ok = { type: 'boolean', value: r() < 0.5 };
            if (Object.keys(f).length === 0) f.usage = { type: 'float', value: quarter(r, 10) };
            return f;
          },
        });
  for (const host of ['h1', 'h2', 'h3'])
    series.push({
      m: 'mem',
      tags: { host },
      make: () => ({
        used: { type: 'integer', value: BigInt(Math.floor(r() * 1_000_000)) },
        free: { type: 'float', value: quarter(r, 5000) },
      }),
    });
  for (const host of ['h1', 'h2'])
    for (const path of ['/', '/var'])
      series.push({
        m: 'disk',
        tags: { host, path, 'dev-id': path === '/' ? 'sda' : 'sdb' },
        make: () => {
          const f: Record<string, FieldValue> = { io: { type: 'integer', value: BigInt(Math.floor(r() * 1000)) } };
          if (r() < 0.6) f.lat = { type: 'float', value: quarter(r, 20) };
          if (r() < 0.3) f.label = { type: 'string', value: pick(['a b', 'c,d', 'e"f']) };
          return f;
        },
      });
  series.push({
    m: 'net io',
    tags: { iface: 'eth0' },
    make: () => ({
      rx: { type: 'float', value: quarter(r, 1000) },
      tx: { type: 'integer', value: BigInt(Math.floor(r() * 1e6)) },
    }),
  });
  for (const s of series) {
    for (let i = 0; i < 180; i++) {
      if (r() < 0.15) continue; // gaps
      let time = BASE_NS + BigInt(i) * 10n * S;
      if (r() < 0.05) time += BigInt(Math.floor(r() * 4) * 250) * 1_000_000n; // sub-second times
      points.push({ measurement: s.m, tags: s.tags, fields: s.make(), time });
    }
  }
  // Duplicates: rewrite some points with some of their fields changed (the fields merge).
  const dups: TestPoint[] = [];
  for (const p of points)
    if (r() < 0.05) {
      const again = series.find((s) => s.m === p.measurement && s.tags === p.tags)?.make() ?? {};
      const some = Object.fromEntries(Object.entries(again).filter(() => r() < 0.6));
      if (Object.keys(some).length > 0) dups.push({ ...p, fields: some });
    }
  const all = [...points];
  // Out of order: shuffle.
  for (let i = all.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [all[i], all[j]] = [all[j] as TestPoint, all[i] as TestPoint];
  }
  return [...all, ...dups];
}

const lpEscape = (s: string, chars: RegExp): string => s.replace(chars, (c) => `\\${c}`);

/** Line protocol for influxd (precision ns). */
export function toLineProtocol(points: readonly TestPoint[]): string {
  return points
    .map((p) => {
      const tags = Object.keys(p.tags)
        .sort()
        .map((k) => `,${lpEscape(k, /[,= ]/g)}=${lpEscape(p.tags[k] as string, /[,= ]/g)}`)
        .join('');
      const fields = Object.entries(p.fields)
        .map(([k, v]) => {
          const val =
            v.type === 'float'
              ? Number.isInteger(v.value)
                ? `${v.value}.0`
                : String(v.value)
              : v.type === 'integer'
                ? `${v.value}i`
                : v.type === 'uinteger'
                  ? `${v.value}u`
                  : v.type === 'string'
                    ? `"${v.value.replace(/["\\]/g, (c) => `\\${c}`)}"`
                    : String(v.value);
          return `${lpEscape(k, /[,= ]/g)}=${val}`;
        })
        .join(',');
      return `${lpEscape(p.measurement, /[, ]/g)}${tags} ${fields} ${p.time}`;
    })
    .join('\n');
}

/** One corpus entry: the query and, for the few that need it, the epoch to ask for ('' = RFC 3339). */
export interface CorpusEntry {
  q: string;
  epoch: string;
}

const T0 = "'2023-11-14T22:13:20Z'";
const T_END = "'2023-11-14T22:43:20Z'";

/** The query corpus. */
export function generateCorpus(seed: number = SEED): CorpusEntry[] {
  const r = rng(seed ^ 0x5eed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const out = new Map<string, CorpusEntry>();
  const add = (q: string, epoch = 'ns'): void => {
    if (!out.has(q + epoch)) out.set(q + epoch, { q, epoch });
  };
  const ranges = [
    `time >= ${T0} AND time < ${T_END}`,
    `time >= '2023-11-14T22:20:00Z' AND time <= '2023-11-14T22:30:00Z'`,
    `time > 1700000300000000000 AND time < 1700001200000000000`,
    `time >= 1700000000s AND time < 1700001800s`,
    `time >= '2023-11-14 22:15:00' AND time < '2023-11-14 22:25:30.5'`,
    `time > ${T0} - 1h AND time < ${T0} + 20m`,
  ];
  const tagConds = [
    "host = 'h1'",
    "host != 'h1'",
    'host =~ /h[12]/',
    'host !~ /^h1$/',
    "region = 'us'",
    "region = ''",
    "region != ''",
    "(host = 'h1' OR host = 'h3')",
    "host = 'h2' AND region = 'eu'",
  ];
  const fieldConds = [
    'usage > 20',
    'usage <= 5.5',
    'load < 0',
    "state = 'busy'",
    "state != 'idle'",
    'ok = true',
    '(load >= 100 OR usage < 0)',
  ];
  const cpuNumeric = ['usage', 'load'];
  const cpuAll = ['usage', 'load', 'state', 'ok'];
  const where = (): string => {
    const parts = [pick(ranges)];
    if (r() < 0.5) parts.push(pick(tagConds));
    if (r() < 0.25) parts.push(pick(fieldConds));
    return parts.join(' AND ');
  };
  // Raw projections.
  const rawProjections = [
    '*',
    'usage',
    'usage, load',
    'state, ok',
    'usage, host',
    'host, region, usage',
    'usage * 2 AS double',
    'usage + load',
    'load - 10',
    'usage / 4',
    'load % 7',
    '/u/',
    '*::field',
    'usage AS u, usage',
    'abs(usage)',
    'ceil(usage), floor(usage), round(usage)',
    'sqrt(load)',
  ];
  for (let i = 0; i < 160; i++) {
    let q = `SELECT ${pick(rawProjections)} FROM cpu WHERE ${where()}`;
    // LIMIT/OFFSET only where each output series is one stored series: which of several points with the
    // same time a cut keeps is unspecified (ALLOWED.tieOrder in the diff test). OFFSET only with LIMIT:
    // influxd 1.6 answers OFFSET without LIMIT with one row (a 1.x bug, not a semantic to copy).
    const limit = r() < 0.35 ? ` LIMIT ${1 + Math.floor(r() * 20)}` : '';
    const offset = limit && r() < 0.4 ? ` OFFSET ${Math.floor(r() * 10)}` : '';
    if (limit) q += pick([' GROUP BY *', ' GROUP BY host, region']);
    else if (r() < 0.3)
      q += pick([' GROUP BY host', ' GROUP BY region', ' GROUP BY *', ' GROUP BY host, region', ' GROUP BY /reg/']);
    if (r() < 0.25) q += ' ORDER BY time DESC';
    add(q + limit + offset);
  }
  for (const m of ['mem', 'disk', '"net io"']) {
    add(`SELECT * FROM ${m}`);
    add(`SELECT * FROM ${m} WHERE host = 'h1'`);
    add(`SELECT * FROM ${m} GROUP BY *`);
    add(`SELECT * FROM ${m} WHERE ${pick(ranges)} GROUP BY * ORDER BY time DESC LIMIT 5`);
  }
  add(`SELECT * FROM disk WHERE "dev-id" = 'sda' AND ${ranges[1]}`);
  add(`SELECT label FROM disk WHERE label =~ /,/`);
  add(`SELECT free, used FROM mem, cpu WHERE ${ranges[1]}`);
  add(`SELECT * FROM /^(mem|disk)$/ WHERE ${ranges[5]}`);
  add('SELECT usage FROM nope');
  add(`SELECT usage FROM cpu WHERE ${ranges[0]} AND host = 'nobody'`);
  // Aggregates and selectors.
  const aggs = [
    'count',
    'mean',
    'sum',
    'median',
    'spread',
    'stddev',
    'min',
    'max',
    'first',
    'last',
    'distinct',
    'integral',
  ];
  const fills = ['', ' fill(null)', ' fill(none)', ' fill(0)', ' fill(-1.5)', ' fill(previous)', ' fill(linear)'];
  const intervals = ['1m', '5m', '30s', '7m', '5m, 2m', '10m, -1m', '1h'];
  const boundedRanges = ranges.slice(0, 5);
  for (let i = 0; i < 220; i++) {
    const fn = pick(aggs);
    const f = fn === 'count' || fn === 'first' || fn === 'last' || fn === 'distinct' ? pick(cpuAll) : pick(cpuNumeric);
    let sel = `${fn}(${f})`;
    if (r() < 0.1 && fn !== 'distinct' && fn !== 'integral') sel = `${fn}(*)`;
    if (r() < 0.1) sel = `percentile(${pick(cpuNumeric)}, ${pick([5, 50, 90, 99.9, 100])})`;
    if (r() < 0.1) sel = `mean(usage), max(usage), min(load), count(state)`;
    if (r() < 0.05) sel = `count(distinct(state))`;
    if (r() < 0.05) sel = `max(usage) - min(usage) AS range`;
    if (r() < 0.05) sel = `mean(usage) * 2`;
    const parts = [pick(boundedRanges)];
    // integral() over several series merged by time depends on the order of equal times, and 1.6 splits
    // its grouped output oddly: one stored series, no GROUP BY tags.
    const integral = sel.includes('integral');
    if (integral) parts.push("host = 'h1' AND region = 'us'");
    else if (r() < 0.4) parts.push(pick(tagConds));
    let q = `SELECT ${sel} FROM cpu WHERE ${parts.join(' AND ')}`;
    const dims: string[] = [];
    // percentile()'s time is the selected point's: equal values at several times have no defined choice.
    // integral() with GROUP BY time is not compared (see the diff test's NOT_COMPARED).
    const byTime = !integral && (sel.startsWith('percentile') || r() < 0.7);
    if (byTime) dims.push(`time(${pick(intervals)})`);
    // first/last pick by time: equal times in several series have no defined choice either.
    if (/first|last/.test(sel)) dims.push('*');
    else if (!integral && r() < 0.4) dims.push(pick(['host', 'region', '*']));
    if (dims.length > 0) q += ` GROUP BY ${dims.join(', ')}`;
    if (byTime && !sel.startsWith('distinct') && r() < 0.6) q += pick(fills);
    if (r() < 0.15 && !integral) q += ' ORDER BY time DESC';
    if (r() < 0.25 && !sel.startsWith('distinct')) {
      q += ` LIMIT ${1 + Math.floor(r() * 6)}`;
      if (r() < 0.4) q += ` OFFSET ${1 + Math.floor(r() * 3)}`;
    }
    add(q);
  }
  // top/bottom and selectors with the fields and tags of the point they select.
  const selectorsWithAux = [
    'top(usage, 3)',
    'bottom(load, 2)',
    'top(usage, host, 2)',
    'bottom(usage, region, 2)',
    'top(load, 2), state, host',
    'max(usage), host, load',
    'min(load), state',
    'first(usage), state, region',
    'last(load), ok',
  ];
  for (let i = 0; i < 40; i++) {
    const sel = pick(selectorsWithAux);
    let q = `SELECT ${sel} FROM cpu WHERE ${pick(boundedRanges)}`;
    if (r() < 0.3) q += ` AND ${pick(tagConds)}`;
    const dims: string[] = [];
    if (r() < 0.5) dims.push(`time(${pick(['1m', '5m', '7m'])})`);
    // first/last: one stored series per output series (equal times across series have no defined choice).
    if (/first|last/.test(sel)) dims.push('*');
    else if (r() < 0.3) dims.push(pick(['host', 'region']));
    if (dims.length > 0) q += ` GROUP BY ${dims.join(', ')}`;
    // No LIMIT with top/bottom: 1.6 limits the points they read (see NOT_COMPARED in the diff test).
    if (r() < 0.2 && !/top|bottom/.test(sel)) q += ` LIMIT ${1 + Math.floor(r() * 4)}`;
    add(q);
  }
  for (const fn of ['count', 'mean', 'sum', 'max', 'min', 'first', 'last', 'spread'])
    for (const m of ['mem', 'disk']) {
      const f = m === 'mem' ? 'used' : 'io';
      add(`SELECT ${fn}(${f}) FROM ${m}`);
      add(`SELECT ${fn}(${f}) FROM ${m} GROUP BY ${fn === 'first' || fn === 'last' ? '*' : 'host'}`);
      add(`SELECT ${fn}(*) FROM ${m} WHERE ${ranges[0]} GROUP BY time(10m)`);
    }
  // Transformations.
  const transforms = [
    'derivative(usage)',
    'derivative(usage, 1m)',
    'non_negative_derivative(load, 10s)',
    'difference(load)',
    'non_negative_difference(usage)',
    'moving_average(usage, 3)',
    'cumulative_sum(load)',
    'cumulative_sum(usage)',
    'elapsed(usage)',
    'elapsed(load, 1s)',
  ];
  const aggTransforms = [
    'derivative(mean(usage))',
    'derivative(max(load), 1m)',
    'non_negative_derivative(mean(usage), 1s)',
    'difference(sum(load))',
    'moving_average(mean(usage), 2)',
    'cumulative_sum(count(usage))',
    'elapsed(mean(usage), 1s)',
  ];
  for (let i = 0; i < 70; i++) {
    let q: string;
    if (r() < 0.5) {
      q = `SELECT ${pick(transforms)} FROM cpu WHERE ${pick(ranges)}`;
      if (r() < 0.5) q += ` AND ${pick(tagConds)}`;
      // One stored series per output series: equal times of merged series have no defined order.
      q += pick([' GROUP BY *', ' GROUP BY host, region']);
    } else {
      q = `SELECT ${pick(aggTransforms)} FROM cpu WHERE ${pick(boundedRanges)} GROUP BY time(${pick(['1m', '5m', '2m'])})`;
      if (r() < 0.4) q += ', host';
      if (r() < 0.4) q += pick(fills);
    }
    if (r() < 0.2) q += ' ORDER BY time DESC';
    if (r() < 0.2) q += ` LIMIT ${1 + Math.floor(r() * 5)}`;
    add(q);
  }
  // Subqueries: the outer query reads the inner one's rows, its GROUP BY tags as tags.
  for (const q of [
    `SELECT max(mean) FROM (SELECT mean(usage) FROM cpu WHERE ${ranges[0]} GROUP BY time(1m), host) GROUP BY host`,
    `SELECT mean(max) FROM (SELECT max(load) FROM cpu WHERE ${ranges[0]} GROUP BY time(5m), host)`,
    `SELECT count(mean) FROM (SELECT mean(usage) FROM cpu WHERE ${ranges[1]} GROUP BY time(1m), host)`,
    `SELECT sum(count) FROM (SELECT count(usage) FROM cpu WHERE ${ranges[0]} GROUP BY time(10m), *) WHERE ${ranges[0]} GROUP BY time(10m)`,
    `SELECT usage FROM (SELECT usage FROM cpu WHERE ${ranges[1]} AND host = 'h2' AND region = 'eu') WHERE usage > 50`,
    `SELECT max(spread) FROM (SELECT spread(load) FROM cpu WHERE ${ranges[0]} GROUP BY time(10m), host) GROUP BY host`,
    `SELECT min(mean), max(mean) FROM (SELECT mean(usage) FROM cpu WHERE ${ranges[0]} GROUP BY time(5m), region) GROUP BY region`,
    `SELECT mean(usage) FROM (SELECT usage FROM cpu WHERE ${ranges[1]} AND host = 'h1' AND region = 'us')`,
  ])
    add(q);
  // Times as RFC 3339 (1.x trims trailing zeros; the comparison normalises), tz() and epochs.
  for (const epoch of ['', 'u', 'ms', 's', 'm', 'h']) {
    add(`SELECT usage FROM cpu WHERE ${ranges[1]} AND host = 'h2'`, epoch);
    add(`SELECT mean(usage) FROM cpu WHERE ${ranges[0]} GROUP BY time(5m)`, epoch);
  }
  for (const tz of ['Europe/Paris', 'America/New_York', 'Asia/Kolkata']) {
    add(`SELECT usage FROM cpu WHERE ${ranges[1]} AND host = 'h1' tz('${tz}')`, '');
    add(`SELECT max(usage) FROM cpu WHERE ${ranges[0]} GROUP BY time(10m) tz('${tz}')`, '');
    // Windows start at local boundaries under tz().
    add(`SELECT count(usage) FROM cpu WHERE ${ranges[0]} GROUP BY time(1h) tz('${tz}')`, '');
    add(
      `SELECT mean(load) FROM cpu WHERE time >= '2023-11-14T00:00:00Z' AND time < '2023-11-16T00:00:00Z' GROUP BY time(1d) tz('${tz}')`,
      '',
    );
  }
  // SHOW (with a WHERE time bound: IOx's metadata lookback would hide this old data otherwise).
  for (const s of [
    'SHOW MEASUREMENTS',
    'SHOW MEASUREMENTS WITH MEASUREMENT =~ /m/',
    'SHOW MEASUREMENTS WITH MEASUREMENT = cpu',
    "SHOW MEASUREMENTS WHERE host = 'h3'",
    'SHOW MEASUREMENTS LIMIT 2',
    'SHOW MEASUREMENTS LIMIT 2 OFFSET 1',
    'SHOW TAG KEYS',
    'SHOW TAG KEYS FROM cpu',
    'SHOW TAG KEYS FROM disk LIMIT 2',
    'SHOW TAG KEYS FROM disk LIMIT 1 OFFSET 1',
    'SHOW FIELD KEYS',
    'SHOW FIELD KEYS FROM cpu',
    'SHOW FIELD KEYS FROM /m/',
    'SHOW TAG VALUES WITH KEY = "host" WHERE time > 0',
    'SHOW TAG VALUES FROM cpu WITH KEY = "region" WHERE time > 0',
    'SHOW TAG VALUES FROM cpu WITH KEY IN ("host", "region") WHERE time > 0',
    'SHOW TAG VALUES WITH KEY =~ /o/ WHERE time > 0',
    'SHOW TAG VALUES WITH KEY != "host" WHERE time > 0',
    'SHOW TAG VALUES FROM cpu WITH KEY = "host" WHERE region = \'eu\' AND time > 0',
    'SHOW TAG VALUES FROM disk WITH KEY = "path" WHERE time > 0 LIMIT 1',
  ])
    add(s);
  return [...out.values()];
}
