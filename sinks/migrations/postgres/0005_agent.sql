-- The diagnosis agent's decisions and their reasoning.
CREATE SCHEMA IF NOT EXISTS agent;

CREATE TABLE agent.decisions (
    decision_id    text PRIMARY KEY,
    alert_id       text NOT NULL,
    fleet_id       text NOT NULL,
    vehicle_id     text NOT NULL,
    component      text NOT NULL,
    worker         text NOT NULL,
    action         text NOT NULL,
    recommendation text NOT NULL,
    reasoning      text NOT NULL,
    priority       smallint NOT NULL CHECK (priority BETWEEN 1 AND 5),
    escalate       boolean NOT NULL,
    ts             timestamptz NOT NULL
);
CREATE INDEX decisions_vehicle ON agent.decisions (vehicle_id, ts DESC);
CREATE INDEX decisions_alert ON agent.decisions (alert_id, ts DESC);
