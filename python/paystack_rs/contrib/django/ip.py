"""Which address a webhook came from, behind proxies that are trusted and only those.

``X-Forwarded-For`` is written by whoever sends the request, so it is read only when the
connection comes from a trusted proxy, and then from the right: each trusted proxy appends the
address it saw, so the first address from the right that is not a trusted proxy is the sender
(anything further left was claimed by the sender itself).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from paystack_rs import webhooks

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

__all__ = ["Address", "Network", "client_ip", "is_allowed", "parse_address", "parse_networks"]


def parse_address(text: str) -> Address | None:
    """An address as proxies and servers write it: ``1.2.3.4``, ``1.2.3.4:5678``, ``::1``,
    ``[::1]:80``; IPv4-mapped IPv6 as its IPv4 address. ``None`` if it is not an address."""
    text = text.strip()
    if text.startswith("["):
        text = text[1 : text.find("]")] if "]" in text else ""
    elif text.count(":") == 1:  # IPv4 with a port (IPv6 has at least two colons)
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def parse_networks(values: Iterable[str], setting: str) -> tuple[Network, ...]:
    """Addresses or CIDR ranges; ValueError naming ``setting`` and the bad entry otherwise."""
    if isinstance(values, str):
        raise ValueError(f"{setting} must be a list of addresses or networks, not a string")
    networks: list[Network] = []
    for value in values:
        try:
            networks.append(ipaddress.ip_network(str(value).strip(), strict=False))
        except ValueError:
            raise ValueError(f"{setting}: {value!r} is not an IP address or network") from None
    return tuple(networks)


def _within(address: Address, networks: tuple[Network, ...]) -> bool:
    return any(address.version == net.version and address in net for net in networks)


def client_ip(remote_addr: str | None, forwarded_for: str | None, trusted_proxies: tuple[Network, ...]) -> str | None:
    """The sender's address: ``remote_addr`` unless that is a trusted proxy, then the rightmost
    ``forwarded_for`` entry that is not one. ``None`` when the address that decides is not an
    address at all (a garbled header), which callers treat as not allowed."""
    remote = parse_address(remote_addr or "")
    if remote is None:
        return None
    if not _within(remote, trusted_proxies):
        return str(remote)
    hops = [hop for hop in (forwarded_for or "").split(",") if hop.strip()]
    sender = remote
    for hop in reversed(hops):
        address = parse_address(hop)
        if address is None:
            return None
        sender = address
        if not _within(address, trusted_proxies):
            break
    # Every hop was a trusted proxy (or there was no header): the request started at the
    # leftmost of them.
    return str(sender)


def is_allowed(ip: str | None, allowed: tuple[Network, ...] | None) -> bool:
    """Whether ``ip`` may deliver webhooks: Paystack's published addresses (the core's list) when
    ``allowed`` is None, else the given networks."""
    if ip is None:
        return False
    if allowed is None:
        return webhooks.is_paystack_ip(ip)
    address = parse_address(ip)
    return address is not None and _within(address, allowed)
