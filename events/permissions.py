"""Permission names of the agenda's registrations, as the roles matrix
(`portal/roles.py`) grants them. Seeing names and e-mails takes
VIEW_REGISTRATIONS; the CSV export and the attendance sheet (where staff tick
who came) EXPORT_REGISTRATIONS; closing registration to an occurrence and
serving its waiting list CHANGE_REGISTRATIONS; erasing one on request,
`events.delete_registration`."""

VIEW_REGISTRATIONS = "events.view_registration"
EXPORT_REGISTRATIONS = "events.export_registration"
CHANGE_REGISTRATIONS = "events.change_registration"
