//! The page's connection without a browser: `client_core`'s connection driven by a tokio task,
//! a tokio-tungstenite socket and tokio's clock. The same session logic as the browser app's
//! (handshake, request ids, resend of unanswered chat lines after a reconnect, back-off), so
//! what a test sees of it is what a page does.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use client_core::connection::{Connection, Output};
pub use client_core::connection::{Event, RequestError};
use futures_util::{SinkExt, StreamExt};
use protocol::{Identity, Millis, Reply, Request};
use tokio::sync::{mpsc, oneshot};
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;

/// An open WebSocket to the server.
pub type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

type Answer = oneshot::Sender<Result<Reply, RequestError>>;

/// What the client asks of its task.
enum Command {
    Request {
        request: Request,
        resendable: bool,
        answer: Answer,
    },
    /// Drop the socket, as a failing network would.
    Cut,
    /// Stop and hand over the open socket, if there is one.
    Release(oneshot::Sender<Socket>),
}

/// A connection to the server at a `ws://` address, run by a task of its own; dropping the
/// client ends it.
pub struct Client {
    commands: mpsc::UnboundedSender<Command>,
    events: mpsc::UnboundedReceiver<Event>,
    largest_frame: Arc<AtomicUsize>,
}

impl Client {
    /// Starts connecting to `url` (with the rep's sign-in `cookie`, if any). `hello` makes the
    /// handshake at every (re)connect.
    pub fn start(
        url: &str,
        cookie: Option<&str>,
        hello: impl Fn() -> Request + Send + 'static,
    ) -> Client {
        let (commands, commanded) = mpsc::unbounded_channel();
        let (tell, events) = mpsc::unbounded_channel();
        let largest_frame = Arc::default();
        let target = Target {
            url: url.to_owned(),
            cookie: cookie.map(str::to_owned),
            largest_frame: Arc::clone(&largest_frame),
        };
        tokio::spawn(drive(target, Box::new(hello), commanded, tell));
        Client {
            commands,
            events,
            largest_frame,
        }
    }

    /// Connects and waits for the server's welcome.
    pub async fn connect(
        url: &str,
        cookie: Option<&str>,
        hello: impl Fn() -> Request + Send + 'static,
    ) -> Result<(Client, Identity), RequestError> {
        let mut client = Client::start(url, cookie, hello);
        let me = client.ready().await?;
        Ok((client, me))
    }

    /// Waits for the next welcome, passing over pushed messages; a refused hello is the error.
    pub async fn ready(&mut self) -> Result<Identity, RequestError> {
        loop {
            match self.events.recv().await {
                Some(Event::Ready(me)) => return Ok(me),
                Some(Event::Refused(error)) => return Err(error),
                Some(_) => {}
                None => return Err(RequestError::Disconnected),
            }
        }
    }

    /// The next thing the connection tells, `None` once its task has ended.
    pub async fn next_event(&mut self) -> Option<Event> {
        self.events.recv().await
    }

    /// Sends `request` and waits for its answer.
    pub async fn request(&self, request: Request) -> Result<Reply, RequestError> {
        self.submit(request, false)
            .await
            .unwrap_or(Err(RequestError::Disconnected))
    }

    /// Sends a request the server takes once however often it comes (a chat line with its
    /// nonce): sent again after a reconnect until it is answered. The answer comes on the
    /// returned channel.
    pub fn request_until_answered(
        &self,
        request: Request,
    ) -> oneshot::Receiver<Result<Reply, RequestError>> {
        self.submit(request, true)
    }

    /// Drops the socket as a failing network would; the connection comes back by itself.
    pub fn cut(&self) {
        let _ = self.commands.send(Command::Cut);
    }

    /// The longest text frame read from the server so far, in bytes.
    pub fn largest_frame(&self) -> usize {
        self.largest_frame.load(Ordering::Relaxed)
    }

    /// Ends the session logic and hands over its open socket (`None` while there is none): for
    /// a load generator that sets a session up as a page does, then writes frames of its own.
    /// Requests still unanswered are dropped.
    pub async fn release(self) -> Option<Socket> {
        let (hand_over, handed) = oneshot::channel();
        self.commands.send(Command::Release(hand_over)).ok()?;
        handed.await.ok()
    }

