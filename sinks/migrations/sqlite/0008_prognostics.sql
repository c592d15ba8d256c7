-- Trained prognostics: turbofan assets (NASA C-MAPSS) join the components,
-- and health rows carry the model's RUL uncertainty band (P10 / P90).
-- SQLite cannot alter a CHECK constraint, so both tables are rebuilt.
DROP VIEW health_component_health_current;
CREATE TABLE health_component_health_history_v8 (
    fleet_id      TEXT NOT NULL,
    vehicle_id    TEXT NOT NULL,
    component     TEXT NOT NULL CHECK (component IN
        ('engine', 'cooling', 'brakes', 'transmission', 'battery', 'tires', 'turbofan')),
    ts_ms         INTEGER NOT NULL,
    model_version TEXT NOT NULL,
    score         REAL NOT NULL CHECK (score >= 0 AND score <= 100),
    band          TEXT NOT NULL CHECK (band IN ('healthy', 'watch', 'degraded', 'critical')),
    rul_km        REAL,
    rul_days      REAL,
    odometer_km   REAL,
    rul_km_p10    REAL,
    rul_km_p90    REAL,
    PRIMARY KEY (fleet_id, vehicle_id, component, ts_ms, model_version)
);
INSERT INTO health_component_health_history_v8
    (fleet_id, vehicle_id, component, ts_ms, model_version, score, band, rul_km, rul_days, odometer_km)
SELECT fleet_id, vehicle_id, component, ts_ms, model_version, score, band, rul_km, rul_days, odometer_km
FROM health_component_health_history;
DROP TABLE health_component_health_history;
ALTER TABLE health_component_health_history_v8 RENAME TO health_component_health_history;
CREATE INDEX health_component_health_vehicle_ts
    ON health_component_health_history (vehicle_id, component, ts_ms DESC);
CREATE VIEW health_component_health_current AS
SELECT fleet_id, vehicle_id, component, ts_ms, model_version, score, band, rul_km, rul_days, odometer_km,
       rul_km_p10, rul_km_p90
FROM (
    SELECT h.*, row_number() OVER (
        PARTITION BY fleet_id, vehicle_id, component ORDER BY ts_ms DESC, model_version DESC) AS rn
    FROM health_component_health_history h
)
WHERE rn = 1;

CREATE TABLE alert_alerts_v8 (
    alert_id        TEXT PRIMARY KEY,
    fleet_id        TEXT NOT NULL,
    vehicle_id      TEXT NOT NULL,
    component       TEXT NOT NULL CHECK (component IN
        ('engine', 'cooling', 'brakes', 'transmission', 'battery', 'tires', 'turbofan')),
    severity        TEXT NOT NULL CHECK (severity IN ('warning', 'critical')),
    state           TEXT NOT NULL CHECK (state IN ('open', 'resolved', 'withdrawn')),
    opened_ms       INTEGER NOT NULL,
    last_ms         INTEGER NOT NULL,
    resolved_ms     INTEGER,
    min_score       REAL NOT NULL,
    rul_km          REAL,
    rul_days        REAL,
    acknowledged_by TEXT,
    acknowledged_ms INTEGER,
    note            TEXT,
    escalated_ms    INTEGER
);
INSERT INTO alert_alerts_v8 SELECT * FROM alert_alerts;
DROP TABLE alert_alerts;
ALTER TABLE alert_alerts_v8 RENAME TO alert_alerts;
CREATE INDEX alert_alerts_fleet ON alert_alerts (fleet_id, opened_ms DESC);
CREATE INDEX alert_alerts_vehicle ON alert_alerts (vehicle_id, opened_ms DESC);
