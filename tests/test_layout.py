"""The layers of the code point one way (CONTRIBUTING.md): no import cycle
between the project's modules, counting the imports hidden inside functions
(an import inside a function is a sign of a cycle to remove, not a way
around it), and no model module importing a view, an admin module or a
form of the admin."""

import ast
from pathlib import Path

from django.conf import settings

APPS = ["portal", "home", "events", "resources", "volunteers"]
ROOT = Path(settings.BASE_DIR)


def project_modules():
    modules = {}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            modules[name.removesuffix(".__init__")] = path
    return modules


def imported_names(module, path):
    """Every module name `module` imports, at the top or inside a function."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module
            yield target
            yield from (f"{target}.{alias.name}" for alias in node.names)


def import_graph():
    modules = project_modules()
    graph = {}
    for module, path in modules.items():
        edges = set()
        for name in imported_names(module, path):
            while name and name not in modules:
                name = name.rpartition(".")[0]
            # A package's __init__ importing its own submodules is no layer.
            if name and name != module and not name.startswith(module + "."):
                edges.add(name)
        graph[module] = edges
    return graph


def cycles(graph):
    """Strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in graph[node]:
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                other = stack.pop()
                on_stack.discard(other)
                component.append(other)
                if other == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in graph:
        if node not in index:
            visit(node)
    return found


def test_no_import_cycle_between_project_modules():
    graph = import_graph()
    found = cycles(graph)
    assert found == [], "\n".join(
        " ↔ ".join(component)
        + " : "
        + "; ".join(
            f"{m} → {', '.join(sorted(graph[m] & set(component)))}" for m in component
        )
        for component in found
    )


def test_models_import_no_view_nor_admin():
    graph = import_graph()
    upper = ("views", "admin_views", "viewsets", "wagtail_hooks", "urls", "feeds")
    wrong = {
        module: sorted(m for m in edges if m.rpartition(".")[2].startswith(upper))
        for module, edges in graph.items()
        if ".models" in module
    }
    assert {m: e for m, e in wrong.items() if e} == {}


# -- events/ is read as its features ----------------------------------------------

# The feature packages of `events/`, by layer: a feature imports only from a
# lower layer, never from its own layer nor above (one direction of imports).
FEATURE_LAYERS = {
    "agenda": 0,
    "registrations": 1,
    "appointments": 1,
    "rooms": 1,
    "finance": 1,
    "subscriptions": 1,
    "relay": 2,
    "programme": 2,
    "fediverse": 2,
}
# What one feature may read of another: its rules, and the agenda's stored
# dates, places' closures and documents. Views, forms, e-mails, admin views,
# viewsets and demo data are a feature's own.
PUBLIC_MODULES = {
    "rules",
    "recurrence",
    "occurrences",
    "closures",
    "ical",
    "attendance",
}
# What stays at the top of `events/`: the app's own wiring and what every
# feature shares (models, permissions, signals, blocks, the yearly report).
EVENTS_TOP = {
    "events",
    "events.apps",
    "events.blocks",
    "events.demo",
    "events.factories",
    "events.permissions",
    "events.report",
    "events.signals",
    "events.signed_link_views",
    "events.urls",
    "events.wagtail_hooks",
}


def feature_of(module):
    parts = module.split(".")
    if len(parts) >= 2 and parts[0] == "events" and parts[1] in FEATURE_LAYERS:
        return parts[1]
    return None


def test_every_events_module_lives_in_a_feature_package_or_is_the_apps_wiring():
    stray = sorted(
        module
        for module in project_modules()
        if module.startswith("events")
        and feature_of(module) is None
        and module not in EVENTS_TOP
        and not module.startswith(
            ("events.models", "events.management", "events.templatetags")
        )
    )
    assert stray == [], (
        "Modules of events/ outside a feature package (CONTRIBUTING.md, "
        f"« Où vit une fonctionnalité »): {stray}"
    )


def test_features_import_each_other_one_way_and_only_what_is_public():
    wrong = []
    for module, edges in import_graph().items():
        mine = feature_of(module)
        if mine is None:
            continue
        for other in edges:
            theirs = feature_of(other)
            if theirs is None or theirs == mine or other == f"events.{theirs}":
                continue
            if FEATURE_LAYERS[theirs] >= FEATURE_LAYERS[mine]:
                wrong.append(f"{module} → {other} (couche {theirs} ≥ {mine})")
            elif other.rpartition(".")[2] not in PUBLIC_MODULES:
                wrong.append(f"{module} → {other} (module interne de {theirs})")
    assert wrong == [], "\n".join(sorted(wrong))


def test_each_feature_has_its_templates_and_tests_in_its_own_folder():
    for feature in FEATURE_LAYERS:
        assert (ROOT / "events" / feature / "__init__.py").exists(), feature
        # The fediverse answers in JSON only: no template.
        if feature != "fediverse":
            assert (ROOT / "templates" / "events" / feature).is_dir(), feature
        assert (ROOT / "tests" / "events" / feature).is_dir(), feature


def test_refusals_are_one_shape_from_portal_errors():
    """A rule's refusal (French message, HTTP status) subclasses
    `portal.errors.Refused` instead of writing the shape again."""
    written_again = []
    for module, path in project_modules().items():
        if module == "portal.errors":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                assigns = {
                    target.attr
                    for item in ast.walk(node)
                    if isinstance(item, ast.Assign)
                    for target in item.targets
                    if isinstance(target, ast.Attribute)
                    and isinstance(target.value, ast.Name)
                    and target.value.id == "self"
                }
                if {"message", "status"} <= assigns:
                    written_again.append(f"{module}.{node.name}")
    assert written_again == []


def test_only_portal_signed_links_signs_a_link():
    """Every signed link is made and read by `portal.signed_links` (one
    class per kind of link): no other module imports `django.core.signing`."""
    signing_elsewhere = sorted(
        module
        for module, path in project_modules().items()
        if module != "portal.signed_links"
        and any(
            name == "django.core.signing" or name.startswith("django.core.signing.")
            for name in imported_names(module, path)
        )
    )
    assert signing_elsewhere == []


def test_rules_tell_their_emails_directly_and_emails_never_read_the_rules():
    """One way to notify, the same in every feature: the rule calls its
    `emails` (queued in the rule's transaction, so sent only if the
    decision holds); an e-mail is given what it shows and never imports
    the rule that decides."""
    graph = import_graph()
    packages = {m.rpartition(".")[0] for m in graph if m.endswith(".emails")}
    assert len(packages) >= 5
    for package in sorted(packages):
        emails, rules = f"{package}.emails", f"{package}.rules"
        assert rules not in graph[emails], f"{emails} imports {rules}"
        if rules in graph:
            assert emails in graph[rules], f"{rules} does not call {emails}"
