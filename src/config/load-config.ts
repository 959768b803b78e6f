import { plainToInstance } from 'class-transformer';
import { createPublicKey } from 'node:crypto';
import { validateSync, type ValidationError } from 'class-validator';
import {
  AuthConfig,
  BudgetConfig,
  CacheConfig,
  CallerThrottleConfig,
  HttpConfig,
  RedisConfig,
  VodConfig,
  type JwtKeySource,
  type RedisNode,
  type RedisTopology,
} from './app-config';
import { Environment } from './environment';
import { defaultVodEndpoint, documentedQpsLimit } from './vod-regions';

/** A configuration the service refuses to start with. The message is one line for the operator. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export interface LoadedConfig {
  readonly http: HttpConfig;
  readonly vod: VodConfig;
  readonly budget: BudgetConfig;
  readonly auth: AuthConfig;
  readonly redis: RedisConfig;
  readonly callerThrottle: CallerThrottleConfig;
  readonly cache: CacheConfig;
}

type RawEnvironment = Readonly<Record<string, string | undefined>>;

/**
 * Validates the environment and builds the typed configuration.
 * @throws ConfigError naming the first bad variable and what it expects.
 */
export function loadConfig(raw: RawEnvironment): LoadedConfig {
  const env = validateEnvironment(raw);
  return {
    http: new HttpConfig(
      env.HOST,
      env.PORT,
      env.METRICS_PORT,
      parseCorsOrigins(env.CORS_ORIGINS),
      env.NODE_ENV === 'production',
      env.LOG_LEVEL,
      env.SHUTDOWN_DRAIN_MS,
      env.SHUTDOWN_TIMEOUT_MS,
    ),
    vod: new VodConfig(
      env.VOD_REGION,
      (env.VOD_ENDPOINT ?? defaultVodEndpoint(env.VOD_REGION)).replace(/\/+$/, ''),
      env.VOD_TIMEOUT_MS,
      env.VOD_MAX_ATTEMPTS,
      env.REQUEST_DEADLINE_MS,
      readCredentials(env),
    ),
    budget: new BudgetConfig(
      env.VOD_QPS_LIMIT ?? documentedQpsLimit(env.VOD_REGION),
      env.VOD_MAX_WAIT_MS,
      env.VOD_MAX_WAITERS,
      env.VOD_BUDGET_MARGIN,
      env.VOD_BUDGET_ON_REDIS_ERROR,
      env.VOD_BUDGET_REPLICAS,
      env.VOD_BUDGET_NAME,
    ),
    auth: new AuthConfig(
      readKeySource(env),
      env.AUTH_ISSUER,
      env.AUTH_AUDIENCE,
      env.AUTH_CLOCK_TOLERANCE_S,
    ),
    redis: new RedisConfig(readRedisTopology(env), env.REDIS_PASSWORD, env.REDIS_TLS === 'true'),
    callerThrottle: new CallerThrottleConfig(
      env.CALLER_RATE_LIMIT,
      env.CALLER_RATE_WINDOW_S * 1000,
    ),
    cache: new CacheConfig(
      env.CREDENTIAL_CACHE_TTL_MS,
      env.CACHE_ENCRYPTION_KEY === undefined
        ? undefined
        : Buffer.from(env.CACHE_ENCRYPTION_KEY, 'base64'),
    ),
  };
}

function validateEnvironment(raw: RawEnvironment): Environment {
  const known = Object.fromEntries(
    Object.keys(new Environment())
      .concat(OPTIONAL_KEYS)
      .filter((key) => raw[key] !== undefined && raw[key] !== '')
      .map((key) => [key, raw[key]]),
  );
  const env = plainToInstance(Environment, known);
  const errors = validateSync(env, { forbidUnknownValues: true });
  const first = errors[0];
  if (first) {
    throw new ConfigError(describe(first));
  }
  return env;
}

/** Optional variables have no initializer, so `Object.keys(new Environment())` misses them. */
const OPTIONAL_KEYS = [
  'REDIS_URL',
  'REDIS_SENTINELS',
  'REDIS_CLUSTER_NODES',
  'REDIS_PASSWORD',
  'ALIBABA_CLOUD_ACCESS_KEY_ID',
  'ALIBABA_CLOUD_ACCESS_KEY_SECRET',
  'ALIBABA_CLOUD_SECURITY_TOKEN',
  'VOD_ENDPOINT',
  'VOD_QPS_LIMIT',
  'AUTH_JWKS_URL',
  'AUTH_JWT_PUBLIC_KEY',
  'AUTH_JWT_SECRET',
  'AUTH_ISSUER',
  'AUTH_AUDIENCE',
  'CACHE_ENCRYPTION_KEY',
];

