from django.urls import path

from challenges import views, views_try

app_name = "challenges"

urlpatterns = [
    path("", views.index, name="index"),
    path("sandbox/", views.sandbox_info, name="sandbox"),
    path("sandbox/reset/", views.sandbox_reset_view, name="sandbox_reset"),
    path("try/", views_try.try_view, name="try"),
    path("submissions/<int:submission_id>/", views.submission_detail, name="submission"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/send/", views.send, name="send"),
    path("<slug:slug>/grade-tcp/", views.grade_tcp, name="grade_tcp"),
    path("<slug:slug>/hint/", views.hint, name="hint"),
    path("<slug:slug>/give-up/", views.give_up, name="give_up"),
    path("<slug:slug>/restart/", views.restart, name="restart"),
    path("<slug:slug>/history/", views.history, name="history"),
]
