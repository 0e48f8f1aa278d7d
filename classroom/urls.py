from django.urls import path

from classroom import views, views_progress, views_sets

app_name = "classroom"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("join/", views.join, name="join"),
    path("join/<str:join_code>/", views.join, name="join_link"),
    path("leaderboard/", views.leaderboard, name="leaderboard"),
    path("sets/", views_sets.set_list, name="sets"),
    path("sets/new/", views_sets.set_edit, name="set_create"),
    path("sets/<int:set_id>/edit/", views_sets.set_edit, name="set_edit"),
    path("<int:group_id>/", views.detail, name="detail"),
    path("<int:group_id>/leave/", views.leave, name="leave"),
    path("<int:group_id>/code/", views.regenerate_code, name="regenerate_code"),
    path("<int:group_id>/assign/", views.assign, name="assign"),
    path(
        "<int:group_id>/members/<str:username>/remove/", views.remove_member, name="remove_member"
    ),
    path("<int:group_id>/members/<str:username>/role/", views.set_role, name="set_role"),
    path("<int:group_id>/assignments/<int:assignment_id>/", views_progress.matrix, name="matrix"),
    path(
        "<int:group_id>/assignments/<int:assignment_id>/progress.csv",
        views_progress.matrix_csv,
        name="matrix_csv",
    ),
    path(
        "<int:group_id>/assignments/<int:assignment_id>/board/",
        views.assignment_leaderboard,
        name="assignment_board",
    ),
    path("<int:group_id>/assignments/<int:assignment_id>/remove/", views.unassign, name="unassign"),
    path(
        "<int:group_id>/assignments/<int:assignment_id>/members/<str:username>/items/<int:item_id>/",
        views_progress.cell,
        name="cell",
    ),
]
