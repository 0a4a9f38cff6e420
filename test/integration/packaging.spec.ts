// @vitest-environment node
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { listPackage } from '@electron/asar';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { requireBuilt, ROOT } from '../support/built';

/**
 * The electron-builder config, exercised as far as this machine allows: no Electron binary can be
 * downloaded here, so a stand-in "Electron" carrying a real fuse wire (sentinel + version + fuses, as
 * Electron ships it) is packaged with `--linux dir`. That validates the config, the file globs, the
 * asar, and that every security fuse is flipped as configured.
 */
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
// Electron's shipped defaults: RunAsNode on, cookie encryption off, NODE_OPTIONS on, inspect on,
// asar integrity off, only-load-from-asar off, browser V8 snapshot off, file:// privileges on.
const SHIPPED = '10110001';
// Fuse states in the wire are ASCII '0' (disabled) and '1' (enabled), as in @electron/fuses' FuseState.
const DISABLED = 0x30;
const ENABLED = 0x31;

describe('electron-builder packaging (stand-in Electron binary)', () => {
  let tmp: string;
  let result: { code: number | null; output: string };
  beforeAll(async () => {
    requireBuilt('out/main/index.cjs');
    requireBuilt('out/renderer/index.html');
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'iwb-pack-'));
    const dist = path.join(tmp, 'electron-dist');
    await fs.mkdir(dist);
    await fs.writeFile(
      path.join(dist, 'electron'),
      Buffer.concat([
        Buffer.from('#!/bin/sh\n# stand-in\n'),
        Buffer.from(SENTINEL),
        Buffer.from([1, 8]),
        Buffer.from(SHIPPED),
      ]),
      { mode: 0o755 },
    );
    await fs.writeFile(path.join(dist, 'version'), '45.4.1');
    const cli = path.join(ROOT, 'node_modules', 'electron-builder', 'cli.js');
    result = await new Promise((resolve, reject) => {
      const child = spawn(
        process.execPath,
        [
          cli,
          '--config',
          'electron-builder.config.cjs',
          '--linux',
          'dir',
          `-c.electronDist=${dist}`,
          `-c.directories.output=${path.join(tmp, 'release')}`,
        ],
        {
          cwd: ROOT,
          env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' },
        },
      );
      let output = '';
      child.stdout.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr.on('data', (d: Buffer) => (output += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, output }));
    });
  }, 120_000);
  afterAll(async () => {
    if (tmp) await fs.rm(tmp, { recursive: true, force: true });
  });

  it('packages without errors', () => {
    expect(result.output).not.toMatch(/⨯/);
    expect(result.code).toBe(0);
  });

  it('puts only the built app and DuckDB in the asar (no other node_modules, no sources, no CLI)', async () => {
    const files = listPackage(path.join(tmp, 'release', 'linux-unpacked', 'resources', 'app.asar'), {
      isPack: false,
    }).map((f) => f.replaceAll('\\', '/'));
    expect(files).toEqual(
      expect.arrayContaining([
        '/out/main/index.cjs',
        '/out/preload/index.cjs',
        '/out/renderer/index.html',
        '/package.json',
      ]),
    );
    // DuckDB and what it needs at run time (detect-libc picks the glibc or musl binding); nothing else.
    const runtimeModules = /^\/node_modules\/(@duckdb|detect-libc)(\/|$)/;
    expect(files.filter((f) => f.startsWith('/node_modules/') && !runtimeModules.test(f))).toEqual([]);
    expect(
      files.some((f) => f.startsWith('/electron/') || f.startsWith('/renderer/') || f.startsWith('/shared/')),
    ).toBe(false);
    expect(files.some((f) => f.startsWith('/out/cli') || f.endsWith('.map'))).toBe(false);
  });

  it("unpacks DuckDB's native binding and its shared library next to each other (dlopen cannot read an asar)", async () => {
    const unpacked = path.join(
      tmp,
      'release',
      'linux-unpacked',
      'resources',
      'app.asar.unpacked',
      'node_modules',
      '@duckdb',
    );
    const platformDir = path.join(unpacked, `node-bindings-${process.platform}-${process.arch}`);
    await expect(fs.stat(path.join(platformDir, 'duckdb.node'))).resolves.toBeTruthy();
    await expect(fs.stat(path.join(platformDir, 'libduckdb.so'))).resolves.toBeTruthy();
  });

  it('flips every security fuse as configured', async () => {
    const bin = path.join(tmp, 'release', 'linux-unpacked', 'influx-workbench');
    const wire = await getCurrentFuseWire(bin);
    const on = (o: FuseV1Options): boolean => {
      const state = wire[o] as unknown as number;
      expect([ENABLED, DISABLED]).toContain(state);
      return state === ENABLED;
    };
    expect(on(FuseV1Options.RunAsNode)).toBe(false);
    expect(on(FuseV1Options.EnableCookieEncryption)).toBe(true);
    expect(on(FuseV1Options.EnableNodeOptionsEnvironmentVariable)).toBe(false);
    expect(on(FuseV1Options.EnableNodeCliInspectArguments)).toBe(false);
    expect(on(FuseV1Options.EnableEmbeddedAsarIntegrityValidation)).toBe(true);
    expect(on(FuseV1Options.OnlyLoadAppFromAsar)).toBe(true);
    expect(on(FuseV1Options.GrantFileProtocolExtraPrivileges)).toBe(false);
  });
});
