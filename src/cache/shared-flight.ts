import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { CACHE_STORE, type CacheStore } from './cache-store';
import { CacheMetrics } from './cache.metrics';
import { CredentialCache, type CachedCredential } from './credential-cache';

/** A claim on "I am calling VOD for this video" lasts at most this long. */
const FLIGHT_CLAIM_MS = 5_000;
const POLL_MS = 20;
const MAX_JOIN_WAIT_MS = 3_000;

/**
 * Makes concurrent refreshes of one video share a single call to VOD: within this replica by
 * joining the pending promise; across replicas, when credentials are cached in Redis, by a short
 * claim in Redis: the replica holding it calls VOD and caches the answer, the others wait for
 * that answer to appear in the cache (or for the claim to vanish, and then call themselves).
 */
@Injectable()
export class SharedFlight {
  private readonly pending = new Map<string, Promise<CachedCredential>>();

  constructor(
    private readonly cache: CredentialCache,
    @Inject(CACHE_STORE) private readonly store: CacheStore,
    private readonly clock: Clock,
    private readonly metrics: CacheMetrics,
  ) {}

  run(
    videoId: string,
    deadline: number,
    call: () => Promise<CachedCredential>,
  ): Promise<CachedCredential> {
    // CREDENTIAL_CACHE_TTL_MS=0 means every refresh gets its own credential from VOD.
    if (!this.cache.enabled) {
      return call();
    }
    const joined = this.pending.get(videoId);
    if (joined !== undefined) {
      this.metrics.flightJoins.inc({ scope: 'local' });
      return joined;
    }
    const flight = this.fly(videoId, deadline, call).finally(() => this.pending.delete(videoId));
    this.pending.set(videoId, flight);
    return flight;
  }

  private async fly(
    videoId: string,
    deadline: number,
    call: () => Promise<CachedCredential>,
  ): Promise<CachedCredential> {
    if (!this.cache.shared) {
      return this.callAndCache(call);
    }
    const claim = `flight:${videoId}`;
    if (await this.store.claim(claim, FLIGHT_CLAIM_MS).catch(() => true)) {
      try {
        return await this.callAndCache(call);
      } finally {
        await this.store.delete(claim).catch(() => undefined);
      }
    }
    const until = Math.min(deadline, this.clock.now() + MAX_JOIN_WAIT_MS);
    while (this.clock.now() < until) {
      await this.clock.sleep(POLL_MS);
      const cached = await this.cache.get(videoId);
      if (cached !== undefined) {
        this.metrics.flightJoins.inc({ scope: 'remote' });
        return cached;
      }
      if (!(await this.store.exists(claim).catch(() => false))) {
        break;
      }
    }
    return this.callAndCache(call);
  }

  private async callAndCache(call: () => Promise<CachedCredential>): Promise<CachedCredential> {
    const credential = await call();
    await this.cache.put(credential);
    return credential;
  }
}
