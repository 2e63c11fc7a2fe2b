//! Accepting connections within limits: a cap on open connections in all and per client
//! address, and a deadline for a request's headers. axum's own `serve` has neither, so the
//! connections are served here with hyper, as axum does.
//!
//! Past the overall cap a connection is still answered, but only for `/healthz` and with 503
//! for anything else, then closed: a load balancer keeps seeing the server alive while it is
//! full. A client address at its own cap is closed at once.

use std::collections::HashMap;
use std::future::Future;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use axum::response::IntoResponse;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tower::ServiceExt;
use tracing::{debug, warn};

/// How many connections the server keeps open, and how long it waits for a request's headers.
#[derive(Debug, Clone, Copy)]
pub struct ConnectionLimits {
    /// Open connections in all, WebSockets included. Below the process's file limit, with room
    /// for the database and uploads.
    pub max_open: usize,
    /// Open connections from one client address (IPv6: one /64). Not applied behind a proxy,
    /// where every connection comes from the proxy: limit there (nginx `limit_conn`).
    pub max_per_address: Option<usize>,
    /// From a connection's start, or the end of its last response, to its next request's end
    /// of headers. Also how long an idle keep-alive connection stays open.
    pub header_timeout: Duration,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        ConnectionLimits {
            max_open: 10_000,
            max_per_address: Some(200),
            header_timeout: Duration::from_secs(10),
        }
    }
}

/// Serves `app` on `listener` until `shutdown` completes; then lets the requests in progress
/// finish. Upgraded WebSockets are not waited for: they close on the app's own stop signal.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: ConnectionLimits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let slots = Slots::new(limits);
    let overloaded = overloaded();
    // Dropped when the shutdown comes; every connection's task holds a `closed` receiver, so
    // the sender sees all of them gone once the last request is done.
    let (stop_tx, stop_rx) = watch::channel(());
    let (closed_tx, closed_rx) = watch::channel(());
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (tcp, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of descriptors, most likely: wait rather than spin.
                    warn!(%error, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        // Chat frames are small and each is awaited: send them at once, not after Nagle's wait.
        let _ = tcp.set_nodelay(true);
        let (service, slot, keep_alive) = match slots.admit(peer.ip()) {
            Admission::Serve(slot) => (app.clone(), Some(slot), true),
            Admission::Overflow => (overloaded.clone(), None, false),
            Admission::Refuse => {
                debug!(%peer, "too many connections from this address; closed");
                continue;
            }
        };
        let io = TokioIo::new(Counted { tcp, _slot: slot });
        let service = hyper::service::service_fn(move |mut request: Request<Incoming>| {
            request.extensions_mut().insert(ConnectInfo(peer));
            service.clone().oneshot(request.map(Body::new))
        });
        let mut stop = stop_rx.clone();
        let closed = closed_rx.clone();
        tokio::spawn(async move {
            let connection = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(limits.header_timeout)
                .keep_alive(keep_alive)
                .serve_connection(io, service)
                .with_upgrades();
            let mut connection = std::pin::pin!(connection);
            tokio::select! {
                result = connection.as_mut() => log_end(result),
                _ = stop.changed() => {
                    connection.as_mut().graceful_shutdown();
                    log_end(connection.await);
                }
            }
            drop(closed);
        });
    }
    drop(listener);
    drop(stop_tx);
    drop(closed_rx);
    closed_tx.closed().await;
    Ok(())
}

fn log_end(result: Result<(), hyper::Error>) {
    if let Err(error) = result {
        debug!(%error, "connection ended with an error");
    }
}

/// What a connection past the overall cap gets: the health check, or 503.
fn overloaded() -> Router {
    Router::new()
        .route("/healthz", axum::routing::get(|| async { "ok" }))
        .fallback(|| async {
            (
                StatusCode::SERVICE_UNAVAILABLE,
                [(header::RETRY_AFTER, "5")],
                "the server is at its connection limit; try again shortly",
            )
                .into_response()
        })
}

/// The open connections, counted in all and by client address.
#[derive(Clone)]
struct Slots {
    limits: ConnectionLimits,
    open: Arc<Mutex<Open>>,
}

#[derive(Default)]
struct Open {
    total: usize,
    by_address: HashMap<IpAddr, usize>,
}

enum Admission {
    Serve(Slot),
    Overflow,
    Refuse,
}

