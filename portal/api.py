"""Read-only public API (Wagtail API v2): pages only.

Each page type lists its public fields in ``api_fields``; nothing personal is
ever declared there. The images and documents endpoints are left out on
purpose: they would list every file of the library, volunteers' photos and
documents of private collections included.
"""

from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet

api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PagesAPIViewSet)
