"""Small typed readers for environment variables.

Each helper returns the parsed value or the default, and raises
ImproperlyConfigured naming the variable when a value is present but wrong:
a typo in production must stop the process, not be silently ignored.
"""

import ipaddress
import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    """Return the variable's value, or `default` when it is unset."""
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    """Return True/False for 1/0, true/false, yes/no, on/off (any case)."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use true or false).")


def env_int(
    name: str, default: int, *, minimum: int | None = None, maximum: int | None = None
) -> int:
    """Return the variable as an int within [minimum, maximum]."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        raise ImproperlyConfigured(f"{name}={value} is outside {minimum}..{maximum}.")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    """Return a comma-separated variable as a list of non-empty, stripped items."""
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


_PERIOD_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def env_rate(name: str, default: str) -> tuple[int, int]:
    """Return a rate like "5/h" or "30/15m" as (events, window in seconds)."""
    raw = os.environ.get(name, "").strip() or default
    count, _, period = raw.partition("/")
    unit, multiple = period[-1:], period[:-1] or "1"
    if not (count.isdigit() and multiple.isdigit() and unit in _PERIOD_SECONDS):
        raise ImproperlyConfigured(
            f"{name}={raw!r} is not a rate: write events/period, e.g. 5/h, 60/m or 30/15m."
        )
    if int(count) < 1 or int(multiple) < 1:
        raise ImproperlyConfigured(f"{name}={raw!r} must allow at least 1 event per period.")
    return int(count), int(multiple) * _PERIOD_SECONDS[unit]


def env_networks(name: str) -> list:
    """Return a comma-separated list of addresses or CIDR ranges as ip_network objects."""
    networks = []
    for item in env_list(name, []):
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ImproperlyConfigured(
                f"{name} has {item!r}, which is not an IP address or CIDR range."
            ) from None
    return networks
