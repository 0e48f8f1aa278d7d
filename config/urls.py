from django.contrib import admin
from django.urls import include, path

from accounts import views as account_views

urlpatterns = [
    path("", account_views.home, name="home"),
    path("accounts/", include("accounts.urls")),
    path("quiz/", include("quiz.urls")),
    path("challenges/", include("challenges.urls")),
    path("groups/", include("classroom.urls")),
    path("admin/", admin.site.urls),
]
