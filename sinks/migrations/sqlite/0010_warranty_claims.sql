-- Warranty claims carry what the claimant said (failure time, odometer,
-- description) and the checks the decision rests on (a JSON array), and
-- remember when their event was published so a publisher can resume where
-- it stopped. Additive: the table has never been written, but nothing is dropped.
ALTER TABLE warranty_claims ADD COLUMN failed_ms INTEGER;
ALTER TABLE warranty_claims ADD COLUMN odometer_km REAL;
ALTER TABLE warranty_claims ADD COLUMN description TEXT NOT NULL DEFAULT '';
ALTER TABLE warranty_claims ADD COLUMN checks TEXT NOT NULL DEFAULT '[]';
ALTER TABLE warranty_claims ADD COLUMN published_ms INTEGER;

-- The publisher's queue: decided claims not yet published, earliest decision
-- first. Published claims leave the index, so it stays as small as the backlog.
CREATE INDEX warranty_claims_unpublished ON warranty_claims (decided_ms, claim_id)
    WHERE published_ms IS NULL AND decided_ms IS NOT NULL;
