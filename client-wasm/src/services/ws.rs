//! The WebSocket client: one connection per page that says hello, pairs replies with requests
//! and reconnects after a drop.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;
use std::rc::{Rc, Weak};

use gloo::events::EventListener;
use gloo::timers::callback::Timeout;
use protocol::{ClientFrame, ErrorCode, Identity, Reply, Request, ServerMessage, WS_PATH};
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{CloseEvent, MessageEvent, WebSocket};

use super::warn;

/// Why a request did not succeed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestError {
    /// The server refused it.
    Server { code: ErrorCode, message: String },
    /// The connection dropped before the answer came.
    Disconnected,
}

/// What the connection tells its owner.
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

/// The URL of the WebSocket endpoint for a page served from `host` over `protocol`
/// (`location.protocol`, such as `"https:"`).
pub fn ws_url(protocol: &str, host: &str) -> String {
    let scheme = if protocol == "https:" { "wss" } else { "ws" };
    format!("{scheme}://{host}{WS_PATH}")
}

/// The pause before the next attempt after `failures` failed ones: 1 s, 2 s, 4 s… up to 15 s.
pub fn retry_delay_ms(failures: u32) -> u32 {
    1000u32.saturating_mul(1 << failures.min(4)).min(15_000)
}

type ReplyFn = Box<dyn FnOnce(Result<Reply, RequestError>)>;
type EventFn = Box<dyn Fn(&Connection, Event)>;
type HelloFn = Box<dyn Fn() -> Request>;

/// A handle to the page's connection; clones share it.
#[derive(Clone)]
pub struct Connection(Rc<Inner>);

impl PartialEq for Connection {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl fmt::Debug for Connection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Connection")
            .field("url", &self.0.url)
            .finish()
    }
}

struct Inner {
    url: String,
    /// Called at every (re)connect, so a token saved meanwhile is sent in the next `hello`.
    hello: HelloFn,
    on_event: EventFn,
    state: RefCell<State>,
}

#[derive(Default)]
struct State {
    socket: Option<Socket>,
    /// Sockets replaced while one of their own handlers ran; dropped at the next open.
    retired: Vec<Socket>,
    /// Bumped for every socket, so late events of an old socket are ignored.
    generation: u64,
    next_id: u64,
    hello_id: Option<u64>,
    ready: bool,
    /// Requests made before `hello` was answered, sent once it is.
    outbox: Vec<Queued>,
    awaiting: HashMap<u64, ReplyFn>,
    /// Requests safe to send twice (a chat message with its nonce), by id: a lost connection
    /// sends them again after the next `hello` rather than failing them.
    resendable: HashMap<u64, Request>,
    retry: Option<Timeout>,
    /// Hears the browser say the network is back.
    online: Option<EventListener>,
    failures: u32,
    stopped: bool,
}

/// A request waiting for the connection.
struct Queued {
    request: Request,
    on_reply: ReplyFn,
    resendable: bool,
}

/// A browser socket and the handlers it calls, which must live as long as it does.
struct Socket {
    ws: WebSocket,
    _onopen: Closure<dyn FnMut()>,
    _onmessage: Closure<dyn FnMut(MessageEvent)>,
    _onclose: Closure<dyn FnMut(CloseEvent)>,
}

impl Drop for Socket {
    fn drop(&mut self) {
        self.ws.set_onopen(None);
        self.ws.set_onmessage(None);
        self.ws.set_onclose(None);
        let _ = self.ws.close();
    }
}

impl Connection {
    /// A connection to this page's server, not yet open. `hello` makes the handshake (with the
    /// customer's session token, or the rep console's); `on_event` hears everything that is not
    /// a reply.
    pub fn new(
        hello: impl Fn() -> Request + 'static,
        on_event: impl Fn(&Connection, Event) + 'static,
    ) -> Self {
        let url = web_sys::window()
            .map(|window| {
                let location = window.location();
                ws_url(
                    &location.protocol().unwrap_or_default(),
                    &location.host().unwrap_or_default(),
                )
            })
            .unwrap_or_default();
        Connection(Rc::new(Inner {
            url,
            hello: Box::new(hello),
            on_event: Box::new(on_event),
            state: RefCell::default(),
        }))
    }

