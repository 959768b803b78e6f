import { Injectable } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';

/** Wall-clock time and waiting, behind an injectable so specs can pin them. */
@Injectable()
export class Clock {
  now(): number {
    return Date.now();
  }

  /** A monotonic reading in milliseconds, for durations and schedules (never jumps back). */
  monotonic(): number {
    return performance.now();
  }

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (ms > 0) {
      await sleep(ms, undefined, signal === undefined ? undefined : { signal });
    }
  }
}
