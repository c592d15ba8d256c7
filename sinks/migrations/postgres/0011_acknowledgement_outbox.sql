-- Which acknowledgement of an alert has had its `alert.acknowledged` event
-- published: the acknowledgement time it was published for, so an alert
-- acknowledged again waits for its own event.
ALTER TABLE alert.alerts ADD COLUMN ack_published_at timestamptz;

-- The publisher's queue: acknowledgements not yet published.
CREATE INDEX alerts_ack_unpublished ON alert.alerts (acknowledged_at, alert_id)
    WHERE acknowledged_at IS NOT NULL AND ack_published_at IS DISTINCT FROM acknowledged_at;
