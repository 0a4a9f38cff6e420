import { describe, expect, it } from 'vitest';

import type { HttpExchange } from '../../../shared/domain/http';
import { storedPoints } from '../../../shared/errors/decode';
import { acceptedWriteExchange } from '../../support/exchange';

/** storedPoints: whether a write's answer says points were stored (the schema is refreshed after it). */

function exchange(status: number | null, body = ''): HttpExchange {
  const x = acceptedWriteExchange();
  if (status === null) return { ...x, response: null };
  return { ...x, response: { ...x.response!, status, body, bodyBytes: body.length, contentType: 'application/json' } };
}

// Literal influxd 1.6 answers (see the 1.6 transcript in the reference material).
const err = (message: string): string => JSON.stringify({ error: message });

describe('storedPoints', () => {
  it('is true for a 2xx', () => {
    expect(storedPoints(exchange(204), '1.x', 'cpu v=1')).toBe(true);
  });

  it('is true for a partial write whose good lines were stored', () => {
    const body = err("partial write: unable to parse 'cpu,host=e usage=': missing field value dropped=0");
    expect(storedPoints(exchange(400, body), '1.x', 'cpu,host=d usage=1\ncpu,host=e usage=')).toBe(true);
  });

  it('is false when nothing was stored: no line parsed, a missing database, no answer', () => {
    expect(
      storedPoints(exchange(400, err("unable to parse 'bad line': invalid field format")), '1.x', 'bad line'),
    ).toBe(false);
    expect(storedPoints(exchange(404, err('database not found: "nope"')), '1.x', 'cpu v=1')).toBe(false);
    expect(storedPoints(exchange(null), '1.x', 'cpu v=1')).toBe(false);
  });

  it('is false for a "partial write" whose dropped=N covers every line sent', () => {
    const body = err(
      'partial write: field type conflict: input field "usage" on measurement "cpu" is type string, already exists as type float dropped=1',
    );
    expect(storedPoints(exchange(400, body), '1.x', 'cpu usage="x"')).toBe(false);
  });
});