impl Slots {
    fn new(limits: ConnectionLimits) -> Slots {
        Slots {
            limits,
            open: Arc::default(),
        }
    }

    fn admit(&self, peer: IpAddr) -> Admission {
        let address = address_key(peer);
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        let from_address = open.by_address.get(&address).copied().unwrap_or(0);
        if self
            .limits
            .max_per_address
            .is_some_and(|max| from_address >= max)
        {
            return Admission::Refuse;
        }
        if open.total >= self.limits.max_open {
            return Admission::Overflow;
        }
        open.total += 1;
        *open.by_address.entry(address).or_default() += 1;
        Admission::Serve(Slot {
            slots: self.clone(),
            address,
        })
    }
}

/// One admitted connection's place; given back when the socket closes, upgraded or not.
struct Slot {
    slots: Slots,
    address: IpAddr,
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut open = self.slots.open.lock().unwrap_or_else(|e| e.into_inner());
        open.total -= 1;
        if let Some(count) = open.by_address.get_mut(&self.address) {
            *count -= 1;
            if *count == 0 {
                open.by_address.remove(&self.address);
            }
        }
    }
}

/// One client's address as the limits see it: IPv6 hosts get a /64 each, so one host cannot
/// spread its connections over the addresses of its own network.
pub fn address_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6((u128::from(v6) & !u128::from(u64::MAX)).into()),
        },
    }
}

/// A TCP stream holding its connection's slot for as long as the socket lives.
struct Counted {
    tcp: TcpStream,
    _slot: Option<Slot>,
}

impl AsyncRead for Counted {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.tcp).poll_read(cx, buf)
    }
}

impl AsyncWrite for Counted {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.tcp).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.tcp).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.tcp).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.tcp).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.tcp.is_write_vectored()
    }
}

/// The address a request comes from: the peer's, or behind a trusted proxy the one the proxy
/// appended to `X-Forwarded-For` (the last entry: those before it are the client's own claims).
pub fn client_address(
    peer: SocketAddr,
    headers: &axum::http::HeaderMap,
    behind_proxy: bool,
) -> IpAddr {
    let forwarded = || {
        headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .next_back()?
            .trim()
            .parse::<IpAddr>()
            .ok()
    };
    let ip = behind_proxy.then(forwarded).flatten().unwrap_or(peer.ip());
    address_key(ip)
}

#[cfg(test)]
mod tests {
    use axum::http::{HeaderMap, HeaderValue};

    use super::*;

    #[test]
    fn the_cap_per_address_refuses_and_the_overall_cap_overflows() {
        let slots = Slots::new(ConnectionLimits {
            max_open: 3,
            max_per_address: Some(2),
            header_timeout: Duration::from_secs(1),
        });
        let a: IpAddr = "192.0.2.1".parse().unwrap();
        let b: IpAddr = "192.0.2.2".parse().unwrap();
        let first = slots.admit(a);
        let _second = slots.admit(a);
        assert!(matches!(slots.admit(a), Admission::Refuse));
        let _third = slots.admit(b);
        assert!(matches!(slots.admit(b), Admission::Overflow));
        drop(first);
        assert!(matches!(slots.admit(a), Admission::Serve(_)));
    }

    #[test]
    fn an_ipv6_host_counts_as_its_64() {
        let one: IpAddr = "2001:db8:1:2::1".parse().unwrap();
        let other: IpAddr = "2001:db8:1:2:ffff::9".parse().unwrap();
        assert_eq!(address_key(one), address_key(other));
        assert_ne!(
            address_key(one),
            address_key("2001:db8:1:3::1".parse().unwrap())
        );
        let mapped: IpAddr = "::ffff:192.0.2.1".parse().unwrap();
        assert_eq!(address_key(mapped), "192.0.2.1".parse::<IpAddr>().unwrap());
    }

    #[test]
    fn the_forwarded_address_counts_only_behind_a_proxy() {
        let peer: SocketAddr = "10.0.0.5:4000".parse().unwrap();
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-forwarded-for",
            HeaderValue::from_static("198.51.100.7, 203.0.113.9"),
        );
        assert_eq!(client_address(peer, &headers, false), peer.ip());
        assert_eq!(
            client_address(peer, &headers, true),
            "203.0.113.9".parse::<IpAddr>().unwrap()
        );
        assert_eq!(client_address(peer, &HeaderMap::new(), true), peer.ip());
    }
}
