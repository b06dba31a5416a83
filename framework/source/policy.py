"""What may be fetched: local directories, allowed URL schemes and hosts, public addresses only where
policy says so, and URLs with their credentials redacted for logs and reports.
"""

from __future__ import annotations

import ipaddress
import os
import socket
from pathlib import Path
from urllib.parse import urlsplit

from framework.config import SourceLimits
from framework.environment import running_on_lambda
from framework.errors import SourceError


def classify(target: str, limits: SourceLimits, allow_local: bool) -> str:
    """'directory' or 'git'; raises SourceError for what policy refuses."""
    parts = urlsplit(target)
    if parts.scheme in ("", "file") or (len(parts.scheme) == 1 and os.name == "nt"):
        if not allow_local:
            raise SourceError(f"local sources are refused here: {redact(target)}")
        if parts.scheme == "file":
            return "git"
        path = Path(target).expanduser()
        if not path.exists():
            raise SourceError(f"{target}: no such directory")
        if not path.is_dir():
            raise SourceError(f"{target}: not a directory")
        return "directory"
    if parts.scheme not in limits.allowed_schemes:
        raise SourceError(
            f"{redact(target)}: scheme {parts.scheme!r} is not allowed "
            f"(source.allowed_schemes: {', '.join(limits.allowed_schemes)})"
        )
    host = (parts.hostname or "").lower()
    if not _host_allowed(host, limits.allowed_hosts):
        raise SourceError(
            f"{redact(target)}: host {host!r} is not allowed "
            f"(source.allowed_hosts: {', '.join(limits.allowed_hosts)})"
        )
    return "git"


def vet_address(url: str, limits: SourceLimits) -> str | None:
    """Resolve the URL's host and refuse non-public addresses when policy says so.

    Returns a ``host:port:address`` pin for git's ``http.curloptResolve``, so that git connects to
    the very address vetted here and a second DNS answer (rebinding) cannot redirect it.
    """
    refuse = limits.private_networks == "refuse" or (
        limits.private_networks == "auto" and running_on_lambda()
    )
    parts = urlsplit(url)
    if not refuse or not parts.hostname:
        return None
    port = parts.port or {"https": 443, "http": 80, "ssh": 22}.get(parts.scheme, 443)
    try:
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise SourceError(f"{redact(url)}: cannot resolve {parts.hostname!r}: {error}") from None
    addresses = sorted({info[4][0] for info in infos})
    for address in addresses:
        if kind := non_public(address):
            raise SourceError(
                f"{redact(url)}: {parts.hostname!r} resolves to {address}, a {kind} address "
                "(source.private_networks refuses it)"
            )
    return f"{parts.hostname}:{port}:{addresses[0]}"


def non_public(address: str) -> str | None:
    """What kind of non-public address ``address`` is, or None when it is public."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    for kind in ("loopback", "link_local", "unspecified", "multicast", "private", "reserved"):
        if getattr(ip, f"is_{kind}"):
            return kind.replace("_", "-")
    return None if ip.is_global else "non-global"


def _host_allowed(host: str, allowed: list[str]) -> bool:
    for pattern in allowed:
        pattern = pattern.lower()
        if pattern == "*" or host == pattern or (pattern.startswith("*.") and host.endswith(pattern[1:])):
            return True
    return False


def redact(url: str) -> str:
    """The URL without any user name or password in it, fit for logs and reports."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port:
        host += f":{parts.port}"
    return parts._replace(netloc=host).geturl()


def redact_text(text: str, url: str) -> str:
    return text.replace(url, redact(url))
