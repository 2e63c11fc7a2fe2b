//! A protocol client over one WebSocket: requests with ids, and the events in between.

use std::sync::atomic::{AtomicUsize, Ordering};

use futures_util::{SinkExt, StreamExt};
use protocol::{ClientFrame, Reply, Request, ServerMessage, SessionId};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;

pub type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// Bytes read from a socket at a time, as the server reads. tungstenite zero-fills its whole
/// read buffer before every read (128 KiB by default), which cost the load generator a third of
/// its CPU, taken from the server it measures on the same two cores.
pub const READ_BUFFER: usize = 4 * 1024;

/// The longest text frame any socket of this process has read from the server.
static LARGEST_FRAME: AtomicUsize = AtomicUsize::new(0);

/// Notes a frame of `bytes` read from the server.
pub fn heard_frame(bytes: usize) {
    LARGEST_FRAME.fetch_max(bytes, Ordering::Relaxed);
}

/// The longest text frame read from the server so far, in bytes.
pub fn largest_frame() -> usize {
    LARGEST_FRAME.load(Ordering::Relaxed)
}

pub struct Client {
    socket: Socket,
    next_id: u64,
    pub session: SessionId,
    /// The place in the queue the server gave at joining.
    pub position: u32,
}

impl Client {
    pub async fn connect(url: &str, cookie: Option<&str>) -> anyhow::Result<Client> {
        let mut request = url.into_client_request()?;
        if let Some(cookie) = cookie {
            request.headers_mut().insert("cookie", cookie.parse()?);
        }
        let config = WebSocketConfig::default().read_buffer_size(READ_BUFFER);
        // As browsers do: small frames go out at once.
        let (socket, _) =
            tokio_tungstenite::connect_async_with_config(request, Some(config), true).await?;
        Ok(Client {
            socket,
            next_id: 1,
            session: SessionId::default(),
            position: 0,
        })
    }

    /// A customer who said hello and joined the queue.
    pub async fn join(url: &str, name: &str) -> anyhow::Result<Client> {
        let mut client = Client::connect(url, None).await?;
        client.request(Request::customer_hello(None)).await?;
        let start = Request::StartChat {
            name: name.into(),
            problem: "Benchmark".into(),
            lang: protocol::Lang::En,
            recording: None,
            key: None,
        };
        match client.request(start).await? {
            Reply::Queued {
                session, position, ..
            } => (client.session, client.position) = (session, position),
            other => anyhow::bail!("unexpected reply {other:?}"),
        }
        Ok(client)
    }

    /// Sends `request` and waits for its reply, passing over events.
    pub async fn request(&mut self, request: Request) -> anyhow::Result<Reply> {
        let id = self.next_id;
        self.next_id += 1;
        let text = serde_json::to_string(&ClientFrame { id, request })?;
        self.socket.send(Message::Text(text.into())).await?;
        loop {
            match self.next().await? {
                ServerMessage::Ok { id: got, reply } if got == id => return Ok(reply),
                ServerMessage::Err {
                    id: Some(got),
                    message,
                    ..
                } if got == id => anyhow::bail!("refused: {message}"),
                _ => {}
            }
        }
    }

    /// Reads and drops what the server sends until `stop` turns true, so that a connection
    /// waiting for the others to be set up never lets its outbox on the server fill.
    pub async fn drain_until(mut self, mut stop: tokio::sync::watch::Receiver<bool>) -> Client {
        loop {
            tokio::select! {
                _ = stop.wait_for(|&stop| stop) => return self,
                message = self.socket.next() => match message {
                    Some(Ok(Message::Text(text))) => heard_frame(text.len()),
                    Some(Ok(_)) => {}
                    _ => return self,
                },
            }
        }
    }

    /// The socket and the next free request id, for a client that sends on its own.
    pub fn into_socket(self) -> (Socket, u64) {
        (self.socket, self.next_id)
    }

    /// Sends `request` `per_sec` times a second for `time`, whatever the answers (reading them
    /// all, as a browser would); returns how many were sent and how many refused.
    pub async fn flood(
        &mut self,
        request: Request,
        per_sec: f64,
        time: std::time::Duration,
    ) -> anyhow::Result<(u64, u64)> {
        let end = tokio::time::Instant::now() + time;
        let mut pace = tokio::time::interval(std::time::Duration::from_secs_f64(1.0 / per_sec));
        let (mut sent, mut refused) = (0, 0);
        while tokio::time::Instant::now() < end {
            tokio::select! {
                _ = pace.tick() => {
                    self.next_id += 1;
                    let frame = ClientFrame { id: self.next_id, request: request.clone() };
                    self.socket.send(Message::Text(serde_json::to_string(&frame)?.into())).await?;
                    sent += 1;
                }
                frame = self.socket.next() => match frame {
                    Some(Ok(Message::Text(text))) => {
                        heard_frame(text.len());
                        if let Ok(ServerMessage::Err { id: Some(_), .. }) = serde_json::from_str(&text) {
                            refused += 1;
                        }
                    }
                    Some(Ok(_)) => {}
                    Some(Err(e)) => return Err(e.into()),
                    None => anyhow::bail!("the server closed the flooding socket"),
                },
            }
        }
        Ok((sent, refused))
    }

    /// The next message from the server.
    pub async fn next(&mut self) -> anyhow::Result<ServerMessage> {
        loop {
            match self.socket.next().await {
                Some(Ok(Message::Text(text))) => {
                    heard_frame(text.len());
                    return Ok(serde_json::from_str(&text)?);
                }
                Some(Ok(_)) => {}
                Some(Err(e)) => return Err(e.into()),
                None => anyhow::bail!("the server closed the socket"),
            }
        }
    }
}
