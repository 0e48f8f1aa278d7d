import asyncio
import signal

from django.conf import settings
from django.core.management.base import BaseCommand

from challenges.sandbox.server import SandboxServer, ServerConfig
from challenges.tcp import DjangoSandboxHandler

STOP_GRACE = 5.0


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

    def handle(self, *args, **options):
        config = ServerConfig(
            max_connections=options["max_connections"],
            max_connections_per_ip=options["max_connections_per_ip"],
            write_timeout=options["write_timeout"],
            max_unread_output=options["max_unread_output"],
        )
        asyncio.run(self._serve(options["host"], options["port"], config))

    async def _serve(self, host: str, port: int, config: ServerConfig) -> None:
        handler = DjangoSandboxHandler()
        server = SandboxServer(handler, config)
        await server.start(host, port)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, stop.set)
        self.stdout.write(
            f"Sandbox listening on {host}:{server.port}. Try: curl -v http://{host}:{server.port}/books\n"
            f"Use Host: YOURKEY.{settings.SANDBOX_PUBLIC_HOST} to answer from your own bookshop."
        )
        await stop.wait()
        # A stop loses nothing: requests under way are answered (for up to STOP_GRACE
        # seconds), then every exchange still queued for recording is written.
        await server.close(grace=STOP_GRACE)
        await loop.run_in_executor(None, handler.close)
        recorder, gate = handler.recorder, handler.gate
        self.stdout.write(
            f"Sandbox stopped; {recorder.written} exchanges recorded"
            + (f", {recorder.dropped} dropped" if recorder.dropped else "")
            + f"; {gate.asked} keyed requests asked the cache in {gate.trips} trips,"
            f" {handler.answered_from_reading} answered from a cached reading."
        )
