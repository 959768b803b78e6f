import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  Logger,
} from '@nestjs/common';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { AppError } from './app-error';
import { problem, problemOf, sendProblem, type Problem } from './problem';

const TITLES: Readonly<Record<number, string>> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  413: 'Payload too large',
  415: 'Unsupported media type',
  429: 'Too many requests',
  431: 'Request header fields too large',
};

/**
 * The one place where errors become HTTP answers: application/problem+json, no stack traces, no
 * internals. Unknown errors are logged for the operator and answered with a bare 500.
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('Problem');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const request = http.getRequest<FastifyRequest>();
    const { body, headers } = this.toProblem(error, request);
    sendProblem(reply, body, headers);
  }

  private toProblem(
    error: unknown,
    request: FastifyRequest,
  ): { body: Problem; headers: Record<string, string> } {
    if (error instanceof AppError) {
      if (error.logReason !== undefined || error.status >= 500) {
        this.logger.warn(
          `${request.method} ${request.routeOptions.url ?? 'unrouted'} -> ${error.status} ${error.code}` +
            (error.logReason === undefined ? '' : `: ${error.logReason}`),
        );
      }
      return {
        body: problemOf(error),
        headers: error.headers(),
      };
    }
    if (error instanceof HttpException) {
      return { body: fromHttpException(error), headers: retryAfterOf(error) };
    }
    const fastifyStatus = statusOfFastifyError(error);
    if (fastifyStatus !== undefined) {
      return {
        body: problem(
          fastifyStatus,
          'request.rejected',
          TITLES[fastifyStatus] ?? 'Bad request',
          'The request could not be read.',
        ),
        headers: {},
      };
    }
    this.logger.error(
      `unhandled error on ${request.method} ${request.routeOptions.url ?? 'unrouted'}`,
      error instanceof Error ? error.stack : String(error),
    );
    return {
      body: problem(500, 'internal', 'Internal error', 'The service failed to answer.'),
      headers: {},
    };
  }
}

function fromHttpException(error: HttpException): Problem {
  const status = error.getStatus();
  const title = TITLES[status] ?? 'Error';
  if (status === 404) {
    return problem(status, 'route.not_found', title, 'No such route.');
  }
  if (status === 429) {
    return problem(status, 'caller.throttled', title, 'Too many requests from this caller.');
  }
  if (status === 400) {
    return problem(status, 'request.invalid', title, validationDetail(error));
  }
  return problem(status, 'request.rejected', title, 'The request was rejected.');
}

/** ValidationPipe puts its messages in the response; they name fields, never values. */
function validationDetail(error: HttpException): string {
  const response = error.getResponse();
  if (typeof response === 'object' && response !== null && 'message' in response) {
    const { message } = response;
    if (Array.isArray(message)) {
      return message.map(String).join('; ');
    }
  }
  return 'The request is malformed.';
}

function retryAfterOf(error: HttpException): Record<string, string> {
  const response = error.getResponse();
  if (typeof response === 'object' && response !== null && 'retryAfterS' in response) {
    return { 'retry-after': String(response.retryAfterS) };
  }
  return {};
}

/** Fastify's own request errors (body too large, bad JSON, bad content type) carry a 4xx status. */
function statusOfFastifyError(error: unknown): number | undefined {
  if (typeof error === 'object' && error !== null && 'statusCode' in error) {
    const status = error.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return status;
    }
  }
  return undefined;
}
