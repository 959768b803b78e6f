import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';
import { signRpcRequest } from '../vod/vod-signer';

/**
 * A local stand-in for VOD's RPC endpoint, for tests, the demo and benchmarks. It behaves like VOD
 * where our service can tell: it verifies signature V1 (nonce reuse and timestamp skew too),
 * answers in VOD's JSON shapes and error codes, throttles past its QPS limit, and can be told to
 * fail (slow, 5xx, reset, garbage) through /__emulator/faults. It counts what it receives.
 */

export interface EmulatorAccount {
  readonly accessKeySecret: string;
  /** When set, every call must carry this STS SecurityToken. */
  readonly securityToken?: string;
}

export interface VodEmulatorOptions {
  readonly accounts: Readonly<Record<string, EmulatorAccount>>;
  /** Calls per second the emulated account may make; beyond, Throttling.User. */
  readonly qpsLimit?: number;
  /** Added before every answer, like a real round trip. */
  readonly latencyMs?: number;
  /** Random 0..jitterMs added to each recorded arrival time (network jitter as VOD would see it). */
  readonly arrivalJitterMs?: number;
  readonly region?: string;
}

export type Fault = 'slow' | 'server_error' | 'throttle' | 'reset' | 'garbage' | 'truncated';

export interface EmulatorStats {
  /** RefreshUploadVideo calls that passed signature checks (what counts against VOD's QPS). */
  readonly accepted: number;
  readonly answers: Readonly<Record<string, number>>;
  /** The most calls that arrived within any one-second window. */
  readonly maxInAnySecond: number;
}

const MAX_SKEW_MS = 15 * 60_000;
const API_VERSION = '2017-03-21';
const ADMIN_PREFIX = '/__emulator/';

interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

export class VodEmulator {
  private server: Server | undefined;
  private readonly videos = new Map<string, 'normal' | 'damaged'>();
  private readonly nonces = new Map<string, number>();
  private readonly faults: { fault: Fault; delayMs: number }[] = [];
  private arrivals: number[] = [];
  private answers: Record<string, number> = {};
  private readonly qpsLimit: number;
  private arrivalJitterMs: number;

  constructor(private readonly options: VodEmulatorOptions) {
    this.qpsLimit = options.qpsLimit ?? 120;
    this.arrivalJitterMs = options.arrivalJitterMs ?? 0;
  }

  /** Random 0..ms added to each recorded arrival from now on (simulated network jitter). */
  setArrivalJitter(ms: number): void {
    this.arrivalJitterMs = ms;
  }

  addVideo(videoId: string, state: 'normal' | 'damaged' = 'normal'): void {
    this.videos.set(videoId, state);
  }

