//! A page's connection to the server as a state machine: the handshake, request ids, answers
//! paired with their requests, requests sent again after a reconnect when that is safe, and the
//! back-off between attempts. No socket and no timer: a driver (the browser's WebSocket, a tokio
//! task) opens sockets when told, carries frames both ways, and says what time it is.

use std::collections::{HashMap, VecDeque};

use protocol::{ClientFrame, ErrorCode, Identity, Millis, Reason, Reply, Request, ServerMessage};

/// Why a request did not succeed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestError {
    /// The server refused it: `reason` says what exactly, where `code` does not; `message` is
    /// the server's detail in English, for developers, never to show.
    Server {
        code: ErrorCode,
        reason: Option<Reason>,
        message: String,
    },
    /// The connection dropped before the answer came.
    Disconnected,
}

impl std::fmt::Display for RequestError {
    /// In English, for logs and tests; pages word it in their language.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RequestError::Server { code, message, .. } => {
                write!(f, "refused ({code:?}): {message}")
            }
            RequestError::Disconnected => f.write_str("the connection dropped"),
        }
    }
}

impl std::error::Error for RequestError {}

/// What the connection tells the page.
#[derive(Debug, Clone, PartialEq)]
// Each event is handed over once and never stored, so boxing the large one (a pushed `Site`
// with all settings) would only add an allocation.
#[allow(clippy::large_enum_variant)]
pub enum Event {
    /// A socket is being opened, the first time or after a drop.
    Connecting,
    /// The server answered `hello`; requests flow from now on.
    Ready(Identity),
    /// The server refused `hello`, for instance because the session token is unknown.
    Refused(RequestError),
    /// Something the server pushed that is not a reply.
    Push(ServerMessage),
    /// The connection dropped; another attempt follows after a pause.
    Lost,
}

/// What the driver is to do, polled after each call.
#[derive(Debug)]
pub enum Output<R> {
    /// Open a new socket, dropping the one there is (its late events are to be ignored).
    Open,
    /// Send this frame on the open socket.
    Send(ClientFrame),
    /// The answer to a request: hand it to whoever asked, by the handle they gave.
    Answer(R, Result<Reply, RequestError>),
    Event(Event),
    /// Something not worth more than a line in the console.
    Warn(String),
}

/// The pause before the next attempt after `failures` failed ones: 1 s, 2 s, 4 s… up to 15 s.
pub fn retry_delay_ms(failures: u32) -> Millis {
    1000i64.saturating_mul(1 << failures.min(4)).min(15_000)
}

/// A request waiting for the connection to be ready.
#[derive(Debug)]
struct Queued<R> {
    request: Request,
    answer_to: R,
    resendable: bool,
}

/// The connection's state. `R` is how the driver recognises whom an answer is for: a callback
/// in the browser, a channel in a tokio task.
#[derive(Debug)]
pub struct Connection<R> {
    next_id: u64,
    /// The `hello` under way on the open socket.
    hello_id: Option<u64>,
    /// The server answered `hello` on the open socket.
    ready: bool,
    /// Requests made before `hello` was answered, sent once it is.
    outbox: Vec<Queued<R>>,
    /// Requests sent and not answered, by id.
    awaiting: HashMap<u64, R>,
    /// Those of them safe to send twice (a chat message with its nonce): a lost connection sends
    /// them again after the next `hello` rather than failing them.
    resendable: HashMap<u64, Request>,
    /// Failed attempts since the last `hello` was answered.
    failures: u32,
    /// When the next attempt is due, while the connection waits out its back-off.
    retry_at: Option<Millis>,
    stopped: bool,
    outputs: VecDeque<Output<R>>,
}

impl<R> Default for Connection<R> {
    fn default() -> Self {
        Connection {
            next_id: 0,
            hello_id: None,
            ready: false,
            outbox: Vec::new(),
            awaiting: HashMap::new(),
            resendable: HashMap::new(),
            failures: 0,
            retry_at: None,
            stopped: false,
            outputs: VecDeque::new(),
        }
    }
}

impl<R> Connection<R> {
    /// Opens the first socket; requests made before wait for it. Drops are retried by the
    /// connection itself.
    pub fn start(&mut self) {
        self.stopped = false;
        self.open();
    }

    /// Closes for good: the page is going away. Nobody hears an answer any more.
    pub fn stop(&mut self) {
        *self = Connection {
            stopped: true,
            ..Connection::default()
        };
    }

    /// The socket opened: `hello` is the handshake to send (made now, so that a token saved
    /// since the last attempt goes with it).
    pub fn opened(&mut self, hello: Request) {
        let id = self.next_id();
        self.hello_id = Some(id);
        self.outputs
            .push_back(Output::Send(ClientFrame { id, request: hello }));
    }

    /// A text frame from the server.
    pub fn received(&mut self, text: &str) {
        match serde_json::from_str::<ServerMessage>(text) {
            Ok(message) => self.received_message(message),
            Err(error) => self.warn(format!(
                "ignoring a message this client does not understand: {error}"
            )),
        }
    }

    /// A message from the server.
    pub fn received_message(&mut self, message: ServerMessage) {
        match message {
            ServerMessage::Ok { id, reply } => self.answered(id, Ok(reply)),
            ServerMessage::Err {
                id: Some(id),
                code,
                reason,
                message,
            } => {
                let refused = RequestError::Server {
                    code,
                    reason,
                    message,
                };
                self.answered(id, Err(refused));
            }
            ServerMessage::Err {
                id: None, message, ..
            } => self.warn(format!("the server reported an error: {message}")),
            event => self.outputs.push_back(Output::Event(Event::Push(event))),
        }
    }

