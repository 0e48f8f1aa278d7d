"""Run one function from many threads at once, each on its own database connection."""

import threading

from django.db import connections


def run_concurrently(function, times: int) -> list:
    """Call `function()` from `times` threads released together; return their results.

    An exception in a thread is returned as its result, so the caller sees it.
    """
    barrier = threading.Barrier(times)
    results = [None] * times

    def worker(index):
        try:
            barrier.wait()
            results[index] = function()
        except Exception as exc:  # returned to the test, which asserts on it
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results
