import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type JWK, type KeyLike } from 'jose';
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { Registry } from 'prom-client';
import { AuthConfig, type JwtKeySource } from '../config/app-config';
import { UnauthenticatedError, type TokenFailure } from './auth.errors';
import { AuthMetrics } from './auth.metrics';
import { JwtVerifier } from './jwt-verifier';

const ISSUER = 'https://id.example.com';
const AUDIENCE = 'vod-upload-refresh';
const VIDEO = 'c6a23a870c8c4ffcd40cbd3813330001';

function verifierFor(keySource: JwtKeySource, clockToleranceS = 5): JwtVerifier {
  return new JwtVerifier(
    new AuthConfig(keySource, ISSUER, AUDIENCE, clockToleranceS),
    new AuthMetrics(new Registry()),
  );
}

function claims(): SignJWT {
  return new SignJWT({ vod_video_ids: [VIDEO] })
    .setSubject('user-1')
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('10m');
}

async function failureOf(promise: Promise<unknown>): Promise<TokenFailure> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof UnauthenticatedError) {
      return error.failure;
    }
    throw error;
  }
  throw new Error('the token was accepted');
}

function b64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

describe(JwtVerifier.name, () => {
  let privateKey: KeyLike;
  let publicPem: string;

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    privateKey = pair.privateKey;
    publicPem = await exportSPKI(pair.publicKey);
  });

  describe('with a PEM public key', () => {
    it('accepts a valid RS256 token and returns the caller and their videos', async () => {
      const token = await claims().setProtectedHeader({ alg: 'RS256' }).sign(privateKey);

      const principal = await verifierFor({ kind: 'public-key', pem: publicPem }).verify(token);

      expect(principal).toEqual({ subject: 'user-1', issuer: ISSUER, videoIds: [VIDEO] });
    });

    it('refuses an expired token', async () => {
      const token = await claims()
        .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
        .setProtectedHeader({ alg: 'RS256' })
        .sign(privateKey);

      expect(
        await failureOf(verifierFor({ kind: 'public-key', pem: publicPem }).verify(token)),
      ).toBe('expired');
    });

    it('accepts a token expired by less than the clock tolerance', async () => {
      const token = await claims()
        .setExpirationTime(Math.floor(Date.now() / 1000) - 2)
        .setProtectedHeader({ alg: 'RS256' })
        .sign(privateKey);

      await expect(
        verifierFor({ kind: 'public-key', pem: publicPem }, 5).verify(token),
      ).resolves.toMatchObject({ subject: 'user-1' });
    });

    it('refuses a token that is not valid yet', async () => {
      const token = await claims()
        .setNotBefore(Math.floor(Date.now() / 1000) + 120)
        .setProtectedHeader({ alg: 'RS256' })
        .sign(privateKey);

      expect(
        await failureOf(verifierFor({ kind: 'public-key', pem: publicPem }).verify(token)),
      ).toBe('not_yet_valid');
    });

    it('refuses a token for another audience', async () => {
      const token = await claims()
        .setAudience('someone-else')
        .setProtectedHeader({ alg: 'RS256' })
        .sign(privateKey);

      expect(
        await failureOf(verifierFor({ kind: 'public-key', pem: publicPem }).verify(token)),
      ).toBe('bad_claims');
    });

    it('refuses a token from another issuer', async () => {
      const token = await claims()
        .setIssuer('https://evil.example.com')
        .setProtectedHeader({ alg: 'RS256' })
        .sign(privateKey);

      expect(
        await failureOf(verifierFor({ kind: 'public-key', pem: publicPem }).verify(token)),
      ).toBe('bad_claims');
    });

    it('refuses a token without sub', async () => {
      const token = await new SignJWT({ vod_video_ids: [VIDEO] })
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setExpirationTime('10m')
        .setProtectedHeader({ alg: 'RS256' })
        .sign(privateKey);

      expect(
        await failureOf(verifierFor({ kind: 'public-key', pem: publicPem }).verify(token)),
      ).toBe('bad_claims');
    });

    it('refuses alg none', async () => {
      const payload = {
        sub: 'user-1',
        iss: ISSUER,
        aud: AUDIENCE,
        exp: Math.floor(Date.now() / 1000) + 600,
        vod_video_ids: [VIDEO],
      };
      const token = `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(payload)}.`;

      expect(
        await failureOf(verifierFor({ kind: 'public-key', pem: publicPem }).verify(token)),
      ).toBe('malformed');
    });

    it('refuses a token signed with HMAC keyed by the public key', async () => {
      const header = b64url({ alg: 'HS256', typ: 'JWT' });
      const payload = b64url({
        sub: 'attacker',
        iss: ISSUER,
        aud: AUDIENCE,
        exp: Math.floor(Date.now() / 1000) + 600,
        vod_video_ids: [VIDEO],
      });
      const signature = createHmac('sha256', publicPem)
        .update(`${header}.${payload}`)
        .digest('base64url');

      const failure = await failureOf(
        verifierFor({ kind: 'public-key', pem: publicPem }).verify(
          `${header}.${payload}.${signature}`,
        ),
      );

      expect(failure).toBe('malformed');
    });

    it('refuses a token whose payload was changed after signing', async () => {
      const token = await claims().setProtectedHeader({ alg: 'RS256' }).sign(privateKey);
      const [header, , signature] = token.split('.');
      const forged = b64url({
        sub: 'user-1',
        iss: ISSUER,
        aud: AUDIENCE,
        exp: Math.floor(Date.now() / 1000) + 600,
        vod_video_ids: [VIDEO, 'ffffffffffffffffffffffffffffffff'],
      });

      const failure = await failureOf(
        verifierFor({ kind: 'public-key', pem: publicPem }).verify(
          `${header}.${forged}.${signature}`,
        ),
      );

      expect(failure).toBe('bad_signature');
    });

    it('grants no video when vod_video_ids holds anything but strings', async () => {
      const token = await new SignJWT({ vod_video_ids: [VIDEO, 42] })
        .setSubject('user-1')
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setExpirationTime('10m')
        .setProtectedHeader({ alg: 'RS256' })
        .sign(privateKey);

      const principal = await verifierFor({ kind: 'public-key', pem: publicPem }).verify(token);

      expect(principal.videoIds).toEqual([]);
    });
  });

  describe('with an HS256 shared secret', () => {
    const secret = 'a-development-secret-of-at-least-32-characters';

    it('accepts a token signed with the secret', async () => {
      const token = await claims()
        .setProtectedHeader({ alg: 'HS256' })
        .sign(new TextEncoder().encode(secret));

      await expect(
        verifierFor({ kind: 'shared-secret', secret }).verify(token),
      ).resolves.toMatchObject({ subject: 'user-1' });
    });

    it('refuses an RS256 token even when it is otherwise valid', async () => {
      const token = await claims().setProtectedHeader({ alg: 'RS256' }).sign(privateKey);

      expect(await failureOf(verifierFor({ kind: 'shared-secret', secret }).verify(token))).toBe(
        'malformed',
      );
    });
  });

  describe('with a JWKS URL', () => {
    let server: Server;
    let keys: JWK[] = [];
    let url: string;

    beforeAll(async () => {
      server = createServer((_request, response) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ keys }));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
    });

    afterAll(async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    async function keyPair(kid: string): Promise<KeyLike> {
      const pair = await generateKeyPair('ES256');
      keys.push({ ...(await exportJWK(pair.publicKey)), kid, alg: 'ES256', use: 'sig' });
      return pair.privateKey;
    }

    it('refuses a token whose kid the JWKS does not hold', async () => {
      keys = [];
      await keyPair('known');
      const stranger = (await generateKeyPair('ES256')).privateKey;
      const token = await claims()
        .setProtectedHeader({ alg: 'ES256', kid: 'unknown' })
        .sign(stranger);

      const failure = await failureOf(
        verifierFor({ kind: 'jwks', url, cooldownMs: 1000 }).verify(token),
      );

      expect(failure).toBe('bad_signature');
    });

    it('picks up a rotated key once the cooldown has passed', async () => {
      keys = [];
      const first = await keyPair('k1');
      const verifier = verifierFor({ kind: 'jwks', url, cooldownMs: 1000 });
      const firstToken = await claims().setProtectedHeader({ alg: 'ES256', kid: 'k1' }).sign(first);
      await expect(verifier.verify(firstToken)).resolves.toMatchObject({ subject: 'user-1' });

      const second = await keyPair('k2');
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const secondToken = await claims()
        .setProtectedHeader({ alg: 'ES256', kid: 'k2' })
        .sign(second);

      await expect(verifier.verify(secondToken)).resolves.toMatchObject({ subject: 'user-1' });
    });

    it('reports an unreachable JWKS as jwks_unavailable', async () => {
      const signer = (await generateKeyPair('ES256')).privateKey;
      const token = await claims().setProtectedHeader({ alg: 'ES256', kid: 'k' }).sign(signer);

      const failure = await failureOf(
        verifierFor({ kind: 'jwks', url: 'http://127.0.0.1:1/jwks.json', cooldownMs: 1000 }).verify(
          token,
        ),
      );

      expect(failure).toBe('jwks_unavailable');
    });
  });
});
