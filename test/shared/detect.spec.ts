import { describe, expect, it } from 'vitest';

import { detectFlavor, flavorAgrees } from '../../shared/domain/detect';
import { classifyProbeAnswer, serverMessage } from '../../shared/domain/probe';

// Literal /ping answers of each flavor (influx-api.md §1).
const OSS_16 = {
  status: 204,
  body: '',
  headers: [
    ['Content-Type', 'application/json'],
    ['Request-Id', 'a1'],
    ['X-Influxdb-Build', 'OSS'],
    ['X-Influxdb-Version', '1.6.7~rc0'],
    ['X-Request-Id', 'a1'],
  ] as Array<[string, string]>,
};
const OSS_111 = {
  status: 204,
  body: '',
  headers: [
    ['X-Influxdb-Build', 'OSS'],
    ['X-Influxdb-Version', '1.11.8'],
  ] as Array<[string, string]>,
};
const OSS_2 = {
  status: 204,
  body: '',
  headers: [
    ['X-Influxdb-Build', 'OSS'],
    ['X-Influxdb-Version', 'v2.7.11'],
  ] as Array<[string, string]>,
};
const CORE_200 = {
  status: 200,
  body: '{"product_name":"InfluxDB 3 Core","version":"3.8.0","revision":"a1b2c3d","process_id":"0f1e2d3c-0000-4000-8000-000000000000"}',
  headers: [
    ['content-type', 'application/json'],
    ['cluster-uuid', '6a1f4e0c-1234-4c1b-9d2e-0a0b0c0d0e0f'],
    ['access-control-allow-origin', '*'],
  ] as Array<[string, string]>,
};
const CD = {
  status: 204,
  body: '',
  headers: [
    ['X-Influxdb-Build', 'cloud2'],
    ['X-Influxdb-Version', '2.0.0'],
  ] as Array<[string, string]>,
  url: 'https://abc123.a.influxdb.io/ping',
};

describe('detectFlavor', () => {
  it('OSS 1.6.7~rc0 (Debian): 1.x, high confidence, version and build kept', () => {
    const d = detectFlavor(OSS_16);
    expect(d).toMatchObject({ flavor: '1.x', version: '1.6.7~rc0', build: 'OSS', confidence: 'high' });
    expect(d.evidence).toContain('X-Influxdb-Build: OSS');
    expect(d.evidence).toContain('X-Influxdb-Version: 1.6.7~rc0');
  });

  it('OSS 1.11.8: 1.x', () => {
    expect(detectFlavor(OSS_111)).toMatchObject({ flavor: '1.x', version: '1.11.8', confidence: 'high' });
  });

  it('OSS v2.7.11: 2.x (the v prefix is 2.x’s tag style)', () => {
    const d = detectFlavor(OSS_2);
    expect(d).toMatchObject({ flavor: '2.x', version: 'v2.7.11', build: 'OSS', confidence: 'high' });
    expect(d.evidence.join(' ')).toMatch(/starts with "v2\."/);
  });

  it('Core: 200 with a product_name JSON body and cluster-uuid', () => {
    const d = detectFlavor(CORE_200);
    expect(d).toMatchObject({ flavor: 'core', version: '3.8.0', build: null, confidence: 'high' });
    expect(d.evidence.join('\n')).toContain('product_name "InfluxDB 3 Core"');
    expect(d.evidence.join('\n')).toContain('cluster-uuid');
  });

  it('Enterprise: product_name names it; flavor core (one HTTP server)', () => {
    const d = detectFlavor({ ...CORE_200, body: '{"product_name":"InfluxDB 3 Enterprise","version":"3.8.0"}' });
    expect(d).toMatchObject({ flavor: 'core', confidence: 'high' });
  });

  it('Core with auth on: 401 plus cluster-uuid', () => {
    const d = detectFlavor({
      status: 401,
      body: '{"error": "the request was not authenticated"}',
      headers: [['cluster-uuid', 'u-1']],
    });
    expect(d).toMatchObject({ flavor: 'core', confidence: 'medium' });
    expect(d.evidence.join(' ')).toMatch(/requires auth/);
  });

  it('X-Influxdb-Build: Core without a body is still core', () => {
    expect(
      detectFlavor({
        status: 204,
        body: '',
        headers: [
          ['X-Influxdb-Build', 'Core'],
          ['X-Influxdb-Version', '3.1.0'],
        ],
      }),
    ).toMatchObject({ flavor: 'core', confidence: 'high' });
  });

  it('Cloud Dedicated: build cloud2 → cloud-dedicated (Clustered is indistinguishable), medium', () => {
    const d = detectFlavor(CD);
    expect(d).toMatchObject({ flavor: 'cloud-dedicated', build: 'cloud2', confidence: 'medium' });
    expect(d.evidence.join(' ')).toMatch(/Clustered/);
  });

  it('cloud2 on a Serverless region host → serverless', () => {
    expect(detectFlavor({ ...CD, url: 'https://us-east-1-1.aws.cloud2.influxdata.com/ping' })).toMatchObject({
      flavor: 'serverless',
    });
  });

  it('401 without identifying headers: unknown, and says to retry with credentials', () => {
    const d = detectFlavor({ status: 401, body: '', headers: [] });
    expect(d).toMatchObject({ flavor: null, confidence: 'none' });
    expect(d.evidence.join(' ')).toMatch(/credentials/);
  });

  it('no response: unknown', () => {
    expect(detectFlavor({ status: null, body: '', headers: [] })).toMatchObject({ flavor: null, confidence: 'none' });
  });

  it('404 (no /ping): not an InfluxDB server', () => {
    expect(detectFlavor({ status: 404, body: '404 page not found', headers: [] }).evidence.join(' ')).toMatch(
      /does not look like an InfluxDB/,
    );
  });

  it('1.x verbose ping (200 {"version"}) → 1.x', () => {
    expect(detectFlavor({ status: 200, body: '{"version":"1.8.10"}', headers: [] })).toMatchObject({
      flavor: '1.x',
      version: '1.8.10',
      confidence: 'medium',
    });
  });

  it('header names are case-insensitive', () => {
    expect(
      detectFlavor({
        status: 204,
        body: '',
        headers: [
          ['x-influxdb-build', 'OSS'],
          ['x-influxdb-version', '1.8.10'],
        ],
      }).flavor,
    ).toBe('1.x');
  });
});

