import { Injectable, Logger } from '@nestjs/common';
import {
  createRemoteJWKSet,
  errors,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
  type KeyLike,
} from 'jose';
import { createPublicKey, type KeyObject } from 'node:crypto';
import { AuthConfig, type JwtKeySource } from '../config/app-config';
import { UnauthenticatedError, type TokenFailure } from './auth.errors';
import { AuthMetrics } from './auth.metrics';
import { type Principal } from './principal';

const RSA_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'];
const ASYMMETRIC_ALGORITHMS = [...RSA_ALGORITHMS, 'ES256', 'ES384', 'ES512', 'EdDSA'];
const EC_ALGORITHM_BY_CURVE: Readonly<Record<string, string>> = {
  prime256v1: 'ES256',
  secp384r1: 'ES384',
  secp521r1: 'ES512',
};
const MAX_SUBJECT_LENGTH = 256;
const MAX_VIDEO_IDS = 1000;

interface Verification {
  readonly key: KeyLike | Uint8Array | JWTVerifyGetKey;
  /** Only the algorithms the key's own type can verify: never `none`, never HMAC with a public key. */
  readonly algorithms: string[];
}

/**
 * Verifies a caller's JWT with jose against the one configured key source (JWKS URL, PEM public
 * key, or HS256 secret) and turns its claims into a Principal.
 */
@Injectable()
export class JwtVerifier {
  private readonly logger = new Logger(JwtVerifier.name);
  private readonly verification: Verification;

  constructor(
    private readonly config: AuthConfig,
    private readonly metrics: AuthMetrics,
  ) {
    this.verification = verificationFor(config.keySource);
  }

  /** @throws UnauthenticatedError, whose `failure` says why (for logs and metrics). */
  async verify(token: string): Promise<Principal> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.verification.key as KeyLike, {
        algorithms: this.verification.algorithms,
        issuer: this.config.issuer,
        audience: this.config.audience,
        clockTolerance: this.config.clockToleranceS,
        requiredClaims: ['exp', 'sub'],
      }));
    } catch (error) {
      const failure = this.failureOf(error);
      this.metrics.record(failure);
      throw new UnauthenticatedError(failure);
    }
    const principal = principalOf(payload);
    if (principal === undefined) {
      this.metrics.record('bad_claims');
      throw new UnauthenticatedError('bad_claims');
    }
    this.metrics.record('ok');
    return principal;
  }

  private failureOf(error: unknown): TokenFailure {
    if (error instanceof errors.JWTExpired) {
      return 'expired';
    }
    if (error instanceof errors.JWTClaimValidationFailed) {
      return error.claim === 'nbf' ? 'not_yet_valid' : 'bad_claims';
    }
    if (
      error instanceof errors.JWSSignatureVerificationFailed ||
      error instanceof errors.JWKSNoMatchingKey ||
      error instanceof errors.JWKSMultipleMatchingKeys
    ) {
      return 'bad_signature';
    }
    if (
      error instanceof errors.JWSInvalid ||
      error instanceof errors.JWTInvalid ||
      error instanceof errors.JOSEAlgNotAllowed ||
      error instanceof errors.JOSENotSupported
    ) {
      return 'malformed';
    }
    // Anything else comes from fetching the JWKS: a timeout, a network error, or a bad document.
    this.logger.warn(`JWKS unavailable: ${describeError(error)}`);
    return 'jwks_unavailable';
  }
}

function verificationFor(source: JwtKeySource): Verification {
  switch (source.kind) {
    case 'jwks':
      return {
        key: createRemoteJWKSet(new URL(source.url), {
          // How soon an unknown `kid` (a rotated key) may trigger a refetch.
          cooldownDuration: source.cooldownMs,
          cacheMaxAge: 10 * 60_000,
          timeoutDuration: 2_000,
        }),
        algorithms: ASYMMETRIC_ALGORITHMS,
      };
    case 'public-key': {
      const key = createPublicKey(source.pem);
      return { key, algorithms: algorithmsForPublicKey(key) };
    }
    case 'shared-secret':
      return { key: new TextEncoder().encode(source.secret), algorithms: ['HS256'] };
  }
}

function algorithmsForPublicKey(key: KeyObject): string[] {
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return RSA_ALGORITHMS;
    case 'rsa-pss':
      return ['PS256', 'PS384', 'PS512'];
    case 'ec': {
      const algorithm = EC_ALGORITHM_BY_CURVE[key.asymmetricKeyDetails?.namedCurve ?? ''];
      if (algorithm !== undefined) {
        return [algorithm];
      }
      break;
    }
    case 'ed25519':
      return ['EdDSA'];
    case 'ed448':
    case 'dsa':
    case 'x25519':
    case 'x448':
    case undefined:
      break;
  }
  throw new Error(
    `AUTH_JWT_PUBLIC_KEY: unsupported key type ${key.asymmetricKeyType ?? 'unknown'}`,
  );
}

/** The caller, or undefined when `sub` is unusable. A malformed video list grants nothing. */
function principalOf(payload: JWTPayload): Principal | undefined {
  const { sub, iss } = payload;
  if (typeof sub !== 'string' || sub.length === 0 || sub.length > MAX_SUBJECT_LENGTH) {
    return undefined;
  }
  const claim = payload.vod_video_ids;
  const videoIds =
    Array.isArray(claim) &&
    claim.length <= MAX_VIDEO_IDS &&
    claim.every((id): id is string => typeof id === 'string')
      ? claim
      : [];
  return { subject: sub, issuer: typeof iss === 'string' ? iss : undefined, videoIds };
}

/** Name and message of anything thrown (fetch errors may come from another realm). */
function describeError(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const { name, message } = error as { name?: unknown; message?: unknown };
    return `${typeof name === 'string' ? name : 'Error'}: ${typeof message === 'string' ? message : ''}`;
  }
  return String(error);
}
