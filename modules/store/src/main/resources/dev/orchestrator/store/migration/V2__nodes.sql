-- V2: several nodes. Conventions: see V1__init.sql.

-- An operator's say on a node: 'active' (schedulable), 'cordoned' (keeps what it runs, gets
-- nothing new) or 'draining' (its replicas move away, each replacement healthy first).
ALTER TABLE nodes ADD COLUMN availability TEXT NOT NULL DEFAULT 'active';

-- Where each replica should run, decided by the scheduler: the desired placement, kept apart
-- from the observed state in 'replicas' so that a node reporting a row never races the
-- scheduler moving it. previous_node is set while a replica moves off a draining node: that
-- node keeps its container serving until the replacement on 'node' is healthy.
CREATE TABLE assignments (
    service       TEXT    NOT NULL REFERENCES services (name) ON DELETE CASCADE,
    idx           INTEGER NOT NULL CHECK (idx >= 0),
    node          TEXT    NOT NULL,
    previous_node TEXT,
    assigned_at   INTEGER NOT NULL,
    PRIMARY KEY (service, idx)
) STRICT;

CREATE INDEX assignments_by_node ON assignments (node);

-- Join tokens agents present. Only a SHA-256 of the secret part is kept: the secret is 256
-- random bits, so a slow password hash would add nothing but CPU on every heartbeat.
CREATE TABLE join_tokens (
    id            TEXT    NOT NULL PRIMARY KEY,
    secret_sha256 TEXT    NOT NULL,
    created_at    INTEGER NOT NULL
) STRICT;
