from django.urls import path

from curriculum import views

app_name = "curriculum"

urlpatterns = [
    path("", views.path_index, name="path"),
    path("<slug:slug>/", views.unit_detail, name="unit"),
    path("<slug:slug>/read/", views.lesson_read, name="lesson_read"),
]
