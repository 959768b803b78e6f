/** Open-loop load on loopback: `ratePerSecond` requests spread over `targets`, for `seconds`. */
export interface LoadResult {
  readonly statuses: Readonly<Record<number, number>>;
  readonly sent: number;
}

export async function openLoopLoad(
  targets: readonly string[],
  ratePerSecond: number,
  seconds: number,
  request: (target: string, n: number) => Promise<number>,
): Promise<LoadResult> {
  const statuses: Record<number, number> = {};
  const pending: Promise<void>[] = [];
  const started = performance.now();
  const total = Math.round(ratePerSecond * seconds);
  for (let n = 0; n < total; n += 1) {
    const due = started + (n * 1000) / ratePerSecond;
    const wait = due - performance.now();
    if (wait > 1) {
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
    const target = targets[n % targets.length] as string;
    pending.push(
      request(target, n).then(
        (status) => {
          statuses[status] = (statuses[status] ?? 0) + 1;
        },
        () => {
          statuses[0] = (statuses[0] ?? 0) + 1;
        },
      ),
    );
  }
  await Promise.all(pending);
  return { statuses, sent: total };
}
