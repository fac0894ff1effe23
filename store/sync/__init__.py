"""Sync between copies: the client, the server that holds the shared copy, and the server's tokens
(the protocol is in docs/sync-protocol.md)."""
