from django.contrib import admin
from django.urls import include, path

from accounts import views as account_views
from classroom import views_me, views_review

urlpatterns = [
    path("", account_views.home, name="home"),
    path("dashboard/", views_me.dashboard, name="dashboard"),
    path("me/data.json", views_me.my_data, name="my_data"),
    path("learn/review/", views_review.review, name="review"),
    path("accounts/", include("accounts.urls")),
    path("learn/", include("curriculum.urls")),
    path("quiz/", include("quiz.urls")),
    path("challenges/", include("challenges.urls")),
    path("groups/", include("classroom.urls")),
    path("admin/", admin.site.urls),
]
