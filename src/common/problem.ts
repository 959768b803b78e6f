import { type AppError } from './app-error';

/** RFC 9457 problem details, with our stable `code`. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly code: string;
  readonly instance?: string;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** A stable, non-dereferenceable URI per code; README's error table explains each one. */
const PROBLEM_TYPE_BASE = 'urn:vod-upload-refresh:problem:';

export function problem(
  status: number,
  code: string,
  title: string,
  detail: string,
  instance?: string,
): Problem {
  const body = { type: `${PROBLEM_TYPE_BASE}${code}`, title, status, detail, code };
  return instance === undefined ? body : { ...body, instance };
}

/** The problem body for one of our typed errors. */
export function problemOf(error: AppError): Problem {
  return problem(error.status, error.code, error.title, error.detail);
}

/** The minimal reply surface we need, so both Fastify hooks and Nest filters can use it. */
export interface ProblemReply {
  code(status: number): ProblemReply;
  header(name: string, value: string): ProblemReply;
  send(payload: string): unknown;
}

export function sendProblem(
  reply: ProblemReply,
  body: Problem,
  headers: Readonly<Record<string, string>> = {},
): void {
  reply.code(body.status).header('content-type', PROBLEM_CONTENT_TYPE);
  reply.header('cache-control', 'no-store');
  for (const [name, value] of Object.entries(headers)) {
    reply.header(name, value);
  }
  reply.send(JSON.stringify(body));
}
