/**
 * The typed configuration, one class per capability. Each class is also its own DI token, so a
 * capability injects exactly the settings it uses (`constructor(private readonly vod: VodConfig)`).
 */
export class HttpConfig {
  constructor(
    readonly host: string,
    readonly port: number,
    readonly metricsPort: number,
    readonly corsOrigins: readonly string[],
    readonly production: boolean,
    readonly logLevel: string,
    /** On SIGTERM: how long readiness fails before the listener closes. */
    readonly shutdownDrainMs: number,
    /** Then: how long in-flight requests may take before the process gives up on them. */
    readonly shutdownTimeoutMs: number,
  ) {}
}

export interface StaticCredentials {
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  /** Present when the keys are temporary STS credentials. */
  readonly securityToken?: string;
}

export class VodConfig {
  constructor(
    readonly region: string,
    readonly endpoint: string,
    readonly timeoutMs: number,
    readonly maxAttempts: number,
    readonly requestDeadlineMs: number,
    readonly credentials: StaticCredentials | undefined,
  ) {}
}

export class BudgetConfig {
  constructor(
    /** Calls per second the whole account may make to RefreshUploadVideo. */
    readonly qpsLimit: number,
    /** How long a request may wait for a slot before it is refused with 429. */
    readonly maxWaitMs: number,
    /** Local waiters allowed at once; beyond that a request is refused at once. */
    readonly maxWaiters: number,
    /** Fraction of the limit kept free for timer lateness and network jitter. */
    readonly margin: number,
    /** While Redis is unreachable: run on a local share of the budget, or refuse (503). */
    readonly onRedisError: 'local' | 'deny',
    /** Replicas assumed when none has been seen in Redis yet (sizes the local share). */
    readonly replicasHint: number,
    /** Names the shared schedule; replicas calling VOD for one account must share it. */
    readonly name: string,
  ) {}
}

export type JwtKeySource =
  | { readonly kind: 'jwks'; readonly url: string; readonly cooldownMs: number }
  | { readonly kind: 'public-key'; readonly pem: string }
  | { readonly kind: 'shared-secret'; readonly secret: string };

export class AuthConfig {
  constructor(
    readonly keySource: JwtKeySource,
    readonly issuer: string | undefined,
    readonly audience: string | undefined,
    readonly clockToleranceS: number,
  ) {}
}

export interface RedisNode {
  readonly host: string;
  readonly port: number;
}

export type RedisTopology =
  | { readonly kind: 'none' }
  | { readonly kind: 'standalone'; readonly url: string }
  | { readonly kind: 'sentinel'; readonly sentinels: RedisNode[]; readonly masterName: string }
  | { readonly kind: 'cluster'; readonly nodes: RedisNode[] };

export class RedisConfig {
  constructor(
    readonly topology: RedisTopology,
    /** For Sentinel and Cluster (a standalone URL carries its own). */
    readonly password: string | undefined,
    readonly tls: boolean,
  ) {}
}

export class CallerThrottleConfig {
  constructor(
    /** Refreshes one caller (`sub`) may ask for per window; beyond, 429 until the window ends. */
    readonly limit: number,
    readonly windowMs: number,
  ) {}
}

export class CacheConfig {
  constructor(
    /** How long an issued credential is handed again to repeats (0: never). */
    readonly credentialTtlMs: number,
    /** AES-256-GCM key for credentials kept in Redis; without it, none is written there. */
    readonly encryptionKey: Buffer | undefined,
  ) {}
}
