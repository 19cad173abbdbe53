"""Registrations to an event's date: seats held then confirmed by the
address, the waiting list, the « gérer mon inscription » link, reminders,
the admin's lists, exports and attendance sheet."""