    /// The socket closed at `now`: requests safe to send again wait for the next socket, the
    /// others fail, and the next attempt comes after a pause that grows with each failure.
    pub fn closed(&mut self, now: Millis) {
        if self.stopped {
            return;
        }
        self.ready = false;
        self.hello_id = None;
        self.keep_resendable();
        self.outputs.push_back(Output::Event(Event::Lost));
        self.retry_at = Some(now + retry_delay_ms(self.failures));
        self.failures = self.failures.saturating_add(1);
    }

    /// When the next attempt is due, if the connection is waiting for one.
    pub fn timeout(&self) -> Option<Millis> {
        self.retry_at
    }

    /// The time is `now`: a due attempt is made.
    pub fn handle_timeout(&mut self, now: Millis) {
        if self.retry_at.is_some_and(|at| at <= now) {
            self.open();
        }
    }

    /// The browser says the network is back at `now`, and the driver's socket is gone or
    /// closing: the connection tries again at once rather than after its back-off. A socket whose
    /// close the driver has not told yet counts as closed now.
    pub fn network_back(&mut self, now: Millis) {
        if self.stopped {
            return;
        }
        if self.retry_at.is_none() {
            self.closed(now);
        }
        self.open();
    }

    /// Drops the current socket and opens a new one at once, for instance after the session
    /// token was refused and forgotten. The session it spoke for is gone: nothing is sent again.
    pub fn reconnect(&mut self) {
        if self.stopped {
            return;
        }
        self.ready = false;
        self.hello_id = None;
        self.failures = 0;
        self.resendable.clear();
        let awaiting = std::mem::take(&mut self.awaiting);
        self.fail_all(awaiting);
        self.open();
    }

    /// Sends `request` (after `hello`, if that is still under way); its answer comes as
    /// [`Output::Answer`] with `answer_to`. A request made after [`Connection::stop`] is dropped.
    pub fn request(&mut self, request: Request, answer_to: R) {
        self.submit(request, answer_to, false);
    }

    /// As [`Connection::request`], for a request the server takes once however often it comes
    /// (a chat message with its nonce): if the connection drops before the answer, it is sent
    /// again once the connection is back, and the answer to that is the one handed over.
    pub fn request_until_answered(&mut self, request: Request, answer_to: R) {
        self.submit(request, answer_to, true);
    }

    pub fn poll_output(&mut self) -> Option<Output<R>> {
        self.outputs.pop_front()
    }

    fn submit(&mut self, request: Request, answer_to: R, resendable: bool) {
        if self.stopped {
            return;
        }
        let queued = Queued {
            request,
            answer_to,
            resendable,
        };
        if self.ready {
            self.send_now(queued);
        } else {
            self.outbox.push(queued);
        }
    }

    fn open(&mut self) {
        self.retry_at = None;
        self.ready = false;
        self.hello_id = None;
        self.outputs.push_back(Output::Event(Event::Connecting));
        self.outputs.push_back(Output::Open);
    }

    fn answered(&mut self, id: u64, result: Result<Reply, RequestError>) {
        if self.hello_id == Some(id) {
            self.hello_id = None;
            return self.greeted(result);
        }
        self.resendable.remove(&id);
        match self.awaiting.remove(&id) {
            Some(answer_to) => self.outputs.push_back(Output::Answer(answer_to, result)),
            None => self.warn(format!("ignoring a reply to unknown request {id}")),
        }
    }

    fn greeted(&mut self, result: Result<Reply, RequestError>) {
        match result {
            Ok(Reply::Welcome { me, .. }) => {
                self.ready = true;
                self.failures = 0;
                for queued in std::mem::take(&mut self.outbox) {
                    self.send_now(queued);
                }
                self.outputs.push_back(Output::Event(Event::Ready(me)));
            }
            Ok(_) => self.warn("ignoring an unexpected answer to hello".into()),
            Err(error) => self.outputs.push_back(Output::Event(Event::Refused(error))),
        }
    }

    fn next_id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    fn send_now(&mut self, queued: Queued<R>) {
        let id = self.next_id();
        self.awaiting.insert(id, queued.answer_to);
        if queued.resendable {
            self.resendable.insert(id, queued.request.clone());
        }
        // If the socket is no longer open, `closed` follows and fails the request or queues it
        // again.
        let frame = ClientFrame {
            id,
            request: queued.request,
        };
        self.outputs.push_back(Output::Send(frame));
    }

    /// After the socket closed: the resendable requests still unanswered go back to the front
    /// of the outbox, in the order they were first sent; the others fail.
    fn keep_resendable(&mut self) {
        let mut awaiting = std::mem::take(&mut self.awaiting);
        let mut resendable: Vec<_> = std::mem::take(&mut self.resendable).into_iter().collect();
        resendable.sort_by_key(|(id, _)| *id);
        let mut again: Vec<_> = resendable
            .into_iter()
            .filter_map(|(id, request)| {
                Some(Queued {
                    request,
                    answer_to: awaiting.remove(&id)?,
                    resendable: true,
                })
            })
            .collect();
        again.append(&mut self.outbox);
        self.outbox = again;
        self.fail_all(awaiting);
    }

    /// Fails every request in `awaiting`, in the order they were sent.
    fn fail_all(&mut self, awaiting: HashMap<u64, R>) {
        let mut awaiting: Vec<_> = awaiting.into_iter().collect();
        awaiting.sort_by_key(|(id, _)| *id);
        for (_, answer_to) in awaiting {
            let failed = Output::Answer(answer_to, Err(RequestError::Disconnected));
            self.outputs.push_back(failed);
        }
    }

    fn warn(&mut self, message: String) {
        self.outputs.push_back(Output::Warn(message));
    }
}
