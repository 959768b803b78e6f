import { ConfigError, loadConfig } from './load-config';

const MINIMAL = { AUTH_JWT_SECRET: 'x'.repeat(32) };

function errorOf(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      return error.message;
    }
    throw error;
  }
  throw new Error('the configuration was accepted');
}

describe('loadConfig', () => {
  it('fills every default from an environment that only names a token key', () => {
    const config = loadConfig(MINIMAL);

    expect(config.http).toMatchObject({ port: 3000, metricsPort: 9464, corsOrigins: [] });
    expect(config.vod).toMatchObject({
      region: 'cn-shanghai',
      endpoint: 'https://vod.cn-shanghai.aliyuncs.com',
      credentials: undefined,
    });
    expect(config.budget.qpsLimit).toBe(80);
    expect(config.redis.topology).toEqual({ kind: 'none' });
  });

  it('defaults the budget to 40 calls per second outside the four 80-per-second regions', () => {
    expect(loadConfig({ ...MINIMAL, VOD_REGION: 'eu-central-1' }).budget.qpsLimit).toBe(40);
    expect(loadConfig({ ...MINIMAL, VOD_REGION: 'ap-southeast-1' }).budget.qpsLimit).toBe(80);
  });

  it('refuses a budget above the 120 calls per second Alibaba ever documented', () => {
    expect(errorOf({ ...MINIMAL, VOD_QPS_LIMIT: '121' })).toMatch(/^VOD_QPS_LIMIT: .*120/);
  });

  it('refuses a port that is not a number, naming the variable', () => {
    expect(errorOf({ ...MINIMAL, PORT: 'eighty' })).toMatch(/^PORT: /);
  });

  it('uses VOD_ENDPOINT instead of the regional endpoint, without a trailing slash', () => {
    expect(loadConfig({ ...MINIMAL, VOD_ENDPOINT: 'http://127.0.0.1:18080/' }).vod.endpoint).toBe(
      'http://127.0.0.1:18080',
    );
  });

  it('needs exactly one way to verify tokens', () => {
    expect(errorOf({})).toMatch(/exactly one/);
    expect(errorOf({ ...MINIMAL, AUTH_JWKS_URL: 'https://id.example.com/jwks.json' })).toMatch(
      /exactly one/,
    );
  });

  it('refuses a short HS256 secret', () => {
    expect(errorOf({ AUTH_JWT_SECRET: 'short' })).toMatch(/^AUTH_JWT_SECRET: /);
  });

  it('refuses an AccessKey id without its secret and never echoes a value', () => {
    const message = errorOf({ ...MINIMAL, ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAIsecretish' });

    expect(message).toMatch(/^ALIBABA_CLOUD_ACCESS_KEY_SECRET: /);
    expect(message).not.toContain('LTAIsecretish');
  });

  it('keeps an STS token beside the AccessKey', () => {
    const config = loadConfig({
      ...MINIMAL,
      ALIBABA_CLOUD_ACCESS_KEY_ID: 'STS.id',
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'secret',
      ALIBABA_CLOUD_SECURITY_TOKEN: 'token',
    });

    expect(config.vod.credentials).toEqual({
      accessKeyId: 'STS.id',
      accessKeySecret: 'secret',
      securityToken: 'token',
    });
  });

  it('refuses a CORS entry that is not a bare origin', () => {
    expect(errorOf({ ...MINIMAL, CORS_ORIGINS: 'https://app.example.com/path' })).toMatch(
      /^CORS_ORIGINS: /,
    );
    expect(
      loadConfig({ ...MINIMAL, CORS_ORIGINS: 'https://a.example.com, http://localhost:5173' }).http
        .corsOrigins,
    ).toEqual(['https://a.example.com', 'http://localhost:5173']);
  });

  it('refuses a REDIS_URL of another scheme', () => {
    expect(errorOf({ ...MINIMAL, REDIS_URL: 'http://localhost:6379' })).toMatch(/^REDIS_URL: /);
  });

  it('reads a Sentinel or a Cluster topology, and refuses two at once', () => {
    expect(
      loadConfig({ ...MINIMAL, REDIS_SENTINELS: 's1:26379,s2:26379', REDIS_SENTINEL_NAME: 'vod' })
        .redis.topology,
    ).toEqual({
      kind: 'sentinel',
      masterName: 'vod',
      sentinels: [
        { host: 's1', port: 26379 },
        { host: 's2', port: 26379 },
      ],
    });
    expect(loadConfig({ ...MINIMAL, REDIS_CLUSTER_NODES: '10.0.0.1:6379' }).redis.topology).toEqual(
      { kind: 'cluster', nodes: [{ host: '10.0.0.1', port: 6379 }] },
    );
    expect(
      errorOf({ ...MINIMAL, REDIS_URL: 'redis://r:6379', REDIS_CLUSTER_NODES: 'r:6379' }),
    ).toMatch(/at most one/);
    expect(errorOf({ ...MINIMAL, REDIS_CLUSTER_NODES: 'no-port' })).toMatch(
      /^REDIS_CLUSTER_NODES: /,
    );
  });

  it('refuses a cache encryption key that is not 32 bytes of base64', () => {
    expect(errorOf({ ...MINIMAL, CACHE_ENCRYPTION_KEY: 'c2hvcnQ=' })).toMatch(
      /^CACHE_ENCRYPTION_KEY: /,
    );
  });
});
