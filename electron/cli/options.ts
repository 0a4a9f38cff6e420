import { detectFlavorFromExchange } from '../../shared/domain/detect';
import { SERVER_FLAVORS, type ServerFlavor } from '../../shared/domain/flavor';
import type { HttpExchange } from '../../shared/domain/http';
import { UsageError } from './io';

/**
 * Options that mean the same in every command.
 *
 * `--flavor` in every command. Without it: the flavor is detected from the server
 * where a command talks to one (`write` from the answer's headers, `query` from `/ping` when the
 * flavor changes how a script is sent), else the strictest rules apply ({@link STRICTEST_FLAVOR}:
 * `validate`, `validate-query`, and a server that cannot be identified). `explain` reads the flavor
 * from the error body's shape.
 */

/** The flavor whose rules refuse the most: InfluxDB 3 Cloud Dedicated. */
export const STRICTEST_FLAVOR: ServerFlavor = 'cloud-dedicated';

/** The help line of `--flavor`. */
export function flavorHelp(whenAbsent: string): string {
  return `  --flavor F           ${SERVER_FLAVORS.join(' | ')}\n                       (absent: ${whenAbsent})`;
}

/** The checked `--flavor` value, or undefined when absent. */
export function flavorOption(value: string | undefined): ServerFlavor | undefined {
  if (value === undefined) return undefined;
  if (!(SERVER_FLAVORS as readonly string[]).includes(value))
    throw new UsageError(`--flavor must be one of ${SERVER_FLAVORS.join(', ')}, not "${value}"`);
  return value as ServerFlavor;
}

/** The flavor an exchange's answer identifies, else the strictest. */
export function flavorFromAnswer(x: HttpExchange): ServerFlavor {
  return detectFlavorFromExchange(x).flavor ?? STRICTEST_FLAVOR;
}

/** `--params`: a JSON object of bound parameters (strings, numbers, booleans), as `/query` takes them. */
export function paramsOption(text: string | undefined): Record<string, string | number | boolean> | undefined {
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`--params is not JSON: ${(err as Error).message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new UsageError('--params must be a JSON object');
  for (const [k, v] of Object.entries(value)) {
    if (!['string', 'number', 'boolean'].includes(typeof v))
      throw new UsageError(`--params: "${k}" must be a string, number or boolean`);
  }
  return value as Record<string, string | number | boolean>;
}
