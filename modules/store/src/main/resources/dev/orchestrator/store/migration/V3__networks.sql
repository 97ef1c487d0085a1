-- V3: managed networks. Conventions: see V1__init.sql.

-- The subnet of each managed network on each node: one Docker bridge network per network and
-- node, each with its own subnet out of the cluster's pool, so that container addresses never
-- collide across nodes and each node can route the others' subnets to them (host-gw).
CREATE TABLE network_subnets (
    network    TEXT    NOT NULL,
    node       TEXT    NOT NULL,
    subnet     TEXT    NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (network, node)
) STRICT;

-- Each service's stable address: what its name resolves to, served on every node by the
-- node's load balancer. Freed with the service.
CREATE TABLE service_addresses (
    service TEXT NOT NULL PRIMARY KEY REFERENCES services (name) ON DELETE CASCADE,
    address TEXT NOT NULL UNIQUE
) STRICT;
