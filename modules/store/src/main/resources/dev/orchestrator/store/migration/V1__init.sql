-- V1: the initial schema of the orchestrator's state store.
--
-- Conventions for every migration script (Migrations.java reads them):
--   * A statement ends with a line whose last character is ';'. Lines starting with '--' are
--     comments and never end a statement. No triggers (their bodies contain ';').
--   * No MyBatis placeholders ('#' or '$' followed by '{'): each statement runs as the text of
--     a mapper statement (SchemaMapper.execute).
--   * A script runs in one transaction together with its schema_version row; it never edits
--     an earlier script: changes go in a new V<n+1>__<what>.sql listed in Migrations.SCRIPTS.
--
-- Timestamps are INTEGER milliseconds since 1970-01-01T00:00:00Z (UTC): they sort and compare
-- as numbers; read them with e.g. strftime('%Y-%m-%dT%H:%M:%fZ', ts / 1000.0, 'unixepoch').
-- Tables are STRICT: SQLite refuses a value of the wrong type instead of storing it.

-- Desired state: one row per service. spec_json is the ServiceSpec without its replica count
-- (snake_case JSON; durations as '10s'; restart policy as its wire name); 'replicas' holds the
-- count, so scaling never changes spec_json. 'revision' starts at 1 and grows by one whenever
-- spec_json changes.
CREATE TABLE services (
    name       TEXT    NOT NULL PRIMARY KEY,
    spec_json  TEXT    NOT NULL,
    replicas   INTEGER NOT NULL CHECK (replicas >= 0),
    revision   INTEGER NOT NULL CHECK (revision >= 1),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;

-- Observed and assigned state of each replica, written by the reconciler and re-adopted after
-- a restart. Deleting a service deletes its replicas.
CREATE TABLE replicas (
    service        TEXT    NOT NULL REFERENCES services (name) ON DELETE CASCADE,
    idx            INTEGER NOT NULL CHECK (idx >= 0),
    node           TEXT,
    container_id   TEXT,
    container_name TEXT,
    revision       INTEGER NOT NULL,
    state          TEXT    NOT NULL,
    health         TEXT    NOT NULL,
    restart_count  INTEGER NOT NULL DEFAULT 0 CHECK (restart_count >= 0),
    last_exit_code INTEGER,
    host_port      INTEGER NOT NULL DEFAULT 0 CHECK (host_port BETWEEN 0 AND 65535),
    message        TEXT    NOT NULL DEFAULT '',
    updated_at     INTEGER NOT NULL,
    PRIMARY KEY (service, idx)
) STRICT;

CREATE INDEX replicas_by_node ON replicas (node);

-- Orchestration events, append-only until pruned. AUTOINCREMENT: an id is never reused, even
-- after pruning, so clients may page by id.
CREATE TABLE events (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    ts        INTEGER NOT NULL,
    type      TEXT    NOT NULL,
    service   TEXT,
    container TEXT,
    message   TEXT    NOT NULL
) STRICT;

CREATE INDEX events_by_service ON events (service, id);

-- API users; password_hash is a Passwords encoding (pbkdf2-sha256$iterations$salt$hash).
CREATE TABLE users (
    name          TEXT    NOT NULL PRIMARY KEY,
    password_hash TEXT    NOT NULL,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
) STRICT;

-- Registered nodes; labels_json is a JSON object of string to string.
CREATE TABLE nodes (
    name            TEXT    NOT NULL PRIMARY KEY,
    address         TEXT    NOT NULL,
    labels_json     TEXT    NOT NULL DEFAULT '{}',
    cpus            INTEGER NOT NULL CHECK (cpus >= 0),
    memory_bytes    INTEGER NOT NULL CHECK (memory_bytes >= 0),
    status          TEXT    NOT NULL,
    runtime_version TEXT,
    last_heartbeat  INTEGER
) STRICT;

-- Cluster-wide settings as text.
CREATE TABLE settings (
    key        TEXT    NOT NULL PRIMARY KEY,
    value      TEXT    NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;
