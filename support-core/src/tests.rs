//! The core driven like the hub drives it, with an injected clock and a `Vec` for the store.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use protocol::{
    ChatMessage, ErrorCode, Identity, NoticeId, Party, RepId, Reply, Request, ServerMessage,
    SessionId, SessionState,
};

use super::{Core, Driver, Input, Journal, Outgoing, Refusal, Restored, Secrets};
use crate::{Change, Entry, RepAccount, Sharing};

mod journey;
mod live;
mod resume;
mod share;
mod wake;

/// The store in the core's tests: every change recorded, in order.
#[derive(Default)]
struct Log {
    changes: Vec<Change>,
    /// Sharing's audit events, each with how many changes came before it.
    sharing: Vec<(usize, Sharing)>,
    /// Refuse every write, as a full disk would.
    failing: bool,
}

impl Journal for Log {
    type Error = String;

    fn record(&mut self, entries: &[Entry<'_>]) -> Result<(), String> {
        if self.failing {
            return Err("the disk is full".into());
        }
        for entry in entries {
            match entry {
                Entry::Change(change) => self.changes.push((*change).clone()),
                Entry::Sharing(sharing) => self.sharing.push((self.changes.len(), *sharing)),
            }
        }
        Ok(())
    }

    fn transcript(
        &mut self,
        session: protocol::SessionId,
        after_seq: u64,
        rows: usize,
    ) -> Result<Vec<ChatMessage>, String> {
        let lines = self.changes.iter().filter_map(|change| match change {
            Change::Chat(m) | Change::ChatOnce { message: m, .. } => Some(m),
            Change::Transferred { message, .. } => Some(message),
            _ => None,
        });
        Ok(lines
            .filter(|m| m.session == session && m.seq > after_seq)
            .take(rows)
            .cloned()
            .collect())
    }

    fn recordings_before(
        &mut self,
        cutoff: protocol::Millis,
    ) -> Result<Vec<(protocol::SessionId, String)>, String> {
        let deleted: Vec<&String> = self
            .changes
            .iter()
            .filter_map(|change| match change {
                Change::Recording(super::Recording::Deleted { recording, .. }) => Some(recording),
                _ => None,
            })
            .collect();
        Ok(self
            .changes
            .iter()
            .filter_map(|change| match change {
                Change::Recording(super::Recording::Started {
                    session,
                    recording,
                    at,
                    ..
                }) if *at < cutoff && !deleted.contains(&recording) => {
                    Some((*session, recording.clone()))
                }
                _ => None,
            })
            .collect())
    }
}

/// The driver as the hub runs it, each request a batch of its own, on an injected clock.
struct Harness {
    driver: Driver<Log>,
    /// Outputs other than the reply to the last request, kept for `drain`.
    sent: Vec<Outgoing>,
    /// What the media relay was told, kept for `media`.
    media: Vec<super::MediaOrder>,
    now: i64,
    /// How many requests were sent: a new customer's token is `token-N` for the N-th.
    requests: Arc<AtomicU32>,
}

fn rep(id: i64, name: &str) -> RepAccount {
    RepAccount {
        id: RepId(id),
        login: name.to_lowercase(),
        name: name.into(),
        admin: false,
        photo: None,
    }
}

impl Harness {
    fn new() -> Harness {
        let core = Core::restore(
            0,
            Restored {
                next_session: SessionId(1),
                next_notice: NoticeId(1),
                ..Restored::default()
            },
        );
        Harness::with(core, 1_000)
    }

    /// A harness around `core` at time `now`.
    fn with(core: Core, now: i64) -> Harness {
        let requests = Arc::new(AtomicU32::new(0));
        let count = requests.clone();
        let secrets = Secrets {
            // The user's name in the address, to see whom the credentials are for.
            ice_servers: Box::new(|user, _| {
                vec![protocol::IceServer {
                    urls: vec![format!("turn:{user}")],
                    username: None,
                    credential: None,
                }]
            }),
            new_token: Box::new(move || format!("token-{}", count.load(Ordering::SeqCst))),
        };
        Harness {
            driver: Driver::new(core, Log::default(), secrets),
            sent: Vec::new(),
            media: Vec::new(),
            now,
            requests,
        }
    }

