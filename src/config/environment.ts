import { Transform } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { MAX_DOCUMENTED_QPS } from './vod-regions';

const toInt = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;

const toFloat = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))
    ? Number(value)
    : value;

const HOST_PORT_LIST = /^[A-Za-z0-9.-]+:\d{1,5}(,[A-Za-z0-9.-]+:\d{1,5})*$/;

const URL_OPTIONS = { require_tld: false, require_protocol: true, protocols: ['http', 'https'] };

/**
 * Every environment variable the service reads. Validated once at start; a bad value stops the
 * process with one line naming the variable (see `validateEnvironment`).
 */
export class Environment {
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(65535) PORT = 3000;
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(65535) METRICS_PORT = 9464;
  @IsOptional() @IsString() HOST = '0.0.0.0';

  @IsOptional()
  @Matches(/^rediss?:\/\/\S+$/, { message: 'must be a redis:// or rediss:// URL' })
  REDIS_URL?: string;

  @IsOptional()
  @Matches(HOST_PORT_LIST, { message: 'must be a comma-separated list of host:port' })
  REDIS_SENTINELS?: string;
  @IsOptional() @IsString() @MinLength(1) REDIS_SENTINEL_NAME = 'mymaster';
  @IsOptional()
  @Matches(HOST_PORT_LIST, { message: 'must be a comma-separated list of host:port' })
  REDIS_CLUSTER_NODES?: string;
  @IsOptional() @IsString() @MinLength(1) REDIS_PASSWORD?: string;
  @IsOptional() @IsIn(['true', 'false']) REDIS_TLS = 'false';

  @IsOptional() @IsString() @MinLength(1) @MaxLength(128) ALIBABA_CLOUD_ACCESS_KEY_ID?: string;
  @IsOptional() @IsString() @MinLength(1) @MaxLength(256) ALIBABA_CLOUD_ACCESS_KEY_SECRET?: string;
  @IsOptional() @IsString() @MinLength(1) ALIBABA_CLOUD_SECURITY_TOKEN?: string;

  @IsOptional()
  @Matches(/^[a-z]{2}(-[a-z0-9]+)+$/, { message: 'must be a region id such as cn-shanghai' })
  VOD_REGION = 'cn-shanghai';

  @IsOptional()
  @IsUrl(URL_OPTIONS, { message: 'must be an http(s) base URL' })
  VOD_ENDPOINT?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'must be a whole number of calls per second' })
  @Min(1)
  @Max(MAX_DOCUMENTED_QPS, {
    message: `must not exceed ${MAX_DOCUMENTED_QPS}, the highest limit Alibaba has documented`,
  })
  VOD_QPS_LIMIT?: number;

  @IsOptional() @Transform(toInt) @IsInt() @Min(100) @Max(60000) VOD_TIMEOUT_MS = 3000;
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(30000) VOD_MAX_WAIT_MS = 1000;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(5) VOD_MAX_ATTEMPTS = 3;
  @IsOptional() @Transform(toInt) @IsInt() @Min(500) @Max(120000) REQUEST_DEADLINE_MS = 8000;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(10000) VOD_MAX_WAITERS = 1000;
  @IsOptional() @Transform(toFloat) @Min(0.005) @Max(0.2) VOD_BUDGET_MARGIN = 0.015;
  @IsOptional() @IsIn(['local', 'deny']) VOD_BUDGET_ON_REDIS_ERROR: 'local' | 'deny' = 'local';
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(1000) VOD_BUDGET_REPLICAS = 2;
  @IsOptional()
  @Matches(/^[A-Za-z0-9_.-]{1,64}$/, { message: 'must be 1-64 letters, digits, ".", "_" or "-"' })
  VOD_BUDGET_NAME = 'default';

  @IsOptional() @IsUrl(URL_OPTIONS, { message: 'must be an http(s) URL' }) AUTH_JWKS_URL?: string;
  @IsOptional()
  @Matches(/-----BEGIN PUBLIC KEY-----/, { message: 'must be a PEM public key (SPKI)' })
  AUTH_JWT_PUBLIC_KEY?: string;
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'must be at least 32 characters (HS256 needs a 256-bit secret)' })
  AUTH_JWT_SECRET?: string;
  @IsOptional() @IsString() @MinLength(1) AUTH_ISSUER?: string;
  @IsOptional() @IsString() @MinLength(1) AUTH_AUDIENCE?: string;
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(300) AUTH_CLOCK_TOLERANCE_S = 30;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1000) @Max(600000) AUTH_JWKS_COOLDOWN_MS = 5000;

  @IsOptional() @IsString() CORS_ORIGINS = '';

  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(100000) CALLER_RATE_LIMIT = 20;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(86400) CALLER_RATE_WINDOW_S = 60;

  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(600000) CREDENTIAL_CACHE_TTL_MS = 15000;
  @IsOptional()
  @Matches(/^[A-Za-z0-9+/]{43}=$/, {
    message: 'must be 32 random bytes in base64 (openssl rand -base64 32)',
  })
  CACHE_ENCRYPTION_KEY?: string;

  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(120000) SHUTDOWN_DRAIN_MS = 5000;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1000) @Max(300000) SHUTDOWN_TIMEOUT_MS = 20000;

  @IsOptional() @IsIn(['development', 'production', 'test']) NODE_ENV = 'production';
  @IsOptional() @IsIn(['fatal', 'error', 'warn', 'log', 'debug', 'verbose']) LOG_LEVEL = 'log';
}
