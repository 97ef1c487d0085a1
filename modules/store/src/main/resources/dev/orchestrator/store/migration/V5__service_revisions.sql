-- Every spec a service has had, by revision: the history rollbacks and 'orchestrator history'
-- read. Rows outlive the service (a deleted and re-created service goes on counting from its
-- last revision, so a node that missed the deletion never takes the new service's containers
-- for its own); each name keeps its newest revisions only (trimmed by the store on write).
CREATE TABLE service_revisions (
    name       TEXT    NOT NULL,
    revision   INTEGER NOT NULL CHECK (revision >= 1),
    spec_json  TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (name, revision)
) STRICT;

INSERT INTO service_revisions (name, revision, spec_json, created_at)
    SELECT name, revision, spec_json, updated_at FROM services;
