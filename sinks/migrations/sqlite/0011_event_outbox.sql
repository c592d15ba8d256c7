-- What people and timers change on an alert is published from the store:
-- `ack_published_ms` is the acknowledgement time whose `alert.acknowledged`
-- event went out (an alert acknowledged again waits for its own event), and
-- `escalation_published` says the `alert.escalated` event went out.
ALTER TABLE alert_alerts ADD COLUMN ack_published_ms INTEGER;
ALTER TABLE alert_alerts ADD COLUMN escalation_published INTEGER NOT NULL DEFAULT 0;

-- The publisher's queues.
CREATE INDEX alert_alerts_ack_unpublished ON alert_alerts (acknowledged_ms, alert_id)
    WHERE acknowledged_ms IS NOT NULL AND ack_published_ms IS NOT acknowledged_ms;
CREATE INDEX alert_alerts_escalation_unpublished ON alert_alerts (escalated_ms, alert_id)
    WHERE escalated_ms IS NOT NULL AND escalation_published = 0;