describe('flavorAgrees', () => {
  it('same flavor agrees; a different one does not; unknown never asks to switch', () => {
    expect(flavorAgrees('1.x', detectFlavor(OSS_16))).toBe(true);
    expect(flavorAgrees('2.x', detectFlavor(OSS_16))).toBe(false);
    expect(flavorAgrees('core', detectFlavor({ status: null, body: '', headers: [] }))).toBe(true);
  });

  it('clustered agrees with a cloud2 detection', () => {
    expect(flavorAgrees('clustered', detectFlavor(CD))).toBe(true);
    expect(flavorAgrees('core', detectFlavor(CD))).toBe(false);
  });
});

describe('probe classification', () => {
  it('2xx accepted; 401 rejected with the message; 404 page not found → not-found', () => {
    expect(classifyProbeAnswer(204, '')).toEqual({ outcome: 'accepted', message: '' });
    expect(classifyProbeAnswer(401, '{"error":"bearer auth disabld"}')).toEqual({
      outcome: 'rejected',
      message: 'bearer auth disabld',
    });
    expect(classifyProbeAnswer(404, '404 page not found\n')).toEqual({
      outcome: 'not-found',
      message: '404 page not found',
    });
  });

  it('a 404 about a database or bucket comes from an existing endpoint: rejected', () => {
    expect(classifyProbeAnswer(404, '{"error":"database not found: \\"nope\\""}').outcome).toBe('rejected');
    expect(classifyProbeAnswer(404, '{"code":"not found","message":"bucket not found"}').outcome).toBe('rejected');
  });

  it('a 200 /query answer carrying a statement error is rejected with that error', () => {
    expect(classifyProbeAnswer(200, '{"results":[{"statement_id":0,"error":"database not found: x"}]}')).toEqual({
      outcome: 'rejected',
      message: 'database not found: x',
    });
  });

  it('serverMessage reads error, message, or text', () => {
    expect(serverMessage('{"code":"unauthorized","message":"unauthorized access"}')).toBe('unauthorized access');
    expect(serverMessage('plain words')).toBe('plain words');
  });
});
