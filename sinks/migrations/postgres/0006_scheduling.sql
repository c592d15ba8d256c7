-- Scheduling resources and the planner's appointments.
CREATE SCHEMA IF NOT EXISTS scheduling;

CREATE TABLE scheduling.technicians (
    technician_id    text PRIMARY KEY,
    name             text NOT NULL,
    depot            text NOT NULL,
    skills           text[] NOT NULL,
    shift_start_hour smallint NOT NULL CHECK (shift_start_hour BETWEEN 0 AND 23),
    shift_end_hour   smallint NOT NULL CHECK (shift_end_hour BETWEEN 1 AND 24),
    CHECK (shift_start_hour < shift_end_hour)
);

CREATE TABLE scheduling.bays (
    bay_id text PRIMARY KEY,
    depot  text NOT NULL
);

CREATE TABLE scheduling.parts_stock (
    depot     text NOT NULL,
    component text NOT NULL,
    quantity  integer NOT NULL CHECK (quantity >= 0),
    PRIMARY KEY (depot, component)
);

CREATE TABLE scheduling.appointments (
    appointment_id text PRIMARY KEY,
    fleet_id       text NOT NULL,
    vehicle_id     text NOT NULL,
    depot          text NOT NULL,
    technician_id  text NOT NULL,
    bay_id         text NOT NULL,
    start_at       timestamptz NOT NULL,
    end_at         timestamptz NOT NULL,
    components     text[] NOT NULL,
    alert_ids      text[] NOT NULL,
    deadline_at    timestamptz NOT NULL,
    status         text NOT NULL CHECK (status IN ('scheduled', 'cancelled', 'confirmed')),
    -- person-owned: written by the API only
    confirmed_by   text,
    confirmed_at   timestamptz,
    CHECK (start_at < end_at),
    CHECK ((status = 'confirmed') = (confirmed_by IS NOT NULL))
);
CREATE INDEX appointments_fleet ON scheduling.appointments (fleet_id, start_at);
CREATE INDEX appointments_vehicle ON scheduling.appointments (vehicle_id, start_at);
