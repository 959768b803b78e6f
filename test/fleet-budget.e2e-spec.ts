import { UPSTREAM_BUDGET, type UpstreamBudget } from '../src/rate-limit/upstream-budget';
import { RedisCluster } from './support/redis-cluster';
import { RedisServer } from './support/redis-server';
import { openLoopLoad } from './support/load';
import {
  startService,
  startUpstream,
  videoId,
  type TestService,
  type TestUpstream,
} from './support/service';

const BUDGET = 40;
const REPLICAS = 3;
const VIDEOS = Array.from({ length: 50 }, (_, n) => videoId(n + 1));

/** Replicas sharing one upstream, on the given Redis settings, measuring the budget alone. */
async function startReplicas(
  upstream: TestUpstream,
  redisEnv: Record<string, string>,
): Promise<TestService[]> {
  const replicas: TestService[] = [];
  for (let i = 0; i < REPLICAS; i += 1) {
    replicas.push(
      await startService({
        upstream,
        listen: true,
        env: {
          ...redisEnv,
          VOD_QPS_LIMIT: String(BUDGET),
          VOD_MAX_WAIT_MS: '500',
          VOD_BUDGET_REPLICAS: String(REPLICAS),
          // One test user and no credential cache: every request is a call to budget for.
          CALLER_RATE_LIMIT: '100000',
          CREDENTIAL_CACHE_TTL_MS: '0',
        },
      }),
    );
  }
  return replicas;
}

/** POST one refresh for the n-th video to a replica; resolves to the status. */
function refresher(token: string): (url: string, n: number) => Promise<number> {
  return async (url, n) => {
    const response = await fetch(`${url}/uploads/${VIDEOS[n % VIDEOS.length]}/refresh`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    await response.arrayBuffer();
    return response.status;
  };
}

/**
 * Several replicas, one real Redis, one emulated VOD that throttles past the same budget: under
 * overload the emulator must never count more than the budget in any sliding second, nor answer
 * Throttling, while the fleet still uses most of the budget.
 */
describe('the shared budget across replicas', () => {
  let redis: RedisServer;
  let upstream: TestUpstream;
  let replicas: TestService[];
  let token: string;

  beforeAll(async () => {
    redis = await RedisServer.start();
    upstream = await startUpstream({ qpsLimit: BUDGET });
    VIDEOS.forEach((id) => upstream.emulator.addVideo(id));
    replicas = await startReplicas(upstream, { REDIS_URL: redis.url });
    token = await replicas[0]!.token(VIDEOS);
  });

  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.close()));
    await upstream.emulator.stop();
    await redis.stop();
  });

  const refresh = (url: string, n: number): Promise<number> => refresher(token)(url, n);

  it('holds the budget at three times the load and still uses most of it', async () => {
    upstream.emulator.resetStats();

    const result = await openLoopLoad(
      replicas.map((replica) => replica.url!),
      BUDGET * 3,
      4,
      refresh,
    );

    const stats = upstream.emulator.stats();
    expect(stats.maxInAnySecond).toBeLessThanOrEqual(BUDGET);
    expect(stats.answers['Throttling.User']).toBeUndefined();
    expect(Object.keys(result.statuses).sort()).toEqual(['200', '429']);
    // 4 s at the budget would be 160 calls; the first fraction of a second warms up.
    expect(stats.accepted).toBeGreaterThanOrEqual(BUDGET * 4 * 0.85);
  });

  it('holds the budget while Redis is killed and restarted empty mid-run', async () => {
    upstream.emulator.resetStats();

    const load = openLoopLoad(
      replicas.map((replica) => replica.url!),
      BUDGET * 2,
      6,
      refresh,
    );
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await redis.kill();
    await new Promise((resolve) => setTimeout(resolve, 2000));
    await redis.launch();
    const result = await load;

    const stats = upstream.emulator.stats();
    expect(stats.maxInAnySecond).toBeLessThanOrEqual(BUDGET);
    expect(stats.answers['Throttling.User']).toBeUndefined();
    expect(result.statuses[500]).toBeUndefined();
    expect(result.statuses[0]).toBeUndefined();
    expect(stats.accepted).toBeGreaterThanOrEqual(BUDGET * 6 * 0.6);
  });

  it('holds the budget through a Redis stall (SIGSTOP) and returns to the shared schedule', async () => {
    upstream.emulator.resetStats();

    const load = openLoopLoad(
      replicas.map((replica) => replica.url!),
      BUDGET * 2,
      5,
      refresh,
    );
    await new Promise((resolve) => setTimeout(resolve, 1000));
    redis.signal('SIGSTOP');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    redis.signal('SIGCONT');
    const result = await load;
    await new Promise((resolve) => setTimeout(resolve, 1000));

    const stats = upstream.emulator.stats();
    expect(stats.maxInAnySecond).toBeLessThanOrEqual(BUDGET);
    expect(stats.answers['Throttling.User']).toBeUndefined();
    expect(result.statuses[500]).toBeUndefined();
    expect(
      replicas.map((replica) => replica.app.get<symbol, UpstreamBudget>(UPSTREAM_BUDGET).mode()),
    ).toEqual(Array(REPLICAS).fill('shared'));
  });
});

describe('the shared budget across replicas on a Redis Cluster', () => {
  let cluster: RedisCluster;
  let upstream: TestUpstream;
  let replicas: TestService[];

  beforeAll(async () => {
    cluster = await RedisCluster.start();
    upstream = await startUpstream({ qpsLimit: BUDGET });
    VIDEOS.forEach((id) => upstream.emulator.addVideo(id));
    replicas = await startReplicas(upstream, { REDIS_CLUSTER_NODES: cluster.nodes });
  });

  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.close()));
    await upstream.emulator.stop();
    await cluster.stop();
  });

  it('holds the budget at three times the load', async () => {
    const token = await replicas[0]!.token(VIDEOS);
    const refreshOn = refresher(token);

    const result = await openLoopLoad(
      replicas.map((replica) => replica.url!),
      BUDGET * 3,
      3,
      refreshOn,
    );

    const stats = upstream.emulator.stats();
    expect(stats.maxInAnySecond).toBeLessThanOrEqual(BUDGET);
    expect(stats.answers['Throttling.User']).toBeUndefined();
    expect(Object.keys(result.statuses).sort()).toEqual(['200', '429']);
    expect(stats.accepted).toBeGreaterThanOrEqual(BUDGET * 3 * 0.8);
    expect(
      replicas.map((replica) => replica.app.get<symbol, UpstreamBudget>(UPSTREAM_BUDGET).mode()),
    ).toEqual(Array(REPLICAS).fill('shared'));
  });
});
