#!/usr/bin/env node
// Deterministic line-protocol generators for the validator's benchmark and differential tests.
//
//   node scripts/gen-lp.mjs bench MEGABYTES [FILE]      telegraf-like points (stdout when no FILE)
//   node scripts/gen-lp.mjs fuzz SEED BODIES [LPCHECK]  mutated bodies; with the path of InfluxDB 1.6's
//                                                        lpcheck (../shared/tools, build-go.sh) also
//                                                        records its verdicts: writes the golden fixture
//                                                        test/fixtures/lp/fuzz-golden.json
//
// Everything is seeded, so the same arguments always produce the same bytes.
import { spawnSync } from 'node:child_process';
import { createWriteStream, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** xorshift32: small, fast, deterministic. */
export function rng(seed) {
  let x = seed >>> 0 || 0x9e3779b9;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 4294967296;
  };
}

const pick = (r, a) => a[Math.floor(r() * a.length)];

/** Yields benchmark lines until `bytes` characters have been produced (ASCII only, so chars = bytes). */
export function* benchLines(bytes, seed = 7) {
  const r = rng(seed);
  const hosts = Array.from({ length: 64 }, (_, i) => `server-${String(i).padStart(2, '0')}.dc\\ east`);
  const regions = ['us-west-2', 'eu-central\\,1', 'ap-northeast-1', 'sa-east-1'];
  const paths = ['/', '/var', '/var/lib/influxdb', '/mnt/data\\ disk'];
  let t = 1_700_000_000_000_000_000n;
  let n = 0;
  while (n < bytes) {
    t += 250_000_000n;
    const k = r();
    const h = pick(r, hosts);
    const g = pick(r, regions);
    let line;
    if (k < 0.35) {
      line =
        `cpu,host=${h},region=${g},cpu=cpu${Math.floor(r() * 16)} ` +
        (`usage_user=${(r() * 100).toFixed(3)},usage_system=${(r() * 40).toFixed(3)},` +
          `usage_idle=${(r() * 100).toFixed(5)},usage_iowait=${(r() * 5).toFixed(2)} ${t}\n`);
    } else if (k < 0.55) {
      line =
        `mem,host=${h},region=${g} ` +
        (`total=17179869184i,used=${Math.floor(r() * 1.7e10)}i,free=${Math.floor(r() * 4e9)}i,` +
          `used_percent=${(r() * 100).toFixed(4)},swap=${Math.floor(r() * 1e6)}i ${t}\n`);
    } else if (k < 0.75) {
      line =
        `disk,host=${h},path=${pick(r, paths)},device=nvme${Math.floor(r() * 4)}n1 ` +
        (`used=${Math.floor(r() * 1e12)}i,inodes_free=${Math.floor(r() * 1e7)}i,` +
          `read_only=${r() < 0.95 ? 'false' : 'T'},ratio=${(r() * 2).toExponential(3)} ${t}\n`);
    } else if (k < 0.9) {
      line =
        `http_requests,service=api,method=${pick(r, ['GET', 'POST', 'PUT'])},status=${pick(r, ['200', '404', '500'])} ` +
        `count=${Math.floor(r() * 5000)}i,latency_ms=${(r() * 250).toFixed(2)},ok=${r() < 0.9 ? 't' : 'f'} ${t}\n`;
    } else {
      line =
        `syslog,host=${h},facility=daemon message="sshd[${Math.floor(r() * 99999)}]: Accepted ` +
        `key for \\"deploy\\" from 10.1.${Math.floor(r() * 255)}.${Math.floor(r() * 255)}, ` +
        `port ${Math.floor(r() * 65535)}",severity_code=${Math.floor(r() * 8)}i ${t}\n`;
    }
    n += line.length;
    yield line;
  }
}

