from django.urls import path

from quiz import views

app_name = "quiz"

urlpatterns = [
    path("", views.index, name="index"),
    path("start/", views.start, name="start"),
    path("runs/<int:run_id>/", views.run_detail, name="run"),
    path("runs/<int:run_id>/answer/", views.answer, name="answer"),
    path("runs/<int:run_id>/answers/<int:position>/", views.feedback, name="feedback"),
]
