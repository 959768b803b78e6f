/**
 * The shared schedule's Lua scripts. Each runs atomically inside Redis and reads Redis's own clock
 * (TIME), never a replica's. Both touch one key, `{vod-budget:<name>}:tat`, whose hash tag keeps
 * everything of one account in one Cluster slot. Times are microseconds.
 *
 * Each script starts with redis.replicate_commands(): Redis 3.2 to 4.x refuse a write after TIME
 * without it (Redis 5 and later do this by default, and accept the call).
 *
 * The key holds the schedule's "theoretical arrival time": when the next free slot starts. It has
 * no TTL on purpose: a missing key then means Redis lost its data (restart, failover, flush), and
 * the script starts the new schedule `fresh_floor` ahead so that it cannot overlap slots the old
 * Redis had already handed out.
 */

/**
 * KEYS[1] schedule key
 * ARGV[1] interval between slots (us)
 * ARGV[2] how far ahead this caller accepts a slot (us)
 * ARGV[3] fresh floor: where a lost schedule restarts, from now (us)
 * Returns { granted (1|0), delay until the slot, or until the next free slot when refused (us) }.
 */
export const RESERVE_SCRIPT = `
redis.replicate_commands()
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local stored = tonumber(redis.call('GET', KEYS[1]))
local tat = stored or (now + tonumber(ARGV[3]))
local slot = math.max(now, tat)
if slot - now > tonumber(ARGV[2]) then
  if stored == nil then redis.call('SET', KEYS[1], string.format('%.0f', tat)) end
  return {0, slot - now}
end
redis.call('SET', KEYS[1], string.format('%.0f', slot + tonumber(ARGV[1])))
return {1, slot - now}
`;

/**
 * KEYS[1] schedule key
 * ARGV[1] back-off (us): no slot starts before now + this. Used after a Throttling answer, and as
 *         the fence a replica sets when it leaves local fallback (past every slot that any replica
 *         may have granted locally).
 */
export const BACK_OFF_SCRIPT = `
redis.replicate_commands()
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local tat = tonumber(redis.call('GET', KEYS[1])) or now
redis.call('SET', KEYS[1], string.format('%.0f', math.max(tat, now + tonumber(ARGV[1]))))
return 1
`;

/**
 * KEYS[1] members key (a sorted set of replica ids by last heartbeat)
 * ARGV[1] this replica's id
 * ARGV[2] how long a silent replica still counts (us)
 * Returns how many replicas are alive: each one's share of the budget during a Redis outage.
 */
export const HEARTBEAT_SCRIPT = `
redis.replicate_commands()
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
redis.call('ZADD', KEYS[1], now, ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[2]))
redis.call('PEXPIRE', KEYS[1], math.floor(tonumber(ARGV[2]) / 1000) * 2)
return redis.call('ZCARD', KEYS[1])
`;
