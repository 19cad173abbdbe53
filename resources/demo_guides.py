"""Demo content of the practical guides: the Fab Lab's 3D printer and three
guides (3D printing, Linux on an old computer, an online public service
account). Idempotent: looked up by slug, never overwritten."""

import io

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from home.models import Partner

from .models import GuideDownload, GuideIndexPage, GuideMaterial, GuidePage, Machine

LE_CIRCUIT_URL = "https://mediatheque.pasdecalais.fr/"


def _p(*paragraphs):
    return "".join(f"<p>{text}</p>" for text in paragraphs)


# Steps are written in StreamField's stored (JSON) form: images by id.
def _block(kind, value):
    return {"type": kind, "value": value}


def _step(title, text, *extras):
    return _block("step", {"title": title, "text": text, "extras": list(extras)})


def _tip(text):
    return _block("tip", {"text": _p(text)})


def _warning(text):
    return _block("warning", {"text": _p(text)})


def _code(code, language="shell"):
    return _block("code", {"language": language, "code": code})


def _image(image, alt, caption=""):
    return _block("image", {"image": image.pk, "alt_text": alt, "caption": caption})


def _demo_image(title, draw):
    """A simple drawn illustration (Pillow), so the demo needs no download."""
    Image = get_image_model()
    existing = Image.objects.filter(title=title).first()
    if existing:
        return existing
    from PIL import Image as PILImage
    from PIL import ImageDraw

    canvas = PILImage.new("RGB", (800, 450), "#f4f6f9")
    draw(ImageDraw.Draw(canvas))
    buffer = io.BytesIO()
    canvas.save(buffer, "PNG")
    filename = title.lower().replace(" ", "-").replace("'", "") + ".png"
    image = Image(
        title=title, file=ImageFile(io.BytesIO(buffer.getvalue()), name=filename)
    )
    image.save()
    return image


def _draw_printer(d):
    d.rectangle((150, 40, 650, 60), fill="#1b3f73")  # gantry
    d.rectangle((150, 40, 170, 380), fill="#1b3f73")
    d.rectangle((630, 40, 650, 380), fill="#1b3f73")
    d.rectangle((360, 60, 440, 150), fill="#4a4a4a")  # print head
    d.polygon([(385, 150), (415, 150), (400, 175)], fill="#9c2b00")  # nozzle
    d.rectangle((200, 330, 600, 350), fill="#6b7280")  # bed
    d.rectangle((350, 270, 450, 330), fill="#f2a900")  # printed cube


def _draw_cube(d):
    d.rectangle((0, 380, 800, 450), fill="#6b7280")
    d.polygon([(300, 180), (460, 180), (460, 340), (300, 340)], fill="#f2a900")
    d.polygon([(300, 180), (360, 130), (520, 130), (460, 180)], fill="#ffcf4d")
    d.polygon([(460, 180), (520, 130), (520, 290), (460, 340)], fill="#c98a00")


def _draw_computer(d):
    d.rectangle((220, 60, 580, 300), outline="#1a1a1a", width=10, fill="#ffffff")
    d.rectangle((250, 90, 550, 270), fill="#1b3f73")
    d.ellipse((360, 130, 440, 210), fill="#f2a900")  # a penguin's belly, roughly
    d.rectangle((380, 300, 420, 350), fill="#1a1a1a")
    d.rectangle((300, 350, 500, 370), fill="#1a1a1a")


