"""The signed links e-mailed to their owner (« annuler mon inscription »,
« gérer mon rendez-vous », « se désabonner »…), made and read by one
generator, in the manner of `django.contrib.auth.tokens`.

A link's token is a value naming its object (a public id, a primary key),
signed with Django's `TimestampSigner` under the link's own salt, so a
token of one kind never opens a page of another. Each kind of link is a
small subclass that says its salt, how long a token stays valid, what it
signs and how it finds the object again, and the French refusals of its
pages. The salts and the token formats never change: a link already sent
in a mail must keep opening its page (`tests/test_signed_links.py` builds
tokens the way the code did before this module and opens the real URLs).
No other module signs a link (`tests/test_layout.py`)."""

from django.core import signing

from portal.errors import Refused


class SignedLink:
    """One kind of signed link. Subclasses set `salt` and `max_age` (a
    `timedelta`; None: valid for ever) and implement `value(obj)` (what
    the token names) and `find(value)` (the object, or None once it is
    gone), and the messages of the refusals they raise (`error`, a
    `Refused` subclass the link's pages catch)."""

    salt = ""
    max_age = None
    #: Sign a JSON value (`signing.dumps`'s format) rather than a string.
    signs_object = False
    #: With `signs_object`: zlib-compress the JSON when it is shorter.
    compress = False
    error = Refused
    expired_status = 410
    invalid_status = 400
    gone_status = 410

    def value(self, obj):
        raise NotImplementedError

    def find(self, value):
        raise NotImplementedError

    def expired_message(self):
        raise NotImplementedError

    def invalid_message(self):
        raise NotImplementedError

    def gone_message(self):
        """The refusal of a well-signed token whose object is gone; None:
        `object_for` answers None instead."""
        return None

    def signer(self):
        return signing.TimestampSigner(salt=self.salt)

    def make_token(self, obj):
        """The token of `obj`'s link."""
        value = self.value(obj)
        if self.signs_object:
            return self.signer().sign_object(value, compress=self.compress)
        return self.signer().sign(value)

    def unsign(self, token):
        """The value `token` names; raises `error` when the token is too old
        or not one of this kind's."""
        try:
            if self.signs_object:
                return self.signer().unsign_object(token, max_age=self.max_age)
            return self.signer().unsign(token, max_age=self.max_age)
        except signing.SignatureExpired:
            raise self.error(self.expired_message(), self.expired_status) from None
        except signing.BadSignature:
            raise self.error(self.invalid_message(), self.invalid_status) from None

    def object_for(self, token):
        """The object `token`'s link points at; raises `error` when the token
        cannot be used, or when the object is gone and `gone_message` says
        so (else None)."""
        found = self.find(self.unsign(token))
        if found is None:
            message = self.gone_message()
            if message is not None:
                raise self.error(message, self.gone_status)
        return found
