-- Warranty claims (the API grows into this table).
CREATE SCHEMA IF NOT EXISTS warranty;

CREATE TABLE warranty.claims (
    claim_id     text PRIMARY KEY,
    fleet_id     text NOT NULL,
    vehicle_id   text NOT NULL,
    component    text NOT NULL,
    alert_id     text,
    status       text NOT NULL CHECK (status IN ('submitted', 'validated', 'rejected')),
    reason       text,
    submitted_by text NOT NULL,
    submitted_at timestamptz NOT NULL,
    decided_at   timestamptz
);
CREATE INDEX claims_fleet ON warranty.claims (fleet_id, submitted_at DESC);
CREATE INDEX claims_vehicle ON warranty.claims (vehicle_id, submitted_at DESC);
