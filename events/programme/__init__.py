"""What the partners print: the month's programme and one poster per event
(printable pages and their PDF), with QR codes back to the site."""
