"""Where a webhook may connect: public addresses, and the hosts and networks a setting allows.

Checked on the addresses the host resolves to, which are then the only ones connected to, so a
name cannot point a request at this machine or its network (server-side request forgery).
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from dataclasses import dataclass

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

Resolve = Callable[[str, int], list[str]]
"""A host name and port to the addresses to connect to, in order."""

_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def resolve(host: str, port: int) -> list[str]:
    """Every address the system resolver gives for the host, without repeats, in its order."""
    found: list[str] = []
    for *_rest, sockaddr in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM):
        address = str(sockaddr[0])
        if address not in found:
            found.append(address)
    return found


def _embedded(ip: IPAddress) -> list[IPAddress]:
    """The address and any IPv4 address carried inside an IPv6 one (mapped, 6to4, Teredo, NAT64)."""
    inside: list[IPAddress] = [ip]
    if isinstance(ip, ipaddress.IPv6Address):
        for v4 in (ip.ipv4_mapped, ip.sixtofour, *(ip.teredo or ())):
            if v4 is not None:
                inside.append(v4)
        if ip in _NAT64:
            inside.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    return inside


def _kind(ip: IPAddress) -> str | None:
    """What makes an address off limits by default, or None for a public one."""
    checks = (
        ("unspecified", ip.is_unspecified),
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("private", ip.is_private),
        ("reserved", ip.is_reserved),
        ("non-public", not ip.is_global),
    )
    return next((name for name, hit in checks if hit), None)


@dataclass(frozen=True)
class AddressPolicy:
    """Public addresses only, except the host names and networks allowed."""

    hosts: frozenset[str] = frozenset()
    networks: tuple[IPNetwork, ...] = ()

    @classmethod
    def parse(cls, allowed: str) -> AddressPolicy:
        """From the setting: host names and networks (`10.0.0.0/8`, `127.0.0.1`), by commas."""
        hosts: set[str] = set()
        networks: list[IPNetwork] = []
        for item in (i.strip() for i in allowed.split(",")):
            if not item:
                continue
            try:
                networks.append(ipaddress.ip_network(item, strict=False))
            except ValueError:
                hosts.add(item.lower().rstrip("."))
        return cls(frozenset(hosts), tuple(networks))

    def refusal(self, host: str, address: str) -> str | None:
        """Why a request to `host` may not connect to `address`, or None when it may."""
        if host.lower().rstrip(".") in self.hosts:
            return None
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        if any(ip in net for net in self.networks if net.version == ip.version):
            return None
        for inside in _embedded(ip):
            kind = _kind(inside)
            if kind is not None:
                return (
                    f"{host} resolves to {address}, a {kind} address; webhooks may reach only "
                    f"public addresses unless the webhook_allowed setting lists the host or network"
                )
        return None
