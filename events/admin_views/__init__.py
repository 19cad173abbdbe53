"""Custom admin views of the agenda, one module per family, each served as
URL patterns of its viewset in `events.viewsets`:

- `rooms`: a booking's request and decision, a room's month;
- `commitments`: the financial commitments and the editor's side of the
  publish guard (page hooks);
- `registrations`: an occurrence's registrations, exports, attendance sheet,
  closing, waiting list;
- `appointments`: the day's appointments, the day sheet, the yearly report;
- `relay`: the agenda subscribers' listing and « Diffuser l'agenda ».
"""
