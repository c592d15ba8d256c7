-- Warranty claims carry what the claimant said (failure time, odometer,
-- description) and the checks the decision rests on, and remember when
-- their event was published so a publisher can resume where it stopped.
-- Additive: the table has never been written, but nothing is dropped.
ALTER TABLE warranty.claims
    ADD COLUMN failed_at    timestamptz,
    ADD COLUMN odometer_km  double precision,
    ADD COLUMN description  text NOT NULL DEFAULT '',
    ADD COLUMN checks       jsonb NOT NULL DEFAULT '[]'::jsonb,
    ADD COLUMN published_at timestamptz;

-- The publisher's queue: decided claims not yet published, earliest decision
-- first. Published claims leave the index, so it stays as small as the backlog.
CREATE INDEX claims_unpublished ON warranty.claims (decided_at, claim_id)
    WHERE published_at IS NULL AND decided_at IS NOT NULL;
