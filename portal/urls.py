from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from events.fediverse import views as fediverse_views
from resources.downloads import serve_document

from . import views
from .api import api_router

handler404 = "portal.views.page_not_found"
handler500 = "portal.views.server_error"

urlpatterns = [
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    # Guides' downloads: Wagtail's view with the safe headers of resources.downloads.
    path(
        "documents/<int:document_id>/<str:document_filename>",
        serve_document,
        name="document_serve_safely",
    ),
    path("documents/", include(wagtaildocs_urls)),
    path("recherche/", views.search, name="search"),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("sante/", views.health_check, name="health_check"),
    path("api/v2/", api_router.urls),
    path("agenda/", include("events.urls")),
    # The agenda on the fediverse (events.fediverse).
    path(".well-known/webfinger", fediverse_views.webfinger, name="webfinger"),
    path("ap/", include("events.fediverse.urls")),
    path("badges/", include("resources.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
