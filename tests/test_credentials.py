"""Where endpoint credentials come from (options, URL, environment, netrc), and that they never show in a
message. `govgraph query` uses the same lookup as `govgraph publish`: checked here against a tiny local server
that demands Basic auth. Nothing here reaches beyond 127.0.0.1."""

from __future__ import annotations

import base64
import contextlib
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from govgraph.cli import main
from govgraph.credentials import (
    Credentials,
    CredentialsError,
    find_credentials,
    redact,
    safe_url,
    split_userinfo,
)
from govgraph.query import QueryError, run_query

from .conftest import QuietHandler, http_stub

USER, PASSWORD = "alice", "pa:ss@w/rd%é"
URL = "https://store.example.org:8443/sparql?x=1"


def netrc_env(tmp_path: Path, text: str, **extra: str) -> dict[str, str]:
    path = tmp_path / "netrc"
    path.write_text(text)
    return {"NETRC": str(path), **extra}


def test_split_userinfo_and_safe_url() -> None:
    assert split_userinfo("http://host/q") == ("http://host/q", None, None)
    assert split_userinfo("http://bob@host:1/q?a=b") == ("http://host:1/q?a=b", "bob", None)
    assert split_userinfo("http://bob:pa%3Ass%40w%2Frd@host/q") == ("http://host/q", "bob", "pa:ss@w/rd")
    assert split_userinfo("http://bob:@host/q") == ("http://host/q", "bob", "")
    assert safe_url("https://bob:secret@host:8443/store") == "https://host:8443/store"
    assert safe_url("http://[::1/broken@x") == "x"  # even a URL urlsplit rejects loses its user part


def test_redact_hides_every_form_of_the_password() -> None:
    credentials = Credentials(USER, PASSWORD, "options")
    token = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
    assert credentials.header() == f"Basic {token}"
    text = f"got {token} and {PASSWORD} and pa%3Ass%40w%2Frd%25%C3%A9 from the URL"
    assert redact(text, credentials.secrets) == "got *** and *** and *** from the URL"
    assert PASSWORD not in repr(credentials) and USER in repr(credentials)
    assert Credentials(USER, "", "options").secrets == ()


def test_precedence_options_url_environment_netrc(tmp_path: Path) -> None:
    env = netrc_env(
        tmp_path,
        "machine store.example.org login nina password from-netrc\n",
        GOVGRAPH_ENDPOINT_USER="eve",
        GOVGRAPH_ENDPOINT_PASSWORD="from-env",
    )
    in_url = URL.replace("//", "//ulla:from-url@")
    assert find_credentials(in_url, "olaf", "from-options", environ=env) == Credentials(
        "olaf", "from-options", "options"
    )
    assert find_credentials(in_url, environ=env) == Credentials("ulla", "from-url", "the URL")
    found = find_credentials(URL, environ=env)
    assert (found.username, found.password) == ("eve", "from-env") and "GOVGRAPH_ENDPOINT_USER" in found.source
    env.pop("GOVGRAPH_ENDPOINT_USER")
    env.pop("GOVGRAPH_ENDPOINT_PASSWORD")
    found = find_credentials(URL, environ=env)
    assert (found.username, found.password) == ("nina", "from-netrc") and str(tmp_path / "netrc") in found.source


def test_netrc_matches_the_host_name_and_the_login(tmp_path: Path) -> None:
    env = netrc_env(
        tmp_path,
        "machine other.example.org login x password y\n"
        'machine store.example.org\n  login nina\n  password "p w"\n'
        "default login anon password guest\n",
    )
    assert find_credentials(URL, environ=env).password == "p w"  # the port does not matter, the host does
    # a user name alone takes its password from the netrc entry of the same login, not from another login's
    assert find_credentials(URL, "nina", environ=env).password == "p w"
    assert find_credentials(URL, "olaf", environ=env) == Credentials("olaf", "", "options")
    # no machine entry: the default entry, as curl and ftp do
    assert find_credentials("http://elsewhere.example/q", environ=env).username == "anon"
    assert find_credentials(URL, environ=netrc_env(tmp_path, "machine other login a password b\n")) is None


def test_no_credentials_anywhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "empty").write_text("")
    assert find_credentials(URL, environ={"NETRC": str(tmp_path / "empty")}) is None
    monkeypatch.setenv("HOME", str(tmp_path))  # no ~/.netrc there
    assert find_credentials(URL, environ={}) is None


