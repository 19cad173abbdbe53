"""Demo content of the practical guides: the Fab Lab's 3D printer and three
guides (3D printing, Linux on an old computer, an online public service
account), as data; their pictures and the 3D model are files under
resources/demo/images/ and resources/demo/files/. `load` hands them to the
resources' factories. Idempotent: looked up by slug or title, never
overwritten."""

from pathlib import Path

from home.factories import document_from_file, image_from_file
from home.models import Partner

from ..factories import (
    MachineFactory,
    code_extra,
    image_extra,
    make_guide,
    step,
    text_extra,
)
from ..models import GuideIndexPage, GuidePage, Machine

HERE = Path(__file__).resolve().parent
LE_CIRCUIT_URL = "https://mediatheque.pasdecalais.fr/"

# File under images/: title of the Wagtail image.
IMAGES = {
    "imprimante-3d.png": "Schéma d'une imprimante 3D",
    "cube-calibration.png": "Cube de calibration imprimé",
    "ordinateur-linux.png": "Ordinateur ancien sous Linux",
}
# File under files/: title of the Wagtail document.
DOCUMENTS = {"cube-calibration-20mm.stl": "Cube de calibration 20 mm"}

MACHINE = {
    "slug": "imprimante-3d-prusa-mk4",
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
}


# A step's text is HTML; its extras are (kind, …) tuples, images named by file.
def _p(*paragraphs):
    return "".join(f"<p>{text}</p>" for text in paragraphs)


def _step(title, text, *extras):
    return {"title": title, "text": text, "extras": list(extras)}


def _tip(text):
    return ("tip", _p(text))


def _warning(text):
    return ("warning", _p(text))


def _code(code, language="shell"):
    return ("code", code, language)


def _image(filename, alt, caption=""):
    return ("image", filename, alt, caption)


GUIDES = [
    {
        "slug": "imprimer-une-piece-en-3d-pla",
        "title": "Imprimer une pièce en 3D (PLA)",
        "summary": (
            "De la pièce trouvée en ligne à l'objet posé sur la table : "
            "préparer le fichier, lancer l'impression en PLA sur l'imprimante "
            "du Fab Lab et décoller la pièce sans l'abîmer."
        ),
        "image": "cube-calibration.png",
        "category": "fab-lab",
        "difficulty": 2,
        "duration_minutes": 90,
        "cost_estimate": "environ 1 € de filament (20 g de PLA)",
        "machines": [MACHINE["slug"]],
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
        "downloads": [
            ("cube-calibration-20mm.stl", "Cube de calibration de 20 mm (modèle 3D)")
        ],
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
                    "imprimante-3d.png",
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
                    "cube-calibration.png",
                    "Un cube jaune imprimé en 3D posé sur une table grise.",
                    "Le cube de calibration terminé : ses côtés doivent mesurer 20 mm.",
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
        "image": "ordinateur-linux.png",
        "category": "reemploi",
        "difficulty": 3,
        "duration_minutes": 120,
        "cost_estimate": "Gratuit (une clé USB de 8 Go)",
        "machines": [],
        "partners": ["clx"],
        "tools": ("Un autre ordinateur pour préparer la clé\nClé USB de 8 Go ou plus"),
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
                _warning("Tout ce qui n'est pas sauvegardé sera perdu à l'étape 6."),
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


def _extra(data, images):
    kind, *value = data
    if kind == "image":
        filename, alt, caption = value
        return image_extra(images[filename], alt, caption)
    if kind == "code":
        return code_extra(*value)
    return text_extra(kind, *value)


def _steps(data, images):
    return [
        step(s["title"], s["text"], [_extra(extra, images) for extra in s["extras"]])
        for s in data
    ]


def load(home):
    report = []
    index = GuideIndexPage.objects.child_of(home).first()
    if index is None:
        return ["Guides : page « Guides pratiques » absente, rien n'a été créé."]
    created = not Machine.objects.filter(slug=MACHINE["slug"]).exists()
    machine = MachineFactory(**MACHINE)
    report.append(f"Machine « {machine} » : {'créée' if created else 'déjà là'}.")
    images = {
        name: image_from_file(HERE / "images" / name, title)
        for name, title in IMAGES.items()
    }
    documents = {
        name: document_from_file(HERE / "files" / name, title)
        for name, title in DOCUMENTS.items()
    }
    machines = {machine.slug: machine}
    partners = {p.slug: p for p in Partner.objects.all()}

    for data in GUIDES:
        if GuidePage.objects.filter(slug=data["slug"]).exists():
            report.append(f"Guide « {data['title']} » : déjà là.")
            continue
        make_guide(
            index,
            title=data["title"],
            slug=data["slug"],
            summary=data["summary"],
            image=images.get(data["image"]),
            category=data["category"],
            difficulty=data["difficulty"],
            duration_minutes=data["duration_minutes"],
            cost_estimate=data["cost_estimate"],
            tools=data["tools"],
            safety_warnings=data["safety"],
            steps=_steps(data["steps"], images),
            machines=[machines[slug] for slug in data["machines"]],
            partners=[partners[s] for s in data["partners"] if s in partners],
            materials=data["materials"],
            downloads=[
                (documents[name], description)
                for name, description in data["downloads"]
            ],
        )
        report.append(f"Guide « {data['title']} » : créé.")
    return report
