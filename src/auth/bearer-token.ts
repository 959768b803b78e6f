/** Tokens larger than this are refused unread (a JWT with a few claims is well under 2 KB). */
export const MAX_TOKEN_LENGTH = 8192;

/** header.payload.signature, each part base64url, as JWS compact serialization requires. */
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const BEARER = /^Bearer +(\S+)$/i;

/**
 * The token of an `Authorization: Bearer <jwt>` header, or undefined when the header is missing,
 * repeated, of another scheme, too long or not shaped like a signed JWT. Cheap enough to run on
 * every request before anything else, so a flood of junk costs little.
 */
export function bearerToken(header: string | readonly string[] | undefined): string | undefined {
  if (typeof header !== 'string' || header.length > MAX_TOKEN_LENGTH + 16) {
    return undefined;
  }
  const token = BEARER.exec(header)?.[1];
  return token !== undefined && token.length <= MAX_TOKEN_LENGTH && COMPACT_JWS.test(token)
    ? token
    : undefined;
}
