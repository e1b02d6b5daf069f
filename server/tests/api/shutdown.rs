//! Stopping: after SIGTERM the server takes no new connection, answers the requests in flight
//! that finish within its grace (`GUANTONG_SHUTDOWN_GRACE_SECONDS`), and exits by then even while
//! clients hold connections: an idle keep-alive one, one with half a request line, one whose
//! body never comes.

use std::time::{Duration, Instant};

use store::testing::{Backend, TestDatabase};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::process::{Server, Workdir};

const GRACE_SECONDS: u64 = 2;

async fn connect(server: &Server) -> TcpStream {
    TcpStream::connect(("127.0.0.1", server.port))
        .await
        .expect("connect")
}

/// Reads from `stream` until the text holds `until` (or the peer closes): what arrived.
async fn read_until(stream: &mut TcpStream, until: &str) -> String {
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    while !String::from_utf8_lossy(&got).contains(until) {
        match tokio::time::timeout(Duration::from_secs(10), stream.read(&mut buf)).await {
            Ok(Ok(n)) if n > 0 => got.extend_from_slice(&buf[..n]),
            _ => break,
        }
    }
    String::from_utf8_lossy(&got).into_owned()
}

/// A request for the eligibility API announcing a body of `length` bytes, of which the start.
fn slow_post(length: usize) -> String {
    format!(
        "POST /api/v1/eligibility HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: {length}\r\n\r\n{{"
    )
}

#[tokio::test]
async fn sigterm_stops_within_the_grace_while_clients_hold_connections() {
    let Some(db) = TestDatabase::create(Backend::Sqlite).await else {
        return;
    };
    let dir = Workdir::new();
    let grace = GRACE_SECONDS.to_string();
    let mut server = Server::start(
        &db.url,
        &dir,
        &[("GUANTONG_SHUTDOWN_GRACE_SECONDS", grace.as_str())],
    )
    .await;

    // A keep-alive connection that was answered once and stays open, idle.
    let mut idle = connect(&server).await;
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
        .await
        .unwrap();
    assert!(read_until(&mut idle, "\r\n\r\n")
        .await
        .starts_with("HTTP/1.1 200"));
    // Half a request line, never finished.
    let mut half = connect(&server).await;
    half.write_all(b"GET /healthz HTT").await.unwrap();
    // A request whose body never comes (the server would wait for it up to its 30 s limit).
    let mut stalled = connect(&server).await;
    stalled
        .write_all(slow_post(1_000).as_bytes())
        .await
        .unwrap();
    // A request whose body comes a little after the signal: it is still answered.
    let body = r#"{"person":{}}"#;
    let mut late = connect(&server).await;
    late.write_all(slow_post(body.len()).as_bytes())
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;

    let signalled = Instant::now();
    server.terminate();
    tokio::time::sleep(Duration::from_millis(300)).await;
    late.write_all(&body.as_bytes()[1..]).await.unwrap();
    let answer = read_until(&mut late, "\r\n\r\n").await;
    assert!(
        answer.starts_with("HTTP/1.1 4") || answer.starts_with("HTTP/1.1 2"),
        "a request in flight is answered while draining: {answer:?}\n{}",
        dir.log()
    );

    let bound = Duration::from_secs(GRACE_SECONDS + 3);
    let status = server.exited_within(bound).await;
    let took = signalled.elapsed();
    assert!(
        status.is_some(),
        "still running {took:?} after SIGTERM (grace {GRACE_SECONDS} s):\n{}",
        dir.log()
    );
    assert!(status.unwrap().success(), "{}", dir.log());
    assert!(
        took >= Duration::from_secs(GRACE_SECONDS),
        "exited after {took:?}, before the stalled request's grace ran out"
    );
    drop((idle, half, stalled));
}