  /** The next `count` calls that pass signature checks fail this way. */
  injectFault(fault: Fault, count = 1, delayMs = 0): void {
    for (let i = 0; i < count; i += 1) {
      this.faults.push({ fault, delayMs });
    }
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  resetStats(): void {
    this.arrivals = [];
    this.answers = {};
  }

  stats(): EmulatorStats {
    return {
      accepted: this.arrivals.length,
      answers: { ...this.answers },
      maxInAnySecond: maxInWindow(this.arrivals, 1000),
    };
  }

  /** Arrival times (ms, sorted) of accepted calls, for benchmarks. */
  arrivalTimes(): readonly number[] {
    return [...this.arrivals].sort((a, b) => a - b);
  }

  async start(port = 0, host = '127.0.0.1'): Promise<number> {
    const server = createServer((request, response) => {
      this.handle(request, response).catch(() => response.destroy());
    });
    server.keepAliveTimeout = 60_000;
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, resolve);
    });
    return (server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (server !== undefined) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://emulator');
    if (url.pathname.startsWith(ADMIN_PREFIX)) {
      this.admin(url, response);
      return;
    }
    const params = await readParams(request, url);
    const answer = this.check(params);
    if (answer !== undefined) {
      return this.reply(response, answer);
    }
    const fault = this.faults.shift();
    if (fault?.fault === 'slow') {
      await delay(fault.delayMs);
    } else if (fault !== undefined) {
      return this.fail(response, fault.fault, fault.delayMs);
    }
    const videoId = params.get('VideoId') as string;
    const state = this.videos.get(videoId);
    if (state === undefined) {
      return this.reply(response, error(404, 'InvalidVideo.NotFound', 'The video not exist.'));
    }
    if (state === 'damaged') {
      return this.reply(
        response,
        error(400, 'InvalidVideo.Damaged', 'The video has been Damaged.'),
      );
    }
    return this.reply(response, { status: 200, body: this.credentialFor(videoId) });
  }

  /** VOD's checks in VOD's order; undefined when the call may proceed. */
  private check(params: URLSearchParams): Answer | undefined {
    for (const name of ['Action', 'AccessKeyId', 'Signature', 'SignatureNonce', 'Timestamp']) {
      if (!params.has(name)) {
        return error(
          400,
          `MissingParameter`,
          `The input parameter "${name}" that is mandatory for processing this request is not supplied.`,
        );
      }
    }
    const account = this.options.accounts[params.get('AccessKeyId') as string];
    if (account === undefined) {
      return error(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.');
    }
    if (params.get('SignatureMethod') !== 'HMAC-SHA1' || params.get('SignatureVersion') !== '1.0') {
      return error(
        400,
        'InvalidParameter',
        'The specified signature method or version is not supported.',
      );
    }
    const timestamp = params.get('Timestamp') as string;
    const at = Date.parse(timestamp);
    if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(timestamp) || Number.isNaN(at)) {
      return error(400, 'InvalidTimeStamp.Format', 'Specified time stamp is not valid.');
    }
    if (Math.abs(Date.now() - at) > MAX_SKEW_MS) {
      return error(
        400,
        'InvalidTimeStamp.Expired',
        'Specified time stamp or date header is expired.',
      );
    }
    if (!this.signatureMatches(params, account.accessKeySecret)) {
      return error(
        400,
        'SignatureDoesNotMatch',
        'Specified signature is not matched with our calculation.',
      );
    }
    if (
      account.securityToken !== undefined &&
      params.get('SecurityToken') !== account.securityToken
    ) {
      return error(
        400,
        'InvalidSecurityToken.Mismatch',
        'Specified SecurityToken mismatch with the AccessKey.',
      );
    }
    if (!this.claimNonce(params.get('SignatureNonce') as string)) {
      return error(400, 'SignatureNonceUsed', 'Specified signature nonce was used already.');
    }
    if (params.get('Version') !== API_VERSION) {
      return error(400, 'InvalidVersion', 'Specified parameter Version is not valid.');
    }
    if (params.get('Action') !== 'RefreshUploadVideo') {
      return error(
        404,
        'InvalidAction.NotFound',
        'Specified api is not found, please check your url and method.',
      );
    }
    if (!params.has('VideoId')) {
      return error(400, 'MissingVideoId', 'VideoId is mandatory for this action.');
    }
    return this.admit();
  }

  private signatureMatches(params: URLSearchParams, secret: string): boolean {
    const unsigned: Record<string, string> = {};
    for (const [name, value] of params) {
      if (name !== 'Signature') {
        unsigned[name] = value;
      }
    }
    const expected = Buffer.from(signRpcRequest('GET', unsigned, secret));
    const given = Buffer.from(params.get('Signature') as string);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }

  private claimNonce(nonce: string): boolean {
    const now = Date.now();
    if ((this.nonces.get(nonce) ?? 0) > now) {
      return false;
    }
    if (this.nonces.size > 100_000) {
      for (const [seen, expiresAt] of this.nonces) {
        if (expiresAt <= now) {
          this.nonces.delete(seen);
        }
      }
    }
    this.nonces.set(nonce, now + MAX_SKEW_MS);
    return true;
  }

  /** Records the arrival; refuses it when the last second already holds qpsLimit calls. */
  private admit(): Answer | undefined {
    const jitter = Math.random() * this.arrivalJitterMs;
    const now = performance.timeOrigin + performance.now() + jitter;
    let inLastSecond = 0;
    for (let i = this.arrivals.length - 1; i >= 0 && inLastSecond <= this.qpsLimit; i -= 1) {
      if ((this.arrivals[i] as number) > now - 1000) {
        inLastSecond += 1;
      } else if ((this.arrivals[i] as number) < now - 1100) {
        break;
      }
    }
    this.arrivals.push(now);
    if (inLastSecond >= this.qpsLimit) {
      return error(400, 'Throttling.User', 'Request was denied due to user flow control.');
    }
    return undefined;
  }

  private credentialFor(videoId: string): Record<string, unknown> {
    const region = this.options.region ?? 'cn-shanghai';
    const expires = new Date(Date.now() + 3600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const uploadAuth = {
      SecurityToken: `CAIS${randomBytes(48).toString('base64')}`,
      AccessKeyId: `STS.${randomBytes(12).toString('hex')}`,
      ExpireUTCTime: expires,
      AccessKeySecret: randomBytes(24).toString('base64'),
      Expiration: '3600',
      Region: region,
    };
    const uploadAddress = {
      Endpoint: `https://oss-${region}.aliyuncs.com`,
      Bucket: `outin-${randomBytes(8).toString('hex')}`,
      FileName: `sv/${videoId.slice(0, 8)}/${videoId}.mp4`,
    };
    return {
      RequestId: randomUUID().toUpperCase(),
      VideoId: videoId,
      UploadAddress: Buffer.from(JSON.stringify(uploadAddress)).toString('base64'),
      UploadAuth: Buffer.from(JSON.stringify(uploadAuth)).toString('base64'),
    };
  }

  private async reply(response: ServerResponse, answer: Answer): Promise<void> {
    await delay(this.options.latencyMs ?? 0);
    const code = typeof answer.body.Code === 'string' ? answer.body.Code : 'OK';
    this.answers[code] = (this.answers[code] ?? 0) + 1;
    response.writeHead(answer.status, { 'content-type': 'application/json;charset=utf-8' });
    response.end(JSON.stringify(answer.body));
  }

  private async fail(
    response: ServerResponse,
    fault: Exclude<Fault, 'slow'>,
    delayMs: number,
  ): Promise<void> {
    this.answers[`fault:${fault}`] = (this.answers[`fault:${fault}`] ?? 0) + 1;
    await delay(delayMs);
    switch (fault) {
      case 'server_error':
        return this.reply(
          response,
          error(
            503,
            'ServiceUnavailable',
            'The request has failed due to a temporary failure of the server.',
          ),
        );
      case 'throttle':
        return this.reply(
          response,
          error(400, 'Throttling.User', 'Request was denied due to user flow control.'),
        );
      case 'reset':
        response.socket?.destroy();
        return;
      case 'garbage':
        response.writeHead(200, { 'content-type': 'text/html' });
        response.end('<html>502 Bad Gateway</html>');
        return;
      case 'truncated':
        response.writeHead(200, { 'content-type': 'application/json', 'content-length': '400' });
        response.write('{"RequestId":"TRUNC');
        setTimeout(() => response.socket?.destroy(), 5);
        return;
    }
  }

  private admin(url: URL, response: ServerResponse): void {
    const action = url.pathname.slice(ADMIN_PREFIX.length);
    if (action === 'stats') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ ...this.stats(), arrivals: this.arrivalTimes() }));
      return;
    }
    if (action === 'reset') {
      this.resetStats();
      this.clearFaults();
    } else if (action === 'videos') {
      this.addVideo(
        url.searchParams.get('id') ?? '',
        url.searchParams.get('state') === 'damaged' ? 'damaged' : 'normal',
      );
    } else if (action === 'jitter') {
      this.setArrivalJitter(Number(url.searchParams.get('ms') ?? 0));
    } else if (action === 'faults') {
      this.injectFault(
        url.searchParams.get('fault') as Fault,
        Number(url.searchParams.get('count') ?? 1),
        Number(url.searchParams.get('delayMs') ?? 0),
      );
    } else {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(204).end();
  }
}

function error(status: number, code: string, message: string): Answer {
  return {
    status,
    body: {
      RequestId: randomUUID().toUpperCase(),
      HostId: 'vod.cn-shanghai.aliyuncs.com',
      Code: code,
      Message: message,
      Recommend: `https://api.aliyun.com/troubleshoot?q=${code}&product=vod`,
    },
  };
}

async function readParams(request: IncomingMessage, url: URL): Promise<URLSearchParams> {
  if (request.method !== 'POST') {
    request.resume();
    return url.searchParams;
  }
  const chunks: Buffer[] = [];
  for await (const chunk of request) {
    chunks.push(chunk as Buffer);
  }
  const merged = new URLSearchParams(url.searchParams);
  for (const [name, value] of new URLSearchParams(Buffer.concat(chunks).toString('utf8'))) {
    merged.set(name, value);
  }
  return merged;
}

/** The most timestamps (sorted or not) inside any half-open window of `windowMs`. */
export function maxInWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end += 1) {
    while ((sorted[end] as number) - (sorted[start] as number) >= windowMs) {
      start += 1;
    }
    best = Math.max(best, end - start + 1);
  }
  return best;
}

function delay(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
