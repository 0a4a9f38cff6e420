import type { SafeStorage } from 'electron';

import type { VaultStatus } from '../../shared/ipc/contract';
import type { CipherBackend } from '../services/token-vault';

/**
 * Adapts Electron's async safeStorage API to the vault's backend. On Linux, `basic_text` means no
 * key store was found and the "encryption" uses a hard-coded password: reported as weak, so the user
 * chooses (session-only is the default).
 */
export async function createSafeStorageBackend(
  safeStorage: Pick<
    SafeStorage,
    'isAsyncEncryptionAvailable' | 'encryptStringAsync' | 'decryptStringAsync' | 'getSelectedStorageBackend'
  >,
  platform: NodeJS.Platform,
): Promise<CipherBackend | null> {
  if (!(await safeStorage.isAsyncEncryptionAvailable())) return null;
  const status = statusFor(platform, platform === 'linux' ? safeStorage.getSelectedStorageBackend() : null);
  if (status.level === 'none') return null;
  return {
    status,
    encrypt: async (plain) => new Uint8Array(await safeStorage.encryptStringAsync(plain)),
    decrypt: async (cipher) => {
      const r = await safeStorage.decryptStringAsync(Buffer.from(cipher));
      return { value: r.result, shouldReEncrypt: r.shouldReEncrypt };
    },
  };
}

/** The vault status for a platform and (on Linux) the selected backend. */
export function statusFor(platform: NodeJS.Platform, linuxBackend: string | null): VaultStatus {
  if (platform === 'darwin')
    return { backend: 'keychain', level: 'strong', message: 'Tokens are encrypted with the macOS Keychain.' };
  if (platform === 'win32')
    return { backend: 'dpapi', level: 'strong', message: 'Tokens are encrypted with Windows DPAPI.' };
  if (linuxBackend === 'basic_text') {
    return {
      backend: 'basic_text',
      level: 'weak',
      message:
        'No OS key store (GNOME Keyring / KWallet) was found, so stored tokens would only be ' +
        'obfuscated. By default tokens are kept for this session only; you can choose to store ' +
        'them anyway.',
    };
  }
  if (linuxBackend === null || linuxBackend === 'unknown') {
    return {
      backend: 'unknown',
      level: 'none',
      message: 'No OS key store is available: tokens are kept for this session only.',
    };
  }
  return { backend: linuxBackend, level: 'strong', message: `Tokens are encrypted with ${linuxBackend}.` };
}
