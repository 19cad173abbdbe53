"""Open Badges endpoints under /badges/."""

app_name = "resources"
urlpatterns = []
