-- Trained prognostics: turbofan assets (NASA C-MAPSS) join the components,
-- and health rows carry the model's RUL uncertainty band (P10 / P90).
ALTER TABLE health.component_health_history
    DROP CONSTRAINT component_health_history_component_check,
    ADD CONSTRAINT component_health_history_component_check CHECK (component IN
        ('engine', 'cooling', 'brakes', 'transmission', 'battery', 'tires', 'turbofan')),
    ADD COLUMN rul_km_p10 double precision,
    ADD COLUMN rul_km_p90 double precision;

ALTER TABLE alert.alerts
    DROP CONSTRAINT alerts_component_check,
    ADD CONSTRAINT alerts_component_check CHECK (component IN
        ('engine', 'cooling', 'brakes', 'transmission', 'battery', 'tires', 'turbofan'));

-- The newest row of each component of each vehicle, now with the band columns.
CREATE OR REPLACE VIEW health.component_health_current AS
SELECT DISTINCT ON (fleet_id, vehicle_id, component) *
FROM health.component_health_history
ORDER BY fleet_id, vehicle_id, component, ts DESC, model_version DESC;