    /// Starts over from `core`, as the hub does after a restart.
    fn restart(&mut self, core: Core) {
        self.driver.restart(core);
    }

    /// Every change recorded so far.
    fn stored(&mut self) -> &[Change] {
        &self.driver.journal().changes
    }

    /// Sends `request` as the hub would and returns the reply to it.
    fn send(&mut self, conn: u64, request: Request) -> Result<Reply, Refusal> {
        let id = u64::from(self.requests.fetch_add(1, Ordering::SeqCst)) + 1;
        let frame = protocol::ClientFrame { id, request };
        self.driver
            .handle_input(self.now, Input::Frame { conn, frame });
        self.tick();
        let mut answer = None;
        for output in std::mem::take(&mut self.sent) {
            match output.message {
                ServerMessage::Ok { id: to, reply } if to == id && output.to == [conn] => {
                    answer = Some(Ok(reply));
                }
                ServerMessage::Err {
                    id: Some(to),
                    code,
                    reason,
                    message,
                } if to == id && output.to == [conn] => {
                    answer = Some(Err(Refusal {
                        code,
                        reason,
                        message,
                    }))
                }
                _ => self.sent.push(output),
            }
        }
        answer.expect("an answer")
    }

    /// What the hub does after every batch: the core's timed work, if it is due, and then
    /// collecting what goes out.
    fn tick(&mut self) {
        self.driver.handle_timeout(self.now);
        self.collect();
    }

    fn collect(&mut self) {
        self.timeout();
    }

    /// When the driver asks to be woken next.
    fn timeout(&mut self) -> i64 {
        loop {
            match self.driver.poll_output() {
                super::Output::Send(outgoing) => self.sent.push(outgoing),
                super::Output::Media(order) => self.media.push(order),
                super::Output::Close(_) => {}
                super::Output::Timeout(at) => return at,
            }
        }
    }

    /// What the media relay was told since the last call.
    fn media(&mut self) -> Vec<super::MediaOrder> {
        self.collect();
        std::mem::take(&mut self.media)
    }

    /// Lets the clock run to `until`, waking the driver at each deadline on the way, as the
    /// hub's loop does when no command comes.
    fn run_until(&mut self, until: i64) {
        loop {
            let at = self.timeout().max(self.now);
            if at > until {
                break;
            }
            self.now = at;
            self.tick();
        }
        self.now = until;
    }

    /// Everything sent since the last drain, other than replies.
    fn drain(&mut self) -> Vec<Outgoing> {
        self.collect();
        std::mem::take(&mut self.sent)
    }

    fn input(&mut self, input: Input) {
        self.driver.handle_input(self.now, input);
        self.tick();
    }

    fn open(&mut self, conn: u64, rep: Option<RepAccount>) {
        self.input(Input::Open { conn, rep });
    }

    fn close(&mut self, conn: u64) {
        self.input(Input::Closed { conn });
    }

    /// The leaving beacon of the page holding `token`.
    fn leave(&mut self, token: &str, embedded: bool, page: Option<u64>) {
        let token = token.into();
        self.input(Input::Leave {
            token,
            embedded,
            page,
        });
    }

    fn customer(&mut self, conn: u64, name: &str) -> protocol::SessionId {
        self.customer_answering(conn, name, None)
    }

    /// A customer who answered the recording prompt with `recording`.
    fn customer_answering(
        &mut self,
        conn: u64,
        name: &str,
        recording: Option<bool>,
    ) -> protocol::SessionId {
        self.open(conn, None);
        self.send(conn, hello(None)).unwrap();
        let mut request = start(name);
        if let Request::StartChat {
            recording: answer, ..
        } = &mut request
        {
            *answer = recording;
        }
        match self.send(conn, request).unwrap() {
            Reply::Queued { session, .. } => session,
            other => panic!("{other:?}"),
        }
    }

