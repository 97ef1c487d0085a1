-- The revision each replica runs, as the deployment controller advances it replica by replica
-- during a rollout (0: the service's current revision, what every replica ran before rollouts
-- were driven by the server).
ALTER TABLE assignments ADD COLUMN revision INTEGER NOT NULL DEFAULT 0 CHECK (revision >= 0);

-- Each service's latest rollout: what the deployment controller resumes after a restart.
CREATE TABLE deployments (
    service       TEXT    NOT NULL PRIMARY KEY REFERENCES services (name) ON DELETE CASCADE,
    revision      INTEGER NOT NULL CHECK (revision >= 1),
    from_revision INTEGER NOT NULL CHECK (from_revision >= 0),
    status        TEXT    NOT NULL,
    rollback      INTEGER NOT NULL CHECK (rollback IN (0, 1)),
    message       TEXT    NOT NULL,
    started_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
) STRICT;

-- Rows from before: their replicas run their service's current revision, said explicitly, so a
-- later deploy finds them at it and replaces them in turn.
UPDATE assignments SET revision = (SELECT s.revision FROM services s WHERE s.name = assignments.service);
