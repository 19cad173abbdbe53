"""Who may do what with volunteers: permission names of the roles matrix
(`portal/roles.py`) and the checks built on them, all through
`user.has_perm`, so the matrix stays the one source of truth."""

# Private contact details (names, e-mail, phone, membership) in the admin,
# exports and the printable charter sheet.
CONTACT_PERMISSION = "volunteers.view_volunteer_contact"
# Countersigning the charter for the médiathèque, and seeing on the dashboard
# who must sign it again.
COUNTERSIGN_PERMISSION = "volunteers.countersign_chartersignature"
# Erasing a volunteer's personal data (RGPD) is deleting their entry.
ERASE_PERMISSION = "volunteers.delete_volunteer"


def can_see_contact(user):
    return user.has_perm(CONTACT_PERMISSION)


def can_countersign(user):
    return user.has_perm(COUNTERSIGN_PERMISSION)


def can_erase(user):
    return user.has_perm(COUNTERSIGN_PERMISSION) and user.has_perm(ERASE_PERMISSION)
