/** Who called, as established by a verified token. */
export interface Principal {
  /** The token's `sub`. */
  readonly subject: string;
  /** The token's `iss`, when present (for the audit trail). */
  readonly issuer: string | undefined;
  /** The videos the token's `vod_video_ids` claim lets the caller refresh. */
  readonly videoIds: readonly string[];
}

/** The Fastify request once the auth guard has let it through. */
export interface WithPrincipal {
  principal?: Principal;
}
