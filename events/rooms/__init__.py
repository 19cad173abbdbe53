"""The salle lent on agreed slots: CLX's requests, the médiathèque's
decisions, overlaps, the draft event made from a booking, the room's
month and its iCalendar feed."""
