"""Revocation through Bitstring Status Lists (W3C Bitstring Status List v1.0).

Rule: each credential gets one entry (list, index) when it is signed, taken
in order from the newest list under a row lock; a full list is followed by a
new one. A bit is 1 when the assertion is revoked: the bits are read from
`BadgeAssertion.revoked` when the list is published, so a revocation in the
admin (or an erasure with revocation) is what every verifier sees next.
The published `encodedList` is the GZIP of the bitstring, index 0 being the
most significant bit of the first byte, in base64url without padding,
prefixed by `u` (multibase).
"""

import base64
import gzip

from django.db import transaction

from portal.prepared import prepared_query

from ..models import BadgeCredential, CredentialStatusList


def allocate():
    """(status list, index) for a new credential. Call inside the
    transaction that stores the credential."""
    with transaction.atomic():
        current = (
            CredentialStatusList.objects.select_for_update().order_by("-pk").first()
        )
        if current is None or current.next_index >= current.size:
            current = CredentialStatusList.objects.create()
            current = CredentialStatusList.objects.select_for_update().get(
                pk=current.pk
            )
        index = current.next_index
        current.next_index = index + 1
        current.save(update_fields=["next_index"])
    return current, index


def revoked_indexes(status_list):
    return set(
        BadgeCredential.objects.filter(
            status_list=status_list, assertion__revoked=True
        ).values_list("status_index", flat=True)
    )


def is_revoked(status_list, index):
    """Whether the list's bit `index` is set, as `encode` sets it from
    `revoked_indexes`, in one row lookup."""
    return bool(_revoked_entry(status_list.pk, index))


@prepared_query
def _revoked_entry(status_list_pk, index):
    # Compiled once (portal.prepared): every verification page asks it.
    # `__in`, not `=`: Django refuses an `=` on a positive integer field for
    # the negative value portal.prepared compiles with, and the query would
    # be built anew on every call.
    return BadgeCredential.objects.filter(
        status_list=status_list_pk, status_index__in=[index], assertion__revoked=True
    ).only("pk")[:1]


def encode(size, indexes):
    bits = bytearray(size // 8)
    for index in indexes:
        bits[index // 8] |= 0x80 >> (index % 8)
    # mtime=0: the same bits always give the same text.
    compressed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).decode().rstrip("=")


def decode(encoded):
    """The bitstring of an `encodedList`, as bytes."""
    if not encoded.startswith("u"):
        raise ValueError("encodedList is not multibase base64url")
    text = encoded[1:]
    return gzip.decompress(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))


def is_set(bitstring, index):
    return bool(bitstring[index // 8] & (0x80 >> (index % 8)))
