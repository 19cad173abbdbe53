"""Demo content of the resources app: the practical guides first, then the
learning paths (whose steps link to the guides) and their badges."""

from . import guides, paths


def load(home):
    return guides.load(home) + paths.load(home)
