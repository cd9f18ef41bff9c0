"""HTTP authentication: answering a server's Basic or Digest challenge with the user's credentials.

    from govgraph.httpauth import authorization, challenges
    found = challenges(response.headers.get_all("WWW-Authenticate") or [])
    request.add_header("Authorization", authorization(credentials, found, "PUT", "/store?graph=..."))

Digest follows RFC 7616: algorithms MD5, SHA-256 and SHA-512-256 (and their -sess forms), qop "auth" (or
none, the RFC 2069 form), ``userhash`` and ``username*`` for names that are not plain ASCII. Virtuoso's
/sparql-graph-crud-auth and /sparql-auth take Digest (MD5, qop=auth) and nothing else. qop "auth-int" (a hash
of the body) is not supported: a server that offers only that gets an AuthError naming it.

Where the credentials come from is :mod:`govgraph.credentials`' concern; this module only writes headers.
Standard library only.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from govgraph.credentials import Credentials

_HASHES = {"MD5": "md5", "SHA-256": "sha256", "SHA-512-256": "sha512_256"}
# auth-param = token "=" ( token / quoted-string ); a challenge = scheme [ params ], challenges comma-separated.
_TOKEN = r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+"
_PARAM = re.compile(rf'\s*({_TOKEN})\s*=\s*(?:"((?:[^"\\]|\\.)*)"|({_TOKEN}))\s*(?:,|$)')
_SCHEME = re.compile(rf"\s*({_TOKEN})(?:\s+|$)")


class AuthError(ValueError):
    """The server asks for an authentication govgraph cannot give (the message says which)."""


@dataclass(frozen=True)
class Challenge:
    """One challenge of a ``WWW-Authenticate`` header: the scheme (lower case) and its parameters (keys lower
    case, values unquoted)."""

    scheme: str
    params: dict[str, str]


def challenges(headers: Iterable[str]) -> list[Challenge]:
    """Every challenge in the ``WWW-Authenticate`` header values (one header can hold several)."""
    found: list[Challenge] = []
    for header in headers:
        rest = header.strip()
        while rest:
            scheme = _SCHEME.match(rest)
            if not scheme:
                break
            rest = rest[scheme.end() :]
            params: dict[str, str] = {}
            while True:
                param = _PARAM.match(rest)
                if not param:
                    break
                quoted, token = param.group(2), param.group(3)
                params[param.group(1).lower()] = re.sub(r"\\(.)", r"\1", quoted) if quoted is not None else token
                rest = rest[param.end() :]
            found.append(Challenge(scheme.group(1).lower(), params))
            rest = rest.lstrip(", ")
    return found


def digest_challenge(found: Iterable[Challenge]) -> Challenge | None:
    """The Digest challenge to answer: the strongest algorithm govgraph supports, or None when there is none."""
    offered = [c for c in found if c.scheme == "digest"]
    rank = {name: i for i, name in enumerate(["SHA-512-256", "SHA-256", "MD5"])}

    def strength(c: Challenge) -> int:
        return rank.get(c.params.get("algorithm", "MD5").upper().removesuffix("-SESS"), len(rank))

    return min(offered, key=strength, default=None)


def authorization(credentials: Credentials, found: Iterable[Challenge], method: str, uri: str) -> str:
    """The ``Authorization`` value answering the server's challenges: Digest when it offers Digest, else Basic.
    ``uri`` is the request target (path and query). AuthError when the Digest offered cannot be answered."""
    challenge = digest_challenge(found)
    if challenge is None:
        return credentials.header()
    return digest(credentials, challenge, method, uri)


def digest(credentials: Credentials, challenge: Challenge, method: str, uri: str, cnonce: str | None = None) -> str:
    """The Digest ``Authorization`` value for one request (RFC 7616 section 3.4); ``cnonce`` is random unless
    given (the RFC's examples fix it)."""
    params = challenge.params
    algorithm = params.get("algorithm", "MD5")
    base = algorithm.upper().removesuffix("-SESS")
    if base not in _HASHES or base not in _available():
        raise AuthError(f"the server asks for HTTP Digest with algorithm {algorithm}, which govgraph does not support")
    qops = [q.strip().lower() for q in params.get("qop", "").split(",") if q.strip()]
    if qops and "auth" not in qops:
        raise AuthError(f"the server asks for HTTP Digest with qop {', '.join(qops)}; govgraph supports qop=auth")
    realm, nonce = params.get("realm", ""), params.get("nonce", "")
    charset = "utf-8"  # RFC 7616 defines only UTF-8; servers that say nothing get it too

    def h(text: str) -> str:
        return hashlib.new(_HASHES[base], text.encode(charset)).hexdigest()

    cnonce = cnonce or secrets.token_hex(16)
    nc = "00000001"  # every request gets a challenge of its own: the nonce is used once
    ha1 = h(f"{credentials.username}:{realm}:{credentials.password}")
    if algorithm.upper().endswith("-SESS"):
        ha1 = h(f"{ha1}:{nonce}:{cnonce}")
    ha2 = h(f"{method}:{uri}")
    response = h(f"{ha1}:{nonce}:{nc}:{cnonce}:auth:{ha2}") if qops else h(f"{ha1}:{nonce}:{ha2}")

    fields: list[str] = []
    username = credentials.username
    if params.get("userhash", "").lower() == "true":
        fields.append(f'username="{h(f"{username}:{realm}")}"')
    elif _plain(username):
        fields.append(f'username="{username}"')
    else:  # RFC 7616 3.4.4: an extended value, RFC 5987 encoding
        import urllib.parse

        fields.append(f"username*=UTF-8''{urllib.parse.quote(username, safe='')}")
    fields += [f'realm="{_quote(realm)}"', f'uri="{_quote(uri)}"', f"algorithm={algorithm}", f'nonce="{_quote(nonce)}"']
    if qops:
        fields += [f"nc={nc}", f'cnonce="{cnonce}"', "qop=auth"]
    fields.append(f'response="{response}"')
    if "opaque" in params:
        fields.append(f'opaque="{_quote(params["opaque"])}"')
    if params.get("userhash", "").lower() == "true":
        fields.append("userhash=true")
    return "Digest " + ", ".join(fields)


def open_answering_digest(request: Any, credentials: Credentials | None, open_request: Callable[[Any], Any]) -> Any:
    """``open_request(request)`` (a urllib Request with its Basic header, if any; the opener raises HTTPError
    for error answers), answering a Digest challenge once: a 401 that offers Digest is answered by sending
    the request again with a Digest header. Virtuoso answers a Basic header with a bare 401 (no challenge),
    so then the request goes once more without credentials to learn the challenge. For bodyless or small
    requests (GET, a query): the request is sent again."""
    import urllib.error
    import urllib.parse
    import urllib.request

    def offered_digest(exc: urllib.error.HTTPError) -> Challenge | None:
        return digest_challenge(challenges(exc.headers.get_all("WWW-Authenticate") or [])) if exc.headers else None

    try:
        return open_request(request)
    except urllib.error.HTTPError as exc:
        if exc.code != 401 or credentials is None:
            raise
        offered = offered_digest(exc)
        if offered is None:
            headers = {k: v for k, v in request.header_items() if k.lower() != "authorization"}
            bare = urllib.request.Request(request.full_url, request.data, headers, method=request.get_method())
            try:
                open_request(bare).close()
            except urllib.error.HTTPError as second:
                offered = offered_digest(second) if second.code == 401 else None
                second.close()
        if offered is None:
            raise exc from None
        exc.close()
    parts = urllib.parse.urlsplit(request.full_url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    request.add_header("Authorization", authorization(credentials, [offered], request.get_method(), target))
    return open_request(request)


def _plain(text: str) -> bool:
    return text.isascii() and '"' not in text and "\\" not in text and text.isprintable()


def _quote(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _available() -> set[str]:
    return {name for name, algorithm in _HASHES.items() if algorithm in hashlib.algorithms_available}
