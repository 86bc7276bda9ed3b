"""The shared queue for several web workers: `GateStore` on Redis, one Lua script a transition.

Each transition (submit, dispatch with reaping, heartbeat, charge, release,
quota check-and-count) runs as one Lua script, so Redis applies it atomically
and two workers never both take the last slot. The scripts follow `gate.fair`
rule for rule (the same exact sequences are tested on both). They assume
MAX_RUNNING = MAX_WAITING = 1 (one running and one waiting ticket a learner).

Keys, all under `prefix` (default `precepteur:gate`; one Redis can hold several
installations): `:counters` (learner -> virtual counter), `:meta` (seq,
last_left), `:wait` / `:run` (ticket id -> JSON ticket), `:wl` / `:rl`
(learner -> waiting / running ticket id), `:seen` (waiting ticket -> last
heartbeat), `:lease` (running ticket -> lease end), `:started`, `:gen`
(tokens generated so far), `:q:<counter>` (quota counters, expiring with their
window), `:timings` (list), `:waits` and `:floors` (sorted sets by time). The prefix is passed
as KEYS[1] and the scripts derive the others from it: this is a single Redis,
not a cluster.

redis-py is imported when the store is built (`pip install redis`).
"""

from __future__ import annotations

import json
import uuid

from .eta import ENTRY_WINDOW_S, Timing
from .fair import MAX_RUNNING, MAX_WAITING, Ticket
from .quota import WINDOWS, Decision, Quota, counter_key, reset_in
from .store import (
    HEARTBEAT_TIMEOUT_S, LEASE_TTL_S, RUNNING, TIMINGS_KEPT, WAIT_WINDOW_S, WAITING, Bounds, Dispatched,
    GateStore, RunningTicket, Snapshot,
)

DEFAULT_PREFIX = "precepteur:gate"

_COMMON = r"""
local P = KEYS[1]
local function num(v) if v then return tonumber(v) end return 0 end
local function fmt(x) return string.format('%.17g', x) end
local function counter(learner) return num(redis.call('HGET', P..':counters', learner)) end
local function backlogged(learner)
  return redis.call('HEXISTS', P..':wl', learner) == 1 or redis.call('HEXISTS', P..':rl', learner) == 1
end
local function forget(tid)
  local found = false
  for _, names in ipairs({{':run', ':rl'}, {':wait', ':wl'}}) do
    local raw = redis.call('HGET', P..names[1], tid)
    if raw and not found then
      found = cjson.decode(raw)
      redis.call('HDEL', P..names[1], tid)
      if redis.call('HGET', P..names[2], found.learner) == tid then redis.call('HDEL', P..names[2], found.learner) end
    end
  end
  redis.call('HDEL', P..':seen', tid)
  redis.call('HDEL', P..':lease', tid)
  redis.call('HDEL', P..':started', tid)
  redis.call('HDEL', P..':gen', tid)
  if found and not backlogged(found.learner) then
    redis.call('HSET', P..':meta', 'last_left', fmt(counter(found.learner)))
  end
  return found
end
"""

SUBMIT = _COMMON + r"""
local t = cjson.decode(ARGV[1])
local max_requests, max_tokens, now = tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4]
if redis.call('HEXISTS', P..':wl', t.learner) == 1 then return 'learner_busy' end
local waiting = redis.call('HVALS', P..':wait')
if #waiting >= max_requests then return 'queue_full' end
local total = t.prompt_tokens
for _, raw in ipairs(waiting) do total = total + cjson.decode(raw).prompt_tokens end
if total > max_tokens then return 'queue_full' end
if not backlogged(t.learner) then
  local floor = nil
  for _, v in ipairs(redis.call('HKEYS', P..':wl')) do
    if v ~= t.learner then
      local c = counter(v)
      if floor == nil or c < floor then floor = c end
    end
  end
  if floor == nil then floor = num(redis.call('HGET', P..':meta', 'last_left')) end
  local own = counter(t.learner)
  if floor > own then own = floor end
  redis.call('HSET', P..':counters', t.learner, fmt(own))
end
t.seq = redis.call('HINCRBY', P..':meta', 'seq', 1)
redis.call('HSET', P..':wait', t.id, cjson.encode(t))
redis.call('HSET', P..':wl', t.learner, t.id)
redis.call('HSET', P..':seen', t.id, now)
return 'ok'
"""

