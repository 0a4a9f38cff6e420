import path from 'node:path';

import { z } from 'zod';

import { tokenHint, type TokenState, type TokenStorage } from '../../shared/domain/connection';
import type { StoreNotice, VaultStatus } from '../../shared/ipc/contract';
import { AppError } from '../../shared/ipc/result';
import { createJsonStore } from './json-store';

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
  const file =
    deps.dir === null
      ? null
      : createJsonStore<TokenFile>({
          file: path.join(deps.dir, 'tokens.json'),
          what: 'tokens',
          decode: (value) => {
            const parsed = TokenFileSchema.safeParse(value);
            return parsed.success ? { data: parsed.data, skipped: [] } : null;
          },
          empty: () => ({ version: 1, tokens: {} }),
          // A token file's backup may hold a token the user has since replaced: never bring it back.
          restoreBackup: false,
          lostHint: 'Re-enter the tokens of your connections.',
        });
  const session = new Map<string, string>();
  let stored: TokenFile = { version: 1, tokens: {} };
  const status = (): VaultStatus =>
    deps.backend?.status ??
    memoryOnlyStatus(deps.noBackendReason ?? 'Tokens are kept in memory for this session only.');
  const persist = async (): Promise<void> => {
    await file?.save(stored);
  };
  /**
   * Applies a change to the stored tokens and saves it; when the save fails, memory goes back to
   * what it was (the file still holds that), so what the UI shows is what a restart would find.
   */
  const change = async (apply: () => void): Promise<void> => {
    const before: TokenFile = { version: 1, tokens: { ...stored.tokens } };
    const sessionBefore = new Map(session);
    apply();
    try {
      await persist();
    } catch (err) {
      stored = before;
      session.clear();
      for (const [k, v] of sessionBefore) session.set(k, v);
      throw err;
    }
  };

  return {
    status,
    async load() {
      if (file === null) return [];
      const loaded = await file.load();
      stored = loaded.data;
      return loaded.notices;
    },
    async set(connectionId, token, choice) {
      const level = status().level;
      const canPersist =
        deps.backend !== null && file !== null && (level === 'strong' || (level === 'weak' && choice.allowWeak));
      if (choice.keep === 'session' || !canPersist) {
        if (stored.tokens[connectionId]) {
          await change(() => {
            session.set(connectionId, token);
            delete stored.tokens[connectionId];
          });
        } else session.set(connectionId, token);
        return 'session';
      }
      const cipher = await deps.backend!.encrypt(token);
      const storage: TokenStorage = level === 'strong' ? 'encrypted' : 'weak';
      await change(() => {
        stored.tokens[connectionId] = {
          storage,
          cipher: FORMAT_PREFIX + Buffer.from(cipher).toString('base64'),
          hint: tokenHint(token),
        };
        session.delete(connectionId);
      });
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
          'The stored token of this connection could not be decrypted (the OS key store may have ' +
            'changed). Enter the token again in the connection settings.',
        );
      }
      if (result.shouldReEncrypt) {
        // The OS rotated the key: store the token again under the new one.
        entry.cipher = FORMAT_PREFIX + Buffer.from(await deps.backend.encrypt(result.value)).toString('base64');
        // Not worth failing the request over: the old ciphertext on disk still decrypts, and the
        // next save of the vault writes the new one.
        await persist().catch(() => undefined);
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
      if (stored.tokens[connectionId]) {
        await change(() => {
          session.delete(connectionId);
          delete stored.tokens[connectionId];
        });
        // The backup still holds the forgotten token's ciphertext: replace it with the new content.
        await file?.replaceBackup();
      } else session.delete(connectionId);
    },
  };
}
