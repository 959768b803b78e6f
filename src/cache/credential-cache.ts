import { Inject, Injectable, Logger } from '@nestjs/common';
import { Clock } from '../common/clock';
import { CacheConfig } from '../config/app-config';
import { CACHE_STORE, type CacheStore } from './cache-store';
import { CacheMetrics } from './cache.metrics';
import { CredentialCipher } from './credential-cipher';
import { MemoryCacheStore } from './memory-cache-store';

/** What is cached of an issued credential: exactly the answer the caller got. */
export interface CachedCredential {
  readonly videoId: string;
  readonly uploadAddress: string;
  readonly uploadAuth: string;
  readonly expiresAt: string;
  readonly requestId: string;
}

/** A cached credential is never handed out closer than this to its expiry. */
const EXPIRY_SAFETY_MS = 10 * 60_000;

/**
 * Issued credentials, kept for a short time so repeats (browser retries, two tabs) get the same
 * answer without another call to VOD. In Redis only when an encryption key is configured, and
 * then sealed with AES-256-GCM; otherwise in this process's memory.
 */
@Injectable()
export class CredentialCache {
  private readonly logger = new Logger(CredentialCache.name);
  private readonly store: CacheStore;
  private readonly cipher: CredentialCipher | undefined;

  constructor(
    private readonly config: CacheConfig,
    @Inject(CACHE_STORE) store: CacheStore,
    private readonly clock: Clock,
    private readonly metrics: CacheMetrics,
  ) {
    const canShare = store.kind === 'redis' && config.encryptionKey !== undefined;
    this.store = store.kind === 'memory' || canShare ? store : new MemoryCacheStore(clock);
    this.cipher = canShare ? new CredentialCipher(config.encryptionKey) : undefined;
  }

  /** True when replicas share cached credentials (so they can share one call to VOD). */
  get shared(): boolean {
    return this.store.kind === 'redis';
  }

  get enabled(): boolean {
    return this.config.credentialTtlMs > 0;
  }

  async get(videoId: string): Promise<CachedCredential | undefined> {
    if (!this.enabled) {
      return undefined;
    }
    const key = `credential:${videoId}`;
    try {
      const raw = await this.store.get(key);
      if (raw === undefined) {
        this.metrics.lookups.inc({ cache: 'credential', result: 'miss' });
        return undefined;
      }
      const credential = JSON.parse(this.cipher?.open(raw, key) ?? raw) as CachedCredential;
      if (Date.parse(credential.expiresAt) - this.clock.now() < EXPIRY_SAFETY_MS) {
        this.metrics.lookups.inc({ cache: 'credential', result: 'miss' });
        return undefined;
      }
      this.metrics.lookups.inc({ cache: 'credential', result: 'hit' });
      return credential;
    } catch (error) {
      this.metrics.lookups.inc({ cache: 'credential', result: 'error' });
      this.logger.warn(`credential cache read failed: ${(error as Error).message}`);
      return undefined;
    }
  }

  async put(credential: CachedCredential): Promise<void> {
    if (!this.enabled) {
      return;
    }
    const key = `credential:${credential.videoId}`;
    const ttlMs = Math.min(
      this.config.credentialTtlMs,
      Date.parse(credential.expiresAt) - this.clock.now() - EXPIRY_SAFETY_MS,
    );
    if (ttlMs <= 0) {
      return;
    }
    const plain = JSON.stringify(credential);
    try {
      await this.store.set(key, this.cipher?.seal(plain, key) ?? plain, ttlMs);
    } catch (error) {
      this.logger.warn(`credential cache write failed: ${(error as Error).message}`);
    }
  }
}
