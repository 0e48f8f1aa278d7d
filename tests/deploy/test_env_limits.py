"""The environment readers behind the abuse limits and the trusted proxies fail loudly."""

import ipaddress

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import env_networks, env_rate


@pytest.mark.parametrize(
    "raw, expected",
    [("5/h", (5, 3600)), ("60/m", (60, 60)), ("30/15m", (30, 900)), ("2/d", (2, 86400))],
)
def test_env_rate_reads_events_per_period(monkeypatch, raw, expected):
    monkeypatch.setenv("RATE", raw)
    assert env_rate("RATE", "1/s") == expected


def test_env_rate_uses_the_default_when_unset(monkeypatch):
    monkeypatch.delenv("RATE", raising=False)
    assert env_rate("RATE", "5/h") == (5, 3600)


@pytest.mark.parametrize("raw", ["5", "5/week", "five/h", "0/h", "5/0m", "-1/h", "5/h/2"])
def test_env_rate_refuses_what_it_cannot_read_and_names_the_variable(monkeypatch, raw):
    monkeypatch.setenv("RATE", raw)
    with pytest.raises(ImproperlyConfigured, match="RATE="):
        env_rate("RATE", "5/h")


def test_env_networks_reads_addresses_and_ranges(monkeypatch):
    monkeypatch.setenv("PROXIES", "127.0.0.1, ::1,10.0.0.0/8")
    assert env_networks("PROXIES") == [
        ipaddress.ip_network("127.0.0.1/32"),
        ipaddress.ip_network("::1/128"),
        ipaddress.ip_network("10.0.0.0/8"),
    ]


def test_env_networks_refuses_a_host_name(monkeypatch):
    monkeypatch.setenv("PROXIES", "127.0.0.1,nginx.local")
    with pytest.raises(ImproperlyConfigured, match="'nginx.local'"):
        env_networks("PROXIES")
