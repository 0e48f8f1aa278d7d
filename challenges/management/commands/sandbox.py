import asyncio
import errno
import gc
import os
import signal

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from challenges.sandbox.server import SandboxServer, ServerConfig
from challenges.tcp import DjangoSandboxHandler
from challenges.tcp_writer import ProcessWriter

STOP_GRACE = 5.0


def _cannot_listen(host: str, port: int, error: OSError, reuse_port: bool) -> str:
    """One plain sentence for a port that cannot be had, instead of a traceback."""
    reason = os.strerror(error.errno) if error.errno else str(error)
    text = f"Cannot listen on {host}:{port}: {reason}."
    if error.errno == errno.EADDRINUSE:
        text += (
            f" Another process holds port {port}. Stop it or choose another --port; to run "
            "several sandbox processes on one port, start every one of them with --reuse-port."
        )
        if reuse_port:
            text += (
                " This one was: the process holding the port was started without it, "
                "or by another user."
            )
    return text


class Command(BaseCommand):
    help = "Run the TCP sandbox server: raw HTTP/1.1 from curl, netcat or any client, answered by the sandbox."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=settings.SANDBOX_HOST)
        parser.add_argument("--port", type=int, default=settings.SANDBOX_PORT)
        parser.add_argument("--max-connections", type=int, default=ServerConfig.max_connections)
        parser.add_argument(
            "--max-connections-per-ip", type=int, default=ServerConfig.max_connections_per_ip
        )
        parser.add_argument(
            "--write-timeout",
            type=float,
            default=ServerConfig.write_timeout,
            help="seconds a client may leave an answer unread before it is closed",
        )
        parser.add_argument(
            "--max-unread-output",
            type=int,
            default=ServerConfig.max_unread_output,
            help="bytes of answers a client may leave unread before it is closed",
        )
        parser.add_argument(
            "--reuse-port",
            action="store_true",
            help="share the port with other sandbox processes started with --reuse-port "
            "(SO_REUSEPORT: the kernel spreads connections over them, one per core)",
        )

    def handle(self, *args, **options):
        config = ServerConfig(
            max_connections=options["max_connections"],
            max_connections_per_ip=options["max_connections_per_ip"],
            write_timeout=options["write_timeout"],
            max_unread_output=options["max_unread_output"],
        )
        asyncio.run(self._serve(options["host"], options["port"], config, options["reuse_port"]))

    async def _serve(self, host: str, port: int, config: ServerConfig, reuse_port: bool) -> None:
        loop = asyncio.get_running_loop()
        # Its own process writes the recorded exchanges, away from this event loop's GIL.
        writer = await loop.run_in_executor(None, ProcessWriter)
        handler = DjangoSandboxHandler(writer=writer)
        server = SandboxServer(handler, config)
        try:
            await server.start(host, port, reuse_port=reuse_port)
        except OSError as error:
            await loop.run_in_executor(None, handler.close)
            raise CommandError(_cannot_listen(host, port, error, reuse_port)) from None
        try:
            await self._until_stopped(loop, host, server.port)
        finally:
            # A stop loses nothing: requests under way are answered (for up to STOP_GRACE
            # seconds), then every exchange still queued for recording is written; and
            # the writer process ends with the handler, even if serving failed.
            await server.close(grace=STOP_GRACE)
            await loop.run_in_executor(None, handler.close)
        recorder, gate = handler.recorder, handler.gate
        self.stdout.write(
            f"Sandbox stopped; {recorder.written} exchanges recorded in {recorder.batches}"
            f" batches (the longest write {recorder.longest_write * 1000:.0f} ms)"
            + (f", {recorder.dropped} dropped" if recorder.dropped else "")
            + f"; {gate.asked} keyed requests asked the cache in {gate.trips} trips,"
            f" {handler.answered_from_reading} answered from a cached reading."
        )

    async def _until_stopped(self, loop, host: str, port: int) -> None:
        # What is loaded by now (Django, the app, the sandbox) lives as long as the process:
        # move it out of the collector's sight, or each full collection walks all of it
        # again (a 50 ms pause of every answer, measured, about every 2 s under load).
        gc.collect()
        gc.freeze()
        stop = asyncio.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, stop.set)
        self.stdout.write(
            f"Sandbox listening on {host}:{port}. Try: curl -v http://{host}:{port}/books\n"
            f"Use Host: YOURKEY.{settings.SANDBOX_PUBLIC_HOST} to answer from your own bookshop."
        )
        await stop.wait()
