from django.urls import path

from . import views

app_name = "convention_report"
urlpatterns = [
    path("", views.ReportView.as_view(), name="index"),
    path("impression/", views.print_view, name="print"),
    path("export.<str:export_format>", views.export, name="export"),
    path(
        "presences.<str:export_format>",
        views.attendance_export,
        name="attendance",
    ),
]
