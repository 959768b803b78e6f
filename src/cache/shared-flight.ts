import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { CACHE_STORE, type CacheStore } from './cache-store';
import { CacheMetrics } from './cache.metrics';
import { CredentialCache, type CachedCredential } from './credential-cache';

const POLL_MS = 20;

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
    // The claim lasts as long as the claimant's own deadline: it cannot lapse mid-call.
    const claimMs = Math.max(1, deadline - this.clock.now());
    if (await this.store.claim(claim, claimMs).catch(() => true)) {
      try {
        return await this.callAndCache(call);
      } finally {
        await this.store.delete(claim).catch(() => undefined);
      }
    }
    while (this.clock.now() < deadline) {
      await this.clock.sleep(POLL_MS);
      const claimed = await this.store.exists(claim).catch(() => false);
      // Read the cache after checking the claim: the claimant caches before releasing.
      const cached = await this.cache.get(videoId);
      if (cached !== undefined) {
        this.metrics.flightJoins.inc({ scope: 'remote' });
        return cached;
      }
      if (!claimed) {
        break; // the claimant failed (its error is not shared): call ourselves
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
