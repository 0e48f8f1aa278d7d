"""The site's URLs plus one test page holding a unit's try-it boxes, as a lesson would.

The lesson page belongs to the path; this page lets the boxes be tested on
their own, several at once, with the site's real base template and scripts.
"""

from django.http import HttpResponse
from django.template import engines
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns
from curriculum.models import Unit

PAGE = engines["django"].from_string(
    '{% extends "base.html" %}{% block content %}<h1>Try-it boxes</h1>'
    "{% for box in unit.lesson.try_its %}"
    '{% include "curriculum/_try_it.html" with unit=unit try=box %}'
    "{% endfor %}{% endblock %}"
)


def boxes_page(request, slug):
    unit = Unit.objects.select_related("lesson").get(slug=slug)
    return HttpResponse(PAGE.render({"unit": unit}, request))


urlpatterns = [*site_urlpatterns, path("test/try-it/<slug:slug>/", boxes_page)]
