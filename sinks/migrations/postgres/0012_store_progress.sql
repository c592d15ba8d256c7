-- How far into the input topic the store is: per partition, the offset of
-- the next record whose results are not yet here, written in the same
-- transaction as those results. A record at an offset below `next_offset`
-- has every row it implies visible; the lag of the store is the topic's end
-- offset minus this.
CREATE TABLE ingestion.store_progress (
    kafka_partition integer PRIMARY KEY,
    next_offset     bigint NOT NULL,
    written_at      timestamptz NOT NULL
);
