"""Which sync server to talk to, and how: read from the config before any sync runs.

Apart from the client (store/sync/client.py), so that the dashboard can know its server at the start
without loading httpx, which only a sync needs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from store.config import check_token
from store.errors import BadInput, SyncError
from store.i18n import add_catalog


@dataclass(frozen=True)
class Remote:
    """The sync server to talk to, and how."""

    url: str
    token: str = field(repr=False)  # never printed, never written to the data file
    ca: str | None = None


def remote_from(url: str | None, token: str | None, ca: str | None, config_file: object) -> Remote:
    """The sync server from the command line, the environment or the config (``config_file`` is named in messages)."""
    url = (url or "").strip().rstrip("/")
    token = (token or "").strip()
    if not url:
        raise BadInput(
            'No sync server given: use --remote URL, remote = "URL" in {config}, or $SACHSTAND_REMOTE.',
            config=config_file,
        )
    if not url.lower().startswith(("http://", "https://")):
        raise BadInput(
            "{where}: expected {expected}, got {value}.", where="remote", expected="http(s)://...", value=repr(url)
        )
    if not token:
        raise BadInput(
            'No token given: use --token TOKEN, token = "..." in {config}, or $SACHSTAND_TOKEN.', config=config_file
        )
    if ca:
        _check_ca(ca)
    return Remote(url, check_token(token, "token"), ca or None)


def _check_ca(path: str) -> None:
    """The CA bundle loads, or the user hears which file is wrong and why, before any sync begins.

    Only the user's own file is loaded (not the system's certificates, which cost the time), and ssl
    only when there is one: the dashboard's start loads neither otherwise.
    """
    import ssl

    try:
        ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT).load_verify_locations(cafile=path)
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError, ValueError) as error:  # ValueError: a NUL
        detail = error.strerror if isinstance(error, OSError) else str(error)
        raise BadInput("{path}: cannot read the CA certificates: {detail}.", path=path, detail=detail) from None
    except ssl.SSLError:  # an OSError too: first
        raise BadInput(
            "{path}: no CA certificate in it (expected PEM: -----BEGIN CERTIFICATE-----).", path=path
        ) from None
    except OSError as error:
        raise SyncError(
            "{path}: cannot read the CA certificates: {detail}.", path=path, detail=error.strerror
        ) from None


add_catalog(
    "de",
    {
        'No sync server given: use --remote URL, remote = "URL" in {config}, or $SACHSTAND_REMOTE.': 'Kein Sync-Server angegeben: --remote URL, remote = "URL" in {config} oder $SACHSTAND_REMOTE verwenden.',
        'No token given: use --token TOKEN, token = "..." in {config}, or $SACHSTAND_TOKEN.': 'Kein Token angegeben: --token TOKEN, token = "..." in {config} oder $SACHSTAND_TOKEN verwenden.',
        "{path}: cannot read the CA certificates: {detail}.": "{path}: CA-Zertifikate nicht lesbar: {detail}.",
        "{path}: no CA certificate in it (expected PEM: -----BEGIN CERTIFICATE-----).": "{path}: enthält kein CA-Zertifikat (erwartet PEM: -----BEGIN CERTIFICATE-----).",
    },
)
