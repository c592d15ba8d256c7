-- Tenancy first: every result row carries the fleet it belongs to.
-- SQLite has no schemas: table names carry the domain as a prefix.
-- Times are INTEGER milliseconds since the Unix epoch (UTC).
CREATE TABLE analytics_fleets (
    fleet_id   TEXT PRIMARY KEY CHECK (fleet_id <> ''),
    name       TEXT NOT NULL
);

CREATE TABLE analytics_vehicles (
    vehicle_id     TEXT PRIMARY KEY CHECK (vehicle_id <> ''),
    fleet_id       TEXT NOT NULL REFERENCES analytics_fleets (fleet_id),
    vin            TEXT,
    owner          TEXT,
    make           TEXT,
    model          TEXT,
    warranty_start TEXT,
    home_depot     TEXT,
    time_zone      TEXT
);
CREATE INDEX analytics_vehicles_fleet ON analytics_vehicles (fleet_id, vehicle_id);

CREATE TABLE analytics_audit_log (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    at_ms     INTEGER NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    entity    TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    fleet_id  TEXT,
    detail    TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX analytics_audit_log_entity ON analytics_audit_log (entity, entity_id, at_ms);
