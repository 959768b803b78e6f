import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Pool } from 'undici';
import { Clock } from '../common/clock';
import { BudgetConfig, VodConfig } from '../config/app-config';
import {
  BudgetExhaustedError,
  UPSTREAM_BUDGET,
  type BudgetGrant,
  type UpstreamBudget,
} from '../rate-limit/upstream-budget';
import { retryDelayMs } from './retry-backoff';
import { SignatureNonce } from './signature-nonce';
import {
  badResponse,
  classifyTransportError,
  classifyVodAnswer,
  type VodAnswer,
} from './vod-answer';
import { VodCredentials } from './vod-credentials';
import { rpcParams, signedQuery } from './vod-signer';
import { VodBadResponseError, VodTimeoutError, type VodError } from './vod.errors';
import { VodMetrics } from './vod.metrics';

export const VOD_API_VERSION = '2017-03-21';

/** VOD's answers are small; a larger body is refused rather than buffered. */
const MAX_BODY_BYTES = 64 * 1024;
/** Not worth starting an attempt with less time than this left before the deadline. */
const MIN_ATTEMPT_MS = 50;
/** How far a Throttling answer pushes the shared schedule back. */
const THROTTLING_BACKOFF_MS = 1000;
const MIN_POOL_CONNECTIONS = 64;

/** A fresh upload credential, as VOD returned it. */
export interface RefreshedUpload {
  readonly videoId: string;
  readonly uploadAddress: string;
  readonly uploadAuth: string;
  readonly requestId: string;
}

/**
 * The signed gateway to VOD's RPC API: keep-alive connection pool, per-attempt timeout, bounded
 * retries with jitter inside the caller's deadline, a fresh signature (timestamp and nonce) and a
 * budget slot for every attempt.
 */
@Injectable()
export class VodClient implements OnApplicationShutdown {
  private readonly logger = new Logger(VodClient.name);
  private readonly pool: Pool;
  private readonly basePath: string;

  constructor(
    private readonly config: VodConfig,
    private readonly budgetConfig: BudgetConfig,
    private readonly credentials: VodCredentials,
    @Inject(UPSTREAM_BUDGET) private readonly budget: UpstreamBudget,
    private readonly clock: Clock,
    private readonly nonce: SignatureNonce,
    private readonly metrics: VodMetrics,
  ) {
    const endpoint = new URL(config.endpoint);
    this.basePath = endpoint.pathname.endsWith('/') ? endpoint.pathname : `${endpoint.pathname}/`;
    this.pool = new Pool(endpoint.origin, {
      // Enough connections for every call the budget can have in flight (limit x timeout): a
      // call queued here for a connection would reach VOD late, bunched with later slots.
      connections: Math.max(
        MIN_POOL_CONNECTIONS,
        Math.ceil((budgetConfig.qpsLimit * config.timeoutMs) / 1000) + MIN_POOL_CONNECTIONS / 4,
      ),
      keepAliveTimeout: 30_000,
      connect: { timeout: Math.min(config.timeoutMs, 2_000) },
    });
  }

  /** After the HTTP server stopped taking requests, so in-flight ones finish their calls. */
  async onApplicationShutdown(): Promise<void> {
    await this.pool.close();
  }

  /**
   * Calls RefreshUploadVideo for `videoId`, finishing by `deadline` (Clock.now() milliseconds).
   * @throws VodError for VOD's answers and transport failures; BudgetExhaustedError when no slot
   *   frees in time for the first attempt.
   */
  async refreshUploadVideo(videoId: string, deadline: number): Promise<RefreshedUpload> {
    const body = await this.call('RefreshUploadVideo', { VideoId: videoId }, deadline);
    const { UploadAddress, UploadAuth, RequestId, VideoId } = body;
    if (
      typeof UploadAddress !== 'string' ||
      typeof UploadAuth !== 'string' ||
      typeof RequestId !== 'string' ||
      UploadAddress === '' ||
      UploadAuth === ''
    ) {
      throw new VodBadResponseError(
        'VOD answered in an unexpected shape.',
        'RefreshUploadVideo answer lacks UploadAddress, UploadAuth or RequestId',
        typeof RequestId === 'string' ? RequestId : undefined,
      );
    }
    return {
      videoId: typeof VideoId === 'string' ? VideoId : videoId,
      uploadAddress: UploadAddress,
      uploadAuth: UploadAuth,
      requestId: RequestId,
    };
  }