def _cube_stl(size=20):
    """An ASCII STL of a cube: the usual first print to calibrate."""
    s = size
    v = [
        (0, 0, 0), (s, 0, 0), (s, s, 0), (0, s, 0),
        (0, 0, s), (s, 0, s), (s, s, s), (0, s, s),
    ]  # fmt: skip
    faces = [
        ((0, 0, -1), (0, 2, 1)), ((0, 0, -1), (0, 3, 2)),
        ((0, 0, 1), (4, 5, 6)), ((0, 0, 1), (4, 6, 7)),
        ((0, -1, 0), (0, 1, 5)), ((0, -1, 0), (0, 5, 4)),
        ((1, 0, 0), (1, 2, 6)), ((1, 0, 0), (1, 6, 5)),
        ((0, 1, 0), (2, 3, 7)), ((0, 1, 0), (2, 7, 6)),
        ((-1, 0, 0), (3, 0, 4)), ((-1, 0, 0), (3, 4, 7)),
    ]  # fmt: skip
    lines = ["solid cube_calibration_20mm"]
    for normal, triangle in faces:
        lines.append("  facet normal {} {} {}".format(*normal))
        lines.append("    outer loop")
        for index in triangle:
            lines.append("      vertex {} {} {}".format(*v[index]))
        lines.append("    endloop")
        lines.append("  endfacet")
    lines.append("endsolid cube_calibration_20mm")
    return ("\n".join(lines) + "\n").encode()


def _demo_document(title, filename, content):
    Document = get_document_model()
    existing = Document.objects.filter(title=title).first()
    if existing:
        return existing
    document = Document(
        title=title, file=ContentFile(content, name=filename), file_size=len(content)
    )
    document._set_file_hash()
    document.save()
    return document


def _ensure_machine():
    machine, created = Machine.objects.get_or_create(
        slug="imprimante-3d-prusa-mk4",
        defaults={
            "name": "Imprimante 3D",
            "kind": "imprimante-3d",
            "model_name": "Prusa MK4",
            "location": "Fab Lab de la médiathèque de Wimille",
            "training_required": True,
            "training_text": (
                "Avoir suivi la formation Fab Lab du Circuit de la Médiathèque "
                "départementale du Pas-de-Calais (module impression 3D), ou une "
                "séance d'accompagnement avec un bénévole de l'atelier."
            ),
            "training_url": LE_CIRCUIT_URL,
            "safety_rules": (
                "<ul><li>La buse monte à 215 °C et le plateau à 60 °C : ne les "
                "touchez jamais pendant ni juste après l'impression.</li>"
                "<li>Ne laissez pas l'imprimante fonctionner sans surveillance : "
                "restez dans la salle.</li>"
                "<li>Attachez les cheveux longs et retirez écharpes et bracelets "
                "près des pièces en mouvement.</li>"
                "<li>N'imprimez que du PLA au Fab Lab : les autres plastiques "
                "dégagent des vapeurs qui demandent une ventilation adaptée.</li></ul>"
            ),
        },
    )
    return machine, created


