"""Our draft-cavage signatures (events/fediverse/signatures.py) against the
test values the draft itself publishes: draft-cavage-http-signatures-12,
Appendix C (the key, the request, the signing strings and the signatures
below are copied from it).

The draft warns that these vectors are « old and possibly wrong »: in the
All Headers Test, the `headers` parameter it prints also names `(created)`
and `(expires)`, but its signature is that of the signing string it prints,
which has neither; that signing string is what is checked here. The key is
1024-bit although the text says 2048.
"""

import datetime

import pytest
from cryptography.hazmat.primitives import serialization

from events.fediverse import signatures
from tests.fediverse_remote import new_key, pem

PUBLIC_KEY = """-----BEGIN PUBLIC KEY-----
MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDCFENGw33yGihy92pDjZQhl0C3
6rPJj+CvfSC8+q28hxA161QFNUd13wuCTUcq0Qd2qsBe/2hFyc2DCJJg0h1L78+6
Z4UMR7EOcpfdUE9Hf3m/hs+FUR45uBJeDK1HSFHD8bHKD6kv8FPGfJTotc+2xjJw
oYi+1hqp1fIekaxsyQIDAQAB
-----END PUBLIC KEY-----
"""

PRIVATE_KEY = """-----BEGIN RSA PRIVATE KEY-----
MIICXgIBAAKBgQDCFENGw33yGihy92pDjZQhl0C36rPJj+CvfSC8+q28hxA161QF
NUd13wuCTUcq0Qd2qsBe/2hFyc2DCJJg0h1L78+6Z4UMR7EOcpfdUE9Hf3m/hs+F
UR45uBJeDK1HSFHD8bHKD6kv8FPGfJTotc+2xjJwoYi+1hqp1fIekaxsyQIDAQAB
AoGBAJR8ZkCUvx5kzv+utdl7T5MnordT1TvoXXJGXK7ZZ+UuvMNUCdN2QPc4sBiA
QWvLw1cSKt5DsKZ8UETpYPy8pPYnnDEz2dDYiaew9+xEpubyeW2oH4Zx71wqBtOK
kqwrXa/pzdpiucRRjk6vE6YY7EBBs/g7uanVpGibOVAEsqH1AkEA7DkjVH28WDUg
f1nqvfn2Kj6CT7nIcE3jGJsZZ7zlZmBmHFDONMLUrXR/Zm3pR5m0tCmBqa5RK95u
412jt1dPIwJBANJT3v8pnkth48bQo/fKel6uEYyboRtA5/uHuHkZ6FQF7OUkGogc
mSJluOdc5t6hI1VsLn0QZEjQZMEOWr+wKSMCQQCC4kXJEsHAve77oP6HtG/IiEn7
kpyUXRNvFsDE0czpJJBvL/aRFUJxuRK91jhjC68sA7NsKMGg5OXb5I5Jj36xAkEA
gIT7aFOYBFwGgQAQkWNKLvySgKbAZRTeLBacpHMuQdl1DfdntvAyqpAZ0lY0RKmW
G6aFKaqQfOXKCyWoUiVknQJAXrlgySFci/2ueKlIE1QqIiLSZ8V8OlpFLRnb1pzI
7U1yQXnTAEFYM560yJlzUpOb1V4cScGd365tiSMvxLOvTA==
-----END RSA PRIVATE KEY-----
"""

# « All examples use this request » (POST, lower-case header names).
METHOD = "POST"
PATH = "/foo?param=value&pet=dog"
URL = "http://example.com" + PATH
HEADERS = {
    "host": "example.com",
    "date": "Sun, 05 Jan 2014 21:31:40 GMT",
    "content-type": "application/json",
    "digest": "SHA-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=",
    "content-length": "18",
}
BODY = b'{"hello": "world"}'
SENT_AT = datetime.datetime(2014, 1, 5, 21, 31, 40, tzinfo=datetime.UTC)

