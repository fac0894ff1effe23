"""The HTTP client of both network parts (the OParl reader and the sync client): explicit timeouts,
connect retries, JSON asked for, our User-Agent. Each part says its own timeouts and headers."""

from __future__ import annotations

import ssl
from collections.abc import Mapping

import httpx
from httpx._utils import get_environment_proxies  # no public equivalent; see client

CONNECT_RETRIES = 2  # failed connects, retried at once by the transport


def client(
    *,
    user_agent: str,
    connect_timeout: float,
    read_timeout: float,
    headers: Mapping[str, str] | None = None,
    verify: ssl.SSLContext | bool = True,
    follow_redirects: bool = False,
    proxies: bool = False,
) -> httpx.Client:
    """A client with these timeouts (write and pool follow read) and connect retries.

    ``proxies``: go through the proxies the environment names (HTTP_PROXY, NO_PROXY, ...).
    """

    def transport(proxy: str | None = None) -> httpx.HTTPTransport:
        return httpx.HTTPTransport(proxy=proxy, retries=CONNECT_RETRIES, verify=verify)

    # A transport of our own (for its connect retries) makes httpx ignore the proxy settings of
    # the environment: mount them again, with the same retries.
    mounts: dict[str, httpx.BaseTransport | None] = (
        {pattern: transport(proxy) if proxy else None for pattern, proxy in get_environment_proxies().items()}
        if proxies
        else {}
    )
    return httpx.Client(
        timeout=httpx.Timeout(read_timeout, connect=connect_timeout),
        transport=transport(),
        mounts=mounts,
        headers={"User-Agent": user_agent, "Accept": "application/json", **(headers or {})},
        follow_redirects=follow_redirects,
    )
