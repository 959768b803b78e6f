/**
 * Reads the expiry out of VOD's `UploadAuth`: Base64-encoded JSON holding STS credentials with
 * `ExpireUTCTime` (ISO 8601) and `Expiration` (seconds from issue). Returns undefined when neither
 * can be read. The secret fields inside are never kept or returned.
 */
export function uploadAuthExpiry(uploadAuth: string, issuedAt: Date): Date | undefined {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(uploadAuth, 'base64').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof decoded !== 'object' || decoded === null) {
    return undefined;
  }
  const { ExpireUTCTime: expireUtc, Expiration: expiration } = decoded as Record<string, unknown>;
  if (typeof expireUtc === 'string') {
    const at = new Date(expireUtc);
    if (!Number.isNaN(at.getTime()) && /Z$|[+-]\d\d:?\d\d$/.test(expireUtc)) {
      return at;
    }
  }
  const seconds = typeof expiration === 'string' ? Number(expiration) : expiration;
  if (typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0) {
    return new Date(issuedAt.getTime() + seconds * 1000);
  }
  return undefined;
}
