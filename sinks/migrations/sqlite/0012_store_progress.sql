-- How far into the input topic the store is: per partition, the offset of
-- the next record whose results are not yet here, written in the same
-- transaction as those results.
CREATE TABLE ingestion_store_progress (
    kafka_partition INTEGER PRIMARY KEY,
    next_offset     INTEGER NOT NULL,
    written_ms      INTEGER NOT NULL
);
