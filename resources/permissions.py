"""Permission names of the resources app, as the roles matrix
(`portal/roles.py`) grants them, and the checks built on them."""

# Processing badge requests, awarding and revoking badges, erasing a
# recipient (action « award_badges » of the matrix).
AWARD_PERMISSION = "resources.award_badge"


def can_award(user):
    return user.has_perm(AWARD_PERMISSION)
