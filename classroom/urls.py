from django.urls import path

from classroom import views

app_name = "classroom"

urlpatterns = [
    path("", views.index, name="index"),
    path("leaderboard/", views.leaderboard, name="leaderboard"),
]
