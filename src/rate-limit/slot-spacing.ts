/**
 * The arithmetic behind the budget's schedule, shared by every implementation.
 *
 * Calls are spaced evenly `intervalMs` apart, never burst. If each call reaches VOD at most `T` ms
 * after its slot, any one-second window at VOD holds at most ceil((1000 + T) / intervalMs) calls,
 * which stays within the limit while T <= 1000 * margin / (1 - margin): about 15 ms for the default
 * margin of 1.5 %. We split that slack between timer lateness (a waiter that wakes later than
 * `latenessToleranceMs`, about 5 ms, gives its slot up and asks again) and everything after the
 * decision: signing, the HTTP send, network jitter, VOD's own queueing (about 10 ms). Measured
 * with npm run bench: at 1.2 % one run with 5 ms of jitter on a saturated machine let one window
 * exceed the limit by one call.
 */
export interface SlotSpacing {
  readonly intervalMs: number;
  readonly latenessToleranceMs: number;
}

const LATENESS_SHARE_OF_SLACK = 0.35;

export function slotSpacing(qpsLimit: number, margin: number): SlotSpacing {
  const intervalMs = 1000 / (qpsLimit * (1 - margin));
  const slackMs = (1000 * margin) / (1 - margin);
  return { intervalMs, latenessToleranceMs: slackMs * LATENESS_SHARE_OF_SLACK };
}
