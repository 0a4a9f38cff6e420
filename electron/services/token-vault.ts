import fs from 'node:fs/promises';
import path from 'node:path';

import { z } from 'zod';

import { tokenHint, type TokenState, type TokenStorage } from '../../shared/domain/connection';
import type { StoreNotice, VaultStatus } from '../../shared/ipc/contract';
import { AppError } from '../../shared/ipc/result';
import { keepCopy, readJsonFile, writeJsonAtomic } from './json-file';

/**
 * Tokens live here and only here (main process). The renderer gets {@link TokenState}; HTTP code asks
 * for the plaintext right before sending.
 */

// --- Backends ---

/** Encryption backend: Electron's safeStorage in the desktop app; none in browser mode and the CLI. */
export interface CipherBackend {
  readonly status: VaultStatus;
  encrypt(plain: string): Promise<Uint8Array>;
  decrypt(cipher: Uint8Array): Promise<{ value: string; shouldReEncrypt: boolean }>;
}

/** The status when nothing can be persisted (browser mode, CLI, or no OS key store). */
export function memoryOnlyStatus(reason: string): VaultStatus {
  return { backend: 'memory', level: 'none', message: reason };
}

// --- File format ---

const FORMAT_PREFIX = 'v1:';

const TokenFileSchema = z.object({
  version: z.literal(1),
  tokens: z.record(
    z.string(),
    z.object({ storage: z.enum(['encrypted', 'weak']), cipher: z.string(), hint: z.string() }).strict(),
  ),
});
type TokenFile = z.infer<typeof TokenFileSchema>;

// --- Vault ---

/** How a token should be kept, as chosen in the connection form. */
export interface KeepChoice {
  readonly keep: 'persist' | 'session';
  readonly allowWeak: boolean;
}

/** The token vault. */
export interface TokenVault {
  status(): VaultStatus;
  load(): Promise<StoreNotice[]>;
  set(connectionId: string, token: string, choice: KeepChoice): Promise<TokenStorage>;
  get(connectionId: string): Promise<string | null>;
  state(connectionId: string): TokenState;
  delete(connectionId: string): Promise<void>;
}

/**
 * Creates a vault. With `backend: null` or `dir: null` every token is kept for the session only.
 */
export function createTokenVault(deps: {
  backend: CipherBackend | null;
  dir: string | null;
  noBackendReason?: string;
}): TokenVault {
  const file = deps.dir === null ? null : path.join(deps.dir, 'tokens.json');
  const session = new Map<string, string>();
  let stored: TokenFile = { version: 1, tokens: {} };
  const status = (): VaultStatus =>
    deps.backend?.status ??
    memoryOnlyStatus(deps.noBackendReason ?? 'Tokens are kept in memory for this session only.');

  // Set when tokens.json exists but cannot be read at all: never overwrite what we could not see.
  let unreadable: string | null = null;
  const persist = async (): Promise<void> => {
    if (file === null) return;
    if (unreadable !== null)
      throw new AppError('STORAGE', `Not saving tokens: ${file} could not be read (${unreadable}).`);
    await writeJsonAtomic(file, stored, 0o600);
  };

  return {
    status,
    async load() {
      if (file === null) return [];
      let read: Awaited<ReturnType<typeof readJsonFile>>;
      try {
        read = await readJsonFile(file);
      } catch (err) {
        unreadable = (err as Error).message;
        return [
          {
            level: 'error',
            message: `The token file ${file} could not be read (${unreadable}); stored tokens are unavailable until it is fixed.`,
          },
        ];
      }
      if (read.kind === 'missing') return [];
      if (read.kind === 'corrupt') {
        return [
          {
            level: 'error',
            message: `The token file could not be read (${read.reason}). It was moved to ${read.movedTo}; re-enter the tokens of your connections.`,
          },
        ];
      }
      const parsed = TokenFileSchema.safeParse(read.value);
      if (!parsed.success) {
        // Keep a copy: the next save would overwrite the file (and, one save later, its backup).
        const copy = await keepCopy(file, `unreadable-${new Date().toISOString().replace(/[:.]/g, '-')}`);
        return [
          {
            level: 'error',
            message: `The token file ${file} has an unknown format; tokens must be re-entered. A copy was kept at ${copy}.`,
          },
        ];
      }
      stored = parsed.data;
      return [];
    },
    async set(connectionId, token, choice) {
      const level = status().level;
      const canPersist =
        deps.backend !== null && file !== null && (level === 'strong' || (level === 'weak' && choice.allowWeak));
      if (choice.keep === 'session' || !canPersist) {
        session.set(connectionId, token);
        if (stored.tokens[connectionId]) {
          delete stored.tokens[connectionId];
          await persist();
        }
        return 'session';
      }
      const cipher = await deps.backend!.encrypt(token);
      const storage: TokenStorage = level === 'strong' ? 'encrypted' : 'weak';
      stored.tokens[connectionId] = {
        storage,
        cipher: FORMAT_PREFIX + Buffer.from(cipher).toString('base64'),
        hint: tokenHint(token),
      };
      session.delete(connectionId);
      await persist();
      return storage;
    },
    async get(connectionId) {
      const inMemory = session.get(connectionId);
      if (inMemory !== undefined) return inMemory;
      const entry = stored.tokens[connectionId];
      if (!entry || deps.backend === null) return null;
      if (!entry.cipher.startsWith(FORMAT_PREFIX)) return null;
      let result: { value: string; shouldReEncrypt: boolean };
      try {
        result = await deps.backend.decrypt(Buffer.from(entry.cipher.slice(FORMAT_PREFIX.length), 'base64'));
      } catch {
        // Typically the OS key store changed (new login keyring, restored profile): say so, don't crash.
        throw new AppError(
          'STORAGE',
          'The stored token of this connection could not be decrypted (the OS key store may have changed). Enter the token again in the connection settings.',
        );
      }
      if (result.shouldReEncrypt) {
        // The OS rotated the key: store the token again under the new one.
        entry.cipher = FORMAT_PREFIX + Buffer.from(await deps.backend.encrypt(result.value)).toString('base64');
        await persist();
      }
      return result.value;
    },
    state(connectionId) {
      const inMemory = session.get(connectionId);
      if (inMemory !== undefined) return { hasToken: true, hint: tokenHint(inMemory), storage: 'session' };
      const entry = stored.tokens[connectionId];
      if (entry) return { hasToken: true, hint: entry.hint, storage: entry.storage };
      return { hasToken: false, hint: null, storage: null };
    },
    async delete(connectionId) {
      session.delete(connectionId);
      if (stored.tokens[connectionId]) {
        delete stored.tokens[connectionId];
        await persist();
        // The backup still holds the forgotten token's ciphertext: replace it with the new content.
        if (file !== null) await fs.copyFile(file, `${file}.bak`);
      }
    },
  };
}
