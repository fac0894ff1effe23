"""The resident process's messages: each a length and a marshalled value, perhaps with file descriptors.

Both ends are this user's processes of the same installation (the peer's uid is checked before a word is
read, and the identity of the installation before a command runs), so marshal, which is built in and
costs the client nothing to load, is safe here.
"""

import _socket
import marshal
import sys

TYPE_CHECKING = False  # typing itself is not loaded: it would cost every command 3 to 4 ms
if TYPE_CHECKING:
    from typing import Any

_LENGTH = 4
_FD = 4  # bytes of a file descriptor in SCM_RIGHTS (a C int)
LIMIT = 1 << 24  # no request (argv and environment) or answer comes near it: a peer that says more is wrong


def peer_uid(sock: "_socket.socket") -> int:
    """The user id of the process at the other end (SO_PEERCRED: pid, uid, gid, each a C int)."""
    credentials = sock.getsockopt(_socket.SOL_SOCKET, _socket.SO_PEERCRED, 12)
    return int.from_bytes(credentials[4:8], sys.byteorder)


def send(sock: "_socket.socket", message: "Any", fds: tuple[int, ...] = ()) -> None:
    """``message``, with ``fds`` passed along (the kernel hands the peer its own copies)."""
    data = marshal.dumps(message)
    data = len(data).to_bytes(_LENGTH, "big") + data
    if fds:
        rights = b"".join(fd.to_bytes(_FD, sys.byteorder) for fd in fds)
        sent = sock.sendmsg([data], [(_socket.SOL_SOCKET, _socket.SCM_RIGHTS, rights)])
        data = data[sent:]
    if data:
        sock.sendall(data)


def receive(sock: "_socket.socket", fds: int = 0) -> "tuple[Any, list[int]]":
    """The next message and the descriptors that came with it (at most ``fds``, each close-on-exec);
    ``(None, [])`` when the peer closed the connection before a whole message."""
    received: list[int] = []
    head = b""
    if fds:
        head, ancillary, _flags, _address = sock.recvmsg(
            _LENGTH, _socket.CMSG_SPACE(fds * _FD), getattr(_socket, "MSG_CMSG_CLOEXEC", 0)
        )
        for level, kind, data in ancillary:
            if level == _socket.SOL_SOCKET and kind == _socket.SCM_RIGHTS:
                usable = len(data) - len(data) % _FD
                received += [int.from_bytes(data[at : at + _FD], sys.byteorder) for at in range(0, usable, _FD)]
    head = _exactly(sock, head, _LENGTH)
    length = int.from_bytes(head, "big") if len(head) == _LENGTH else LIMIT
    body = _exactly(sock, b"", length) if length < LIMIT else b""
    if len(body) != length:
        return None, received
    return marshal.loads(body), received


def _exactly(sock: "_socket.socket", data: bytes, size: int) -> bytes:
    """``data`` read on to ``size`` bytes, or shorter where the peer closed the connection."""
    while len(data) < size:
        more = sock.recv(size - len(data))
        if not more:
            break
        data += more
    return data