    /// Opens the socket. Call once; drops are retried by the connection itself.
    pub fn start(&self) {
        self.0.state.borrow_mut().stopped = false;
        self.listen_for_network();
        self.open();
    }

    /// When the browser says the network is back (a laptop waking, a train out of a tunnel), a
    /// connection waiting out its back-off tries again at once.
    fn listen_for_network(&self) {
        let Some(window) = web_sys::window() else {
            return;
        };
        let weak = Rc::downgrade(&self.0);
        let listener = EventListener::new(&window, "online", move |_| {
            let Some(inner) = weak.upgrade() else { return };
            let waiting = {
                let state = inner.state.borrow();
                !state.stopped
                    && state
                        .socket
                        .as_ref()
                        .is_none_or(|s| s.ws.ready_state() >= WebSocket::CLOSING)
            };
            if waiting {
                inner.state.borrow_mut().retry = None;
                Connection(inner).open();
            }
        });
        self.0.state.borrow_mut().online = Some(listener);
    }

    /// Closes for good: the page is going away.
    pub fn stop(&self) {
        let mut state = self.0.state.borrow_mut();
        state.stopped = true;
        state.retry = None;
        state.online = None;
        state.socket = None;
        state.retired.clear();
        state.outbox.clear();
        state.awaiting.clear();
        state.resendable.clear();
    }

    /// Drops the current socket and opens a new one at once, for instance after the session
    /// token was refused and forgotten.
    pub fn reconnect(&self) {
        let failed = {
            let mut state = self.0.state.borrow_mut();
            if state.stopped {
                return;
            }
            state.generation += 1;
            state.ready = false;
            state.hello_id = None;
            // This may run inside one of the old socket's handlers, so it is dropped later.
            if let Some(old) = state.socket.take() {
                let _ = old.ws.close();
                state.retired.push(old);
            }
            state.failures = 0;
            // The session this connection spoke for is gone: nothing is sent again.
            state.resendable.clear();
            std::mem::take(&mut state.awaiting)
        };
        fail_all(failed);
        self.schedule(0);
    }

    /// Sends `request` (after `hello`, if that is still under way) and calls `on_reply` with
    /// the server's answer.
    pub fn request(
        &self,
        request: Request,
        on_reply: impl FnOnce(Result<Reply, RequestError>) + 'static,
    ) {
        self.submit(request, Box::new(on_reply), false);
    }

    /// As [`Connection::request`], for a request the server takes once however often it comes
    /// (a chat message with its nonce): if the connection drops before the answer, it is sent
    /// again once the connection is back, and `on_reply` hears the answer to that.
    pub fn request_until_answered(
        &self,
        request: Request,
        on_reply: impl FnOnce(Result<Reply, RequestError>) + 'static,
    ) {
        self.submit(request, Box::new(on_reply), true);
    }

    fn submit(&self, request: Request, on_reply: ReplyFn, resendable: bool) {
        let mut state = self.0.state.borrow_mut();
        if state.stopped {
            return;
        }
        let queued = Queued {
            request,
            on_reply,
            resendable,
        };
        if state.ready {
            send_now(&mut state, queued);
        } else {
            state.outbox.push(queued);
        }
    }

