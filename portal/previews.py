"""A page whose public rendering reads what is stored, in queries compiled
once (portal.prepared), while a preview shows what the editor holds in
memory (its unsaved relations, steps, dates)."""


class ReadsStoredMixin:
    """Put before `Page` in the bases: `serve_preview` marks the instance,
    and `reads_stored` tells the page's parts which to read."""

    in_preview = False

    def serve_preview(self, request, mode_name):
        self.in_preview = True
        return super().serve_preview(request, mode_name)

    @property
    def reads_stored(self):
        """Saved and not previewed: what is stored is what the page shows."""
        return bool(self.pk) and not self.in_preview