def _guides(machine, printer_image, cube_image, computer_image, cube_stl):
    return [
        {
            "slug": "imprimer-une-piece-en-3d-pla",
            "title": "Imprimer une pièce en 3D (PLA)",
            "summary": (
                "De la pièce trouvée en ligne à l'objet posé sur la table : "
                "préparer le fichier, lancer l'impression en PLA sur l'imprimante "
                "du Fab Lab et décoller la pièce sans l'abîmer."
            ),
            "image": cube_image,
            "category": "fab-lab",
            "difficulty": 2,
            "duration_minutes": 90,
            "cost_estimate": "environ 1 € de filament (20 g de PLA)",
            "machines": [machine],
            "partners": ["mediatheque-wimille", "clx"],
            "tools": "Spatule souple\nPince coupante fine\nClé USB ou carte SD",
            "materials": [
                ("Filament PLA 1,75 mm", "20 g", ""),
                ("Alcool isopropylique", "quelques gouttes", ""),
                ("Chiffon non pelucheux", "1", ""),
            ],
            "safety": (
                "<ul><li>Attendez que le plateau soit <b>redescendu sous 30 °C</b> "
                "avant de décoller la pièce.</li><li>Un adulte reste présent à côté "
                "des mineurs pendant toute l'impression.</li></ul>"
            ),
            "downloads": [(cube_stl, "Cube de calibration de 20 mm (modèle 3D)")],
            "steps": [
                _step(
                    "Trouver ou dessiner la pièce",
                    _p(
                        "Téléchargez un modèle au format <b>STL</b> ou <b>3MF</b> "
                        "sur un site de partage sous licence libre, ou dessinez-le "
                        "avec un logiciel libre comme FreeCAD.",
                        "Pour un premier essai, prenez le cube de calibration "
                        "proposé en bas de ce guide.",
                    ),
                    _tip(
                        "Vérifiez la licence du modèle : beaucoup autorisent "
                        "l'impression personnelle mais pas la vente."
                    ),
                ),
                _step(
                    "Préparer le fichier avec PrusaSlicer",
                    _p(
                        "Ouvrez le modèle dans PrusaSlicer, choisissez l'imprimante "
                        "« Original Prusa MK4 » et le filament « Prusament PLA ».",
                        "Gardez une hauteur de couche de 0,2 mm et un remplissage "
                        "de 15 % : c'est suffisant pour la plupart des objets.",
                    ),
                    _image(
                        printer_image,
                        "Schéma d'une imprimante 3D : le portique, la tête "
                        "d'impression avec la buse, et le plateau sur lequel "
                        "se trouve un cube jaune.",
                        "La buse dépose le plastique fondu couche par couche.",
                    ),
                ),
                _step(
                    "Exporter le G-code",
                    _p(
                        "Cliquez sur « Découper maintenant », vérifiez le temps "
                        "estimé et la quantité de filament, puis « Exporter le "
                        "G-code » sur la clé USB."
                    ),
                    _code(
                        "; début du fichier produit par PrusaSlicer\nM104 S215 ; "
                        "chauffe la buse à 215 °C\nM140 S60 ; chauffe le plateau "
                        "à 60 °C",
                        "gcode",
                    ),
                ),
                _step(
                    "Nettoyer le plateau",
                    _p(
                        "Le plateau doit être froid. Passez le chiffon imbibé "
                        "d'alcool isopropylique, sans toucher la surface avec les "
                        "doigts ensuite : la graisse empêche la pièce de coller."
                    ),
                ),
                _step(
                    "Charger le filament",
                    _p(
                        "Dans le menu de l'imprimante, choisissez « Charger le "
                        "filament », puis « PLA ». Attendez que la buse chauffe et "
                        "poussez le fil jusqu'à ce que l'extrudeur l'entraîne."
                    ),
                    _warning(
                        "La buse est brûlante dès cette étape : tenez vos doigts à "
                        "distance de la tête d'impression."
                    ),
                ),
                _step(
                    "Lancer l'impression",
                    _p(
                        "Insérez la clé USB, choisissez votre fichier et validez. "
                        "Restez près de l'imprimante pendant la <b>première "
                        "couche</b> : elle doit être bien écrasée et continue."
                    ),
                    _tip(
                        "Si la première couche se décolle, arrêtez l'impression, "
                        "nettoyez le plateau et relancez : c'est la cause de la "
                        "plupart des échecs."
                    ),
                ),
                _step(
                    "Décoller et finir la pièce",
                    _p(
                        "Quand le plateau est froid, retirez la plaque "
                        "magnétique et fléchissez-la : la pièce se détache seule. "
                        "Coupez les éventuels fils avec la pince."
                    ),
                    _image(
                        cube_image,
                        "Un cube jaune imprimé en 3D posé sur une table grise.",
                        "Le cube de calibration terminé : ses côtés doivent "
                        "mesurer 20 mm.",
                    ),
                ),
            ],
        },
        {
            "slug": "installer-linux-ordinateur-ancien",
            "title": "Installer une distribution Linux sur un ordinateur ancien",
            "summary": (
                "Votre ordinateur rame ou ne reçoit plus de mises à jour ? Avant de "
                "le jeter, redonnez-lui vie avec une distribution Linux légère : "
                "c'est gratuit, libre et bon pour la planète."
            ),
            "image": computer_image,
            "category": "reemploi",
            "difficulty": 3,
            "duration_minutes": 120,
            "cost_estimate": "Gratuit (une clé USB de 8 Go)",
            "machines": [],
            "partners": ["clx"],
            "tools": (
                "Un autre ordinateur pour préparer la clé\nClé USB de 8 Go ou plus"
            ),
            "materials": [
                ("Clé USB de 8 Go ou plus", "1", ""),
                (
                    "Linux Mint Xfce (image ISO)",
                    "2,9 Go",
                    "https://linuxmint.com/download.php",
                ),
                (
                    "Ventoy, pour rendre la clé démarrable",
                    "",
                    "https://www.ventoy.net/fr/",
                ),
            ],
            "safety": (
                "<ul><li><b>Sauvegardez vos fichiers</b> (photos, documents) sur un "
                "disque externe avant de commencer : l'installation efface le "
                "disque.</li><li>Branchez l'ordinateur portable sur le secteur "
                "pendant toute l'installation.</li></ul>"
            ),
            "downloads": [],
            "steps": [
                _step(
                    "Vérifier l'ordinateur",
                    _p(
                        "Il faut au moins 2 Go de mémoire vive et 20 Go de disque. "
                        "Un ordinateur de 2012 convient très bien à Linux Mint Xfce.",
                        "Venez au petit dej' du libre de CLX si vous avez un doute : "
                        "les bénévoles regarderont avec vous.",
                    ),
                ),
                _step(
                    "Sauvegarder vos données",
                    _p(
                        "Copiez vos dossiers Documents, Images et Téléchargements sur "
                        "un disque externe, puis vérifiez que les fichiers s'ouvrent."
                    ),
                    _warning(
                        "Tout ce qui n'est pas sauvegardé sera perdu à l'étape 6."
                    ),
                ),
                _step(
                    "Préparer la clé USB",
                    _p(
                        "Installez Ventoy sur la clé avec l'autre ordinateur, puis "
                        "copiez simplement le fichier ISO de Linux Mint sur la clé."
                    ),
                    _tip("Ventoy accepte plusieurs fichiers ISO sur la même clé."),
                ),
                _step(
                    "Vérifier le fichier téléchargé",
                    _p(
                        "Sur un ordinateur Linux, comparez l'empreinte du fichier "
                        "avec celle publiée sur le site de Linux Mint :"
                    ),
                    _code("sha256sum linuxmint-22-xfce-64bit.iso"),
                ),
                _step(
                    "Démarrer sur la clé",
                    _p(
                        "Branchez la clé, allumez l'ordinateur et appuyez "
                        "plusieurs fois sur <b>F12</b> (ou Échap, F9 selon la "
                        "marque) pour choisir la clé USB. Essayez Linux Mint sans "
                        "rien installer : le Wi-Fi, le son et l'écran marchent-ils ?"
                    ),
                ),
                _step(
                    "Installer Linux Mint",
                    _p(
                        "Double-cliquez sur « Install Linux Mint », choisissez le "
                        "français et le clavier « Français (AZERTY) », puis "
                        "« Effacer le disque et installer Linux Mint »."
                    ),
                ),
                _step(
                    "Mettre à jour",
                    _p(
                        "Après le redémarrage, ouvrez le gestionnaire de mises à "
                        "jour et appliquez tout, ou tapez dans un terminal :"
                    ),
                    _code("sudo apt update && sudo apt full-upgrade"),
                    _tip(
                        "Installez LibreOffice, Firefox et VLC depuis le "
                        "gestionnaire de logiciels : ils sont libres et gratuits."
                    ),
                ),
            ],
        },
        {
            "slug": "creer-son-compte-service-public",
            "title": "Créer son compte sur un service public en ligne",
            "summary": (
                "Impôts, retraite, carte grise, CAF : la plupart des démarches se "
                "font en ligne. Voici comment créer votre compte sur "
                "service-public.fr et vous connecter avec FranceConnect, pas à pas."
            ),
            "image": None,
            "category": "demarches-en-ligne",
            "difficulty": 1,
            "duration_minutes": 30,
            "cost_estimate": "Gratuit",
            "machines": [],
            "partners": ["mediatheque-wimille"],
            "tools": "Ordinateur, tablette ou téléphone connecté à Internet",
            "materials": [
                ("Une adresse e-mail que vous consultez", "1", ""),
                ("Votre numéro fiscal ou de sécurité sociale", "", ""),
                ("Un téléphone portable pour recevoir un code", "1", ""),
            ],
            "safety": (
                "<ul><li>Vérifiez que l'adresse du site se termine par "
                "<b>.gouv.fr</b> ou est bien <b>service-public.fr</b> : les "
                "démarches officielles sont gratuites.</li><li>Ne donnez jamais "
                "votre mot de passe, même à quelqu'un qui vous aide : il vous "
                "guide, vous tapez.</li><li>Sur un ordinateur de la médiathèque, "
                "déconnectez-vous à la fin.</li></ul>"
            ),
            "downloads": [],
            "steps": [
                _step(
                    "Ouvrir le bon site",
                    _p(
                        "Dans le navigateur, tapez <b>service-public.fr</b> dans la "
                        "barre d'adresse (pas dans un moteur de recherche, pour "
                        "éviter les faux sites payants)."
                    ),
                    _warning(
                        "Un site qui demande de payer pour une démarche gratuite "
                        "est une arnaque : fermez-le."
                    ),
                ),
                _step(
                    "Choisir « Se connecter avec FranceConnect »",
                    _p(
                        "FranceConnect vous permet d'utiliser un compte que vous "
                        "avez déjà (impots.gouv.fr, ameli, l'Identité numérique La "
                        "Poste) au lieu d'en créer un nouveau."
                    ),
                ),
                _step(
                    "Vous identifier",
                    _p(
                        "Choisissez par exemple « impots.gouv.fr », puis tapez votre "
                        "numéro fiscal (il est écrit sur votre avis d'impôt) et "
                        "votre mot de passe."
                    ),
                    _tip(
                        "Mot de passe oublié ? Cliquez sur « Mot de passe oublié » : "
                        "un lien arrive par e-mail."
                    ),
                ),
                _step(
                    "Vérifier vos informations",
                    _p(
                        "Le site affiche votre nom, votre date et votre lieu de "
                        "naissance. S'ils sont justes, cliquez sur « Continuer »."
                    ),
                ),
                _step(
                    "Se déconnecter",
                    _p(
                        "À la fin, cliquez sur votre nom en haut de la page puis sur "
                        "« Se déconnecter », et fermez le navigateur."
                    ),
                ),
            ],
        },
    ]


