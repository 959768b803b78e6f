/**
 * The documented per-account QPS limit of RefreshUploadVideo, by region.
 *
 * Alibaba's current "QPS limits on API operations in ApsaraVideo VOD" table gives 80 calls per second
 * in the regions below and 40 in every other region; the older edition of the API page (our seeds)
 * says 120. The limit is shared by the account and all its RAM users.
 */
const EIGHTY_QPS_REGIONS = new Set(['cn-beijing', 'cn-shanghai', 'cn-shenzhen', 'ap-southeast-1']);

/** The oldest published figure; no configuration may exceed it. */
export const MAX_DOCUMENTED_QPS = 120;

export function documentedQpsLimit(region: string): number {
  return EIGHTY_QPS_REGIONS.has(region) ? 80 : 40;
}

/** VOD's public RPC endpoint for a region. */
export function defaultVodEndpoint(region: string): string {
  return `https://vod.${region}.aliyuncs.com`;
}
