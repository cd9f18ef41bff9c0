"""A pytest plugin that fails any test which opens a network connection to anything but this machine.

govgraph works offline; its tests talk only to servers they start on 127.0.0.1. This plugin installs a Python
audit hook (sys.addaudithook) that sees every socket connect, DNS lookup and sendto made by Python code in the
test process, and refuses (raises NetworkBlocked) any whose address is not loopback: 127.0.0.0/8, ::1,
"localhost", or a Unix socket. A refused attempt also fails the test even if the code under test catches the
exception, because the attempt itself is recorded.

Limits (also in SECURITY.md): subprocesses (the oxigraph server, `govgraph` run as a command) and native code
that opens sockets itself (pyoxigraph's SERVICE client is Rust) are outside the hook.

Enable with ``-p tests.network_guard`` or ``pytest_plugins = ["tests.network_guard"]`` in conftest.py.
"""

from __future__ import annotations

import ipaddress
import socket
import sys
from typing import Any

import pytest

_LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"}


class NetworkBlocked(RuntimeError):
    """A test tried to reach beyond this machine. Not an OSError, so network error handling cannot swallow it."""


def is_local(host: Any) -> bool:
    """True for a loopback address or name (or no host at all, as in getaddrinfo(None, port))."""
    if host is None:
        return True
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if not isinstance(host, str):
        return False
    host = host.strip("[]").split("%", 1)[0].lower()
    if host in _LOCAL_NAMES or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False  # any other name would need a DNS lookup: not local
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return address.is_loopback


def address_is_local(sock: Any, address: Any) -> bool:
    """True for a socket address that stays on this machine: loopback IP, or any Unix-domain address."""
    family = getattr(sock, "family", None)
    if family == getattr(socket, "AF_UNIX", object()) or isinstance(address, (str, bytes)):
        return True  # a path (or abstract name) on this machine
    if isinstance(address, tuple) and address:
        return is_local(address[0])
    return False


class _Guard:
    def __init__(self) -> None:
        self.active = False
        self.attempts: list[str] = []

    def hook(self, event: str, args: tuple) -> None:
        if not self.active or not event.startswith("socket."):
            return
        if event in ("socket.connect", "socket.sendto", "socket.sendmsg"):
            sock, address = args[0], args[1]
            if address is None or address_is_local(sock, address):
                return
            what = f"{event} to {address!r}"
        elif event in ("socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyname_ex", "socket.gethostbyaddr"):
            if is_local(args[0]):
                return
            what = f"{event} of {args[0]!r}"
        else:
            return
        self.attempts.append(what)
        raise NetworkBlocked(f"network access outside this machine is not allowed in tests: {what}")


GUARD = _Guard()
_installed = False


def install() -> _Guard:
    """Install the audit hook once per process (audit hooks cannot be removed) and switch it on."""
    global _installed
    if not _installed:
        sys.addaudithook(GUARD.hook)
        _installed = True
    GUARD.active = True
    return GUARD


def pytest_configure(config: pytest.Config) -> None:
    install()
    config.addinivalue_line("markers", "network_guard_probe: the test checks the guard itself; attempts are expected")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item: pytest.Item):
    GUARD.attempts.clear()
    outcome = yield
    attempts, GUARD.attempts[:] = list(GUARD.attempts), []
    if attempts and item.get_closest_marker("network_guard_probe") is None and outcome.excinfo is None:
        pytest.fail("the test reached for the network: " + "; ".join(attempts), pytrace=False)
