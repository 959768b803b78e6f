/**
 * One atomic step of the per-caller fixed window, in Redis. Unlike a plain counter, a hit while
 * the caller is blocked is not counted: the block ends when it ends, however hard the caller
 * keeps knocking, and the window starts afresh afterwards.
 *
 * KEYS[1] hits key, KEYS[2] block key (same hash tag, so one Cluster slot)
 * ARGV[1] window (ms), ARGV[2] limit, ARGV[3] block (ms)
 * Returns { hits, ms until the window ends, blocked (1|0), ms until the block ends }.
 */
export const CALLER_HIT_SCRIPT = `
local blocked = redis.call('PTTL', KEYS[2])
if blocked > 0 then
  return {tonumber(redis.call('GET', KEYS[1]) or '0'), math.max(0, redis.call('PTTL', KEYS[1])), 1, blocked}
end
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local window = redis.call('PTTL', KEYS[1])
if hits > tonumber(ARGV[2]) then
  redis.call('SET', KEYS[2], '1', 'PX', ARGV[3])
  redis.call('DEL', KEYS[1])
  return {hits, window, 1, tonumber(ARGV[3])}
end
return {hits, window, 0, 0}
`;