# C.1 Default Test: no `headers` parameter, so `date` alone is signed.
DEFAULT_TEST = (
    'keyId="Test",algorithm="rsa-sha256",'
    'signature="SjWJWbWN7i0wzBvtPl8rbASWz5xQW6mcJmn+ibttBqtifLN7Sazz'
    "6m79cNfwwb8DMJ5cou1s7uEGKKCs+FLEEaDV5lp7q25WqS+lavg7T8hc0GppauB"
    '6hbgEKTwblDHYGEtbGmtdHgVCk9SuS13F0hZ8FD0k/5OxEPXe5WozsbM="'
)
# C.2 Basic Test, as the draft's Authorization header.
BASIC_SIGNATURE = (
    "qdx+H7PHHDZgy4y/Ahn9Tny9V3GP6YgBPyUXMmoxWtLbHpUnXS"
    "2mg2+SbrQDMCJypxBLSPQR2aAjn7ndmw2iicw3HMbe8VfEdKFYRqzic+efkb3"
    "nndiv/x1xSHDJWeSWkx3ButlYSuBskLu6kd9Fswtemr3lgdDEmn04swr2Os0="
)
BASIC_TEST = (
    'Signature keyId="Test",algorithm="rsa-sha256",'
    'headers="(request-target) host date",'
    f'signature="{BASIC_SIGNATURE}"'
)
BASIC_SIGNING_STRING = (
    "(request-target): post /foo?param=value&pet=dog\n"
    "host: example.com\n"
    "date: Sun, 05 Jan 2014 21:31:40 GMT"
)
# C.3 All Headers Test: the signing string it prints, and its signature.
ALL_HEADERS = "(request-target) host date content-type digest content-length"
ALL_HEADERS_TEST = (
    f'keyId="Test",algorithm="rsa-sha256",headers="{ALL_HEADERS}",'
    'signature="vSdrb+dS3EceC9bcwHSo4MlyKS59iFIrhgYkz8+oVLEEzmYZZvRs'
    "8rgOp+63LEM3v+MFHB32NfpB2bEKBIvB1q52LaEUHFv120V01IL+TAD48XaERZF"
    'ukWgHoBTLMhYS2Gb51gWxpeIq8knRmPnYePbF5MOkR0Zkly4zKH7s1dE="'
)
ALL_HEADERS_SIGNING_STRING = (
    "(request-target): post /foo?param=value&pet=dog\n"
    "host: example.com\n"
    "date: Sun, 05 Jan 2014 21:31:40 GMT\n"
    "content-type: application/json\n"
    "digest: SHA-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=\n"
    "content-length: 18"
)


def private_key():
    return serialization.load_pem_private_key(PRIVATE_KEY.encode(), password=None)


def test_digest_and_signing_strings_are_the_drafts():
    assert signatures.digest(BODY) == HEADERS["digest"]
    basic = signatures.parse_signature(BASIC_TEST)["headers"]
    assert signatures.signing_string(METHOD, PATH, HEADERS, basic) == (
        BASIC_SIGNING_STRING
    )
    every = ALL_HEADERS.split()
    assert signatures.signing_string(METHOD, PATH, HEADERS, every) == (
        ALL_HEADERS_SIGNING_STRING
    )
    # Without a `headers` parameter the draft signs `date` alone.
    assert signatures.parse_signature(DEFAULT_TEST)["headers"] == ["date"]


def test_our_signer_gives_the_drafts_basic_signature():
    # RSASSA-PKCS1-v1_5 is deterministic: same key, same string, same bytes.
    sent = signatures.sign(private_key(), "Test", METHOD, URL, now=SENT_AT)
    assert sent["Host"] == HEADERS["host"]
    assert sent["Date"] == HEADERS["date"]
    params = signatures.parse_signature(sent["Signature"])
    assert params["headers"] == ["(request-target)", "host", "date"]
    assert params["signature"] == BASIC_SIGNATURE


@pytest.mark.parametrize("header", [DEFAULT_TEST, BASIC_TEST, ALL_HEADERS_TEST])
def test_the_drafts_signatures_verify_and_a_changed_request_does_not(header):
    params = signatures.parse_signature(header)
    signatures.verify(METHOD, PATH, HEADERS, params, PUBLIC_KEY)

    later = {**HEADERS, "date": "Sun, 05 Jan 2014 21:31:41 GMT"}
    with pytest.raises(signatures.SignatureError):
        signatures.verify(METHOD, PATH, later, params, PUBLIC_KEY)
    with pytest.raises(signatures.SignatureError):
        signatures.verify(METHOD, PATH, HEADERS, params, pem(new_key()))


@pytest.mark.parametrize("header", [BASIC_TEST, ALL_HEADERS_TEST])
def test_a_changed_target_breaks_the_signature(header):
    params = signatures.parse_signature(header)
    with pytest.raises(signatures.SignatureError):
        signatures.verify(
            METHOD, "/foo?param=value&pet=cat", HEADERS, params, PUBLIC_KEY
        )
    with pytest.raises(signatures.SignatureError):
        signatures.verify("PUT", PATH, HEADERS, params, PUBLIC_KEY)


def test_the_inbox_rule_takes_only_the_all_headers_signature():
    """The inbox asks more than the draft: (request-target), host, date and,
    with a body, the digest of that body, at a Date close to now."""
    check = signatures.check
    params = signatures.parse_signature(ALL_HEADERS_TEST)
    check(METHOD, PATH, HEADERS, BODY, PUBLIC_KEY, params, now=SENT_AT)

    for weaker in (DEFAULT_TEST, BASIC_TEST):
        with pytest.raises(signatures.SignatureError, match="does not cover"):
            check(
                METHOD,
                PATH,
                HEADERS,
                BODY,
                PUBLIC_KEY,
                signatures.parse_signature(weaker),
                now=SENT_AT,
            )
    with pytest.raises(signatures.SignatureError, match="Digest"):
        check(
            METHOD,
            PATH,
            HEADERS,
            b'{"hello": "monde"}',
            PUBLIC_KEY,
            params,
            now=SENT_AT,
        )
    # The same request replayed today is too old.
    with pytest.raises(signatures.SignatureError, match="replay"):
        check(METHOD, PATH, HEADERS, BODY, PUBLIC_KEY, params)
