"""One trip to the cache for every keyed request waiting at the same moment.

Each keyed request needs two answers from the cache shared by every sandbox
process: its count in the key's rate window (challenges.tcp's limit), and the
learner's current mark (accounts.learner_marks), which says whether a cached
reading of the learner is still current. A round trip to Redis costs about as
much as answering a request, so the gate does not ask once per request: the
requests that arrive while one trip is under way wait together and go in the
next one, as a single pipeline. Under load a trip carries dozens of requests;
alone, a request waits for one trip, as it would without batching.

Without Redis the cache is Django's local memory and the gate asks it directly.
If Redis fails, the gate says so (`Gate.mark` is None): the request is then
neither counted nor answered from a cached reading, so it reads the database,
and the connection limits still bound the traffic.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from django.core.cache import cache

from accounts.learner_marks import MARK_SECONDS, mark_name, redis_client

log = logging.getLogger(__name__)

RATE_WINDOW_SECONDS = 60


@dataclass(frozen=True)
class Gate:
    count: int  # requests with this key in the current window, this one included (0: not counted)
    mark: str | None  # the learner's mark, None when the cache could not say
    window_ends: float  # Unix time at which the count starts again


def counter_name(key: str, window: int) -> str:
    return f"challenges:tcp-requests:{key}:{window}"


def gates_read(keys: list[str], *, now: float | None = None) -> list[Gate]:
    """Count one request for each key (a key may repeat) and read each learner's mark."""
    now = time.time() if now is None else now
    window = int(now // RATE_WINDOW_SECONDS)
    ends = (window + 1) * RATE_WINDOW_SECONDS
    try:
        client = redis_client()
        if client is None:
            return [Gate(*_local_read(key, window), ends) for key in keys]
        return [Gate(count, mark, ends) for count, mark in _redis_read(client, keys, window)]
    except Exception:
        log.exception("the sandbox could not reach the cache for %d keyed requests", len(keys))
        return [Gate(0, None, ends) for _ in keys]


def _local_read(key: str, window: int) -> tuple[int, str | None]:
    counter = counter_name(key, window)
    for _ in range(2):
        cache.add(counter, 0, timeout=RATE_WINDOW_SECONDS + 5)
        try:
            count = cache.incr(counter)
            break
        except ValueError:  # evicted between add and incr: add it again
            continue
    else:
        return 0, None
    name = mark_name(key)
    cache.add(name, secrets.token_hex(8), MARK_SECONDS)
    return count, cache.get(name)


# For each (counter, mark) pair of KEYS: count the request (the counter lapses with its
# window) and read the mark, setting the fresh one given in ARGV when there is none.
_GATE_SCRIPT = """
local answers = {}
for i = 1, #KEYS, 2 do
  local count = redis.call('INCR', KEYS[i])
  if count == 1 then redis.call('EXPIRE', KEYS[i], ARGV[1]) end
  local mark = redis.call('GET', KEYS[i + 1])
  if not mark then
    mark = ARGV[2 + (i + 1) / 2]
    redis.call('SET', KEYS[i + 1], mark, 'EX', ARGV[2])
  end
  answers[#answers + 1] = count
  answers[#answers + 1] = mark
end
return answers
"""
_scripts: dict[int, object] = {}


def _redis_read(client, keys: list[str], window: int) -> list[tuple[int, str]]:
    """One round trip, one command, for every key (a script, so Redis does the loop)."""
    script = _scripts.get(id(client))
    if script is None:
        script = _scripts[id(client)] = client.register_script(_GATE_SCRIPT)
    names = []
    for key in keys:
        names += [cache.make_key(counter_name(key, window)), mark_name(key)]
    fresh = [secrets.token_hex(8) for _ in keys]
    answers = script(keys=names, args=[RATE_WINDOW_SECONDS + 5, MARK_SECONDS, *fresh])
    return [(answers[i], answers[i + 1].decode()) for i in range(0, len(answers), 2)]


class RequestGate:
    """Asks the cache for the requests of one event loop, one trip at a time (see above)."""

    def __init__(self):
        self._waiting: list[tuple[str, asyncio.Future]] = []
        self._busy = False
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sandbox-gate")
        self.trips = 0
        self.asked = 0

    async def check(self, key: str) -> Gate:
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        self._waiting.append((key, future))
        if not self._busy:
            self._busy = True
            loop.create_task(self._trips())
        return await future

    async def _trips(self) -> None:
        loop = asyncio.get_running_loop()
        try:
            while self._waiting:
                batch, self._waiting = self._waiting, []
                keys = [key for key, _ in batch]
                try:
                    gates = await loop.run_in_executor(self._executor, gates_read, keys)
                except Exception as error:  # gates_read answers failures itself; this is a bug
                    for _, future in batch:
                        if not future.done():
                            future.set_exception(error)
                    continue
                self.trips += 1
                self.asked += len(batch)
                for (_, future), gate in zip(batch, gates, strict=True):
                    if not future.done():  # its connection may have been cancelled meanwhile
                        future.set_result(gate)
        finally:
            self._busy = False

    def close(self) -> None:
        self._executor.shutdown(wait=True)