DISPATCH = _COMMON + r"""
local now, slots, policy = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3]
local ttl, timeout = tonumber(ARGV[4]), tonumber(ARGV[5])
local dropped = {}
local seen = redis.call('HGETALL', P..':seen')
for i = 1, #seen, 2 do
  if now - tonumber(seen[i + 1]) > timeout then table.insert(dropped, seen[i]) end
end
local leases = redis.call('HGETALL', P..':lease')
for i = 1, #leases, 2 do
  if tonumber(leases[i + 1]) < now then table.insert(dropped, leases[i]) end
end
for _, tid in ipairs(dropped) do forget(tid) end
local started = {}
local free = slots - redis.call('HLEN', P..':run')
while free > 0 do
  local best, best_raw, best_c = nil, nil, nil
  local waiting = redis.call('HGETALL', P..':wait')
  for i = 1, #waiting, 2 do
    local t = cjson.decode(waiting[i + 1])
    if redis.call('HEXISTS', P..':rl', t.learner) == 0 then
      local c = 0
      if policy ~= 'fcfs' then c = counter(t.learner) end
      if best == nil or c < best_c or (c == best_c and t.seq < best.seq) then
        best, best_raw, best_c = t, waiting[i + 1], c
      end
    end
  end
  if best == nil then break end
  redis.call('HSET', P..':counters', best.learner, fmt(counter(best.learner) + best.prompt_tokens / best.weight))
  redis.call('HDEL', P..':wait', best.id)
  redis.call('HDEL', P..':wl', best.learner)
  redis.call('HDEL', P..':seen', best.id)
  redis.call('HSET', P..':run', best.id, best_raw)
  redis.call('HSET', P..':rl', best.learner, best.id)
  redis.call('HSET', P..':lease', best.id, fmt(now + ttl))
  redis.call('HSET', P..':started', best.id, fmt(now))
  table.insert(started, best.id)
  free = free - 1
end
return {started, dropped}
"""

HEARTBEAT = _COMMON + r"""
local now, ttl = tonumber(ARGV[1]), tonumber(ARGV[2])
for i = 3, #ARGV do
  local tid = ARGV[i]
  if redis.call('HEXISTS', P..':wait', tid) == 1 then
    redis.call('HSET', P..':seen', tid, fmt(now))
  elseif redis.call('HEXISTS', P..':run', tid) == 1 then
    redis.call('HSET', P..':lease', tid, fmt(now + ttl))
  end
end
return 1
"""

CHARGE = _COMMON + r"""
local raw = redis.call('HGET', P..':run', ARGV[1])
if not raw then return 0 end
local t = cjson.decode(raw)
redis.call('HSET', P..':counters', t.learner, fmt(counter(t.learner) + 2 * tonumber(ARGV[2]) / t.weight))
redis.call('HSET', P..':gen', ARGV[1], ARGV[3])
return 1
"""

RELEASE = _COMMON + r"""
if forget(ARGV[1]) then return 1 end
return 0
"""

# KEYS[2..]: counters; ARGV: ttl, amount, limit (-1: none) for each counter.
CONSUME = r"""
for i = 2, #KEYS do
  local amount, limit = tonumber(ARGV[3 * (i - 2) + 2]), tonumber(ARGV[3 * (i - 2) + 3])
  if limit >= 0 and tonumber(redis.call('GET', KEYS[i]) or '0') + amount > limit then return i - 1 end
end
for i = 2, #KEYS do
  redis.call('INCRBY', KEYS[i], ARGV[3 * (i - 2) + 2])
  redis.call('EXPIRE', KEYS[i], ARGV[3 * (i - 2) + 1])
end
return 0
"""