    fn admin(&mut self, action: super::AdminAction) {
        self.driver.admin(action).expect("a valid admin change");
        self.tick();
    }

    fn rep(&mut self, conn: u64, account: RepAccount) {
        self.open(conn, Some(account));
        self.send(conn, Request::rep_hello()).unwrap();
    }
}

fn hello(token: Option<&str>) -> Request {
    Request::customer_hello(token.map(Into::into))
}

fn start(name: &str) -> Request {
    Request::StartChat {
        name: name.into(),
        problem: "The printer is on fire".into(),
        lang: protocol::Lang::En,
        recording: None,
        key: None,
    }
}

fn chat(session: protocol::SessionId, text: &str) -> Request {
    Request::SendChat {
        session,
        text: text.into(),
        nonce: None,
    }
}

fn end(session: protocol::SessionId) -> Request {
    Request::EndSession {
        session,
        after_notice: false,
    }
}

fn code(result: Result<Reply, Refusal>) -> ErrorCode {
    result.expect_err("refused").code
}

/// The messages `conn` was sent, other than replies and the site's settings.
fn events_for(outputs: &[Outgoing], conn: u64) -> Vec<ServerMessage> {
    outputs
        .iter()
        .filter(|o| o.to.contains(&conn))
        .filter(|o| {
            !matches!(
                o.message,
                ServerMessage::Ok { .. } | ServerMessage::Site { .. }
            )
        })
        .map(|o| o.message.clone())
        .collect()
}

/// The positions `conn` was told, in order.
fn positions_for(outputs: &[Outgoing], conn: u64) -> Vec<u32> {
    events_for(outputs, conn)
        .iter()
        .filter_map(|m| match m {
            ServerMessage::QueuePosition { position, .. } => Some(*position),
            _ => None,
        })
        .collect()
}

#[test]
fn customers_queue_in_order_and_move_up_when_one_is_accepted() {
    let mut h = Harness::new();
    let first = h.customer(1, "Ada");
    h.now += 500;
    let second = h.customer(2, "Bea");
    let third = h.customer(3, "Cy");
    assert_eq!(
        (first, second, third),
        (SessionId(1), SessionId(2), SessionId(3))
    );
    h.rep(10, rep(7, "Bo"));
    h.drain();

    assert_eq!(
        h.send(10, Request::Accept { session: first }),
        Ok(Reply::Done)
    );
    let out = h.drain();
    assert_eq!(positions_for(&out, 2), [1]);
    assert_eq!(positions_for(&out, 3), [2]);
    let started = events_for(&out, 1);
    assert!(
        matches!(&started[..], [ServerMessage::SessionStarted(info)] if info.rep_name == "Bo"),
        "{started:?}"
    );
    let rep_events = events_for(&out, 10);
    let ServerMessage::Queue { entries, .. } = rep_events.last().unwrap() else {
        panic!()
    };
    let queued: Vec<_> = entries
        .iter()
        .map(|e| (e.name.as_str(), e.queued_at))
        .collect();
    assert_eq!(queued, [("Bea", 1_500), ("Cy", 1_500)]);
}

#[test]
fn the_rep_sees_each_new_customer_with_the_time_they_joined() {
    let mut h = Harness::new();
    h.rep(10, rep(7, "Bo"));
    h.drain();
    h.now = 42_000;
    h.customer(1, "Ada");
    let out = h.drain();
    let [ServerMessage::Queue { entries, .. }] = &events_for(&out, 10)[..] else {
        panic!("{out:?}")
    };
    assert_eq!(entries.len(), 1);
    assert_eq!(
        (
            entries[0].name.as_str(),
            entries[0].problem.as_str(),
            entries[0].queued_at
        ),
        ("Ada", "The printer is on fire", 42_000)
    );
}

#[test]
fn chat_gets_sequence_numbers_and_reaches_both_sides_after_it_is_stored() {
    let mut h = Harness::new();
    let session = h.customer(1, "Ada");
    h.rep(10, rep(7, "Bo"));
    h.send(10, Request::Accept { session }).unwrap();
    h.drain();

    assert_eq!(
        h.send(1, chat(session, "hello")),
        Ok(Reply::Stored { seq: 1, at: 1_000 })
    );
    let out = h.drain();
    let to_rep = events_for(&out, 10);
    assert!(
        matches!(&to_rep[..], [ServerMessage::Chat(m)] if m.text == "hello" && m.from == Party::Customer && m.name == "Ada"),
        "{to_rep:?}"
    );
    assert_eq!(
        h.send(10, chat(session, "hi Ada")),
        Ok(Reply::Stored { seq: 2, at: 1_000 })
    );
    assert!(matches!(h.stored().last(), Some(Change::Chat(m)) if m.seq == 2 && m.name == "Bo"));
}

#[test]
fn a_refused_or_unstored_request_changes_nothing() {
    let mut h = Harness::new();
    let session = h.customer(1, "Ada");
    h.rep(10, rep(7, "Bo"));
    h.send(10, Request::Accept { session }).unwrap();
    // The write fails: the sender is told, and the session's sequence stays where it was.
    h.driver.journal().failing = true;
    assert_eq!(code(h.send(1, chat(session, "lost"))), ErrorCode::Internal);
    h.driver.journal().failing = false;
    assert_eq!(
        h.send(1, chat(session, "kept")),
        Ok(Reply::Stored { seq: 1, at: 1_000 })
    );
}

#[test]
fn a_customer_cannot_act_as_a_rep_or_in_another_session() {
    let mut h = Harness::new();
    let ada = h.customer(1, "Ada");
    let bea = h.customer(2, "Bea");
    assert_eq!(
        code(h.send(1, Request::Accept { session: bea })),
        ErrorCode::NotSignedIn
    );
    assert_eq!(code(h.send(1, chat(bea, "hi"))), ErrorCode::Forbidden);
    assert_eq!(code(h.send(1, end(bea))), ErrorCode::Forbidden);
    assert_eq!(
        code(h.send(
            1,
            Request::History {
                session: bea,
                after_seq: 0
            }
        )),
        ErrorCode::Forbidden
    );
    // Chat before a rep joined is refused, not queued somewhere.
    assert_eq!(code(h.send(1, chat(ada, "anyone?"))), ErrorCode::WrongState);
    assert_eq!(code(h.send(1, start("Ada again"))), ErrorCode::WrongState);
}

#[test]
fn a_rep_acts_only_in_sessions_they_serve() {
    let mut h = Harness::new();
    let session = h.customer(1, "Ada");
    h.rep(10, rep(7, "Bo"));
    h.rep(11, rep(8, "Cid"));
    h.send(10, Request::Accept { session }).unwrap();
    assert_eq!(
        code(h.send(11, Request::Accept { session })),
        ErrorCode::WrongState
    );
    assert_eq!(code(h.send(11, chat(session, "hi"))), ErrorCode::Forbidden);
    assert_eq!(code(h.send(11, end(session))), ErrorCode::Forbidden);
    assert_eq!(
        code(h.send(
            10,
            Request::Accept {
                session: SessionId(99)
            }
        )),
        ErrorCode::NoSuchSession
    );
    assert_eq!(code(h.send(11, start("Cid"))), ErrorCode::Forbidden);
}

#[test]
fn the_handshake_comes_first_and_once_with_a_known_version() {
    let mut h = Harness::new();
    h.open(1, None);
    assert_eq!(code(h.send(1, start("Ada"))), ErrorCode::HandshakeRequired);
    let old = Request::Hello {
        version: 0,
        token: None,
        rep: false,
        page: None,
    };
    assert_eq!(code(h.send(1, old)), ErrorCode::UnsupportedVersion);
    h.send(1, hello(None)).unwrap();
    assert_eq!(code(h.send(1, hello(None))), ErrorCode::HandshakeRequired);
}

#[test]
fn input_is_checked_and_trimmed() {
    let mut h = Harness::new();
    h.open(1, None);
    h.send(1, hello(None)).unwrap();
    let blank = start("  ");
    assert_eq!(code(h.send(1, blank)), ErrorCode::InvalidInput);
    let long = start(&"a".repeat(81));
    assert_eq!(code(h.send(1, long)), ErrorCode::InvalidInput);
    let ok = start(" Ada ");
    h.send(1, ok).unwrap();
    assert!(matches!(&h.stored()[0], Change::Queued(s) if s.name == "Ada"));
}

#[test]
fn ending_tells_both_sides_and_frees_the_customer_to_start_again() {
    let mut h = Harness::new();
    let session = h.customer(1, "Ada");
    h.rep(10, rep(7, "Bo"));
    h.send(10, Request::Accept { session }).unwrap();
    h.drain();
    assert_eq!(h.send(10, end(session)), Ok(Reply::Done));
    let out = h.drain();
    let ended = ServerMessage::SessionEnded {
        session,
        by: Some(Party::Rep),
        reason: protocol::EndReason::Ended,
        survey: true,
    };
    assert_eq!(events_for(&out, 1), std::slice::from_ref(&ended));
    assert_eq!(events_for(&out, 10), [ended]);
    assert_eq!(
        code(h.send(1, chat(session, "hello?"))),
        ErrorCode::NoSuchSession
    );
    assert!(matches!(
        h.send(1, start("Ada")),
        Ok(Reply::Queued {
            session: SessionId(2),
            ..
        })
    ));
}

#[test]
fn a_waiting_customer_who_leaves_moves_the_queue() {
    let mut h = Harness::new();
    let first = h.customer(1, "Ada");
    h.customer(2, "Bea");
    h.drain();
    h.send(1, end(first)).unwrap();
    let out = h.drain();
    assert_eq!(positions_for(&out, 2), [1]);
}

#[test]
fn a_customer_comes_back_with_the_token_and_a_rep_gets_their_sessions_back() {
    let mut h = Harness::new();
    h.open(1, None);
    h.send(1, hello(None)).unwrap();
    let Ok(Reply::Queued { session, token, .. }) = h.send(1, start("Ada")) else {
        panic!()
    };
    h.rep(10, rep(7, "Bo"));
    h.send(10, Request::Accept { session }).unwrap();
    h.close(1);
    h.close(10);
    h.drain();

    h.open(2, None);
    let welcome = h.send(2, hello(Some(&token))).unwrap();
    assert_eq!(
        welcome,
        Reply::Welcome {
            version: protocol::PROTOCOL_VERSION,
            me: Identity::Customer {
                session,
                name: "Ada".into(),
                state: SessionState::Active
            }
        }
    );
    // The session, and that its rep's connection dropped too.
    assert!(matches!(
        &events_for(&h.drain(), 2)[..],
        [
            ServerMessage::SessionStarted(_),
            ServerMessage::PeerLink {
                party: Party::Rep,
                online: false,
                ..
            }
        ]
    ));

    h.open(3, None);
    let stranger = h.send(3, hello(Some("guess"))).unwrap();
    assert!(matches!(
        stranger,
        Reply::Welcome {
            me: Identity::Visitor,
            ..
        }
    ));

    h.rep(11, rep(7, "Bo"));
    let view = events_for(&h.drain(), 11);
    assert!(
        matches!(&view[..], [ServerMessage::Queue { entries, .. }, ServerMessage::RepSessions { sessions, more: false }, ServerMessage::Reps { .. }] if entries.is_empty() && sessions.len() == 1 && sessions[0].session == session),
        "{view:?}"
    );
    assert_eq!(
        h.send(11, chat(session, "still here")),
        Ok(Reply::Stored { seq: 1, at: 1_000 })
    );
}

#[test]
fn restored_state_keeps_the_queue_and_the_sequence() {
    use crate::{LiveSession, NewSession};
    let live = |id: SessionId, rep: Option<(RepId, String)>, last_seq| LiveSession {
        session: NewSession {
            id,
            token_hash: crate::token_hash(&format!("t{id}")),
            name: format!("c{id}"),
            problem: "p".into(),
            queued_at: id.0 * 10,
            lang: protocol::Lang::En,
            recording: None,
            for_rep: None,
            key: None,
        },
        rep,
        rep_photo: None,
        last_seq,
        nonces: Vec::new(),
        stored_bytes: 0,
    };
    let mut h = Harness::with(
        Core::restore(
            0,
            Restored {
                next_session: SessionId(5),
                live: vec![
                    live(SessionId(3), Some((RepId(7), "Bo".into())), 4),
                    live(SessionId(1), None, 0),
                    live(SessionId(2), None, 0),
                ],
                ..Restored::default()
            },
        ),
        0,
    );
    h.open(1, None);
    let Reply::Welcome { me, .. } = h.send(1, hello(Some("t2"))).unwrap() else {
        panic!()
    };
    assert!(matches!(
        me,
        Identity::Customer {
            session: SessionId(2),
            state: SessionState::Waiting,
            ..
        }
    ));
    assert_eq!(positions_for(&h.drain(), 1), [2]);
    h.rep(10, rep(7, "Bo"));
    h.drain();
    assert_eq!(
        h.send(10, chat(SessionId(3), "after restart")),
        Ok(Reply::Stored { seq: 5, at: 0 })
    );
    h.open(4, None);
    h.send(4, hello(None)).unwrap();
    assert!(matches!(
        h.send(4, start("new")),
        Ok(Reply::Queued {
            session: SessionId(5),
            position: 3,
            ..
        })
    ));
}

#[test]
fn only_the_rep_console_acts_for_the_rep_and_only_with_a_sign_in() {
    let mut h = Harness::new();
    // A rep's cookie on a customer page gives that page no rep powers.
    h.open(1, Some(rep(7, "Bo")));
    assert!(matches!(
        h.send(1, hello(None)),
        Ok(Reply::Welcome {
            me: Identity::Visitor,
            ..
        })
    ));
    assert_eq!(
        code(h.send(
            1,
            Request::Accept {
                session: SessionId(1)
            }
        )),
        ErrorCode::NotSignedIn
    );
    // The console without a valid sign-in is told so.
    h.open(2, None);
    assert_eq!(
        code(h.send(2, Request::rep_hello())),
        ErrorCode::NotSignedIn
    );
    h.open(3, Some(rep(7, "Bo")));
    assert!(matches!(
        h.send(3, Request::rep_hello()),
        Ok(Reply::Welcome {
            me: Identity::Rep { rep: RepId(7), .. },
            ..
        })
    ));
}

#[test]
fn the_queue_a_rep_sees_stays_small_whatever_the_customers_type() {
    let mut h = Harness::new();
    h.rep(10, rep(7, "Bo"));
    // The worst entries: every character of a name and a problem as long as allowed escaped.
    let name = "\"".repeat(protocol::MAX_NAME_CHARS);
    for conn in 0..super::MAX_QUEUE_SHOWN as u64 {
        h.open(100 + conn, None);
        h.send(100 + conn, hello(None)).unwrap();
        let joining = Request::StartChat {
            name: name.clone(),
            problem: "\\".repeat(protocol::MAX_PROBLEM_CHARS),
            lang: protocol::Lang::En,
            recording: None,
            key: None,
        };
        h.send(100 + conn, joining).unwrap();
    }
    let out = h.drain();
    let Some(queue) = events_for(&out, 10).into_iter().last() else {
        panic!()
    };
    let wire = serde_json::to_string(&queue).unwrap();
    assert!(
        wire.len() <= super::MAX_LIST_BYTES + 64,
        "{} bytes",
        wire.len()
    );
    let ServerMessage::Queue { entries, waiting } = queue else {
        panic!("{queue:?}")
    };
    assert_eq!(
        waiting as usize,
        super::MAX_QUEUE_SHOWN,
        "the rep knows how many wait"
    );
    assert!(entries.len() > 10, "{} shown", entries.len());
}

#[test]
fn a_rep_holding_many_long_sessions_gets_them_back_in_parts_each_small() {
    let mut h = Harness::new();
    h.rep(10, rep(7, "Bo"));
    // The worst sessions: names and problems of characters that take four bytes each.
    let mut held = vec![];
    for conn in 0..40 {
        h.open(100 + conn, None);
        h.send(100 + conn, hello(None)).unwrap();
        let joining = Request::StartChat {
            name: "𝄞".repeat(protocol::MAX_NAME_CHARS),
            problem: "𝄞".repeat(protocol::MAX_PROBLEM_CHARS),
            lang: protocol::Lang::En,
            recording: None,
            key: None,
        };
        let Ok(Reply::Queued { session, .. }) = h.send(100 + conn, joining) else {
            panic!()
        };
        h.send(10, Request::Accept { session }).unwrap();
        held.push(session);
    }
    h.close(10);
    h.drain();

    h.rep(11, rep(7, "Bo"));
    let parts: Vec<_> = events_for(&h.drain(), 11)
        .into_iter()
        .filter(|m| matches!(m, ServerMessage::RepSessions { .. }))
        .collect();
    let mut listed = vec![];
    for (i, part) in parts.iter().enumerate() {
        let wire = serde_json::to_string(part).unwrap();
        assert!(wire.len() <= super::MAX_LIST_BYTES, "{} bytes", wire.len());
        let ServerMessage::RepSessions { sessions, more } = part else {
            unreachable!()
        };
        assert_eq!(
            *more,
            i + 1 < parts.len(),
            "only the last part says it is the last"
        );
        listed.extend(sessions.iter().map(|info| info.session));
    }
    assert!(parts.len() > 1, "{} parts", parts.len());
    assert_eq!(listed, held, "every session, once, in order");
}

#[test]
fn the_reps_list_stays_small_however_many_reps_with_long_names() {
    let mut h = Harness::new();
    let name = "\"".repeat(protocol::MAX_NAME_CHARS);
    for n in 0..600 {
        h.rep(1_000 + n, rep(n as i64 + 1, &name));
    }
    let out = h.drain();
    let Some(reps) = events_for(&out, 1_000)
        .into_iter()
        .rfind(|m| matches!(m, ServerMessage::Reps { .. }))
    else {
        panic!()
    };
    let wire = serde_json::to_string(&reps).unwrap();
    assert!(
        wire.len() <= super::MAX_LIST_BYTES + 64,
        "{} bytes",
        wire.len()
    );
}

#[test]
fn reps_see_the_first_of_a_long_queue_and_a_join_moves_nobody_else() {
    let mut h = Harness::new();
    h.rep(10, rep(7, "Bo"));
    for conn in 0..super::MAX_QUEUE_SHOWN as u64 + 1 {
        h.customer(100 + conn, &format!("c{conn}"));
    }
    let out = h.drain();
    let Some(ServerMessage::Queue { entries, waiting }) = events_for(&out, 10).into_iter().last()
    else {
        panic!()
    };
    assert_eq!(entries.len(), super::MAX_QUEUE_SHOWN);
    assert_eq!(
        waiting as usize,
        super::MAX_QUEUE_SHOWN + 1,
        "the rep knows how many wait"
    );
    assert_eq!(entries[0].name, "c0");
    // The last to join told only themselves where they are.
    h.customer(99, "late");
    let out = h.drain();
    let told: Vec<_> = out
        .iter()
        .filter(|o| matches!(o.message, ServerMessage::QueuePosition { .. }))
        .flat_map(|o| o.to.clone())
        .collect();
    assert!(told.is_empty() || told == [99], "{told:?}");
}
