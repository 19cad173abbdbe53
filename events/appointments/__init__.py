"""Appointments « sur rendez-vous » (assistance informatique): free slots,
booking, moving and cancelling by the signed link, the day sheet,
reminders, retention and the yearly report."""
