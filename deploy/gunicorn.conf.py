"""gunicorn settings for production: `gunicorn -c deploy/gunicorn.conf.py config.wsgi`.

Why threads: a sync worker reads a request's head itself, so one client that
sends its headers a byte a second holds a whole worker until gunicorn's timeout
kills it (two such clients stalled a 4-worker site for 31 s). A gthread worker
waits for the first bytes in its poller and gives each connection a thread, so
a slow client holds one thread out of WORKERS x THREADS, not a process. That is
a margin, not a cure: gunicorn has no deadline for reading a head. The cure is
the buffering proxy in deploy/nginx.conf, which reads every request in full
(with its own header and body timeouts) before it reaches gunicorn.

Every number can be overridden from the environment (GUNICORN_*), and a bad
value stops gunicorn with a message naming the variable.
"""

import os


def _int(name: str, default: int, minimum: int = 1) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SystemExit(f"{name}={raw!r} is not a whole number.") from None
    if value < minimum:
        raise SystemExit(f"{name}={value} is below its minimum of {minimum}.")
    return value


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
worker_class = "gthread"
# Threads do the waiting, so one process per core is enough. Each thread may
# keep a database connection open (DATABASE_CONN_MAX_AGE), so WORKERS x THREADS
# must stay under PostgreSQL's max_connections (100 by default) with room for
# the sandbox and manage.py; past that, put PgBouncer in between.
workers = _int("GUNICORN_WORKERS", max(2, os.cpu_count() or 1))
threads = _int("GUNICORN_THREADS", 32)
# Connections one worker keeps open at once (waiting, kept alive or in a thread).
worker_connections = _int("GUNICORN_WORKER_CONNECTIONS", 1000)

# A request that has not finished in `timeout` seconds restarts its worker.
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# Idle kept-alive connections are closed after this many seconds. nginx keeps
# its own pool of upstream connections, so this is its idle limit too.
keepalive = _int("GUNICORN_KEEPALIVE", 5)

# The same head limits nginx applies in front (8 KiB lines, 100 fields).
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190

# Restart workers now and then, so a slow leak can never grow without bound.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 200, minimum=0)

# Only the proxy on this machine may say the request came over https.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# "-" logs each request to stdout; GUNICORN_ACCESSLOG=off turns that off (nginx logs them too).
_accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-")
accesslog = None if _accesslog == "off" else _accesslog
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")

# gunicorn 27 opens a control socket in ~/.gunicorn by default, one path for
# every instance of the same user; the site is managed with signals instead.
control_socket_disable = True
