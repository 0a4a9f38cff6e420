import type { FlavorDetection } from './detect';
import { FLAVOR_LABELS, type ServerFlavor } from './flavor';

/**
 * The workbench's own sandbox server as the app shows it (electron/sandbox runs it in main).
 */

/** `running`; `off` (turned off in the settings); `unavailable` (the engine cannot load here); `failed` (it could not start). */
export type SandboxState = 'running' | 'off' | 'unavailable' | 'failed';

export interface SandboxDatabaseInfo {
  readonly name: string;
  readonly tables: number;
  /** ns; 0 = infinite */
  readonly retentionPeriod: number;
}

export interface SandboxTokenInfo {
  readonly id: string;
  readonly description: string;
  readonly permissions: readonly { readonly action: 'read' | 'write'; readonly resource: string }[];
  readonly createdAt: string;
  /** the token the app's sandbox connection uses */
  readonly app: boolean;
}

export interface SandboxStatus {
  readonly state: SandboxState;
  /** why it is not running, in a sentence; null when running */
  readonly reason: string | null;
  readonly url: string | null;
  readonly profile: 'cloud-dedicated' | 'core';
  /** the connection "Sandbox (Cloud Dedicated)", when it exists */
  readonly connectionId: string | null;
  /** start the sandbox with the app (the setting) */
  readonly autoStart: boolean;
  /** show the first-run guided demo on the sandbox connection */
  readonly showGuide: boolean;
  readonly databases: readonly SandboxDatabaseInfo[];
  readonly tokens: readonly SandboxTokenInfo[];
}

export const SANDBOX_CONNECTION_NAME = 'Sandbox (Cloud Dedicated)';
export const SANDBOX_DEMO_DATABASE = 'demo';

/** The flavor each sandbox profile answers as. */
export function sandboxFlavor(profile: SandboxStatus['profile']): ServerFlavor {
  return profile === 'core' ? 'core' : 'cloud-dedicated';
}

/**
 * What the app knows of its own sandbox's flavor without pinging it: the profile it started with. Shown
 * where a ping's detection would be, until there is one.
 */
export function sandboxDetection(profile: SandboxStatus['profile']): FlavorDetection {
  const flavor = sandboxFlavor(profile);
  return {
    flavor,
    version: null,
    build: null,
    confidence: 'high',
    evidence: [`The built-in sandbox runs its ${profile} profile: it answers as ${FLAVOR_LABELS[flavor]}.`],
  };
}
