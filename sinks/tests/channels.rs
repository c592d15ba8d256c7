//! Alert channels: the webhook against a local axum server, and the notifier's fan-out.

use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;

use schemas::{Event, EventKind};
use sinks::channels::{Channel, ChannelError, ChannelsConfig, Notifier, WebhookChannel, WebhookConfig};

type R = Result<(), Box<dyn std::error::Error>>;

#[derive(Clone, Default)]
struct Receiver {
    /// Statuses to answer, in order; `200` once they run out.
    script: Arc<Mutex<Vec<u16>>>,
    /// Bodies received.
    bodies: Arc<Mutex<Vec<serde_json::Value>>>,
}

async fn receive(State(rx): State<Receiver>, body: axum::Json<serde_json::Value>) -> StatusCode {
    rx.bodies.lock().map(|mut b| b.push(body.0)).ok();
    let next = rx.script.lock().ok().and_then(|mut s| if s.is_empty() { None } else { Some(s.remove(0)) });
    StatusCode::from_u16(next.unwrap_or(200)).unwrap_or(StatusCode::OK)
}

/// Serves the receiver on 127.0.0.1:0; returns its URL.
async fn serve(script: Vec<u16>) -> Result<(String, Receiver), Box<dyn std::error::Error>> {
    let rx = Receiver { script: Arc::new(Mutex::new(script)), ..Receiver::default() };
    let app = Router::new().route("/hook", post(receive)).with_state(rx.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}/hook", listener.local_addr()?);
    tokio::spawn(async move { axum::serve(listener, app).await });
    Ok((url, rx))
}

fn webhook(url: &str, max_attempts: u32) -> Result<WebhookChannel, ChannelError> {
    WebhookChannel::new(WebhookConfig {
        max_attempts,
        initial_backoff_ms: 5,
        timeout_ms: 2_000,
        ..WebhookConfig::new(url)
    })
}

fn event(kind: EventKind, key: &str) -> Event {
    Event::new(kind, key, 1_000, "f1", "v1", schemas::Payload::of(&serde_json::json!({"alert_id": key})))
}

fn bodies(rx: &Receiver) -> Vec<serde_json::Value> {
    rx.bodies.lock().map(|b| b.clone()).unwrap_or_default()
}

#[tokio::test]
async fn a_5xx_is_retried_until_delivered() -> R {
    let (url, rx) = serve(vec![500, 503]).await?;
    let e = event(EventKind::AlertCreated, "a1");
    webhook(&url, 3)?.deliver(&e).await?;
    let want = serde_json::to_value(&e)?;
    assert_eq!(bodies(&rx), vec![want.clone(), want.clone(), want]);
    Ok(())
}

#[tokio::test]
async fn retries_are_bounded() -> R {
    let (url, rx) = serve(vec![502, 502, 502, 502]).await?;
    let result = webhook(&url, 3)?.deliver(&event(EventKind::AlertCreated, "a1")).await;
    assert!(matches!(result, Err(ChannelError::Status { status: 502, .. })));
    assert_eq!(bodies(&rx).len(), 3);
    Ok(())
}

#[tokio::test]
async fn a_4xx_is_not_retried() -> R {
    let (url, rx) = serve(vec![422]).await?;
    let result = webhook(&url, 3)?.deliver(&event(EventKind::AlertCreated, "a1")).await;
    assert!(matches!(result, Err(ChannelError::Status { status: 422, .. })));
    assert_eq!(bodies(&rx).len(), 1);
    Ok(())
}

#[tokio::test]
async fn a_refused_connection_is_retried_then_reported() -> R {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}/hook", listener.local_addr()?);
    drop(listener);
    let result = webhook(&url, 2)?.deliver(&event(EventKind::AlertCreated, "a1")).await;
    assert!(matches!(result, Err(ChannelError::Request { .. })));
    Ok(())
}

struct Recording {
    name: String,
    seen: Arc<Mutex<Vec<String>>>,
    fail: bool,
}

#[async_trait]
impl Channel for Recording {
    fn name(&self) -> &str {
        &self.name
    }

    async fn deliver(&self, event: &Event) -> Result<(), ChannelError> {
        self.seen.lock().map(|mut s| s.push(event.event_type.clone())).ok();
        if self.fail { Err(ChannelError::Status { url: "test".into(), status: 500 }) } else { Ok(()) }
    }
}

#[tokio::test]
async fn the_notifier_sends_only_alert_events_to_every_channel() -> R {
    let ok_seen = Arc::new(Mutex::new(Vec::new()));
    let bad_seen = Arc::new(Mutex::new(Vec::new()));
    let notifier = Notifier::new(vec![
        Box::new(Recording { name: "bad".into(), seen: bad_seen.clone(), fail: true }),
        Box::new(Recording { name: "ok".into(), seen: ok_seen.clone(), fail: false }),
    ]);
    let events = vec![
        event(EventKind::HealthComputed, "h"),
        event(EventKind::AlertCreated, "a1"),
        event(EventKind::AlertWithdrawn, "a0"),
        event(EventKind::AlertEscalated, "a2"),
    ];
    let report = notifier.notify(&events).await;
    assert_eq!(report.delivered, 2);
    let failed: Vec<(&str, &str)> = report.failed.iter().map(|f| (f.channel.as_str(), f.event_id.as_str())).collect();
    assert_eq!(failed, vec![("bad", events[1].event_id.as_str()), ("bad", events[3].event_id.as_str())]);
    let seen = ok_seen.lock().map(|s| s.clone()).unwrap_or_default();
    assert_eq!(seen, vec!["alert.created", "alert.escalated"]);
    Ok(())
}

#[tokio::test]
async fn a_configured_notifier_posts_to_its_webhooks() -> R {
    let (url, rx) = serve(vec![]).await?;
    let config: ChannelsConfig = serde_json::from_value(serde_json::json!({
        "log": true,
        "webhooks": [{"url": url, "max_attempts": 2}],
    }))?;
    let notifier = Notifier::from_config(&config)?;
    let e = event(EventKind::AlertCreated, "a1");
    let report = notifier.notify(std::slice::from_ref(&e)).await;
    assert_eq!((report.delivered, report.failed.len()), (2, 0));
    assert_eq!(bodies(&rx), vec![serde_json::to_value(&e)?]);
    let unknown = serde_json::from_value::<ChannelsConfig>(serde_json::json!({"log": true, "smtp": "x"}));
    assert!(unknown.is_err());
    Ok(())
}
