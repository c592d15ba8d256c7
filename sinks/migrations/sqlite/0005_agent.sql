-- The diagnosis agent's decisions and their reasoning.
CREATE TABLE agent_decisions (
    decision_id    TEXT PRIMARY KEY,
    alert_id       TEXT NOT NULL,
    fleet_id       TEXT NOT NULL,
    vehicle_id     TEXT NOT NULL,
    component      TEXT NOT NULL,
    worker         TEXT NOT NULL,
    action         TEXT NOT NULL,
    recommendation TEXT NOT NULL,
    reasoning      TEXT NOT NULL,
    priority       INTEGER NOT NULL CHECK (priority BETWEEN 1 AND 5),
    escalate       INTEGER NOT NULL CHECK (escalate IN (0, 1)),
    ts_ms          INTEGER NOT NULL
);
CREATE INDEX agent_decisions_vehicle ON agent_decisions (vehicle_id, ts_ms DESC);
CREATE INDEX agent_decisions_alert ON agent_decisions (alert_id, ts_ms DESC);
