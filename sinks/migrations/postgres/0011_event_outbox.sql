-- What people and timers change on an alert is published from the store:
-- `ack_published_at` is the acknowledgement time whose `alert.acknowledged`
-- event went out (an alert acknowledged again waits for its own event), and
-- `escalation_published` says the `alert.escalated` event went out.
ALTER TABLE alert.alerts
    ADD COLUMN ack_published_at timestamptz,
    ADD COLUMN escalation_published boolean NOT NULL DEFAULT false;

-- The publisher's queues.
CREATE INDEX alerts_ack_unpublished ON alert.alerts (acknowledged_at, alert_id)
    WHERE acknowledged_at IS NOT NULL AND ack_published_at IS DISTINCT FROM acknowledged_at;
CREATE INDEX alerts_escalation_unpublished ON alert.alerts (escalated_at, alert_id)
    WHERE escalated_at IS NOT NULL AND NOT escalation_published;
