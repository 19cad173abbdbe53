"""Demo content: the page tree of DESIGN.md, the two partners of the
agreement with their public details, the legal pages, and each app's own
demo content. Every step looks for what exists first, so running it again
keeps editors' changes."""

import datetime
import importlib
import importlib.util
import re
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail.models import Locale, Page, Site

from home.models import HomePage, Partner, StandardPage

from . import access, roles

# Each app that has demo content exposes `load(home) -> list[str]`; they run in
# this order because later ones point at earlier ones (facilitators, steps).
APP_DEMO_MODULES = [
    "volunteers.demo",
    "events.demo",
    "events.demo_registrations",
    "events.demo_appointments",
    "events.demo_rooms",
    "resources.demo_guides",
    "resources.demo_paths",
]

DEMO_PASSWORD = "atelier-wimille-2026"
DEMO_ACCOUNTS = [
    # username, first name, last name, group, superuser
    ("admin", "Alice", "Administratrice", roles.ADMINISTRATION, True),
    ("moderation", "Marc", "Modérateur", roles.MODERATION, False),
    ("redaction", "Rose", "Rédactrice", roles.MEDIATHEQUE_EDITORS, False),
    ("clx-redaction", "Claude", "Contributeur", roles.CLX_EDITORS, False),
    ("clx-coordination", "Camille", "Coordinatrice", roles.CLX_COORDINATION, False),
]

PARTNERS = [
    {
        "slug": "mediatheque-wimille",
        "name": "Médiathèque de Wimille",
        "short_name": "Médiathèque",
        "description": (
            "La médiathèque de la commune de Wimille accueille l'atelier numérique "
            "citoyen : lutter contre l'illectronisme, faciliter l'accès aux "
            "ressources et à la culture, pour un usage éthique du numérique."
        ),
        "address": "Espace Pilâtre de Rozier, 3 rue de Ledinghen",
        "postal_code": "62126",
        "city": "Wimille",
        "website": "https://www.wimille.fr/",
        "representative": "M. Antoine Logie, maire de Wimille",
        "sort_order": 0,
    },
    {
        "slug": "clx",
        "name": "CLX – Club Linux Nord–Pas-de-Calais",
        "short_name": "CLX",
        "description": (
            "Association qui promeut l'usage des logiciels libres : petits dej' du "
            "libre, install parties, conférences, formations et assistance."
        ),
        "address": "Maison des Associations, 27 rue Jean Bart",
        "postal_code": "59000",
        "city": "Lille",
        "website": "https://clx.asso.fr/",
        "representative": "M. Olivier Duquesne, président",
        "sort_order": 1,
    },
]


# The legal pages' texts are files of the home app (home/demo_pages/<slug>.html):
# a comment with « title: », « intro: » and optional « show_in_menus: oui »,
# then blocks separated by blank lines: <h2>/<h3> headings,
# <site-info kind="…"></site-info> (details taken from the site's settings)
# and paragraphs of rich text.
LEGAL_PAGES_DIR = Path(__file__).resolve().parent.parent / "home" / "demo_pages"
LEGAL_PAGE_SLUGS = [
    "a-propos",
    "mentions-legales",
    "donnees-personnelles",
    "accessibilite",
]
HEADING = re.compile(r"^<(h[23])>(.*)</\1>$", re.DOTALL)
SITE_INFO = re.compile(r'^<site-info kind="([a-z_]+)"></site-info>$')
HEADER = re.compile(r"^<!--\n(.*?)\n-->\n", re.DOTALL)


def _block(chunk):
    if match := HEADING.match(chunk):
        return ("heading", {"text": match.group(2), "level": match.group(1)})
    if match := SITE_INFO.match(chunk):
        return ("site_info", {"kind": match.group(1)})
    return ("paragraph", chunk)


def read_legal_page(slug):
    """{slug, title, intro, show_in_menus, body} from home/demo_pages/<slug>.html."""
    text = (LEGAL_PAGES_DIR / f"{slug}.html").read_text(encoding="utf-8")
    header = HEADER.match(text)
    fields = dict(line.split(": ", 1) for line in header.group(1).splitlines())
    chunks = [c.strip() for c in text[header.end() :].split("\n\n") if c.strip()]
    return {
        "slug": slug,
        "title": fields["title"],
        "intro": fields["intro"],
        "show_in_menus": fields.get("show_in_menus") == "oui",
        "body": [_block(chunk) for chunk in chunks],
    }


INDEX_PAGES = [
    (
        "events.EventIndexPage",
        "agenda",
        "Agenda",
        (
            "Petits dej' du libre, install parties, conférences, formations et "
            "assistance informatique : tous les rendez-vous de l'atelier."
        ),
    ),
    (
        "resources.LearningPathIndexPage",
        "parcours",
        "Parcours",
        ("Apprenez à votre rythme, étape par étape, et obtenez un open badge."),
    ),
    (
        "resources.GuideIndexPage",
        "guides",
        "Guides pratiques",
        ("Les guides du Fab Lab et du club, à lire sur téléphone ou à imprimer."),
    ),
    (
        "volunteers.VolunteerIndexPage",
        "benevoles",
        "Bénévoles",
        ("Les bénévoles dédiés au numérique de CLX qui animent l'atelier."),
    ),
]


