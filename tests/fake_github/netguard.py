"""Refuse real outbound network access (stdlib only, so subprocesses can load it too)."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from typing import Any

_LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}


class NetworkBlockedError(RuntimeError):
    """Raised instead of touching the network. Deliberately not an OSError, so HTTP
    libraries cannot mistake it for a flaky connection and retry it away."""


def is_local(host: Any) -> bool:
    """True for loopback addresses and names (and for AF_UNIX paths)."""
    if host is None or (isinstance(host, bytes | str) and host in ("", b"")):
        return True
    text = host.decode() if isinstance(host, bytes) else str(host)
    if text.lower() in _LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(text.split("%")[0]).is_loopback
    except ValueError:
        return False


def _address_ok(address: Any) -> bool:
    if isinstance(address, str | bytes):
        return True  # AF_UNIX socket path
    return is_local(address[0])


def guarded(setattr_: Callable[[Any, str, Any], None]) -> None:
    """Patch socket connect/connect_ex/getaddrinfo through ``setattr_`` (e.g. pytest's
    ``monkeypatch.setattr``, which undoes the patch after the test)."""
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo

    def refuse(what: Any) -> NetworkBlockedError:
        return NetworkBlockedError(
            f"real network access blocked in tests: {what!r} (use the fake GitHub, "
            "which listens on 127.0.0.1 or is installed on responses)"
        )

    def connect(self: socket.socket, address: Any) -> None:
        if not _address_ok(address):
            raise refuse(address)
        real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        if not _address_ok(address):
            raise refuse(address)
        return real_connect_ex(self, address)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if not is_local(host):
            raise refuse(host)
        return real_getaddrinfo(host, *args, **kwargs)

    setattr_(socket.socket, "connect", connect)
    setattr_(socket.socket, "connect_ex", connect_ex)
    setattr_(socket, "getaddrinfo", getaddrinfo)


def install_permanently() -> None:
    """Guard the whole process (used by the subprocess ``sitecustomize``)."""
    guarded(setattr)
