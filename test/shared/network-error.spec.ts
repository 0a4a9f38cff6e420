import { describe, expect, it } from 'vitest';

import {
  describeNetworkFailure,
  NETWORK_ERROR_KINDS,
  NETWORK_ERROR_LABELS,
  networkErrorLabel,
} from '../../shared/domain/http';

describe('network failures in words', () => {
  it('labels every kind with words, never its machine name', () => {
    for (const kind of NETWORK_ERROR_KINDS) {
      const label = NETWORK_ERROR_LABELS[kind];
      expect(label).not.toContain('-');
      expect(label).toMatch(/^[A-Z][a-zA-Z ]+$/);
    }
    expect(networkErrorLabel({ kind: 'connection-refused', message: '', code: 'ECONNREFUSED' })).toBe(
      'Connection refused',
    );
    expect(networkErrorLabel(null)).toBe('No response');
  });

  it('describes a failure once: its message, led by the label unless the message already says it', () => {
    expect(
      describeNetworkFailure({
        kind: 'connection-refused',
        message: 'Connection refused by 127.0.0.1:9. Is InfluxDB running?',
        code: 'ECONNREFUSED',
      }),
    ).toBe('Connection refused by 127.0.0.1:9. Is InfluxDB running?');
    expect(describeNetworkFailure({ kind: 'timeout', message: 'No answer within 30 s.', code: null })).toBe(
      'Timed out: No answer within 30 s.',
    );
    expect(describeNetworkFailure({ kind: 'other', message: '', code: null })).toBe('Network error');
  });
});
