import { AppError } from '../common/app-error';

/** A slot granted by the budget: the caller may send one call to VOD now. */
export interface BudgetGrant {
  /** How long the caller waited for its slot, in milliseconds. */
  readonly waitedMs: number;
  /** Which implementation granted it (for metrics): the shared schedule or a local one. */
  readonly source: 'redis' | 'local';
  /**
   * The last Clock.monotonic() moment the call may still be sent. Past it (a stall between the
   * grant and the send), the caller must give the slot up with `forfeit` and ask again.
   */
  readonly sendBy: number;
}

export interface BudgetRequest {
  /** The latest moment (Clock.now() milliseconds) the slot may start; never waits past it. */
  readonly deadline: number;
}

/**
 * The one door to VOD: every call to VOD, retries included, takes one slot first, so that all
 * replicas together stay under the account's `VOD_QPS_LIMIT` in any one-second window.
 */
export interface UpstreamBudget {
  /**
   * Waits for a slot and resolves when the caller may send its call.
   * @throws BudgetExhaustedError at once, consuming nothing, when no slot frees before
   *   `min(deadline, now + VOD_MAX_WAIT_MS)` or too many callers already wait here.
   */
  acquire(request: BudgetRequest): Promise<BudgetGrant>;

  /** The caller could not send in time; the slot stays unused (counted, nothing else). */
  forfeit(grant: BudgetGrant): void;

  /** VOD answered `Throttling*`: push the schedule back for everyone sharing it. */
  backOff(ms: number): Promise<void>;

  /** What readiness and metrics show: `shared`, `local` (single instance or fallback) or `deny`. */
  mode(): BudgetMode;
}

export type BudgetMode = 'shared' | 'local' | 'fallback' | 'deny';

export const UPSTREAM_BUDGET = Symbol('UpstreamBudget');

/** No slot frees in time: 429 with Retry-After. */
export class BudgetExhaustedError extends AppError {
  readonly status = 429;
  readonly code = 'budget.exhausted';
  readonly title = 'Upstream budget exhausted';

  constructor(readonly retryAfterS: number) {
    super('The account-wide budget of calls to VOD is spent for now; retry after the given delay.');
  }

  override headers(): Record<string, string> {
    return { 'retry-after': String(this.retryAfterS) };
  }
}

/** Redis is unreachable and the operator chose `deny`: 503 rather than risk the account. */
export class BudgetUnavailableError extends AppError {
  readonly status = 503;
  readonly code = 'budget.unavailable';
  readonly title = 'Upstream budget unavailable';

  constructor() {
    super(
      'The shared budget of calls to VOD cannot be reached; retry shortly.',
      'redis down, mode deny',
    );
  }

  override headers(): Record<string, string> {
    return { 'retry-after': '1' };
  }
}
