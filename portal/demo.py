"""Demo content: the page tree of DESIGN.md, the two partners of the
agreement with their public details, the legal pages, and each app's own
demo content. Every step looks for what exists first, so running it again
keeps editors' changes."""

import datetime
import importlib
import importlib.util
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


def _h(text, level="h2"):
    return ("heading", {"text": text, "level": level})


def _p(html):
    return ("paragraph", html)


def _info(kind):
    return ("site_info", {"kind": kind})


LEGAL_PAGES = [
    {
        "slug": "a-propos",
        "title": "À propos de l'atelier",
        "show_in_menus": True,
        "intro": (
            "L'atelier numérique citoyen est né d'une convention entre la "
            "médiathèque de Wimille et CLX, le Club Linux Nord–Pas-de-Calais."
        ),
        "body": [
            _h("Des valeurs communes"),
            _p(
                "<p>Les logiciels libres portent des valeurs de partage, de "
                "solidarité et d'humanisme. L'atelier lutte contre l'illectronisme, "
                "facilite l'accès aux ressources et à la culture, et sensibilise à "
                "un usage éthique du numérique.</p>"
            ),
            _h("Ce que vous trouverez ici"),
            _p(
                "<ul><li>les <b>petits dej' du libre</b>, chaque mois, gratuits ;</li>"
                "<li>des install parties, conférences, formations et une assistance "
                "informatique ;</li><li>des parcours d'apprentissage qui mènent à "
                "des open badges ;</li><li>des guides pratiques du Fab Lab et du "
                "club.</li></ul>"
            ),
            _h("Les partenaires"),
            _info("partners"),
        ],
    },
    {
        "slug": "mentions-legales",
        "title": "Mentions légales",
        "intro": (
            "Informations prévues par l'article 6-III de la loi n° 2004-575 du "
            "21 juin 2004 pour la confiance dans l'économie numérique (LCEN)."
        ),
        "body": [
            _h("Éditeur du site"),
            _info("publisher"),
            _h("Hébergement"),
            _info("host"),
            _h("Partenaires de l'atelier numérique citoyen"),
            _p(
                "<p>Le site est réalisé dans le cadre de la convention de partenariat "
                "entre la médiathèque de Wimille et l'association CLX.</p>"
            ),
            _info("partners"),
            _h("Propriété intellectuelle et licences"),
            _p(
                "<p>Sauf mention contraire, les guides et parcours publiés sur ce site "
                "sont placés sous licence Creative Commons Attribution – Partage dans "
                "les mêmes conditions 4.0 (CC BY-SA 4.0). Le code du site est un "
                "logiciel libre.</p>"
            ),
            _h("Données personnelles"),
            _p(
                '<p>Voir la page <a href="/donnees-personnelles/">Données '
                "personnelles</a>.</p>"
            ),
        ],
    },
    {
        "slug": "donnees-personnelles",
        "title": "Données personnelles",
        "intro": (
            "Comment l'atelier numérique citoyen traite vos données personnelles, "
            "conformément au Règlement général sur la protection des données (RGPD) "
            "et à la loi Informatique et Libertés."
        ),
        "body": [
            _h("Responsable du traitement"),
            _p(
                "<p>La commune de Wimille, pour sa médiathèque, représentée par son "
                "maire, est responsable des traitements décrits ci-dessous. "
                "L'association CLX y accède uniquement pour animer les ateliers.</p>"
            ),
            _info("publisher"),
            _h("Finalités et bases légales"),
            _p(
                "<ul>"
                "<li><b>Inscription aux ateliers</b> (nom, e-mail, téléphone "
                "facultatif, nombre de places) : gérer les places, vous envoyer la "
                "confirmation, un rappel et les éventuelles annulations. Base "
                "légale : votre consentement et l'exécution de la mission de service "
                "public de la médiathèque.</li>"
                "<li><b>Demandes et attribution d'open badges</b> (nom, e-mail, "
                "preuves) : délivrer un badge vérifiable. Base légale : votre "
                "consentement. Dans le badge publié, l'e-mail est remplacé par une "
                "empreinte chiffrée.</li>"
                "<li><b>Annuaire des bénévoles</b> : ne sont publiées que les "
                "informations que chaque bénévole a accepté de montrer. Base "
                "légale : le consentement de la personne.</li>"
                "<li><b>Messages de contact</b> : transmettre votre message, sans "
                "conserver de copie au-delà de l'envoi.</li>"
                "<li><b>Agenda par e-mail</b> (adresse e-mail, rythme, partenaires "
                "et types choisis) : vous envoyer les prochains rendez-vous. Base "
                "légale : votre consentement, donné en confirmant par le lien reçu "
                "(rien n'est envoyé avant).</li>"
                "</ul>"
            ),
            _h("Durées de conservation"),
            _p(
                "<ul>"
                "<li>Inscriptions : effacées automatiquement 30 jours après la date "
                "de l'atelier.</li>"
                "<li>Demandes de badge refusées : effacées après 6 mois. Badges "
                "délivrés : conservés tant que vous ne demandez pas leur "
                "effacement.</li>"
                "<li>Bénévoles : pendant la durée de l'engagement, puis effacement ; "
                "seule une trace anonyme des signatures de charte est gardée.</li>"
                "<li>Agenda par e-mail : une demande non confirmée est effacée après "
                "7 jours ; un abonnement est gardé jusqu'à votre désabonnement, qui "
                "efface aussitôt votre adresse et l'historique des envois.</li>"
                "</ul>"
            ),
            _h("Destinataires"),
            _p(
                "<p>Les seules personnes habilitées de la médiathèque et, pour les "
                "ateliers qu'ils animent, les bénévoles de CLX. Aucune donnée n'est "
                "vendue ni transmise à des tiers. Le site ne dépose aucun cookie de "
                "mesure d'audience ou de publicité et ne charge aucune ressource "
                "externe.</p>"
            ),
            _h("Vos droits"),
            _p(
                "<p>Vous disposez d'un droit d'accès, de rectification, d'effacement, "
                "de limitation, d'opposition et de portabilité de vos données, et "
                "pouvez retirer votre consentement à tout moment. Chaque e-mail "
                "d'inscription contient un lien pour annuler et effacer votre "
                "inscription ; chaque envoi de l'agenda par e-mail, un lien pour vous "
                "désabonner en un clic.</p>"
            ),
            _h("Nous contacter", "h3"),
            _info("contact"),
            _p(
                "<p>Si vous estimez que vos droits ne sont pas respectés, vous pouvez "
                "adresser une réclamation à la CNIL (www.cnil.fr).</p>"
            ),
        ],
    },
    {
        "slug": "accessibilite",
        "title": "Déclaration d'accessibilité",
        "intro": (
            "La commune de Wimille s'engage à rendre ses sites internet accessibles "
            "conformément à l'article 47 de la loi n° 2005-102 du 11 février 2005."
        ),
        "body": [
            _p(
                "<p>Cette déclaration d'accessibilité s'applique au site de l'atelier "
                "numérique citoyen de la médiathèque de Wimille.</p>"
            ),
            _h("État de conformité"),
            _p(
                "<p>Le site est <b>partiellement conforme</b> avec le référentiel "
                "général d'amélioration de l'accessibilité (RGAA), version 4.1, en "
                "raison des non-conformités et des dérogations énumérées "
                "ci-dessous. Aucun audit complet par un organisme externe n'a encore "
                "été réalisé.</p>"
            ),
            _h("Résultats des tests"),
            _p(
                "<p>Les pages principales (accueil, agenda, fiche d'un atelier, "
                "inscription, parcours, guides, annuaire, recherche) ont été "
                "vérifiées par l'équipe de développement avec un contrôle automatisé "
                "(axe-core), une navigation complète au clavier et une relecture du "
                "code (titres, libellés de formulaires, contrastes, alternatives "
                "textuelles).</p>"
            ),
            _h("Contenus non accessibles"),
            _p(
                "<ul><li>Certains documents téléchargeables (PDF) fournis par les "
                "partenaires peuvent ne pas être balisés.</li><li>Les vidéos "
                "intégrées dans les guides peuvent ne pas avoir de sous-titres.</li>"
                "</ul>"
            ),
            _h("Établissement de cette déclaration"),
            _p(
                "<p>Technologies utilisées : HTML, CSS, JavaScript (facultatif). "
                "Environnement de test : Chromium et Firefox avec les lecteurs "
                "d'écran NVDA et Orca.</p>"
            ),
            _h("Retour d'information et contact"),
            _p(
                "<p>Si vous n'arrivez pas à accéder à un contenu ou à un service, "
                "contactez-nous pour être orienté vers une alternative accessible ou "
                "obtenir le contenu sous une autre forme.</p>"
            ),
            _info("accessibility_contact"),
            _h("Voies de recours"),
            _p(
                "<p>Si vous nous avez signalé un défaut d'accessibilité qui vous "
                "empêche d'accéder à un contenu et que vous n'avez pas obtenu de "
                "réponse satisfaisante, vous pouvez saisir le Défenseur des droits : "
                "par le formulaire en ligne sur defenseurdesdroits.fr, en contactant "
                "le délégué du Défenseur des droits de votre région, ou par courrier "
                "gratuit, sans affranchissement : Défenseur des droits, Libre réponse "
                "71120, 75342 Paris CEDEX 07.</p>"
            ),
        ],
    },
]

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

    for data in LEGAL_PAGES:
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
