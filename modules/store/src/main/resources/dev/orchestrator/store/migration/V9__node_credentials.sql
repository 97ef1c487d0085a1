-- Each node's own credential, issued when it joins with a join token and presented by it from
-- then on. Only a SHA-256 of the 256-bit secret is kept (as for join tokens). Removing the node
-- (orchestrator node rm) deletes the row: the credential is revoked.
CREATE TABLE node_credentials (
    node          TEXT    NOT NULL PRIMARY KEY,
    secret_sha256 TEXT    NOT NULL,
    issued_at     INTEGER NOT NULL
) STRICT;
