"""The site's skeleton, built from the apps' factories: the home page as the
default Site's root, the four sections (agenda, parcours, guides,
bénévoles), the two partners of the agreement and the legal pages (texts in
home/legal_pages/), then the roles' groups and workflow on that tree
(`portal.access`). Tests start from `create_site_tree()`; `load_demo_data`
starts from it too and adds each app's demo content (`portal.demo`).

Every step looks for what exists first, so building it again keeps
editors' changes. Also: `UserFactory`, an account in role groups."""

from urllib.parse import urlsplit

import factory
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from factory.django import DjangoModelFactory
from wagtail.models import Locale, Page, Site

from events.factories import EventIndexPageFactory
from home.factories import (
    LEGAL_PAGE_SLUGS,
    HomePageFactory,
    PartnerFactory,
    StandardPageFactory,
    get_or_create_page,
    legal_page_fields,
)
from home.models import HomePage, Partner
from resources.factories import GuideIndexPageFactory, LearningPathIndexPageFactory
from volunteers.factories import VolunteerIndexPageFactory

from . import access

SITE_NAME = "Atelier numérique citoyen de Wimille"
HOME_INTRO = (
    "<p>Un atelier <b>gratuit et ouvert à tous</b> à la médiathèque de "
    "Wimille, avec les bénévoles du Club Linux Nord–Pas-de-Calais : "
    "apprendre à se servir d'un ordinateur, retrouver sa liberté numérique, "
    "réparer plutôt que jeter.</p>"
)

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

# The sections under home: (factory, slug, title, introduction).
SECTIONS = [
    (
        EventIndexPageFactory,
        "agenda",
        "Agenda",
        "Petits dej' du libre, install parties, conférences, formations et "
        "assistance informatique : tous les rendez-vous de l'atelier.",
    ),
    (
        LearningPathIndexPageFactory,
        "parcours",
        "Parcours",
        "Apprenez à votre rythme, étape par étape, et obtenez un open badge.",
    ),
    (
        GuideIndexPageFactory,
        "guides",
        "Guides pratiques",
        "Les guides du Fab Lab et du club, à lire sur téléphone ou à imprimer.",
    ),
    (
        VolunteerIndexPageFactory,
        "benevoles",
        "Bénévoles",
        "Les bénévoles dédiés au numérique de CLX qui animent l'atelier.",
    ),
]


def _done(created):
    return "créée" if created else "déjà là"


def _home():
    """(home, created): the home page, made the default Site's root."""
    home = HomePage.objects.first()
    if home is not None:
        return home, False
    root = Page.get_first_root_node()
    if root is None:
        # A flushed database (transactional tests) has lost what Wagtail's
        # migrations created: the default locale and the tree's root.
        Locale.objects.get_or_create(language_code="fr")
        root = Page.add_root(title="Root", slug="root")
    home = HomePageFactory(parent=root, title=SITE_NAME, intro=HOME_INTRO)
    site = Site.objects.filter(is_default_site=True).first()
    old_root = site.root_page if site else None
    if site is None:
        site = Site(hostname="localhost", port=80, is_default_site=True)
    site.root_page = home
    site.site_name = SITE_NAME
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


def create_site_tree(report=None):
    """Build what is missing of the skeleton and return the home page;
    `report` (a list) receives one French line per step."""
    report = [] if report is None else report
    home, created = _home()
    report.append(f"Page d'accueil : {_done(created)}.")
    _align_site_with_base_url()
    existing = set(Partner.objects.values_list("slug", flat=True))
    new_partners = [data for data in PARTNERS if data["slug"] not in existing]
    for data in new_partners:
        PartnerFactory(**data)
    report.append(f"Partenaires créés : {len(new_partners)}.")
    for page_factory, slug, title, intro in SECTIONS:
        _, created = get_or_create_page(
            page_factory, home, slug, title=title, intro=intro
        )
        report.append(f"{title} : {_done(created)}.")
    for slug in LEGAL_PAGE_SLUGS:
        fields = legal_page_fields(slug)
        _, created = get_or_create_page(StandardPageFactory, home, slug, **fields)
        report.append(f"{fields['title']} : {_done(created)}.")
    # Groups, their rights on the sections just created, and the workflow.
    access.apply_matrix()
    return HomePage.objects.get(pk=home.pk)


class UserFactory(DjangoModelFactory):
    """An account, looked up by username first; `groups=[name, …]` puts it
    in those groups (created by `portal.access.apply_matrix`)."""

    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"compte-{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@atelier-wimille.test")
    password = factory.django.Password("atelier-essai")

    @factory.post_generation
    def groups(user, create, extracted, **kwargs):
        if create and extracted:
            user.groups.add(*Group.objects.filter(name__in=extracted))
