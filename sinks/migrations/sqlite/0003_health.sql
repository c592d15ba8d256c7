-- Health history, keyed by event time (never by epoch) and model version.
CREATE TABLE health_component_health_history (
    fleet_id      TEXT NOT NULL,
    vehicle_id    TEXT NOT NULL,
    component     TEXT NOT NULL CHECK (component IN
        ('engine', 'cooling', 'brakes', 'transmission', 'battery', 'tires')),
    ts_ms         INTEGER NOT NULL,
    model_version TEXT NOT NULL,
    score         REAL NOT NULL CHECK (score >= 0 AND score <= 100),
    band          TEXT NOT NULL CHECK (band IN ('healthy', 'watch', 'degraded', 'critical')),
    rul_km        REAL,
    rul_days      REAL,
    odometer_km   REAL,
    PRIMARY KEY (fleet_id, vehicle_id, component, ts_ms, model_version)
);
CREATE INDEX health_component_health_vehicle_ts
    ON health_component_health_history (vehicle_id, component, ts_ms DESC);

-- The newest row of each component of each vehicle.
CREATE VIEW health_component_health_current AS
SELECT fleet_id, vehicle_id, component, ts_ms, model_version, score, band, rul_km, rul_days, odometer_km
FROM (
    SELECT h.*, row_number() OVER (
        PARTITION BY fleet_id, vehicle_id, component ORDER BY ts_ms DESC, model_version DESC) AS rn
    FROM health_component_health_history h
)
WHERE rn = 1;
