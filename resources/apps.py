from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResourcesConfig(AppConfig):
    name = "resources"
    verbose_name = _("Parcours, badges et guides")

    def ready(self):
        from wagtail.models import ReferenceIndex

        from . import checks  # noqa: F401 - registers the system checks
        from .models import BadgeClass

        # A badge's image must count as used (erasing a volunteer keeps a
        # photo a badge shows) even before the admin has registered the
        # badge viewsets, which is when Wagtail would index them.
        ReferenceIndex.register_model(BadgeClass)
