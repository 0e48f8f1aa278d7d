import asyncio

from django.conf import settings
from django.core.management.base import BaseCommand

from challenges.sandbox.server import SandboxServer, ServerConfig
from challenges.tcp import DjangoSandboxHandler


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
        try:
            asyncio.run(self._serve(options["host"], options["port"], config))
        except KeyboardInterrupt:
            self.stdout.write("Sandbox stopped.")

    async def _serve(self, host: str, port: int, config: ServerConfig) -> None:
        server = SandboxServer(DjangoSandboxHandler(), config)
        listener = await server.start(host, port)
        self.stdout.write(
            f"Sandbox listening on {host}:{server.port}. Try: curl -v http://{host}:{server.port}/books\n"
            f"Use Host: YOURKEY.{settings.SANDBOX_PUBLIC_HOST} to answer from your own bookshop."
        )
        async with listener:
            await listener.serve_forever()
