import fs from 'node:fs/promises';

import { AUTH_SCHEMES, type AuthScheme } from '../../shared/domain/auth';
import { parseBaseUrl } from '../../shared/domain/write-request';
import type { Target } from '../services/write-service';
import { type CliIo, UsageError } from './io';

/**
 * The connection options every networked command takes (--url, auth, TLS, timeout), their help text
 * and their checks: one place, so write, ping and query accept and refuse exactly the same things.
 */

/** Help text for the credential options (export takes these without the transport ones). */
export const CREDENTIAL_HELP = `  --auth SCHEME        none | bearer | token | basic | query   (default: none)
                         bearer: Authorization: Bearer <token>
                         token:  Authorization: Token <token>
                         basic:  Authorization: Basic base64(<username>:<token>)
                         query:  ?u=<username>&p=<token>
  --username U         username for basic and query auth
  --token-env VAR      environment variable holding the token (default: INFLUX_TOKEN);
                       the token is never taken from the command line
`;

/** Help text for the auth and transport options: every networked command shows exactly this. */
export const AUTH_HELP = `${CREDENTIAL_HELP}  --timeout MS         request timeout in milliseconds (default: 30000)
  --ca FILE            PEM file of extra CA certificates to trust
  --insecure           skip TLS certificate verification (testing only)
`;

/** The longest --timeout: Node's timers overflow above 2^31 − 1 ms. */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/** parseArgs definitions of the connection options. */
export const CONNECTION_OPTIONS = {
  url: { type: 'string' },
  auth: { type: 'string' },
  username: { type: 'string' },
  'token-env': { type: 'string' },
  timeout: { type: 'string' },
  ca: { type: 'string' },
  insecure: { type: 'boolean' },
} as const;

/** Parsed connection option values. */
export interface ConnectionValues {
  url?: string;
  auth?: string;
  username?: string;
  'token-env'?: string;
  timeout?: string;
  ca?: string;
  insecure?: boolean;
}

/** Checks the connection options and reads the token from the environment and the CA from disk. */
export async function connectionOptions(
  values: ConnectionValues,
  io: CliIo,
): Promise<{ target: Target; auth: { scheme: AuthScheme; username: string }; token: string | null }> {
  if (!values.url) throw new UsageError('--url is required');
  try {
    parseBaseUrl(values.url); // the same check the request builder and the app apply
  } catch (err) {
    throw new UsageError(`--url: ${(err as Error).message}`);
  }
  const scheme = (values.auth ?? 'none') as AuthScheme;
  if (!AUTH_SCHEMES.includes(scheme)) throw new UsageError(`--auth must be one of ${AUTH_SCHEMES.join(', ')}`);
  const username = values.username ?? '';
  if (scheme === 'query' && username === '') {
    io.stderr(
      'influx-workbench: note: --auth query without --username sends an empty u= (1.x rejects it; 3.x ignores u)\n',
    );
  }
  let token: string | null = null;
  if (scheme !== 'none') {
    const envName = values['token-env'] ?? 'INFLUX_TOKEN';
    token = io.env[envName] ?? '';
    if (token === '')
      throw new UsageError(
        `--auth ${scheme} needs a token in the environment variable ${envName} (set it, or pass --token-env NAME)`,
      );
  }
  const timeoutMs = values.timeout === undefined ? 30_000 : Number(values.timeout);
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1)
    throw new UsageError('--timeout must be a positive number of milliseconds');
  // Node's timers take at most 2^31 − 1 ms; a larger value would fire at once.
  if (timeoutMs > MAX_TIMEOUT_MS)
    throw new UsageError(`--timeout must be at most ${MAX_TIMEOUT_MS} milliseconds (about 24.8 days)`);
  let caPem = '';
  if (values.ca !== undefined) {
    try {
      caPem = await fs.readFile(values.ca, 'utf8');
    } catch (err) {
      throw new UsageError(`cannot read --ca ${values.ca}: ${(err as Error).message}`);
    }
  }
  return {
    target: { baseUrl: values.url, tls: { caPem, skipVerify: values.insecure === true }, timeoutMs },
    auth: { scheme, username },
    token,
  };
}
