"""The site as production serves it, plus one Django hello world: the pages benchmark's WSGI app.

`gunicorn bench.pages_wsgi:application` serves `config.wsgi` with its own
settings, and answers `/bench/hello/` from a Django view that returns a short
text. That view passes through the same middleware, workers and database
settings as every page, so a page's ratio to it is the cost of the page alone.
The route is added to the site's URL list before the first request builds the
resolver; nothing outside the benchmark server sees it.
"""

from django.http import HttpResponse
from django.urls import path

from config.wsgi import application  # noqa: F401  (sets Django up with the site's settings)

HELLO_PATH = "/bench/hello/"


def hello(request):
    return HttpResponse(b"Hello, world\n", content_type="text/plain")


def _add_hello_route() -> None:
    from config import urls

    urls.urlpatterns.insert(0, path(HELLO_PATH.strip("/") + "/", hello, name="bench_hello"))


_add_hello_route()
