-- Scheduling resources and the planner's appointments. Lists are JSON arrays.
CREATE TABLE scheduling_technicians (
    technician_id    TEXT PRIMARY KEY,
    name             TEXT NOT NULL,
    depot            TEXT NOT NULL,
    skills           TEXT NOT NULL,
    shift_start_hour INTEGER NOT NULL CHECK (shift_start_hour BETWEEN 0 AND 23),
    shift_end_hour   INTEGER NOT NULL CHECK (shift_end_hour BETWEEN 1 AND 24),
    CHECK (shift_start_hour < shift_end_hour)
);

CREATE TABLE scheduling_bays (
    bay_id TEXT PRIMARY KEY,
    depot  TEXT NOT NULL
);

CREATE TABLE scheduling_parts_stock (
    depot     TEXT NOT NULL,
    component TEXT NOT NULL,
    quantity  INTEGER NOT NULL CHECK (quantity >= 0),
    PRIMARY KEY (depot, component)
);

CREATE TABLE scheduling_appointments (
    appointment_id TEXT PRIMARY KEY,
    fleet_id       TEXT NOT NULL,
    vehicle_id     TEXT NOT NULL,
    depot          TEXT NOT NULL,
    technician_id  TEXT NOT NULL,
    bay_id         TEXT NOT NULL,
    start_ms       INTEGER NOT NULL,
    end_ms         INTEGER NOT NULL,
    components     TEXT NOT NULL,
    alert_ids      TEXT NOT NULL,
    deadline_ms    INTEGER NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('scheduled', 'cancelled', 'confirmed')),
    -- person-owned: written by the API only
    confirmed_by   TEXT,
    confirmed_ms   INTEGER,
    CHECK (start_ms < end_ms),
    CHECK ((status = 'confirmed') = (confirmed_by IS NOT NULL))
);
CREATE INDEX scheduling_appointments_fleet ON scheduling_appointments (fleet_id, start_ms);
CREATE INDEX scheduling_appointments_vehicle ON scheduling_appointments (vehicle_id, start_ms);
