"""Demo content of the events app, in this order: the agenda (venue, event
types, events), registrations on the next petit dej', appointments on the
« assistance informatique », then rooms, bookings and money (the petits
dej' move into the salle d'animation)."""

from events.agenda import demo as agenda
from events.appointments import demo as appointments
from events.registrations import demo as registrations
from events.rooms import demo as rooms

PARTS = [agenda, registrations, appointments, rooms]


def load(home):
    report = []
    for part in PARTS:
        report.extend(part.load(home))
    return report
