"""The entry point of the sandbox's writer process (challenges.tcp_writer.ProcessWriter).

A module of its own because a spawned process imports its target's module
before Django is set up: this one imports nothing from Django until it is.
"""

import signal


def writer_main(pipe) -> None:
    # A stop reaches the sandbox, which hands over its last batch and then closes the pipe.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    import django

    django.setup()
    from challenges.tcp_writer import writer_serve

    pipe.send("ready")
    writer_serve(pipe)
