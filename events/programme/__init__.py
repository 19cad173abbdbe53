"""What the public reads as the programme: one card per event on the agenda
and the home page (`groups`), the month's programme and one poster per
event (printable pages and their PDF), with QR codes back to the site."""
