-- The node an event is about (the node that reported it, or the node a node event names), so
-- events can be filtered by node; null for cluster-wide events. Age-based retention deletes by ts.
ALTER TABLE events ADD COLUMN node TEXT;

CREATE INDEX events_by_ts ON events (ts);
