-- Dead letters: input the pipeline could not use, kept with its raw bytes.
CREATE SCHEMA IF NOT EXISTS ingestion;

CREATE TABLE ingestion.dead_letters (
    id              bigserial PRIMARY KEY,
    kafka_partition integer NOT NULL,
    kafka_offset    bigint NOT NULL,
    append_time     timestamptz NOT NULL,
    record_key      bytea,
    payload         bytea NOT NULL,
    reason          text NOT NULL CHECK (reason IN
        ('malformed', 'key_mismatch', 'unknown_signal', 'bad_obd', 'bad_can', 'too_late', 'future')),
    detail          text NOT NULL,
    item            text,
    vehicle_id      text,
    ts              timestamptz,
    stored_at       timestamptz NOT NULL DEFAULT now()
);
-- A replayed record yields the same dead letters: store each once.
CREATE UNIQUE INDEX dead_letters_natural
    ON ingestion.dead_letters (kafka_partition, kafka_offset, reason, (COALESCE(item, '')));
CREATE INDEX dead_letters_reason ON ingestion.dead_letters (reason, append_time DESC);
CREATE INDEX dead_letters_vehicle ON ingestion.dead_letters (vehicle_id);
