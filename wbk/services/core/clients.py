"""Which address a request comes from, for the sign-in throttle and the API's limits.

Behind the reverse proxy every connection comes from the proxy; the proxy says whose request
it passes on in ``X-Forwarded-For``, a list each proxy on the way appends to. Anyone can send
that header, so it is believed only from a peer in ``WBK_TRUSTED_PROXIES``, and then read from
the right: the right-most address that is not itself a trusted proxy is the client (what is
to its left was written by the client or by proxies nobody vouches for). From any other peer
the peer's own address is the client's. Plain functions of their arguments (no request, no
database), shared by the app and the API.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from functools import lru_cache

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
LOOPBACK = "127.0.0.1"
MAX_LENGTH = 64  # the longest address kept (a session's ``client`` column)


@lru_cache(maxsize=8)
def trusted_networks(spec: str) -> tuple[Network, ...]:
    """The networks of ``WBK_TRUSTED_PROXIES`` (comma-separated addresses or networks)."""
    entries = (e.strip() for e in spec.replace(";", ",").split(","))
    return tuple(ipaddress.ip_network(e, strict=False) for e in entries if e)


def parse_address(text: str | None) -> Address | None:
    """An IP address from a peer or a header entry (``1.2.3.4``, ``1.2.3.4:5678``, ``::1``,
    ``[::1]:5678``), an IPv4-mapped IPv6 address as IPv4; None for anything else."""
    if not text:
        return None
    text = text.strip().strip('"')
    if text.startswith("["):  # [v6] or [v6]:port
        text = text[1:].partition("]")[0]
    elif text.count(":") == 1:  # v4:port
        text = text.partition(":")[0]
    try:
        found = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(found, ipaddress.IPv6Address) and found.ipv4_mapped is not None:
        return found.ipv4_mapped
    return found


def is_trusted(address: Address, networks: tuple[Network, ...]) -> bool:
    return any(address.version == n.version and address in n for n in networks)


def forwarded_entries(values: Iterable[str] | str | None) -> list[str]:
    """The entries of one or more ``X-Forwarded-For`` headers, left to right."""
    if values is None:
        return []
    if isinstance(values, str):
        values = [values]
    return [e.strip() for v in values for e in v.split(",") if e.strip()]


def client_address(
    peer: str | None, forwarded_for: Iterable[str] | str | None, trusted: str
) -> str | None:
    """The client's address: ``peer`` (the connection's), unless the peer is a trusted proxy;
    then the right-most ``X-Forwarded-For`` entry that is not a trusted proxy. A trusted proxy
    that names nobody, or an entry that is not an address, leaves the peer's (the proxy's)
    address; every entry a trusted proxy, the left-most. None when there is no peer."""
    found = parse_address(peer)
    if found is None:
        return None
    networks = trusted_networks(trusted)
    if not is_trusted(found, networks):
        return str(found)[:MAX_LENGTH]
    hop = found
    for entry in reversed(forwarded_entries(forwarded_for)):
        address = parse_address(entry)
        if address is None:
            break  # written by someone we cannot vouch for: the last trusted hop stands
        hop = address
        if not is_trusted(address, networks):
            break
    return str(hop)[:MAX_LENGTH]
