"""Credentials for remote SPARQL endpoints and graph stores: where they come from, and keeping them secret.

    from govgraph.credentials import find_credentials, redact, safe_url
    credentials = find_credentials("http://host:7878/store")   # None when there are none
    request.add_header("Authorization", credentials.header())

One lookup serves ``govgraph query --endpoint`` and ``govgraph publish``. The user name and the password are
each taken from the first of these sources that gives it:

1. the ``username``/``password`` arguments (the ``--user``/``--password`` options);
2. the ``user:password@`` part of the URL (it is taken out of the URL and sent as a header instead);
3. the environment variables ``GOVGRAPH_ENDPOINT_USER`` and ``GOVGRAPH_ENDPOINT_PASSWORD``;
4. a netrc file (``$NETRC``, else ``~/.netrc``): the ``machine`` entry for the URL's host name, or ``default``.
   The netrc file is read only when no other source gives a password, and its entry is not used when a user
   name is already known and the entry is for another login.

Credentials never appear in messages: :func:`safe_url` drops the ``user:password@`` part of a URL and
:func:`redact` hides the password (and the Basic token made from it) in any text, such as a server's answer.
Standard library only, so importing this module is cheap.
"""

from __future__ import annotations

import base64
import os
import urllib.parse
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ENV_USER, ENV_PASSWORD = "GOVGRAPH_ENDPOINT_USER", "GOVGRAPH_ENDPOINT_PASSWORD"
ENV_NETRC = "NETRC"


class CredentialsError(ValueError):
    """The credentials could not be read (an unreadable or malformed netrc file); the message names the file."""


@dataclass(frozen=True)
class Credentials:
    """A user name and password for HTTP Basic authentication, and where they were found (for messages)."""

    username: str
    password: str = field(repr=False)  # repr() and tracebacks of locals never show it
    source: str = "options"

    def header(self) -> str:
        """The value of the ``Authorization`` header."""
        return f"Basic {self._token()}"

    def _token(self) -> str:
        return base64.b64encode(f"{self.username}:{self.password}".encode()).decode("ascii")

    @property
    def secrets(self) -> tuple[str, ...]:
        """Every form in which the password could show up in a text: plain, URL-encoded, and the Basic token."""
        if not self.password:
            return ()
        return (self.password, urllib.parse.quote(self.password, safe=""), self._token())


def split_userinfo(url: str) -> tuple[str, str | None, str | None]:
    """The URL without its ``user:password@`` part, and the (percent-decoded) user name and password in it."""
    parts = urllib.parse.urlsplit(url)
    if "@" not in parts.netloc:
        return url, None, None
    userinfo, _, hostport = parts.netloc.rpartition("@")
    user, sep, password = userinfo.partition(":")
    clean = urllib.parse.urlunsplit(parts._replace(netloc=hostport))
    return clean, urllib.parse.unquote(user), urllib.parse.unquote(password) if sep else None


def safe_url(url: str) -> str:
    """The URL without any ``user:password@`` part: what messages show."""
    try:
        return split_userinfo(url)[0]
    except ValueError:  # urlsplit rejects some malformed URLs; a message must never fail because of that
        return url.rpartition("@")[2] if "@" in url else url


def redact(text: str, secrets: Sequence[str]) -> str:
    """``text`` with every secret replaced by ``***``."""
    for secret in sorted((s for s in secrets if s), key=len, reverse=True):  # longest first: a token holds more
        text = text.replace(secret, "***")
    return text


def netrc_path(environ: Mapping[str, str] | None = None) -> tuple[Path, bool]:
    """The netrc file to read, and whether the user named it explicitly (``$NETRC``) rather than by default."""
    environ = os.environ if environ is None else environ
    if environ.get(ENV_NETRC):
        return Path(environ[ENV_NETRC]).expanduser(), True
    return Path("~/.netrc").expanduser(), False


def netrc_credentials(host: str, environ: Mapping[str, str] | None = None) -> tuple[str, str] | None:
    """The login and password the netrc file gives for ``host`` (or its ``default`` entry), else None."""
    import netrc

    path, explicit = netrc_path(environ)
    if not path.is_file():
        if explicit:
            raise CredentialsError(f"{ENV_NETRC} names {path}, which is not a file")
        return None
    try:
        entry = netrc.netrc(str(path)).authenticators(host)
    except netrc.NetrcParseError as exc:
        # The parser's own message can quote a token of the file, which may be a password: give the line only.
        raise CredentialsError(f"{path}:{exc.lineno}: not a valid netrc file") from None
    except OSError as exc:
        raise CredentialsError(f"cannot read the netrc file {path}: {exc.strerror}") from None
    if entry is None:
        return None
    login, _account, password = entry
    return login or "", password or ""


def find_credentials(
    url: str,
    username: str | None = None,
    password: str | None = None,
    *,
    environ: Mapping[str, str] | None = None,
) -> Credentials | None:
    """The Basic-auth credentials for ``url``: from the arguments, the URL, the environment or a netrc file.

    Returns None when no source gives any. Raises CredentialsError when the netrc file is malformed.
    """
    environ = os.environ if environ is None else environ
    _clean, url_user, url_password = split_userinfo(url)
    sources = [
        ("options", username, password),
        ("the URL", url_user, url_password),
        (f"{ENV_USER} / {ENV_PASSWORD}", environ.get(ENV_USER), environ.get(ENV_PASSWORD)),
    ]
    user_source, user = next(((s, u) for s, u, _p in sources if u is not None), ("", None))
    password_source, secret = next(((s, p) for s, _u, p in sources if p is not None), ("", None))
    if secret is not None:
        return Credentials(user or "", secret, password_source)
    # No password yet: the netrc file may have one for this host (and for this user, when one is known).
    return _from_netrc(url, user, environ) or (Credentials(user, "", user_source) if user is not None else None)


def _from_netrc(url: str, username: str | None, environ: Mapping[str, str]) -> Credentials | None:
    host = urllib.parse.urlsplit(url).hostname
    entry = netrc_credentials(host, environ) if host else None
    if entry is None:
        return None
    login, password = entry
    if username and login and login != username:
        return None
    path, _explicit = netrc_path(environ)
    return Credentials(username or login, password, f"the netrc file {path}")
