-- Dead letters: input the pipeline could not use, kept with its raw bytes.
CREATE TABLE ingestion_dead_letters (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    kafka_partition INTEGER NOT NULL,
    kafka_offset    INTEGER NOT NULL,
    append_ms       INTEGER NOT NULL,
    record_key      BLOB,
    payload         BLOB NOT NULL,
    reason          TEXT NOT NULL CHECK (reason IN
        ('malformed', 'key_mismatch', 'unknown_signal', 'bad_obd', 'bad_can', 'too_late', 'future')),
    detail          TEXT NOT NULL,
    item            TEXT,
    vehicle_id      TEXT,
    ts_ms           INTEGER
);
CREATE UNIQUE INDEX ingestion_dead_letters_natural
    ON ingestion_dead_letters (kafka_partition, kafka_offset, reason, COALESCE(item, ''));
CREATE INDEX ingestion_dead_letters_reason ON ingestion_dead_letters (reason, append_ms DESC);
CREATE INDEX ingestion_dead_letters_vehicle ON ingestion_dead_letters (vehicle_id);
