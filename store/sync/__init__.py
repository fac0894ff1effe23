"""Sync between copies (the protocol is in docs/sync-protocol.md): the client (``client``, its HTTP in
``http``, its bookkeeping in the local store in ``state``), the server that holds the shared copy
(``server``, which keeps it in a ``backend``), and the server's tokens (``tokens``)."""