def _ensure_root_collection():
    # A flushed database (transactional tests) has lost the root collection
    # that Wagtail's migrations create; images and documents need it.
    from wagtail.models import Collection

    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")


def load(home):
    report = []
    _ensure_root_collection()
    index = GuideIndexPage.objects.child_of(home).first()
    if index is None:
        return ["Guides : page « Guides pratiques » absente, rien n'a été créé."]
    machine, created = _ensure_machine()
    report.append(f"Machine « {machine} » : {'créée' if created else 'déjà là'}.")
    printer = _demo_image("Schéma d'une imprimante 3D", _draw_printer)
    cube = _demo_image("Cube de calibration imprimé", _draw_cube)
    computer = _demo_image("Ordinateur ancien sous Linux", _draw_computer)
    stl = _demo_document(
        "Cube de calibration 20 mm", "cube-calibration-20mm.stl", _cube_stl()
    )
    partners = {p.slug: p for p in Partner.objects.all()}

    for data in _guides(machine, printer, cube, computer, stl):
        if GuidePage.objects.filter(slug=data["slug"]).exists():
            report.append(f"Guide « {data['title']} » : déjà là.")
            continue
        guide = GuidePage(
            title=data["title"],
            slug=data["slug"],
            summary=data["summary"],
            image=data["image"],
            category=data["category"],
            difficulty=data["difficulty"],
            duration_minutes=data["duration_minutes"],
            cost_estimate=data["cost_estimate"],
            tools=data["tools"],
            safety_warnings=data["safety"],
            steps=data["steps"],
        )
        guide.machines = data["machines"]
        guide.partners = [partners[s] for s in data["partners"] if s in partners]
        guide.materials = [
            GuideMaterial(name=name, quantity=quantity, link=link)
            for name, quantity, link in data["materials"]
        ]
        guide.downloads = [
            GuideDownload(document=document, description=description)
            for document, description in data["downloads"]
        ]
        index.add_child(instance=guide)
        guide.save_revision().publish()
        report.append(f"Guide « {data['title']} » : créé.")
    return report