def test_netrc_problems_name_the_file_and_never_its_content(tmp_path: Path) -> None:
    bad = tmp_path / "bad"
    bad.write_text("machine store.example.org login nina secret-word-here\n")
    with pytest.raises(CredentialsError) as info:
        find_credentials(URL, environ={"NETRC": str(bad)})
    assert str(bad) in str(info.value) and "secret-word-here" not in str(info.value)
    with pytest.raises(CredentialsError, match="not a file"):
        find_credentials(URL, environ={"NETRC": str(tmp_path / "missing")})
    # options win without reading the netrc file at all
    assert find_credentials(URL, "a", "b", environ={"NETRC": str(bad)}) == Credentials("a", "b", "options")


# ------------------------------------------------------------------------- govgraph query uses the same lookup

ASK_TRUE = json.dumps({"head": {}, "boolean": True}).encode()


@contextlib.contextmanager
def guarded_endpoint(received: list[str]) -> Iterator[str]:
    """A SPARQL endpoint answering ASK true to alice with PASSWORD, and 401 echoing the password to others."""
    expected = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()

    class Handler(QuietHandler):
        def do_GET(self) -> None:
            header = self.headers.get("Authorization", "")
            received.append(header)
            status, body = (200, ASK_TRUE) if header == expected else (401, f"no: {header} {PASSWORD}".encode())
            self.send_response(status)
            self.send_header("Content-Type", "application/sparql-results+json" if status == 200 else "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    with http_stub(Handler, "/sparql") as url:
        yield url


def test_query_takes_credentials_from_netrc(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GOVGRAPH_ENDPOINT_USER", raising=False)
    monkeypatch.delenv("GOVGRAPH_ENDPOINT_PASSWORD", raising=False)
    netrc = tmp_path / "netrc"
    netrc.write_text(f'machine 127.0.0.1 login {USER} password "{PASSWORD}"\n')
    monkeypatch.setenv("NETRC", str(netrc))
    received: list[str] = []
    with guarded_endpoint(received) as url:
        assert run_query("ASK { ?s ?p ?o }", endpoint=url, retries=0).boolean is True
        result = CliRunner().invoke(main, ["query", "--file", str(write_ask(tmp_path)), "--endpoint", url])
        assert result.exit_code == 0, result.stderr
        assert "true" in result.stdout.lower()
        # user:password@ in the URL now works too: it is sent as a header, never in the URL
        netrc.write_text("")
        in_url = url.replace("//", f"//{USER}:pa%3Ass%40w%2Frd%25%C3%A9@")
        assert run_query("ASK { ?s ?p ?o }", endpoint=in_url, retries=0).boolean is True
        # a wrong netrc password fails without showing either password
        netrc.write_text(f"machine 127.0.0.1 login {USER} password wrong-{USER}\n")
        with pytest.raises(QueryError) as info:
            run_query("ASK { ?s ?p ?o }", endpoint=url, retries=0)
        assert "HTTP 401" in str(info.value)
        wrong_token = base64.b64encode(f"{USER}:wrong-{USER}".encode()).decode()
        assert f"wrong-{USER}" not in str(info.value) and wrong_token not in str(info.value)
    assert len(received) == 5 and len(set(received[:3])) == 1 and received[0].startswith("Basic ")
    # A bare 401 (no challenge) to a Basic header is asked once more without credentials, to learn whether
    # the server wants Digest (Virtuoso's /sparql-auth answers so): no credential goes out in that request.
    assert received[3].startswith("Basic ") and received[4] == ""


def test_query_reports_a_malformed_netrc(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GOVGRAPH_ENDPOINT_USER", raising=False)
    monkeypatch.delenv("GOVGRAPH_ENDPOINT_PASSWORD", raising=False)
    bad = tmp_path / "netrc"
    bad.write_text("machine 127.0.0.1 login alice hunter2\n")
    monkeypatch.setenv("NETRC", str(bad))
    with pytest.raises(QueryError, match="not a valid netrc file") as info:
        run_query("ASK { ?s ?p ?o }", endpoint="http://127.0.0.1:9/sparql", retries=0)
    assert "hunter2" not in str(info.value)


def write_ask(tmp_path: Path) -> Path:
    path = tmp_path / "ask.rq"
    path.write_text("ASK { ?s ?p ?o }\n")
    return path