    fn open(&self) {
        let weak = Rc::downgrade(&self.0);
        let generation = {
            let mut state = self.0.state.borrow_mut();
            if state.stopped {
                return;
            }
            state.retired.clear();
            state.socket = None;
            state.generation += 1;
            state.ready = false;
            state.hello_id = None;
            state.generation
        };
        self.emit(Event::Connecting);

        let ws = match WebSocket::new(&self.0.url) {
            Ok(ws) => ws,
            Err(error) => {
                // Only a malformed URL throws here, which no retry would fix.
                warn(&format!("cannot open {}: {error:?}", self.0.url));
                self.emit(Event::Lost);
                return;
            }
        };
        let mut onopen = handler(&weak, generation, |conn, ()| conn.on_open());
        let onmessage = handler(&weak, generation, |conn, event: MessageEvent| {
            match event.data().as_string() {
                Some(text) => conn.on_text(&text),
                None => warn("ignoring a binary WebSocket frame"),
            }
        });
        let onclose = handler(&weak, generation, |conn, _: CloseEvent| conn.on_close());
        let onopen = Closure::<dyn FnMut()>::new(move || onopen(()));
        let onmessage = Closure::<dyn FnMut(MessageEvent)>::new(onmessage);
        let onclose = Closure::<dyn FnMut(CloseEvent)>::new(onclose);
        ws.set_onopen(Some(onopen.as_ref().unchecked_ref()));
        ws.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
        ws.set_onclose(Some(onclose.as_ref().unchecked_ref()));
        self.0.state.borrow_mut().socket = Some(Socket {
            ws,
            _onopen: onopen,
            _onmessage: onmessage,
            _onclose: onclose,
        });
    }

    fn on_open(&self) {
        let hello = (self.0.hello)();
        let mut state = self.0.state.borrow_mut();
        let id = next_id(&mut state);
        state.hello_id = Some(id);
        transmit(&state, id, hello);
    }

    fn on_text(&self, text: &str) {
        let message = match serde_json::from_str::<ServerMessage>(text) {
            Ok(message) => message,
            Err(error) => {
                warn(&format!(
                    "ignoring a message this client does not understand: {error}"
                ));
                return;
            }
        };
        match message {
            ServerMessage::Ok { id, reply } => self.on_reply(id, Ok(reply)),
            ServerMessage::Err {
                id: Some(id),
                code,
                message,
            } => self.on_reply(id, Err(RequestError::Server { code, message })),
            ServerMessage::Err {
                id: None, message, ..
            } => warn(&format!("the server reported an error: {message}")),
            event => self.emit(Event::Push(event)),
        }
    }

    fn on_reply(&self, id: u64, result: Result<Reply, RequestError>) {
        let is_hello = self.0.state.borrow().hello_id == Some(id);
        if is_hello {
            self.on_hello_reply(result);
            return;
        }
        let on_reply = {
            let mut state = self.0.state.borrow_mut();
            state.resendable.remove(&id);
            state.awaiting.remove(&id)
        };
        match on_reply {
            Some(on_reply) => on_reply(result),
            None => warn(&format!("ignoring a reply to unknown request {id}")),
        }
    }

    fn on_hello_reply(&self, result: Result<Reply, RequestError>) {
        match result {
            Ok(Reply::Welcome { me, .. }) => {
                {
                    let mut state = self.0.state.borrow_mut();
                    state.hello_id = None;
                    state.ready = true;
                    state.failures = 0;
                    for queued in std::mem::take(&mut state.outbox) {
                        send_now(&mut state, queued);
                    }
                }
                self.emit(Event::Ready(me));
            }
            // Debug-printing protocol types would cost wasm size for a message nobody reads.
            Ok(_) => warn("ignoring an unexpected answer to hello"),
            Err(error) => {
                self.0.state.borrow_mut().hello_id = None;
                self.emit(Event::Refused(error));
            }
        }
    }

    fn on_close(&self) {
        let failed = {
            let mut state = self.0.state.borrow_mut();
            state.ready = false;
            state.hello_id = None;
            keep_resendable(&mut state)
        };
        fail_all(failed);
        self.emit(Event::Lost);
        let delay = {
            let mut state = self.0.state.borrow_mut();
            let delay = retry_delay_ms(state.failures);
            state.failures = state.failures.saturating_add(1);
            delay
        };
        self.schedule(delay);
    }

    fn schedule(&self, delay_ms: u32) {
        let weak = Rc::downgrade(&self.0);
        let timer = Timeout::new(delay_ms, move || {
            if let Some(inner) = weak.upgrade() {
                Connection(inner).open();
            }
        });
        let mut state = self.0.state.borrow_mut();
        if !state.stopped {
            // Replacing a timer that already fired; `open` never schedules, so this is never
            // the timer whose callback is running.
            state.retry = Some(timer);
        }
    }

    fn emit(&self, event: Event) {
        (self.0.on_event)(self, event);
    }
}