    fn submit(
        &self,
        request: Request,
        resendable: bool,
    ) -> oneshot::Receiver<Result<Reply, RequestError>> {
        let (answer, answered) = oneshot::channel();
        let command = Command::Request {
            request,
            resendable,
            answer,
        };
        let _ = self.commands.send(command);
        answered
    }
}

struct Target {
    url: String,
    cookie: Option<String>,
    largest_frame: Arc<AtomicUsize>,
}

/// Bytes read from a socket at a time, as the server reads. tungstenite zero-fills its whole
/// read buffer before every read (128 KiB by default), which made a process holding thousands
/// of connections (the benchmarks' load) spend a third of its CPU on it.
pub const READ_BUFFER: usize = 4 * 1024;

async fn connect(target: &Target) -> Result<Socket, tokio_tungstenite::tungstenite::Error> {
    let mut request = target.url.as_str().into_client_request()?;
    if let Some(cookie) = &target.cookie
        && let Ok(value) = cookie.parse()
    {
        request.headers_mut().insert("cookie", value);
    }
    let config = WebSocketConfig::default().read_buffer_size(READ_BUFFER);
    // As browsers do: small frames go out at once.
    let (socket, _) =
        tokio_tungstenite::connect_async_with_config(request, Some(config), true).await?;
    Ok(socket)
}

/// The connection's task: carries out what the session decides until the client is dropped.
async fn drive(
    target: Target,
    hello: Box<dyn Fn() -> Request + Send>,
    mut commands: mpsc::UnboundedReceiver<Command>,
    events: mpsc::UnboundedSender<Event>,
) {
    let started = Instant::now();
    let now = || started.elapsed().as_millis() as Millis;
    let mut session = Connection::<Answer>::default();
    session.start();
    let mut socket: Option<Socket> = None;
    let mut opening = false;
    loop {
        while let Some(output) = session.poll_output() {
            match output {
                Output::Open => {
                    socket = None;
                    opening = true;
                }
                Output::Send(frame) => {
                    let Some(open) = &mut socket else { continue };
                    let text = serde_json::to_string(&frame).expect("requests always serialize");
                    // A failed send shows as the socket closing, read below.
                    let _ = open.send(Message::Text(text.into())).await;
                }
                Output::Answer(answer, result) => drop(answer.send(result)),
                Output::Event(event) => drop(events.send(event)),
                Output::Warn(_) => {}
            }
        }
        if opening {
            opening = false;
            match connect(&target).await {
                Ok(open) => {
                    socket = Some(open);
                    session.opened(hello());
                }
                Err(_) => session.closed(now()),
            }
            continue;
        }
        let retry = session
            .timeout()
            .map(|at| started + Duration::from_millis(at.max(0) as u64));
        tokio::select! {
            command = commands.recv() => match command {
                None => return,
                Some(Command::Request { request, resendable: true, answer }) => {
                    session.request_until_answered(request, answer);
                }
                Some(Command::Request { request, answer, .. }) => session.request(request, answer),
                Some(Command::Cut) => {
                    if socket.take().is_some() {
                        session.closed(now());
                    }
                }
                Some(Command::Release(hand_over)) => {
                    if let Some(open) = socket {
                        let _ = hand_over.send(open);
                    }
                    return;
                }
            },
            frame = next_frame(&mut socket), if socket.is_some() => match frame {
                Some(text) => {
                    target.largest_frame.fetch_max(text.len(), Ordering::Relaxed);
                    session.received(&text);
                }
                None => {
                    socket = None;
                    session.closed(now());
                }
            },
            _ = tokio::time::sleep_until(retry.unwrap_or(started)), if retry.is_some() => {
                session.handle_timeout(now());
            }
        }
    }
}

/// The next text frame, or `None` when the socket closed or failed.
async fn next_frame(socket: &mut Option<Socket>) -> Option<String> {
    let open = socket.as_mut()?;
    loop {
        match open.next().await? {
            Ok(Message::Text(text)) => return Some(text.to_string()),
            Ok(Message::Close(_)) | Err(_) => return None,
            Ok(_) => {}
        }
    }
}