function describe(error: ValidationError): string {
  const reasons = Object.values(error.constraints ?? {}).join('; ');
  // Never echo the value: it may be a secret.
  return `${error.property}: ${reasons}`;
}

function parseCorsOrigins(list: string): string[] {
  const origins = list
    .split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin !== '');
  for (const origin of origins) {
    if (!/^https?:\/\/[^/\s]+$/.test(origin)) {
      throw new ConfigError(
        `CORS_ORIGINS: "${origin}" must be an origin such as https://app.example.com (scheme and host, no path)`,
      );
    }
  }
  return origins;
}

function readCredentials(env: Environment): VodConfig['credentials'] {
  const id = env.ALIBABA_CLOUD_ACCESS_KEY_ID;
  const secret = env.ALIBABA_CLOUD_ACCESS_KEY_SECRET;
  if (id === undefined && secret === undefined) {
    if (env.ALIBABA_CLOUD_SECURITY_TOKEN !== undefined) {
      throw new ConfigError(
        'ALIBABA_CLOUD_SECURITY_TOKEN: needs ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET beside it',
      );
    }
    return undefined;
  }
  if (id === undefined || secret === undefined) {
    const missing =
      id === undefined ? 'ALIBABA_CLOUD_ACCESS_KEY_ID' : 'ALIBABA_CLOUD_ACCESS_KEY_SECRET';
    throw new ConfigError(`${missing}: must be set together with its pair`);
  }
  return env.ALIBABA_CLOUD_SECURITY_TOKEN === undefined
    ? { accessKeyId: id, accessKeySecret: secret }
    : { accessKeyId: id, accessKeySecret: secret, securityToken: env.ALIBABA_CLOUD_SECURITY_TOKEN };
}

const SUPPORTED_KEY_TYPES = new Set(['rsa', 'rsa-pss', 'ec', 'ed25519']);

function publicKeyType(pem: string): string | undefined {
  try {
    return createPublicKey(pem).asymmetricKeyType;
  } catch {
    return undefined;
  }
}

function readRedisTopology(env: Environment): RedisTopology {
  const chosen = [env.REDIS_URL, env.REDIS_SENTINELS, env.REDIS_CLUSTER_NODES].filter(
    (value) => value !== undefined,
  );
  if (chosen.length > 1) {
    throw new ConfigError(
      'REDIS_URL, REDIS_SENTINELS, REDIS_CLUSTER_NODES: set at most one of them',
    );
  }
  if (env.REDIS_URL !== undefined) {
    return { kind: 'standalone', url: env.REDIS_URL };
  }
  if (env.REDIS_SENTINELS !== undefined) {
    return {
      kind: 'sentinel',
      sentinels: parseNodes(env.REDIS_SENTINELS),
      masterName: env.REDIS_SENTINEL_NAME,
    };
  }
  if (env.REDIS_CLUSTER_NODES !== undefined) {
    return { kind: 'cluster', nodes: parseNodes(env.REDIS_CLUSTER_NODES) };
  }
  return { kind: 'none' };
}

function parseNodes(list: string): RedisNode[] {
  return list.split(',').map((node) => {
    const at = node.lastIndexOf(':');
    return { host: node.slice(0, at), port: Number(node.slice(at + 1)) };
  });
}

function readKeySource(env: Environment): JwtKeySource {
  const sources: JwtKeySource[] = [];
  if (env.AUTH_JWKS_URL !== undefined) {
    sources.push({ kind: 'jwks', url: env.AUTH_JWKS_URL, cooldownMs: env.AUTH_JWKS_COOLDOWN_MS });
  }
  if (env.AUTH_JWT_PUBLIC_KEY !== undefined) {
    const pem = env.AUTH_JWT_PUBLIC_KEY.replace(/\\n/g, '\n');
    const type = publicKeyType(pem);
    if (type === undefined || !SUPPORTED_KEY_TYPES.has(type)) {
      throw new ConfigError(
        'AUTH_JWT_PUBLIC_KEY: must be an RSA, EC (P-256/384/521) or Ed25519 public key in PEM',
      );
    }
    sources.push({ kind: 'public-key', pem });
  }
  if (env.AUTH_JWT_SECRET !== undefined) {
    sources.push({ kind: 'shared-secret', secret: env.AUTH_JWT_SECRET });
  }
  const [only, ...rest] = sources;
  if (only === undefined || rest.length > 0) {
    throw new ConfigError(
      'AUTH_JWKS_URL, AUTH_JWT_PUBLIC_KEY, AUTH_JWT_SECRET: exactly one must be set to verify caller tokens',
    );
  }
  return only;
}