  private async call(
    action: string,
    actionParams: Record<string, string>,
    deadline: number,
  ): Promise<Readonly<Record<string, unknown>>> {
    let lastError: VodError | undefined;
    for (let attempt = 1; attempt <= this.config.maxAttempts; attempt += 1) {
      if (attempt > 1) {
        const delayMs = retryDelayMs(attempt - 1, Math.random());
        if (this.clock.now() + delayMs + MIN_ATTEMPT_MS >= deadline) {
          break;
        }
        await this.clock.sleep(delayMs);
        this.metrics.retries.inc({ action });
      }
      const credentials = await this.credentials.resolve();
      let query: string;
      // One wait limit per attempt, however many slots a late send forfeits.
      const slotDeadline = Math.min(
        deadline - MIN_ATTEMPT_MS,
        this.clock.now() + this.budgetConfig.maxWaitMs,
      );
      for (;;) {
        let grant: BudgetGrant;
        try {
          grant = await this.budget.acquire({ deadline: slotDeadline });
        } catch (error) {
          // A retry that finds no slot reports what went wrong with VOD, not the budget.
          if (lastError !== undefined && error instanceof BudgetExhaustedError) {
            throw lastError;
          }
          throw error;
        }
        const params = rpcParams(
          { Action: action, ...actionParams },
          VOD_API_VERSION,
          credentials,
          new Date(this.clock.now()),
          this.nonce.next(),
        );
        query = signedQuery(params, credentials.accessKeySecret);
        // The last moment before the send: a stall since the grant would bunch this call with
        // the next slot's, so the slot stays unused and we ask again.
        if (this.clock.monotonic() <= grant.sendBy) {
          break;
        }
        this.budget.forfeit(grant);
      }
      const answer = await this.send(action, query, deadline);
      if (answer.kind === 'ok') {
        return answer.body;
      }
      lastError = answer.error;
      this.logger.warn(
        `${action} attempt ${attempt}/${this.config.maxAttempts} failed: ${answer.error.logReason ?? answer.error.code}`,
      );
      if (!answer.retryable) {
        throw answer.error;
      }
      if (answer.outcome === 'throttled') {
        await this.budget.backOff(THROTTLING_BACKOFF_MS);
      }
    }
    throw (
      lastError ??
      new VodTimeoutError('VOD did not answer in time.', 'deadline passed before any attempt')
    );
  }

  /** One signed HTTP exchange with VOD, classified; never throws. */
  private async send(action: string, query: string, deadline: number): Promise<VodAnswer> {
    const timeoutMs = Math.min(this.config.timeoutMs, deadline - this.clock.now());
    if (timeoutMs <= 0) {
      return classifyTransportError(new Error('deadline already passed'), true);
    }
    const started = this.clock.monotonic();
    this.metrics.inFlight.inc({ action });
    let answer: VodAnswer;
    const timeout = AbortSignal.timeout(timeoutMs);
    try {
      const response = await this.pool.request({
        method: 'GET',
        path: `${this.basePath}?${query}`,
        headers: { accept: 'application/json' },
        signal: timeout,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      const text = await readLimited(response.body, MAX_BODY_BYTES);
      answer =
        text === undefined
          ? badResponse(`body larger than ${MAX_BODY_BYTES} bytes`)
          : classifyVodAnswer(response.statusCode, text);
    } catch (error) {
      answer = classifyTransportError(error, timeout.aborted || isUndiciTimeout(error));
    } finally {
      this.metrics.inFlight.dec({ action });
    }
    const seconds = (this.clock.monotonic() - started) / 1000;
    if (answer.kind === 'ok') {
      this.metrics.observe(action, 'success', undefined, seconds);
    } else {
      this.metrics.observe(action, answer.outcome, answer.code, seconds);
    }
    return answer;
  }
}

async function readLimited(
  body: AsyncIterable<Buffer>,
  limit: number,
): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > limit) {
      return undefined;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function isUndiciTimeout(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT';
}