/// Wraps a socket handler so it runs only while its socket is the current one.
fn handler<A>(
    weak: &Weak<Inner>,
    generation: u64,
    body: impl Fn(&Connection, A) + 'static,
) -> impl FnMut(A) + 'static {
    let weak = weak.clone();
    move |argument| {
        let Some(inner) = weak.upgrade() else { return };
        if inner.state.borrow().generation != generation {
            return;
        }
        body(&Connection(inner), argument);
    }
}

fn next_id(state: &mut State) -> u64 {
    state.next_id += 1;
    state.next_id
}

fn send_now(state: &mut State, queued: Queued) {
    let id = next_id(state);
    state.awaiting.insert(id, queued.on_reply);
    if queued.resendable {
        state.resendable.insert(id, queued.request.clone());
    }
    // If the socket is no longer open the close handler follows and fails the request, or
    // queues it again.
    transmit(state, id, queued.request);
}

/// After the socket closed: the resendable requests still unanswered go back to the front of
/// the outbox, in the order they were first sent; the others are returned, to fail.
fn keep_resendable(state: &mut State) -> HashMap<u64, ReplyFn> {
    let mut awaiting = std::mem::take(&mut state.awaiting);
    let mut again: Vec<_> = std::mem::take(&mut state.resendable).into_iter().collect();
    again.sort_by_key(|(id, _)| *id);
    let mut queued: Vec<_> = again
        .into_iter()
        .filter_map(|(id, request)| {
            Some(Queued {
                request,
                on_reply: awaiting.remove(&id)?,
                resendable: true,
            })
        })
        .collect();
    queued.append(&mut state.outbox);
    state.outbox = queued;
    awaiting
}

fn transmit(state: &State, id: u64, request: Request) {
    let Some(socket) = &state.socket else { return };
    match serde_json::to_string(&ClientFrame { id, request }) {
        Ok(text) => {
            if let Err(error) = socket.ws.send_with_str(&text) {
                warn(&format!("could not send request {id}: {error:?}"));
            }
        }
        Err(error) => warn(&format!("could not encode request {id}: {error}")),
    }
}

fn fail_all(awaiting: HashMap<u64, ReplyFn>) {
    let mut awaiting: Vec<_> = awaiting.into_iter().collect();
    awaiting.sort_by_key(|(id, _)| *id);
    for (_, on_reply) in awaiting {
        on_reply(Err(RequestError::Disconnected));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_socket_follows_the_page_scheme() {
        assert_eq!(ws_url("http:", "localhost:8080"), "ws://localhost:8080/ws");
        assert_eq!(ws_url("https:", "help.example"), "wss://help.example/ws");
    }

    #[test]
    fn a_lost_socket_queues_the_unanswered_resendable_requests_first_and_fails_the_rest() {
        let request = |text: &str| Request::SendChat {
            session: 1,
            text: text.into(),
            nonce: Some(7),
        };
        let reply: fn() -> ReplyFn = || Box::new(|_| {});
        let mut state = State::default();
        for id in 1..=3 {
            state.awaiting.insert(id, reply());
        }
        state.resendable.insert(1, request("first"));
        state.resendable.insert(3, request("third"));
        state.outbox.push(Queued {
            request: request("typed meanwhile"),
            on_reply: reply(),
            resendable: true,
        });
        let failed = keep_resendable(&mut state);
        assert_eq!(failed.keys().copied().collect::<Vec<_>>(), [2]);
        let order: Vec<_> = state
            .outbox
            .iter()
            .map(|q| match &q.request {
                Request::SendChat { text, .. } => text.as_str(),
                _ => "",
            })
            .collect();
        assert_eq!(order, ["first", "third", "typed meanwhile"]);
        assert!(state.awaiting.is_empty() && state.resendable.is_empty());
    }

    #[test]
    fn retries_back_off_up_to_fifteen_seconds() {
        let delays: Vec<_> = (0..7).map(retry_delay_ms).collect();
        assert_eq!(delays, [1000, 2000, 4000, 8000, 15_000, 15_000, 15_000]);
    }
}
