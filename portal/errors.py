"""One shape for a request that a rule refuses: every feature's refusal
carries a French ``message`` for the person and the HTTP ``status`` the
page answers with, so a view turns any of them into the same page."""


class Refused(Exception):
    """A request refused by a rule; ``message`` says why in French (and what
    to do), ``status`` is the HTTP status the answer should have."""

    status = 400

    def __init__(self, message, status=None):
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status
