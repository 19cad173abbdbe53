"""Template tags used by every app: navigation, breadcrumbs, footer, and the
French hour and day (`portal/formats`)."""

from django import template
from django.db.models import Exists, OuterRef
from django.db.models.functions import Length, Substr
from django.template.defaulttags import CsrfTokenNode
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, PageViewRestriction

from home.models import Partner, PortalSettings
from portal import formats, fragments, routing

register = template.Library()

# Footer links, in this order, found by slug under the home page.
FOOTER_SLUGS = [
    ("a-propos", _("À propos")),
    ("mentions-legales", _("Mentions légales")),
    ("donnees-personnelles", _("Données personnelles")),
    ("accessibilite", _("Accessibilité : partiellement conforme")),
]


def _request_cache(context, key, compute):
    """Compute once per request: header, footer and blocks share the result."""
    request = context.get("request")
    store = getattr(request, "_portal_cache", None) if request else None
    if store is None:
        store = {}
        if request is not None:
            request._portal_cache = store
    if key not in store:
        store[key] = compute(request)
    return store[key]


def _top_pages(context):
    """The home page's live, public children: one query for menu and footer,
    kept per process while no purge of the page cache says they changed
    (`portal.routing.site_memo`)."""

    def compute(request):
        site = routing.find_site(request)
        if site is None:
            return []
        pages = Page.objects.live().child_of(site.root_page).order_by("path")
        if not routing.known_unrestricted(request):
            # Same result as `.public()`, in the one query: a page is left
            # out when it or one of its ancestors carries a view restriction.
            restricted = PageViewRestriction.objects.filter(
                page__path=Substr(OuterRef("path"), 1, Length("page__path"))
            )
            pages = pages.filter(~Exists(restricted))
        return tuple(pages)

    def memo(request):
        if request is None:
            return ()
        host = (request._get_raw_host(), request.get_port())
        return routing.site_memo(
            request, ("top-pages", *host), lambda: compute(request)
        )

    return _request_cache(context, "top_pages", memo)


def _top_links(context):
    """(slug, url, title, shown in menus) of each top page, kept like them."""
    request = context.get("request")

    def compute():
        return tuple(
            (page.slug, page.get_url(request), page.title, page.show_in_menus)
            for page in _top_pages(context)
        )

    if request is None:
        return compute()
    host = (request._get_raw_host(), request.get_port())
    return routing.site_memo(request, ("top-links", *host), compute)


@register.simple_tag(takes_context=True)
def main_menu_items(context):
    request = context.get("request")
    path = request.path if request else ""
    return [
        {"url": url, "label": title, "current": path.startswith(url)}
        for _slug, url, title, in_menus in _top_links(context)
        if in_menus
    ]


@register.simple_tag(takes_context=True)
def footer_partners(context):
    return _request_cache(
        context,
        "partners",
        lambda request: routing.site_memo(
            request, "partners", lambda: tuple(Partner.objects.all())
        ),
    )


@register.simple_tag(takes_context=True)
def portal_settings(context):
    """The site's `PortalSettings` (the legal pages' « site info » blocks,
    the footer), kept per process like the menu: Wagtail's `settings`
    context variable reads them from the database on every render. None
    without a site. Read-only."""

    def read(request):
        site = routing.find_site(request)
        if site is None:
            return None
        return routing.site_memo(
            request,
            ("portal-settings", site.pk),
            lambda: PortalSettings.for_site(site),
        )

    # Once per request too, where no site memo is kept (`make run`).
    return _request_cache(context, "portal-settings", read)


@register.simple_tag(takes_context=True)
def footer_text(context):
    """The footer's lead text (the site's `PortalSettings`)."""
    site_settings = portal_settings(context)
    return site_settings.footer_text if site_settings else ""


@register.simple_tag(takes_context=True)
def footer_links(context):
    by_slug = {slug: url for slug, url, _title, _menus in _top_links(context)}
    return [
        {"url": by_slug[slug], "label": label}
        for slug, label in FOOTER_SLUGS
        if slug in by_slug
    ]


def _routed_ancestors(page):
    """The page's ancestors below the tree's root, from the home page down,
    as routing them left them (portal.routing: each page knows its parent),
    or None when they are not all known."""
    ancestors = []
    parent = page.__dict__.get("_cached_parent_obj")
    while parent is not None and parent.depth > 1:
        ancestors.append(parent)
        parent = parent.__dict__.get("_cached_parent_obj")
    if not ancestors or ancestors[-1].depth != 2:
        return None
    return ancestors[::-1]


@register.inclusion_tag("includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context, page, current_title=None):
    ancestors = _routed_ancestors(page)
    if ancestors is None:
        ancestors = page.get_ancestors().filter(depth__gt=1)
    return {
        "ancestors": ancestors,
        "current_title": current_title or page.title,
        "request": context.get("request"),
    }


@register.filter
def heure(value):
    """« 9 h 30 » in local time, with non-breaking spaces."""
    return formats.time_of_day(value, html=True)


@register.filter
def jour(value, arg=""):
    """« samedi 6 décembre 2026 » in local time; `|jour:"court"` leaves the
    year out (« samedi 6 décembre »)."""
    return formats.day(value, year=arg != "court")


class FragmentNode(template.Node):
    def __init__(self, nodelist, parts, site_wide=False):
        self.nodelist = nodelist
        self.parts = parts
        self.site_wide = site_wide
        # A form's CSRF token is each visitor's own: the fragment keeps a
        # placeholder, replaced by this visitor's token once rendered.
        self.has_csrf = bool(nodelist.get_nodes_by_type(CsrfTokenNode))

    def render(self, context):
        name, *parts = [part.resolve(context) for part in self.parts]
        if not self.has_csrf:
            return fragments.get_or_render(
                context.get("request"),
                name,
                parts,
                lambda: self.nodelist.render(context),
                site_wide=self.site_wide,
            )

        def render():
            with context.push(csrf_token=fragments.CSRF_PLACEHOLDER):
                return self.nodelist.render(context)

        html = fragments.get_or_render(
            context.get("request"), name, parts, render, site_wide=self.site_wide
        )
        token = context.get("csrf_token")
        return mark_safe(  # noqa: S308 - the placeholder sits in a value="…"
            html.replace(fragments.CSRF_PLACEHOLDER, conditional_escape(str(token)))
            if token and str(token) != "NOTPROVIDED"
            else html.replace(fragments.CSRF_PLACEHOLDER, "")
        )


@register.tag("fragment")
def fragment(parser, token):
    """`{% fragment "name" key… [site_wide] %}…{% endfragment %}`: the
    enclosed HTML, rendered once per content generation for each key
    (`portal.fragments`). Wrap only what is the same for every visitor.
    `site_wide`: a part of every page (menu, footer) that shows nothing a
    scoped purge changes (seats), kept across the pages of every scope."""
    parts = token.split_contents()[1:]
    site_wide = bool(parts) and parts[-1] == "site_wide"
    if site_wide:
        parts = parts[:-1]
    if not parts:
        raise template.TemplateSyntaxError("fragment needs a name")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(
        nodelist, [parser.compile_filter(part) for part in parts], site_wide
    )


@register.filter
def section(path):
    """The first segment of a path (« /agenda/ » for « /agenda/x/ »): what the
    main menu's « current » item depends on."""
    segment = str(path).lstrip("/").split("/", 1)[0]
    return f"/{segment}/" if segment else "/"
