import { describe, expect, it } from 'vitest';

import { createDatabaseStatement, DATABASE_CREATION, missingDatabaseIn } from '../../shared/domain/databases';
import { SERVER_FLAVORS } from '../../shared/domain/flavor';

describe('missing databases', () => {
  it('reads the missing database from each server wording, JSON-escaped or not', () => {
    // influxd 1.6 /write 404 (transcript), its /query statement error, the sandbox's IOx texts.
    expect(missingDatabaseIn('{"error":"database not found: \\"nope\\""}')).toBe('nope');
    expect(missingDatabaseIn('database not found: nope')).toBe('nope');
    expect(missingDatabaseIn('Database nope not found (SHOW MEASUREMENTS)')).toBe('nope');
    expect(missingDatabaseIn('{"code":"invalid","message":"rejecting write due to non-existing namespace: iot"}')).toBe(
      'iot',
    );
    expect(missingDatabaseIn('Cannot retrieve database: External error: database not found: iot')).toBe('iot');
    expect(missingDatabaseIn('{"error":"retention policy not found: nope"}')).toBeNull();
    expect(missingDatabaseIn('')).toBeNull();
  });

  it('creates with CREATE DATABASE on 1.x only, and says how on every other flavor', () => {
    expect(createDatabaseStatement('my db')).toBe('CREATE DATABASE "my db"');
    for (const f of SERVER_FLAVORS) {
      const c = DATABASE_CREATION[f];
      if (f === '1.x') expect(c.via).toBe('influxql');
      else expect(c.via === 'elsewhere' && c.how('iot')).toContain('iot');
    }
  });
});
