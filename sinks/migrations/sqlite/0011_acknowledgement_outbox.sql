-- Which acknowledgement of an alert has had its `alert.acknowledged` event
-- published: the acknowledgement time it was published for, so an alert
-- acknowledged again waits for its own event.
ALTER TABLE alert_alerts ADD COLUMN ack_published_ms INTEGER;

-- The publisher's queue: acknowledgements not yet published.
CREATE INDEX alert_alerts_ack_unpublished ON alert_alerts (acknowledged_ms, alert_id)
    WHERE acknowledged_ms IS NOT NULL AND ack_published_ms IS NOT acknowledged_ms;
