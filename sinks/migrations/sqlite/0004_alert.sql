-- Alerts: the dataflow owns the lifecycle columns, people own the rest.
CREATE TABLE alert_alerts (
    alert_id        TEXT PRIMARY KEY,
    fleet_id        TEXT NOT NULL,
    vehicle_id      TEXT NOT NULL,
    component       TEXT NOT NULL CHECK (component IN
        ('engine', 'cooling', 'brakes', 'transmission', 'battery', 'tires')),
    severity        TEXT NOT NULL CHECK (severity IN ('warning', 'critical')),
    state           TEXT NOT NULL CHECK (state IN ('open', 'resolved', 'withdrawn')),
    opened_ms       INTEGER NOT NULL,
    last_ms         INTEGER NOT NULL,
    resolved_ms     INTEGER,
    min_score       REAL NOT NULL,
    rul_km          REAL,
    rul_days        REAL,
    -- person-owned: written by the API only
    acknowledged_by TEXT,
    acknowledged_ms INTEGER,
    note            TEXT,
    escalated_ms    INTEGER
);
CREATE INDEX alert_alerts_fleet ON alert_alerts (fleet_id, opened_ms DESC);
CREATE INDEX alert_alerts_vehicle ON alert_alerts (vehicle_id, opened_ms DESC);