def _ensure_home():
    home = HomePage.objects.first()
    if home:
        return home, False
    root = Page.get_first_root_node()
    if root is None:
        # A flushed database (transactional tests) has lost what Wagtail's
        # migrations created: the default locale and the tree's root.
        Locale.objects.get_or_create(language_code="fr")
        root = Page.add_root(title="Root", slug="root")
    home = HomePage(
        title="Atelier numérique citoyen de Wimille",
        slug="accueil",
        intro=(
            "<p>Un atelier <b>gratuit et ouvert à tous</b> à la médiathèque de "
            "Wimille, avec les bénévoles du Club Linux Nord–Pas-de-Calais : "
            "apprendre à se servir d'un ordinateur, retrouver sa liberté numérique, "
            "réparer plutôt que jeter.</p>"
        ),
    )
    root.add_child(instance=home)
    home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    old_root = site.root_page if site else None
    if site is None:
        site = Site(hostname="localhost", port=80, is_default_site=True)
    site.root_page = home
    site.site_name = "Atelier numérique citoyen de Wimille"
    site.save()
    # Wagtail's placeholder « Welcome » page is of no use once home exists.
    if old_root and old_root.pk != home.pk and old_root.content_type.model == "page":
        old_root.delete()
    return home, True


def _align_site_with_base_url():
    """The default Site answers where the portal is served (`make run`
    exports WAGTAILADMIN_BASE_URL=http://HOST:PORT), so that links in
    mails — built from the Site — open on this very server."""
    parts = urlsplit(settings.WAGTAILADMIN_BASE_URL)
    if not parts.hostname:
        return
    port = parts.port or (443 if parts.scheme == "https" else 80)
    site = Site.objects.filter(is_default_site=True).first()
    if site is not None and (site.hostname, site.port) != (parts.hostname, port):
        site.hostname, site.port = parts.hostname, port
        site.save(update_fields=["hostname", "port"])


def _ensure_child(parent, model, slug, **fields):
    existing = Page.objects.child_of(parent).filter(slug=slug).first()
    if existing:
        return existing.specific, False
    page = model(slug=slug, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page, True


def _ensure_partners():
    created = 0
    for data in PARTNERS:
        _, was_created = Partner.objects.get_or_create(slug=data["slug"], defaults=data)
        created += was_created
    return created


def _ensure_accounts():
    User = get_user_model()
    created = 0
    for username, first, last, group_name, superuser in DEMO_ACCOUNTS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(
                username=username,
                # Wagtail notifies by e-mail (workflow, comments): in dev the
                # console shows who receives what.
                email=f"{username}@atelier-wimille.test",
                password=DEMO_PASSWORD,
                first_name=first,
                last_name=last,
            )
            user.is_superuser = superuser
            user.is_staff = superuser
            user.save()
            created += 1
        if not user.email:
            user.email = f"{username}@atelier-wimille.test"
            user.save(update_fields=["email"])
        user.groups.add(Group.objects.get(name=group_name))
    return created


def load(with_accounts=True, with_apps=True):
    report = []
    home, created = _ensure_home()
    report.append(f"Page d'accueil : {'créée' if created else 'déjà là'}.")
    _align_site_with_base_url()
    report.append(f"Partenaires créés : {_ensure_partners()}.")

    from django.apps import apps

    for model_label, slug, title, intro in INDEX_PAGES:
        model = apps.get_model(model_label)
        _, created = _ensure_child(
            home, model, slug, title=title, intro=intro, show_in_menus=True
        )
        report.append(f"{title} : {'créée' if created else 'déjà là'}.")

    for data in map(read_legal_page, LEGAL_PAGE_SLUGS):
        _, created = _ensure_child(
            home,
            StandardPage,
            data["slug"],
            title=data["title"],
            intro=data["intro"],
            body=data["body"],
            show_in_menus=data.get("show_in_menus", False),
            last_reviewed=datetime.date(2026, 11, 1),
        )
        report.append(f"{data['title']} : {'créée' if created else 'déjà là'}.")

    # Groups, their rights on the sections just created, and the workflow.
    access.apply_matrix()

    # Accounts first: demo content names who asked for a room or proposed
    # an expense.
    if with_accounts:
        report.append(f"Comptes de démonstration créés : {_ensure_accounts()}.")

    for module_name in APP_DEMO_MODULES if with_apps else []:
        if importlib.util.find_spec(module_name) is None:
            continue
        module = importlib.import_module(module_name)
        report.extend(module.load(home))
    return report
