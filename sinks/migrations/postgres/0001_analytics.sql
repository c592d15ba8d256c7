-- Tenancy first: every result row carries the fleet it belongs to.
CREATE SCHEMA IF NOT EXISTS analytics;

CREATE TABLE analytics.fleets (
    fleet_id   text PRIMARY KEY CHECK (fleet_id <> ''),
    name       text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE analytics.vehicles (
    vehicle_id     text PRIMARY KEY CHECK (vehicle_id <> ''),
    fleet_id       text NOT NULL REFERENCES analytics.fleets (fleet_id),
    vin            text,
    owner          text,
    make           text,
    model          text,
    warranty_start date,
    home_depot     text,
    time_zone      text,
    first_seen_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX vehicles_fleet ON analytics.vehicles (fleet_id, vehicle_id);

-- What people did through the API (acknowledgements, confirmations, imports).
CREATE TABLE analytics.audit_log (
    id        bigserial PRIMARY KEY,
    at        timestamptz NOT NULL,
    actor     text NOT NULL,
    action    text NOT NULL,
    entity    text NOT NULL,
    entity_id text NOT NULL,
    fleet_id  text,
    detail    jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX audit_log_entity ON analytics.audit_log (entity, entity_id, at);
