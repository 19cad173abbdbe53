"""Both partners relay the agenda: the widget, the JSON feed and
« Diffuser l'agenda » (public page and admin)."""
