import { Agent, request } from 'undici';

/** What one run of offered load produced, seen from the client. */
export interface LoadRecord {
  statuses: Record<number, number>;
  /** Latency (ms) of every 200. */
  grantedLatencies: number[];
  /** 200s per target, for fairness. */
  grantedByTarget: number[];
  sent: number;
}

const agent = new Agent({ connections: 256, keepAliveTimeout: 30_000, pipelining: 1 });

function emptyRecord(targets: number): LoadRecord {
  return {
    statuses: {},
    grantedLatencies: [],
    grantedByTarget: Array(targets).fill(0) as number[],
    sent: 0,
  };
}

async function once(
  record: LoadRecord,
  targets: readonly string[],
  index: number,
  path: string,
  token: string,
): Promise<void> {
  const started = performance.now();
  let status = 0;
  try {
    const response = await request(`${targets[index]}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      dispatcher: agent,
    });
    await response.body.arrayBuffer();
    status = response.statusCode;
  } catch {
    status = 0;
  }
  record.statuses[status] = (record.statuses[status] ?? 0) + 1;
  if (status === 200) {
    record.grantedLatencies.push(performance.now() - started);
    record.grantedByTarget[index] = (record.grantedByTarget[index] ?? 0) + 1;
  }
}

/** Requests at a fixed rate, round-robin over the targets, whatever the answers. */
export async function openLoop(
  targets: readonly string[],
  ratePerSecond: number,
  seconds: number,
  pathFor: (n: number) => string,
  token: string,
): Promise<LoadRecord> {
  const record = emptyRecord(targets.length);
  const pending: Promise<void>[] = [];
  const started = performance.now();
  const total = Math.round(ratePerSecond * seconds);
  for (let n = 0; n < total; n += 1) {
    const wait = started + (n * 1000) / ratePerSecond - performance.now();
    if (wait > 1) {
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
    record.sent += 1;
    pending.push(once(record, targets, n % targets.length, pathFor(n), token));
  }
  await Promise.all(pending);
  return record;
}

/** `concurrency` loops, each sending its next request as soon as the last is answered. */
export async function closedLoop(
  targets: readonly string[],
  concurrency: number,
  seconds: number,
  pathFor: (n: number) => string,
  token: string,
): Promise<LoadRecord> {
  const record = emptyRecord(targets.length);
  const end = performance.now() + seconds * 1000;
  let n = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, loop) => {
      while (performance.now() < end) {
        const index = loop % targets.length;
        record.sent += 1;
        n += 1;
        await once(record, targets, index, pathFor(n), token);
      }
    }),
  );
  return record;
}
