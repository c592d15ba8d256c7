-- Written (with a synchronous commit) at every commit point of the pipeline.
-- The transactions between two commit points commit without waiting for
-- their WAL to reach the disk: their rows are visible at once, and the
-- synchronous commit of this row flushes the WAL up to it, theirs included,
-- before any Kafka offset above them is committed.
CREATE TABLE ingestion.durable_mark (
    only_row   boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    written_at timestamptz NOT NULL
);
INSERT INTO ingestion.durable_mark (only_row, written_at) VALUES (true, now());
