"""deploy/nginx/ renders to a configuration that nginx itself accepts."""

import subprocess
from pathlib import Path

import pytest

from deploy.render import render
from tests.deploy.servers import NGINX, ROOT, nginx_prefix

STREAM_MODULE = Path("/usr/lib/nginx/modules/ngx_stream_module.so")
pytestmark = pytest.mark.skipif(not Path(NGINX).exists(), reason="nginx is not installed")


def _nginx_test(prefix, main_conf: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [NGINX, "-t", "-e", "stderr", "-p", str(prefix.path), "-c", str(main_conf)]
        + ["-g", prefix.global_directives],
        capture_output=True,
        text=True,
        timeout=30,
    )


def test_nginx_accepts_the_site_configuration(tmp_path):
    prefix = nginx_prefix(tmp_path, app_port=8000)
    result = _nginx_test(prefix, prefix.main_conf)
    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr


def test_the_site_configuration_buffers_and_bounds_slow_clients():
    site = (ROOT / "deploy/nginx/httpschool.conf").read_text()
    for directive in (
        "client_header_timeout 10s;",
        "client_body_timeout 10s;",
        "proxy_buffering on;",
        "proxy_request_buffering on;",
        "client_max_body_size 1m;",
        "proxy_set_header X-Forwarded-For $remote_addr;",
    ):
        assert directive in site


def test_nginx_refuses_a_broken_copy(tmp_path):
    """The check above can fail: one stray directive makes nginx -t say no."""
    prefix = nginx_prefix(tmp_path, app_port=8000)
    site = prefix.path / "httpschool.conf"
    site.write_text(site.read_text().replace("proxy_buffering on;", "proxy_buffering maybe;"))
    result = _nginx_test(prefix, prefix.main_conf)
    assert result.returncode != 0
    assert "proxy_buffering" in result.stderr


def test_render_names_missing_and_unknown_placeholders():
    with pytest.raises(
        ValueError, match=r"missing values for \['B'\].*not in the template: \['C'\]"
    ):
        render("@A@ and @B@", {"A": "1", "C": "3"})
    assert render("listen @PORT@;", {"PORT": "443"}) == "listen 443;"


@pytest.mark.skipif(not STREAM_MODULE.exists(), reason="nginx's stream module is not installed")
def test_nginx_accepts_the_sandbox_stream_block(tmp_path):
    prefix = nginx_prefix(tmp_path, app_port=8000)
    stream = render(
        (ROOT / "deploy/nginx/sandbox-stream.conf").read_text(),
        {"SANDBOX_UPSTREAM": "127.0.0.1:8080", "SANDBOX_LISTEN": "127.0.0.1:18080"},
    )
    main = prefix.path / "with-stream.conf"
    main.write_text(
        f"load_module {STREAM_MODULE};\n" + prefix.main_conf.read_text() + "\n" + stream
    )
    result = _nginx_test(prefix, main)
    assert result.returncode == 0, result.stderr
