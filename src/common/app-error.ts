/**
 * The base of every error the service answers with on purpose. Each capability keeps its own
 * catalogue of subclasses with stable `code`s; `ProblemFilter` turns any of them into
 * application/problem+json. `detail` goes to the caller, so it must never hold a secret or say why a
 * token failed; `logReason` is for the operator only.
 */
export abstract class AppError extends Error {
  abstract readonly status: number;
  abstract readonly code: string;
  abstract readonly title: string;

  constructor(
    readonly detail: string,
    readonly logReason?: string,
  ) {
    super(detail);
    this.name = new.target.name;
  }

  /** Extra response headers (e.g. Retry-After, WWW-Authenticate). */
  headers(): Record<string, string> {
    return {};
  }
}
