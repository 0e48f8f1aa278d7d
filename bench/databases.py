"""The benches' own PostgreSQL databases: made on first use, so `make bench` runs on a new machine."""


def database_ensure(url: str) -> None:
    """Create the database `url` names if it does not exist yet (its tables come from migrate)."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        found = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not found:
            connection.execute(f'CREATE DATABASE "{name}"')
