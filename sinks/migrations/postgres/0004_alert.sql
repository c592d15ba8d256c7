-- Alerts: the dataflow owns the lifecycle columns, people own the rest.
CREATE SCHEMA IF NOT EXISTS alert;

CREATE TABLE alert.alerts (
    alert_id        text PRIMARY KEY,
    fleet_id        text NOT NULL,
    vehicle_id      text NOT NULL,
    component       text NOT NULL CHECK (component IN
        ('engine', 'cooling', 'brakes', 'transmission', 'battery', 'tires')),
    severity        text NOT NULL CHECK (severity IN ('warning', 'critical')),
    state           text NOT NULL CHECK (state IN ('open', 'resolved', 'withdrawn')),
    opened_at       timestamptz NOT NULL,
    last_at         timestamptz NOT NULL,
    resolved_at     timestamptz,
    min_score       double precision NOT NULL,
    rul_km          double precision,
    rul_days        double precision,
    -- person-owned: written by the API only
    acknowledged_by text,
    acknowledged_at timestamptz,
    note            text,
    escalated_at    timestamptz
);
CREATE INDEX alerts_fleet ON alert.alerts (fleet_id, opened_at DESC);
CREATE INDEX alerts_vehicle ON alert.alerts (vehicle_id, opened_at DESC);
CREATE INDEX alerts_open ON alert.alerts (severity, opened_at) WHERE state = 'open';
