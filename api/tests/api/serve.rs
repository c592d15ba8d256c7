//! `api::serve` on a real socket: answers, then stops on the shutdown signal.

use std::net::SocketAddr;
use std::sync::Arc;

use api::AppState;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::common::seeded;

#[tokio::test]
async fn serves_until_shutdown() {
    let addr: SocketAddr = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").expect("probe");
        probe.local_addr().expect("addr")
    };
    let state = AppState {
        store: Arc::new(seeded()),
        producer: None,
        metrics: api::metrics::install_recorder().expect("recorder"),
        auth: api::AuthConfig::default(),
    };
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(api::serve(addr, state, async move {
        let _ = stopped.await;
    }));

    let mut response = String::new();
    for _ in 0..50 {
        if let Ok(mut stream) = tokio::net::TcpStream::connect(addr).await {
            stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").await.expect("write");
            stream.read_to_string(&mut response).await.expect("read");
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert!(response.starts_with("HTTP/1.1 200 OK"), "{response}");
    assert!(response.ends_with(r#"{"status":"ok"}"#), "{response}");

    stop.send(()).expect("signal");
    server.await.expect("joined").expect("clean shutdown");
}
