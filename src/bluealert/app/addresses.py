"""Addresses a channel's service must be able to use, checked when someone is registered.

The domain checks an address's form; these checks need settings or a library: which push
services this node sends to, and whether Apprise understands a URL (the URL itself is never
repeated in an error: it may hold a service's token).
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from bluealert.config import Settings
from bluealert.errors import InvalidInput


def check_address(settings: Settings, channel: str, address: str) -> None:
    """Raise InvalidInput naming `address` when `channel` cannot use it on this node."""
    if channel == "web_push":
        _check_push_service(settings, address)
    if channel == "apprise":
        _check_apprise_url(address)


def _check_apprise_url(url: str) -> None:
    import apprise  # loads its service plugins: only when an Apprise URL is registered

    if apprise.Apprise.instantiate(url) is None:
        scheme = url.split("://", 1)[0]
        raise InvalidInput(
            f"Apprise does not understand this URL ({scheme}://…): see its list of services "
            "and their URL forms",
            field="address",
        )


def _check_push_service(settings: Settings, endpoint: str) -> None:
    """A web push endpoint names one of the push services this node sends to: no one makes
    the node POST to a host of their choosing by subscribing."""
    host = urlsplit(endpoint).hostname or ""
    allowed = settings.web_push_services
    if not any(host == a or (a.startswith(".") and host.endswith(a)) for a in allowed):
        raise InvalidInput(
            f"{host} is not a push service this node sends to (BLUEALERT_WEB_PUSH_SERVICES: "
            f"{', '.join(allowed)})",
            field="address",
        )


SECRET_QUERY = "…"


def shown_address(channel: str, address: str) -> str:
    """The address as listings show it, without the secrets it may carry: an Apprise URL's
    tokens and passwords (Apprise's own privacy form, which knows each service's URL), a URL's
    password and query values, a web push endpoint's path (whoever has it can push to the
    browser). An email address, an MQTT topic, a sign's host or a COG id is shown as it is."""
    if channel == "apprise":
        return _shown_apprise_url(address)
    if channel == "web_push":
        parts = urlsplit(address)
        return f"{parts.scheme}://{parts.netloc}/…" if parts.netloc else "…"
    if channel in ("webhook", "cap_push"):
        return _shown_url(address)
    return address


def _shown_url(url: str) -> str:
    parts = urlsplit(url)
    netloc = parts.netloc
    if parts.password is not None:
        netloc = netloc.replace(f":{parts.password}@", ":****@", 1)
    query = "&".join(
        f"{pair.split('=', 1)[0]}={SECRET_QUERY}" for pair in parts.query.split("&") if pair
    )
    return urlunsplit((parts.scheme, netloc, parts.path, query, ""))


def _shown_apprise_url(url: str) -> str:
    import apprise

    service = apprise.Apprise.instantiate(url)
    if service is None:
        return url.split("://", 1)[0] + "://…"
    # Apprise adds every default as a query parameter: what was given is what to show.
    private = str(service.url(privacy=True)).split("?", 1)[0]  # type: ignore[no-untyped-call]
    return private + ("?…" if "?" in url else "")
