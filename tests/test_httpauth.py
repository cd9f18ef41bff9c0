"""HTTP Digest answers checked against RFC 7616's own examples, and challenge parsing. The real server that
takes them (Virtuoso) is in test_virtuoso.py."""

from __future__ import annotations

import hashlib

import pytest

from govgraph.credentials import Credentials
from govgraph.httpauth import AuthError, Challenge, authorization, challenges, digest, digest_challenge

# RFC 7616 section 3.9.1
MUFASA = Credentials("Mufasa", "Circle of Life")
NONCE = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v"
OPAQUE = "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"
CNONCE = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ"


def rfc_challenge(algorithm: str) -> Challenge:
    header = (
        f'Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm={algorithm}, '
        f'nonce="{NONCE}", opaque="{OPAQUE}"'
    )
    (challenge,) = challenges([header])
    return challenge


@pytest.mark.parametrize(
    ("algorithm", "response"),
    [
        ("MD5", "8ca523f5e9506fed4657c9700eebdbec"),
        ("SHA-256", "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"),
    ],
)
def test_the_rfc_7616_examples(algorithm: str, response: str) -> None:
    header = digest(MUFASA, rfc_challenge(algorithm), "GET", "/dir/index.html", cnonce=CNONCE)
    assert header == (
        f'Digest username="Mufasa", realm="http-auth@example.org", uri="/dir/index.html", algorithm={algorithm}, '
        f'nonce="{NONCE}", nc=00000001, cnonce="{CNONCE}", qop=auth, response="{response}", opaque="{OPAQUE}"'
    )


def test_userhash_hides_the_user_name() -> None:
    name = "J\u00e4s\u00f8n Doe"
    (challenge,) = challenges(['Digest realm="api@example.org", qop=auth, algorithm=SHA-256, nonce="n", userhash=true'])
    header = digest(Credentials(name, "Secret, or not?"), challenge, "GET", "/doe.json", cnonce="c")
    hashed = hashlib.sha256(f"{name}:api@example.org".encode()).hexdigest()
    assert f'username="{hashed}"' in header and "userhash=true" in header and name not in header


def test_a_name_that_is_not_plain_ascii_goes_in_username_star() -> None:
    (challenge,) = challenges(['Digest realm="r", nonce="n"'])  # no qop: the RFC 2069 form
    header = digest(Credentials("J\u00e4s\u00f8n", "pw"), challenge, "PUT", "/store", cnonce="c")
    assert "username*=UTF-8''J%C3%A4s%C3%B8n" in header
    assert "qop" not in header and "cnonce" not in header
    ha1 = hashlib.md5("J\u00e4s\u00f8n:r:pw".encode()).hexdigest()
    ha2 = hashlib.md5(b"PUT:/store").hexdigest()
    assert f'response="{hashlib.md5(f"{ha1}:n:{ha2}".encode()).hexdigest()}"' in header


def test_sess_algorithms_hash_the_nonces_into_ha1() -> None:
    (challenge,) = challenges(['Digest realm="r", nonce="n", qop="auth", algorithm=MD5-sess'])
    header = digest(Credentials("u", "p"), challenge, "GET", "/", cnonce="c")

    def md5(text: str) -> str:
        return hashlib.md5(text.encode()).hexdigest()

    ha1, ha2 = md5(f"{md5('u:r:p')}:n:c"), md5("GET:/")
    expected = md5(f"{ha1}:n:00000001:c:auth:{ha2}")
    assert f'response="{expected}"' in header


def test_challenges_with_several_schemes_and_quoted_commas() -> None:
    found = challenges(['Basic realm="x", Digest realm="a, \\"b\\"", nonce=abc, algorithm=SHA-256', "Negotiate"])
    assert [c.scheme for c in found] == ["basic", "digest", "negotiate"]
    assert found[1].params == {"realm": 'a, "b"', "nonce": "abc", "algorithm": "SHA-256"}
    # the strongest Digest wins; without Digest, Basic is what gets sent
    md5, sha = challenges(['Digest realm="r", nonce="1", algorithm=MD5', 'Digest nonce="2", algorithm=SHA-256'])
    assert digest_challenge([md5, sha]) is sha
    assert authorization(MUFASA, challenges(['Basic realm="r"']), "PUT", "/") == MUFASA.header()
    assert authorization(MUFASA, [], "PUT", "/").startswith("Basic ")


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ('Digest realm="r", nonce="n", algorithm=SHA-1', "algorithm SHA-1"),
        ('Digest realm="r", nonce="n", qop="auth-int"', "qop auth-int"),
    ],
)
def test_what_cannot_be_answered_is_said(header: str, message: str) -> None:
    with pytest.raises(AuthError, match=message):
        digest(MUFASA, challenges([header])[0], "GET", "/")
