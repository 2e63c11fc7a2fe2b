//! The connection driven as a driver would, on an injected clock: no socket, no runtime.

use protocol::SessionId;
use protocol::{ClientFrame, ErrorCode, Identity, Reply, Request, ServerMessage};

use crate::connection::{Connection, Event, Output, RequestError};

/// A connection and what came out of it, with answers told by the number the test gave.
struct Page {
    conn: Connection<u32>,
    sent: Vec<ClientFrame>,
    opens: u32,
    answers: Vec<(u32, Result<Reply, RequestError>)>,
    events: Vec<Event>,
}

impl Page {
    fn new() -> Page {
        Page {
            conn: Connection::default(),
            sent: Vec::new(),
            opens: 0,
            answers: Vec::new(),
            events: Vec::new(),
        }
    }

    fn drive(&mut self) {
        while let Some(output) = self.conn.poll_output() {
            match output {
                Output::Open => self.opens += 1,
                Output::Send(frame) => self.sent.push(frame),
                Output::Answer(to, result) => self.answers.push((to, result)),
                Output::Event(event) => self.events.push(event),
                Output::Warn(_) => {}
            }
        }
    }

    /// Opens the socket and has the server welcome the hello.
    fn connect(&mut self) {
        self.conn.opened(Request::customer_hello(None));
        self.drive();
        let hello = self.sent.last().expect("hello sent").id;
        self.reply(hello, welcome());
    }

    fn reply(&mut self, id: u64, reply: Reply) {
        self.conn.received_message(ServerMessage::Ok { id, reply });
        self.drive();
    }

