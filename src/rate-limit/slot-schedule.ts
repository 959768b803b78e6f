/**
 * An evenly spaced schedule of slots kept in this process: the local budget's whole state, and
 * each replica's share while Redis is unreachable. Times are Clock.monotonic() milliseconds.
 */
export class SlotSchedule {
  /** When the next free slot starts. */
  private nextSlotAt = 0;

  constructor(private intervalMs: number) {}

  /**
   * Takes the next slot if it starts within `waitLimitMs` of `now`; otherwise takes nothing and
   * says how long until the next slot.
   */
  reserve(now: number, waitLimitMs: number): { slotAt: number } | { retryInMs: number } {
    const slotAt = Math.max(now, this.nextSlotAt);
    if (slotAt - now > waitLimitMs) {
      return { retryInMs: slotAt - now };
    }
    this.nextSlotAt = slotAt + this.intervalMs;
    return { slotAt };
  }

  /** No slot starts before `at` (a hand-over fence, or a Throttling answer's back-off). */
  startNoEarlierThan(at: number): void {
    this.nextSlotAt = Math.max(this.nextSlotAt, at);
  }

  /** The last moment a slot already handed out may start. */
  horizon(): number {
    return this.nextSlotAt;
  }

  setInterval(intervalMs: number): void {
    this.intervalMs = intervalMs;
  }
}
