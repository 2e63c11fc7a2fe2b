//! The page's connection in the browser: `client_core`'s connection (handshake, request ids,
//! resend after a reconnect, back-off) driven by a `web_sys::WebSocket`, a timer and the
//! browser's `online` event. Everything it decides is in `client_core`; this file only carries
//! it out.

use std::cell::{RefCell, RefMut};
use std::fmt;
use std::rc::{Rc, Weak};

use client_core::connection::{Connection as Session, Output};
pub use client_core::connection::{Event, RequestError};
use gloo::events::EventListener;
use gloo::timers::callback::Timeout;
use protocol::{ClientFrame, Millis, Reply, Request, WS_PATH};
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{CloseEvent, MessageEvent, WebSocket};

use super::{json, warn};

/// The URL of the WebSocket endpoint for a page served from `host` over `protocol`
/// (`location.protocol`, such as `"https:"`).
pub fn ws_url(protocol: &str, host: &str) -> String {
    let scheme = if protocol == "https:" { "wss" } else { "ws" };
    format!("{scheme}://{host}{WS_PATH}")
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
    session: RefCell<Session<ReplyFn>>,
    io: RefCell<Io>,
}

/// The browser's side: the socket, the timer, the network listener.
#[derive(Default)]
struct Io {
    socket: Option<Socket>,
    /// Sockets replaced while one of their own handlers may be running; dropped at the next
    /// replacement.
    retired: Vec<Socket>,
    /// Bumped for every socket, so late events of an old socket are ignored.
    generation: u64,
    /// The timer for the next attempt, and the time it is set for.
    retry: Option<(Millis, Timeout)>,
    /// The timer whose callback ran last: it must outlive that callback.
    spent: Option<(Millis, Timeout)>,
    /// Hears the browser say the network is back.
    online: Option<EventListener>,
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

fn now() -> Millis {
    js_sys::Date::now() as Millis
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
            session: RefCell::default(),
            io: RefCell::default(),
        }))
    }

    /// Opens the socket. Call once; drops are retried by the connection itself.
    pub fn start(&self) {
        self.listen_for_network();
        self.session().start();
        self.drive();
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
            // A socket still opening is left to finish; one that failed, even if its close
            // event has not come yet, is replaced at once.
            let gone = inner
                .io
                .borrow()
                .socket
                .as_ref()
                .is_none_or(|s| s.ws.ready_state() >= WebSocket::CLOSING);
            if gone {
                let conn = Connection(inner);
                conn.session().network_back(now());
                conn.drive();
            }
        });
        self.0.io.borrow_mut().online = Some(listener);
    }

    /// Closes for good: the page is going away.
    pub fn stop(&self) {
        self.session().stop();
        let mut io = self.0.io.borrow_mut();
        io.retry = None;
        io.online = None;
        io.socket = None;
        io.retired.clear();
    }

    /// Drops the current socket and opens a new one at once, for instance after the session
    /// token was refused and forgotten.
    pub fn reconnect(&self) {
        self.session().reconnect();
        self.drive();
    }

    /// Sends `request` (after `hello`, if that is still under way) and calls `on_reply` with
    /// the server's answer.
    pub fn request(
        &self,
        request: Request,
        on_reply: impl FnOnce(Result<Reply, RequestError>) + 'static,
    ) {
        self.session().request(request, Box::new(on_reply));
        self.drive();
    }

    /// As [`Connection::request`], for a request the server takes once however often it comes
    /// (a chat message with its nonce): if the connection drops before the answer, it is sent
    /// again once the connection is back, and `on_reply` hears the answer to that.
    pub fn request_until_answered(
        &self,
        request: Request,
        on_reply: impl FnOnce(Result<Reply, RequestError>) + 'static,
    ) {
        self.session()
            .request_until_answered(request, Box::new(on_reply));
        self.drive();
    }

    fn session(&self) -> RefMut<'_, Session<ReplyFn>> {
        self.0.session.borrow_mut()
    }

    /// Carries out what the session decided, one output at a time and holding no borrow while
    /// a callback runs, as callbacks make requests of their own.
    fn drive(&self) {
        loop {
            let output = self.session().poll_output();
            match output {
                None => break,
                Some(Output::Open) => self.open(),
                Some(Output::Send(frame)) => self.transmit(frame),
                Some(Output::Answer(on_reply, result)) => on_reply(result),
                Some(Output::Event(event)) => (self.0.on_event)(self, event),
                Some(Output::Warn(message)) => warn(&message),
            }
        }
        self.set_timer();
    }

    /// Sets the timer for the session's next attempt, if it waits for one.
    fn set_timer(&self) {
        let due = self.0.session.borrow().timeout();
        let mut io = self.0.io.borrow_mut();
        let Some(at) = due else {
            io.retry = None;
            return;
        };
        if io.retry.as_ref().is_some_and(|(set, _)| *set == at) {
            return;
        }
        let weak = Rc::downgrade(&self.0);
        let timer = Timeout::new((at - now()).max(0) as u32, move || {
            let Some(inner) = weak.upgrade() else { return };
            {
                let mut io = inner.io.borrow_mut();
                io.spent = io.retry.take();
            }
            let conn = Connection(inner);
            conn.session().handle_timeout(now());
            conn.drive();
        });
        io.retry = Some((at, timer));
    }

    fn open(&self) {
        let weak = Rc::downgrade(&self.0);
        let generation = {
            let mut io = self.0.io.borrow_mut();
            // No handler of these runs now: they are older than the socket being replaced.
            io.retired.clear();
            // This may run inside one of the replaced socket's handlers, so it is dropped later.
            if let Some(old) = io.socket.take() {
                let _ = old.ws.close();
                io.retired.push(old);
            }
            io.generation += 1;
            io.generation
        };
        let ws = match WebSocket::new(&self.0.url) {
            Ok(ws) => ws,
            Err(error) => {
                // Only a malformed URL throws here, which no retry would fix.
                warn(&format!("cannot open {}: {error:?}", self.0.url));
                (self.0.on_event)(self, Event::Lost);
                return;
            }
        };
        let mut onopen = handler(&weak, generation, |conn, ()| {
            let hello = (conn.0.hello)();
            conn.session().opened(hello);
            conn.drive();
        });
        let onmessage = handler(&weak, generation, |conn, event: MessageEvent| {
            match event.data().as_string() {
                Some(text) => {
                    match json::from_str(&text) {
                        Ok(message) => conn.session().received_message(message),
                        Err(error) => warn(&format!(
                            "ignoring a message this page does not understand: {error}"
                        )),
                    }
                    conn.drive();
                }
                None => warn("ignoring a binary WebSocket frame"),
            }
        });
        let onclose = handler(&weak, generation, |conn, _: CloseEvent| {
            conn.session().closed(now());
            conn.drive();
        });
        let onopen = Closure::<dyn FnMut()>::new(move || onopen(()));
        let onmessage = Closure::<dyn FnMut(MessageEvent)>::new(onmessage);
        let onclose = Closure::<dyn FnMut(CloseEvent)>::new(onclose);
        ws.set_onopen(Some(onopen.as_ref().unchecked_ref()));
        ws.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
        ws.set_onclose(Some(onclose.as_ref().unchecked_ref()));
        self.0.io.borrow_mut().socket = Some(Socket {
            ws,
            _onopen: onopen,
            _onmessage: onmessage,
            _onclose: onclose,
        });
    }

    fn transmit(&self, frame: ClientFrame) {
        let io = self.0.io.borrow();
        let Some(socket) = &io.socket else { return };
        let id = frame.id;
        match json::to_string(&frame) {
            // If the socket is no longer open, its close handler follows and the session fails
            // the request or sends it again.
            Ok(text) => {
                if let Err(error) = socket.ws.send_with_str(&text) {
                    warn(&format!("could not send request {id}: {error:?}"));
                }
            }
            Err(error) => warn(&format!("could not encode request {id}: {error}")),
        }
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
        if inner.io.borrow().generation != generation {
            return;
        }
        body(&Connection(inner), argument);
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
}
