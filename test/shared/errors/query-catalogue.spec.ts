import { describe, expect, it } from 'vitest';

import { explainQueryError } from '../../../shared/errors/query-catalogue';

/** Messages as influxd 1.6.7 returns them in `results[i].error` (HTTP 200). */
describe('query error explanations', () => {
  it('explains mean() on a string field, naming the function and the type', () => {
    const [first] = explainQueryError('unsupported mean iterator type: *query.stringInterruptIterator', '1.x');
    expect(first).toMatchObject({ id: 'iql-function-field-type', details: ['Function: mean() on a string field.'] });
  });

  it('explains the common runtime errors, and database not found from the write catalogue', () => {
    const id = (m: string) => explainQueryError(m, '1.x')[0]?.id;
    expect(id('mixing aggregate and non-aggregate queries is not supported')).toBe('iql-mixing-aggregate');
    expect(id('GROUP BY requires at least one aggregate function')).toBe('iql-group-by-time-aggregate');
    expect(id('at least 1 non-time field must be queried')).toBe('iql-no-field');
    expect(id('max-select-point limit exceeeded: (10001/10000)')).toBe('iql-max-select-limit');
    expect(id('invalid operation: time and *influxql.BooleanLiteral are not compatible')).toBe('iql-time-comparison');
    expect(id('database not found: nope')).toBe('database-not-found');
  });

  it('explains the InfluxDB 3 wording of a function on the wrong field type (the sandbox answers it too)', () => {
    const [first] = explainQueryError(
      'datafusion error: Error during planning: unsupported mean() argument type: string',
      'cloud-dedicated',
    );
    expect(first).toMatchObject({ id: 'iql-function-field-type', details: ['Function: mean() on a string field.'] });
  });

  it('gives nothing for a message it does not know (no guess from a status code)', () => {
    expect(explainQueryError('something new went wrong', '1.x')).toEqual([]);
  });
});