const SEEDS = [
  'cpu,host=a,region=eu usage=0.5,count=3i,ok=true,msg="hi" 1700000000',
  'my\\ meas,tag\\ key=va\\,l\\=ue field\\ k="say \\"hi\\"",b=F 1700000040',
  'm,t=a\\\\b v=1',
  'multi s="line one\nline two",x=1 1700000001',
  'big v=9223372036854775807i,u=18446744073709551615u 1',
  'f v=1.5e3,w=-0.0,x=.5,y=1. -1',
  'b a=t,b=TRUE,c=False,d=f 9223372036854775806',
  'esc s="a\\\\\\nb",t="\\"" 1',
  'cpu\\,x,host=a\\ b v="x,y=z w" 12',
  '# comment line',
  '',
  '  leading v=1 1  ',
];
const INSERTS = [
  ' ',
  ' ',
  ',',
  ',',
  '=',
  '=',
  '"',
  '"',
  '\\',
  '\\',
  '\n',
  '\t',
  '#',
  'i',
  'u',
  '.',
  '-',
  'e',
  '+',
  't',
  'F',
  '0',
  '9',
  '\r',
  '\0',
  'N',
  'x',
  '\u00a0',
  '9999999999999999999',
];

/** One mutated body: a few seed lines, each mutated 0-3 times. */
export function fuzzBody(r) {
  const lines = [];
  const n = 1 + Math.floor(r() * 6);
  for (let i = 0; i < n; i++) {
    let s = pick(r, SEEDS);
    const m = Math.floor(r() * 4);
    for (let j = 0; j < m; j++) {
      const at = Math.floor(r() * (s.length + 1));
      const op = r();
      if (op < 0.5) s = s.slice(0, at) + pick(r, INSERTS) + s.slice(at);
      else if (op < 0.8) s = s.slice(0, at) + s.slice(at + 1 + Math.floor(r() * 3));
      else {
        const b = Math.floor(r() * (s.length + 1));
        s = s.slice(0, Math.min(at, b)) + s.slice(Math.max(at, b)) + s.slice(Math.min(at, b), Math.max(at, b));
      }
    }
    lines.push(s);
  }
  return lines.join('\n') + (r() < 0.5 ? '\n' : '');
}

function main() {
  const [mode, a, b, c] = process.argv.slice(2);
  if (mode === 'bench') {
    const bytes = Number(a ?? 100) * 1e6;
    const out = b ? createWriteStream(b) : process.stdout;
    let buf = [];
    let size = 0;
    const flush = () => {
      out.write(buf.join(''));
      buf = [];
      size = 0;
    };
    for (const line of benchLines(bytes)) {
      buf.push(line);
      size += line.length;
      if (size > 1 << 20) flush();
    }
    flush();
    if (b) out.end();
    return;
  }
  if (mode === 'fuzz') {
    const r = rng(Number(a ?? 1));
    const count = Number(b ?? 200);
    const bodies = Array.from({ length: count }, () => fuzzBody(r));
    if (!c) {
      process.stdout.write(JSON.stringify(bodies));
      return;
    }
    const golden = bodies.map((input) => {
      const res = spawnSync(c, ['-precision', 's', '-intstr', '-all', '-text'], { input, encoding: 'utf8' });
      if (res.status !== 0 && res.status !== 1) throw new Error(`lpcheck failed (${res.status}): ${res.stderr}`);
      return {
        input,
        verdicts: res.stdout
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l)),
      };
    });
    const file = fileURLToPath(new URL('../test/fixtures/lp/fuzz-golden.json', import.meta.url));
    writeFileSync(
      file,
      JSON.stringify(
        { seed: Number(a ?? 1), precision: 's', tool: 'lpcheck (InfluxDB 1.6.7 models)', cases: golden },
        null,
        1,
      ) + '\n',
    );
    console.error(`wrote ${golden.length} bodies to ${file}`);
    return;
  }
  console.error('usage: gen-lp.mjs bench MEGABYTES [FILE] | gen-lp.mjs fuzz SEED BODIES [LPCHECK]');
  process.exit(2);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
