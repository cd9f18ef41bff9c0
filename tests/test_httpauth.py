"""HTTP Digest answers checked against RFC 7616's own examples, challenge parsing, and publish and query
answering challenges of a Digest-only stub on 127.0.0.1. The real server that takes them (Virtuoso) is in
test_virtuoso.py."""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from govgraph.credentials import Credentials
from govgraph.httpauth import AuthError, Challenge, authorization, challenges, digest, digest_challenge
from govgraph.publish import PublishError, publish
from govgraph.query import QueryError, run_query

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


# ------------------------------------------------------------------ the flow, against a Digest-only stub

USER, PASSWORD = "publisher", "pa55-wörd"


@dataclass
class DigestStore:
    """A tiny graph store and SPARQL endpoint that takes HTTP Digest (SHA-256) and nothing else. ``head_challenge``:
    whether a HEAD without credentials is answered with the challenge (Virtuoso does; some servers do not)."""

    head_challenge: bool = True
    nonces: list[str] = field(default_factory=list)
    requests: list[tuple[str, str, int]] = field(default_factory=list)  # method, authorization scheme, body size

    def challenge(self) -> str:
        nonce = f"nonce-{len(self.nonces)}"
        self.nonces.append(nonce)
        return f'Digest realm="store", qop="auth", algorithm=SHA-256, nonce="{nonce}", opaque="op"'

    def valid(self, method: str, target: str, header: str) -> bool:
        if not header.startswith("Digest "):
            return False
        (answer,) = challenges([header])
        p = answer.params

        def h(text: str) -> str:
            return hashlib.sha256(text.encode()).hexdigest()

        ha1, ha2 = h(f"{USER}:store:{PASSWORD}"), h(f"{method}:{target}")
        expected = h(f"{ha1}:{p.get('nonce')}:{p.get('nc')}:{p.get('cnonce')}:auth:{ha2}")
        return p.get("nonce") in self.nonces and p.get("uri") == target and p.get("response") == expected


@contextlib.contextmanager
def digest_store(store: DigestStore) -> Iterator[str]:
    from .conftest import QuietHandler, http_stub

    class Handler(QuietHandler):
        def answer(self, status: int, body: bytes = b"", challenge: bool = False) -> None:
            self.send_response(status)
            if challenge:
                self.send_header("WWW-Authenticate", store.challenge())
            self.send_header("Content-Type", "application/sparql-results+json" if body else "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_HEAD(self) -> None:
            store.requests.append(("HEAD", "", 0))
            self.answer(401, challenge=store.head_challenge) if store.head_challenge else self.answer(404)

        def handle_request(self) -> None:
            size = int(self.headers.get("Content-Length", "0"))
            self.rfile.read(size)
            header = self.headers.get("Authorization", "")
            store.requests.append((self.command, header.partition(" ")[0], size))
            if not store.valid(self.command, self.path, header):
                self.answer(401, challenge=True)
            elif self.command == "PUT":
                self.answer(201)
            elif "graph=" in self.path:  # publish reads the live graph first: there is none yet
                self.answer(404)
            else:
                self.answer(200, json.dumps({"head": {}, "boolean": True}).encode())

        do_PUT = do_GET = do_POST = handle_request

    with http_stub(Handler, "/store") as url:
        yield url


def test_publish_answers_the_challenge_of_a_head_and_sends_the_body_once(tmp_path: Path) -> None:
    data = tmp_path / "small.nt"
    data.write_text('<https://example.org/a> <https://example.org/p> "x" .\n')
    store = DigestStore()
    with digest_store(store) as url:
        result = publish(url, "https://example.org/g", data, username=USER, password=PASSWORD)
    assert result.status == 201 and result.triples == 1
    # the live graph is read first (a GET: Basic, refused, then the Digest answer), then HEAD and one PUT
    assert [(method, scheme) for method, scheme, _size in store.requests] == [
        ("GET", "Basic"),
        ("GET", "Digest"),
        ("HEAD", ""),
        ("PUT", "Digest"),
    ]


def test_publish_answers_a_challenge_to_the_put_itself(tmp_path: Path) -> None:
    """A server whose HEAD asks for nothing gets Basic first, then the Digest answer to its challenge."""
    data = tmp_path / "small.nt"
    data.write_text('<https://example.org/a> <https://example.org/p> "x" .\n')
    store = DigestStore(head_challenge=False)
    with digest_store(store) as url:
        assert publish(url, "https://example.org/g", data, username=USER, password=PASSWORD).status == 201
        with pytest.raises(PublishError, match=r"HTTP 401.*refused the credentials") as info:
            publish(url, "https://example.org/g", data, username=USER, password="wrong")
    assert "wrong" not in str(info.value)
    puts = [(method, scheme, size) for method, scheme, size in store.requests if method == "PUT"]
    size = data.stat().st_size
    assert puts[:2] == [("PUT", "Basic", size), ("PUT", "Digest", size)]  # the whole body both times
    assert len(puts) == 2  # the wrong password stopped at the GET of the live graph: nothing was sent
    assert [(m, scheme) for m, scheme, _size in store.requests[-2:]] == [("GET", "Basic"), ("GET", "Digest")]


def test_query_answers_a_digest_challenge() -> None:
    store = DigestStore()
    with digest_store(store) as url:
        assert run_query("ASK { ?s ?p ?o }", endpoint=url, username=USER, password=PASSWORD, retries=0).boolean
        with pytest.raises(QueryError, match="HTTP 401"):
            run_query("ASK { ?s ?p ?o }", endpoint=url, username=USER, password="wrong", retries=0)
    assert ("GET", "Digest", 0) in store.requests


def test_publish_goes_through_the_proxy_the_environment_names(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """publish sends its own requests (to read the answer of a server that closes early), and still honours
    http_proxy as urllib did: a plain-HTTP proxy gets the whole URL as the request target."""
    import http.server
    import threading
    import urllib.request

    from .conftest import QuietHandler, http_stub

    seen: list[tuple[str, str]] = []

    class Store(QuietHandler):
        def do_GET(self) -> None:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_PUT(self) -> None:
            self.rfile.read(int(self.headers["Content-Length"]))
            seen.append(("store", self.path))
            self.send_response(204)
            self.end_headers()

    class Proxy(QuietHandler):
        def relay(self) -> None:
            seen.append(("proxy", f"{self.command} {self.path}"))
            size = int(self.headers.get("Content-Length", "0"))
            headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "proxy-connection")}
            request = urllib.request.Request(self.path, self.rfile.read(size) or None, headers, method=self.command)
            try:
                with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(request) as answer:
                    status, data = answer.status, answer.read()
            except urllib.error.HTTPError as exc:
                status, data = exc.code, exc.read()
            self.send_response(status)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_PUT = do_HEAD = relay

    proxy = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    data = tmp_path / "small.nt"
    data.write_text('<https://example.org/a> <https://example.org/p> "x" .\n')
    try:
        with http_stub(Store, "/store") as url:
            monkeypatch.setenv("http_proxy", f"http://127.0.0.1:{proxy.server_address[1]}")
            monkeypatch.setenv("no_proxy", "")
            assert publish(url, "https://example.org/g", data).status == 204
    finally:
        proxy.shutdown()
        proxy.server_close()
    target = f"{url}?graph=https%3A%2F%2Fexample.org%2Fg"
    assert seen == [
        ("proxy", f"GET {target}"),
        ("proxy", f"PUT {target}"),
        ("store", "/store?graph=https%3A%2F%2Fexample.org%2Fg"),
    ]