    /// The texts of the chat messages sent, in order.
    fn chats_sent(&self) -> Vec<&str> {
        self.sent
            .iter()
            .filter_map(|f| match &f.request {
                Request::SendChat { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect()
    }

    fn last_sent_id(&self) -> u64 {
        self.sent.last().unwrap().id
    }
}

fn welcome() -> Reply {
    Reply::Welcome {
        version: protocol::PROTOCOL_VERSION,
        me: Identity::Visitor,
    }
}

fn chat(text: &str, nonce: u64) -> Request {
    Request::SendChat {
        session: SessionId(1),
        text: text.into(),
        nonce: Some(nonce),
    }
}

fn stored(seq: u64) -> Reply {
    Reply::Stored { seq, at: 0 }
}

#[test]
fn hello_goes_first_and_requests_made_before_the_welcome_follow_in_order() {
    let mut page = Page::new();
    page.conn.start();
    page.drive();
    assert_eq!(page.opens, 1);
    assert_eq!(page.events, [Event::Connecting]);
    page.conn.request(chat("early", 1), 1);
    page.conn.opened(Request::customer_hello(Some("t".into())));
    page.drive();
    assert!(matches!(
        page.sent[..],
        [ClientFrame {
            id: 1,
            request: Request::Hello { .. }
        }]
    ));
    page.reply(1, welcome());
    assert_eq!(page.chats_sent(), ["early"]);
    assert!(matches!(
        page.events.last(),
        Some(Event::Ready(Identity::Visitor))
    ));
    page.reply(page.last_sent_id(), stored(1));
    assert_eq!(page.answers, [(1, Ok(stored(1)))]);
}

#[test]
fn after_a_drop_an_unanswered_chat_line_is_sent_again_ahead_of_what_was_typed_meanwhile() {
    let mut page = Page::new();
    page.conn.start();
    page.connect();
    page.conn.request_until_answered(chat("first", 1), 1);
    page.conn.request(
        Request::Nudge {
            session: SessionId(1),
        },
        2,
    );
    page.conn.request_until_answered(chat("second", 2), 3);
    page.drive();
    page.conn.closed(10_000);
    page.drive();
    // Only the request that is not safe twice fails.
    assert_eq!(page.answers, [(2, Err(RequestError::Disconnected))]);
    assert_eq!(page.events.last(), Some(&Event::Lost));
    page.conn
        .request_until_answered(chat("typed meanwhile", 3), 4);

    page.conn.handle_timeout(11_000);
    page.drive();
    page.sent.clear();
    page.connect();
    assert_eq!(page.chats_sent(), ["first", "second", "typed meanwhile"]);
    // The answers to the frames sent again reach those who asked first.
    let ids: Vec<_> = page.sent[1..].iter().map(|f| f.id).collect();
    for (seq, id) in ids.into_iter().enumerate() {
        page.reply(id, stored(seq as u64 + 1));
    }
    let answered: Vec<_> = page.answers[1..].iter().map(|(to, _)| *to).collect();
    assert_eq!(answered, [1, 3, 4]);
}

#[test]
fn attempts_back_off_from_one_second_to_fifteen_and_a_welcome_starts_over() {
    let mut page = Page::new();
    page.conn.start();
    let mut now = 0;
    let mut waits = Vec::new();
    for _ in 0..6 {
        page.conn.closed(now);
        let at = page.conn.timeout().expect("an attempt is due");
        waits.push(at - now);
        page.conn.handle_timeout(at - 1);
        assert_eq!(page.conn.timeout(), Some(at), "not before its time");
        page.conn.handle_timeout(at);
        now = at;
    }
    assert_eq!(waits, [1000, 2000, 4000, 8000, 15_000, 15_000]);
    page.drive();
    assert_eq!(page.opens, 7);
    page.connect();
    page.conn.closed(now);
    assert_eq!(page.conn.timeout(), Some(now + 1000));
}

#[test]
fn the_network_coming_back_cuts_the_wait_short() {
    let mut page = Page::new();
    page.conn.start();
    page.conn.closed(0);
    page.drive();
    let opens = page.opens;
    page.conn.network_back(500);
    page.drive();
    assert_eq!(page.opens, opens + 1);
    assert_eq!(page.conn.timeout(), None);
}

#[test]
fn the_network_coming_back_before_the_failed_sockets_close_is_told_tries_at_once() {
    let mut page = Page::new();
    page.conn.start();
    page.connect();
    page.conn.request_until_answered(chat("typed before", 1), 1);
    page.conn.request(
        Request::Nudge {
            session: SessionId(1),
        },
        2,
    );
    page.drive();
    // The socket died; the browser says the network is back before its close event.
    page.conn.network_back(5_000);
    page.drive();
    assert_eq!(page.opens, 2);
    assert_eq!(page.answers, [(2, Err(RequestError::Disconnected))]);
    page.sent.clear();
    page.connect();
    assert_eq!(page.chats_sent(), ["typed before"]);
}

#[test]
fn a_reconnect_fails_everything_and_sends_nothing_again() {
    let mut page = Page::new();
    page.conn.start();
    page.connect();
    page.conn
        .request_until_answered(chat("for the old session", 1), 1);
    page.drive();
    page.conn.reconnect();
    page.drive();
    assert_eq!(page.answers, [(1, Err(RequestError::Disconnected))]);
    page.sent.clear();
    page.connect();
    assert!(page.chats_sent().is_empty());
}

#[test]
fn a_refused_hello_is_told_and_a_stopped_connection_answers_nobody() {
    let mut page = Page::new();
    page.conn.start();
    page.conn
        .opened(Request::customer_hello(Some("forgotten".into())));
    page.drive();
    let refusal = ServerMessage::err(Some(1), ErrorCode::NoSuchSession, "unknown token");
    page.conn
        .received(&serde_json::to_string(&refusal).unwrap());
    page.drive();
    assert!(matches!(
        page.events.last(),
        Some(Event::Refused(RequestError::Server {
            code: ErrorCode::NoSuchSession,
            ..
        }))
    ));
    page.conn.stop();
    page.conn.request(Request::IceServers, 9);
    page.conn.closed(0);
    page.drive();
    assert!(page.answers.is_empty());
    assert_eq!(page.conn.timeout(), None);
}