class RedisGateStore(GateStore):
    """The queue in Redis, shared by every worker pointed at the same URL and prefix."""

    def __init__(self, url: str, slots: int, policy: str = "vtc", *, prefix: str = DEFAULT_PREFIX) -> None:
        super().__init__(slots, policy)
        assert MAX_RUNNING == 1 and MAX_WAITING == 1, "the Lua scripts assume one running and one waiting"
        try:
            import redis
        except ImportError:
            from ..errors import PrecepteurError

            raise PrecepteurError("gate.redis_missing") from None
        self.redis = redis.Redis.from_url(url, decode_responses=True)
        self.prefix = prefix
        self._submit = self.redis.register_script(SUBMIT)
        self._dispatch = self.redis.register_script(DISPATCH)
        self._heartbeat = self.redis.register_script(HEARTBEAT)
        self._charge = self.redis.register_script(CHARGE)
        self._release = self.redis.register_script(RELEASE)
        self._consume = self.redis.register_script(CONSUME)

    def _key(self, name: str) -> str:
        return f"{self.prefix}:{name}"

    def submit(self, ticket: Ticket, bounds: Bounds, now: float) -> str | None:
        answer = self._submit(keys=[self.prefix], args=[
            json.dumps(ticket.to_dict()), bounds.max_waiting_requests, bounds.max_waiting_tokens, repr(now)])
        return None if answer == "ok" else answer

    def dispatch(self, now: float) -> Dispatched:
        started, dropped = self._dispatch(keys=[self.prefix], args=[
            repr(now), self.slots, self.policy, LEASE_TTL_S, HEARTBEAT_TIMEOUT_S])
        return Dispatched(list(started), list(dropped))

    def states(self, ticket_ids: list[str]) -> dict[str, str | None]:
        if not ticket_ids:
            return {}
        pipe = self.redis.pipeline(transaction=True)
        for tid in ticket_ids:
            pipe.hexists(self._key("run"), tid)
            pipe.hexists(self._key("wait"), tid)
        flags = pipe.execute()
        return {tid: RUNNING if flags[2 * i] else (WAITING if flags[2 * i + 1] else None)
                for i, tid in enumerate(ticket_ids)}

    def heartbeat(self, ticket_ids: list[str], now: float) -> None:
        if ticket_ids:
            self._heartbeat(keys=[self.prefix], args=[repr(now), LEASE_TTL_S, *ticket_ids])

    def charge(self, ticket_id: str, tokens: float, generated: int) -> None:
        self._charge(keys=[self.prefix], args=[ticket_id, repr(float(tokens)), int(generated)])

    def release(self, ticket_id: str) -> bool:
        return bool(self._release(keys=[self.prefix], args=[ticket_id]))

    def snapshot(self) -> Snapshot:
        pipe = self.redis.pipeline(transaction=True)
        for name in ("wait", "run", "started", "gen", "counters"):
            pipe.hgetall(self._key(name))
        waiting, running, started, generated, counters = pipe.execute()
        counters = {k: float(v) for k, v in counters.items()}
        tickets = [Ticket.from_dict(json.loads(raw)) for raw in waiting.values()]
        if self.policy == "fcfs":
            tickets.sort(key=lambda t: t.seq)
        else:
            tickets.sort(key=lambda t: (counters.get(t.learner, 0.0), t.seq))
        runs = [RunningTicket(Ticket.from_dict(json.loads(raw)), float(started.get(tid, 0.0)),
                              int(generated.get(tid, 0))) for tid, raw in running.items()]
        return Snapshot(tickets, runs, counters)

    def _counters(self, learner: str, now: float, quota: Quota | None, tokens: int):
        limits = {(w, k): v for w, k, v in (quota.limits() if quota else [])}
        keys, args, names = [], [], []
        for window in WINDOWS:
            for kind in ("requests", "tokens"):
                keys.append(self._key("q:" + counter_key(learner, window, kind, now)))
                amount = (1 if kind == "requests" else tokens) if quota is not None else (
                    0 if kind == "requests" else tokens)
                args += [WINDOWS[window] + 60, amount, limits.get((window, kind), -1)]
                names.append((window, kind))
        return keys, args, names

    def consume(self, learner: str, quota: Quota, tokens: int, now: float) -> Decision:
        keys, args, names = self._counters(learner, now, quota, tokens)
        failed = int(self._consume(keys=[self.prefix, *keys], args=args))
        if failed == 0:
            return Decision(True)
        window, kind = names[failed - 1]
        limit = dict(((w, k), v) for w, k, v in quota.limits())[(window, kind)]
        return Decision(False, reset_in(window, now), window, kind, limit)

    def add_tokens(self, learner: str, tokens: int, now: float) -> None:
        keys, args, _names = self._counters(learner, now, None, tokens)
        self._consume(keys=[self.prefix, *keys], args=args)

    def record_timing(self, timing: Timing) -> None:
        pipe = self.redis.pipeline(transaction=True)
        pipe.rpush(self._key("timings"), json.dumps(timing.to_dict()))
        pipe.ltrim(self._key("timings"), -TIMINGS_KEPT, -1)
        pipe.execute()

    def _keep(self, name: str, value: float, now: float, window_s: float) -> None:
        """Add `value` at time `now` to the sorted set `name`, dropping members older than `window_s`."""
        pipe = self.redis.pipeline(transaction=True)
        pipe.zadd(self._key(name), {f"{value!r}:{uuid.uuid4().hex[:8]}": now})
        pipe.zremrangebyscore(self._key(name), "-inf", now - window_s)
        pipe.execute()

    def record_wait(self, waited_s: float, now: float) -> None:
        self._keep("waits", waited_s, now, WAIT_WINDOW_S)

    def record_floor(self, floor: float, now: float) -> None:
        self._keep("floors", floor, now, ENTRY_WINDOW_S)

    def floors(self, now: float) -> list[tuple[float, float]]:
        members = self.redis.zrangebyscore(self._key("floors"), now - ENTRY_WINDOW_S, "+inf", withscores=True)
        return [(float(at), float(m.split(":", 1)[0])) for m, at in members]

    def timings(self) -> list[Timing]:
        return [Timing.from_dict(json.loads(raw)) for raw in self.redis.lrange(self._key("timings"), 0, -1)]

    def waits(self, now: float) -> list[float]:
        members = self.redis.zrangebyscore(self._key("waits"), now - WAIT_WINDOW_S, "+inf")
        return [float(m.split(":", 1)[0]) for m in members]

    def clear(self) -> None:
        """Delete every key of this prefix (tests, and `precepteur gate reset`)."""
        for key in self.redis.scan_iter(f"{self.prefix}:*"):
            self.redis.delete(key)

    def close(self) -> None:
        self.redis.close()
