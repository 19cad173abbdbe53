"""The Content-Security-Policy of each part of the site.

Public pages get `CONTENT_SECURITY_POLICY` (nothing inline, nothing from
elsewhere). The Wagtail and Django admins get their own policy,
`ADMIN_CONTENT_SECURITY_POLICY`, the same base with only the relaxations
Wagtail's admin needs to work (each one explained in the settings). A view
may still adjust its own response with django-csp's decorators
(`csp_replace`, `csp_update`, `csp_override`): they apply to either policy.
"""

from csp.middleware import CSPMiddleware
from csp.utils import default_config
from django.conf import settings


def admin_prefixes():
    return tuple(settings.ADMIN_CONTENT_SECURITY_POLICY["URL_PREFIXES"])


class PortalCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if (
            not report_only
            and parts.config is None
            and request.path_info.startswith(admin_prefixes())
        ):
            parts.config = default_config(
                settings.ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"]
            )
        return parts
