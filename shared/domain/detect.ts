import type { ServerFlavor } from './flavor';
import { headerValue, type HttpExchange } from './http';

/**
 * Server flavor detection from a `GET /ping` answer (influx-api.md §1). Pure: it reads the status, the
 * `X-Influxdb-Version` / `X-Influxdb-Build` / `cluster-uuid` headers, Core's JSON body, and the host name
 * of the URL, and says what it concluded, how sure it is and why.
 */

/** How sure a detection is. `none`: nothing could be concluded. */
export type DetectionConfidence = 'high' | 'medium' | 'low' | 'none';

/** What detection concluded. */
export interface FlavorDetection {
  /** null when the answer did not identify a flavor. */
  readonly flavor: ServerFlavor | null;
  readonly version: string | null;
  readonly build: string | null;
  readonly confidence: DetectionConfidence;
  /** One sentence per fact used, for a tooltip ("X-Influxdb-Build: OSS"). */
  readonly evidence: readonly string[];
}

/** The parts of a `/ping` exchange detection reads. */
export interface PingEvidence {
  /** null when no HTTP response arrived. */
  readonly status: number | null;
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body: string;
  /** The URL pinged; its host name helps tell InfluxDB Cloud services apart. */
  readonly url?: string;
}

/** Detects the flavor from a `/ping` answer. */
export function detectFlavor(ping: PingEvidence): FlavorDetection {
  if (ping.status === null) {
    return {
      flavor: null,
      version: null,
      build: null,
      confidence: 'none',
      evidence: ['No HTTP response: the server could not be reached.'],
    };
  }
  const evidence: string[] = [];
  const headerVersion = headerValue(ping.headers, 'x-influxdb-version');
  const build = headerValue(ping.headers, 'x-influxdb-build');
  const clusterUuid = headerValue(ping.headers, 'cluster-uuid');
  const json = parseObject(ping.body);
  const productName = typeof json?.product_name === 'string' ? json.product_name : null;
  const jsonVersion = typeof json?.version === 'string' ? json.version : null;
  const version = headerVersion ?? jsonVersion;
  const result = (flavor: ServerFlavor | null, confidence: DetectionConfidence): FlavorDetection => ({
    flavor,
    version,
    build,
    confidence,
    evidence,
  });

  if (headerVersion !== null) evidence.push(`X-Influxdb-Version: ${headerVersion}`);
  if (build !== null) evidence.push(`X-Influxdb-Build: ${build}`);

  // Core and Enterprise answer 200 with a JSON body naming the product; nothing else does.
  if (productName !== null) {
    evidence.push(`/ping answered ${ping.status} with product_name "${productName}"`);
    if (clusterUuid !== null)
      evidence.push('cluster-uuid header present (InfluxDB 3 Core/Enterprise sends it on every response)');
    return result('core', /influxdb\s*3|core|enterprise/i.test(productName) ? 'high' : 'medium');
  }
  const buildLower = build?.toLowerCase() ?? '';
  if (buildLower === 'core' || buildLower === 'enterprise') return result('core', 'high');
  if (buildLower === 'cloud2') {
    // cloud2 is the IOx v1 handler: Cloud Dedicated and Clustered are indistinguishable on the wire.
    const host = hostOf(ping.url);
    if (host !== null && /(^|\.)cloud2\.influxdata\.com$/i.test(host)) {
      evidence.push(`host ${host} is an InfluxDB Cloud Serverless region`);
      return result('serverless', 'medium');
    }
    evidence.push(
      'cloud2 is the build of InfluxDB 3 Cloud Dedicated and Clustered (the two cannot be told apart from /ping)',
    );
    return result('cloud-dedicated', 'medium');
  }
  if (clusterUuid !== null) {
    evidence.push('cluster-uuid header present (InfluxDB 3 Core/Enterprise sends it on every response)');
    if (ping.status === 401) evidence.push('/ping requires auth, as Core/Enterprise does by default');
    return result('core', 'medium');
  }
  if (version !== null) {
    const v = version.trim();
    const known = buildLower === 'oss' || buildLower === 'ent';
    if (/^v?2\./.test(v) && (v.startsWith('v') || known)) {
      if (v.startsWith('v')) evidence.push('the version starts with "v2.": OSS 2.x tags its version with a v');
      return result('2.x', known ? 'high' : 'medium');
    }
    if (/^1\./.test(v)) {
      if (jsonVersion !== null && headerVersion === null)
        evidence.push(`/ping?verbose body names version ${jsonVersion}`);
      return result('1.x', known ? 'high' : 'medium');
    }
    if (/^v?3\./.test(v)) return result('core', 'low');
  }
  if (ping.status === 401) {
    evidence.push(
      '/ping answered 401: auth is required on /ping (Core/Enterprise by default, or 1.x with ping-auth-enabled); retry with credentials',
    );
    return result(null, 'none');
  }
  if (ping.status === 404) {
    evidence.push('/ping answered 404: this does not look like an InfluxDB server (or a path prefix is missing)');
    return result(null, 'none');
  }
  const host = hostOf(ping.url);
  if (host !== null && /(^|\.)cloud2\.influxdata\.com$/i.test(host)) {
    evidence.push(`host ${host} is an InfluxDB Cloud Serverless region`);
    return result('serverless', 'low');
  }
  if (host !== null && /\.influxdb\.io$/i.test(host)) {
    evidence.push(`host ${host} is an InfluxDB Cloud Dedicated cluster address`);
    return result('cloud-dedicated', 'low');
  }
  evidence.push(`/ping answered ${ping.status} without version or build headers`);
  return result(null, 'none');
}

/**
 * Whether the configured flavor agrees with a detection. Cloud Dedicated and Clustered share one
 * build string, so either matches the other.
 */
export function flavorAgrees(configured: ServerFlavor, detection: FlavorDetection): boolean {
  if (detection.flavor === null) return true;
  const cloud = (f: ServerFlavor): boolean => f === 'cloud-dedicated' || f === 'clustered';
  return configured === detection.flavor || (cloud(configured) && cloud(detection.flavor));
}

function parseObject(text: string): Record<string, unknown> | null {
  const t = text.trim();
  if (!t.startsWith('{')) return null;
  try {
    const v = JSON.parse(t) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function hostOf(url: string | undefined): string | null {
  if (url === undefined) return null;
  try {
    return new URL(url).hostname;
  } catch {
    return null;
  }
}

/** {@link detectFlavor} from a `/ping` exchange (no response: nothing to detect from). */
export function detectFlavorFromExchange(x: HttpExchange): FlavorDetection {
  return detectFlavor({
    status: x.response?.status ?? null,
    headers: x.response?.headers ?? [],
    body: x.response?.body ?? '',
    url: x.request.url,
  });
}
