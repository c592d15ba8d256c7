-- Health history, keyed by event time (never by epoch) and model version.
CREATE SCHEMA IF NOT EXISTS health;

CREATE TABLE health.component_health_history (
    fleet_id      text NOT NULL,
    vehicle_id    text NOT NULL,
    component     text NOT NULL CHECK (component IN
        ('engine', 'cooling', 'brakes', 'transmission', 'battery', 'tires')),
    ts            timestamptz NOT NULL,
    model_version text NOT NULL,
    score         double precision NOT NULL CHECK (score >= 0 AND score <= 100),
    band          text NOT NULL CHECK (band IN ('healthy', 'watch', 'degraded', 'critical')),
    rul_km        double precision,
    rul_days      double precision,
    odometer_km   double precision,
    PRIMARY KEY (fleet_id, vehicle_id, component, ts, model_version)
);
CREATE INDEX component_health_vehicle_ts
    ON health.component_health_history (vehicle_id, component, ts DESC);

-- The newest row of each component of each vehicle.
CREATE VIEW health.component_health_current AS
SELECT DISTINCT ON (fleet_id, vehicle_id, component) *
FROM health.component_health_history
ORDER BY fleet_id, vehicle_id, component, ts DESC, model_version DESC;
