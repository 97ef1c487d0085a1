-- V6: container registry credentials. Conventions: see V1__init.sql.

-- One row per registry host, as image references name it (e.g. 'registry.example.com' or
-- '127.0.0.1:5000'). The password is never stored in the clear: 'secret' is the base64 of a
-- 12-byte nonce followed by the AES-256-GCM ciphertext and tag of the password, with the host
-- as associated data (a row copied to another host does not decrypt). The key is the file
-- secrets.key next to state.db (see SecretBox.java).
CREATE TABLE registry_credentials (
    host       TEXT    NOT NULL PRIMARY KEY,
    username   TEXT    NOT NULL,
    secret     TEXT    NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;
