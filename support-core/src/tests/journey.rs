//! The customer's way in: hold messages, the wait estimate, orphaning, notices, session keys
//! and the survey, on the injected clock.

use protocol::Settings;
use protocol::site::{Localized, NoticeDraft};
use protocol::{EndReason, ErrorCode, NoticeId, RepId, Reply, Request, ServerMessage, SessionId};

use super::{Harness, code, end, events_for, positions_for, rep, start};
use crate::Change;
use crate::{AdminAction, NO_REP_GRACE_MS};

fn settings(change: impl FnOnce(&mut Settings)) -> AdminAction {
    let mut settings = Settings::default();
    change(&mut settings);
    AdminAction::SaveSettings(Box::new(settings))
}

fn waits_for(out: &[super::Outgoing], conn: u64) -> Vec<u32> {
    events_for(out, conn)
        .iter()
        .filter_map(|m| match m {
            ServerMessage::QueuePosition { wait_secs, .. } => Some(*wait_secs),
            _ => None,
        })
        .collect()
}

#[test]
fn a_waiting_customer_hears_the_hold_message_every_interval() {
    let mut h = Harness::new();
    h.admin(settings(|s| s.hold_interval_secs = 60));
    h.rep(10, rep(7, "Bo"));
    h.customer(1, "Ada");
    h.customer(2, "Bea");
    h.drain();

    h.now += 59_999;
    h.tick();
    assert!(events_for(&h.drain(), 2).is_empty());
    h.now += 1;
    h.tick();
    let out = h.drain();
    let holds: Vec<_> = events_for(&out, 2)
        .into_iter()
        .filter_map(|m| match m {
            ServerMessage::Hold { position, at, .. } => Some((position, at)),
            _ => None,
        })
        .collect();
    assert_eq!(holds, [(2, h.now)]);

    // The next one a full interval later, not at every tick.
    h.now += 30_000;
    h.tick();
    assert!(events_for(&h.drain(), 2).is_empty());
    h.now += 30_000;
    h.tick();
    assert_eq!(events_for(&h.drain(), 2).len(), 1);

    // A reloaded page shows the hold lines again, then its place.
    h.close(2);
    h.open(3, None);
    h.send(3, super::hello(Some("token-5"))).unwrap();
    let view = events_for(&h.drain(), 3);
    let kinds: Vec<_> = view
        .iter()
        .filter(|m| !matches!(m, ServerMessage::Site { .. }))
        .map(|m| match m {
            ServerMessage::Hold { at, .. } => format!("hold {at}"),
            ServerMessage::QueuePosition { position, .. } => format!("position {position}"),
            other => format!("{other:?}"),
        })
        .collect();
    assert_eq!(kinds, ["hold 61000", "hold 121000", "position 2"]);
}

#[test]
fn the_estimate_follows_the_history_and_the_reps_available() {
    let mut h = Harness::new();
    h.admin(settings(|s| s.default_wait_secs = 100));
    h.rep(10, rep(7, "Bo"));
    // Without history: the admin's default per customer, halved for the first in line.
    h.customer(1, "Ada");
    h.open(2, None);
    h.send(2, super::hello(None)).unwrap();
    let Ok(Reply::Queued { wait_secs, .. }) = h.send(2, start("Bea")) else {
        panic!()
    };
    assert_eq!(wait_secs, 150);

    // Three sessions of two minutes each make history.
    for session in [1, 2] {
        h.send(
            10,
            Request::Accept {
                session: SessionId(session),
            },
        )
        .unwrap();
        h.now += 120_000;
        h.send(10, end(SessionId(session))).unwrap();
    }
    h.customer(3, "Cy");
    h.send(
        10,
        Request::Accept {
            session: SessionId(3),
        },
    )
    .unwrap();
    h.now += 120_000;
    h.send(10, end(SessionId(3))).unwrap();

    h.customer(4, "Di");
    h.customer(5, "Ed");
    let out = h.drain();
    assert_eq!(positions_for(&out, 5).last(), None, "the reply carried it");
    // One rep, mean 120 s: (2 - 1/2) * 120 = 180 s for the second in line.
    h.rep(11, rep(8, "Cleo"));
    let out = h.drain();
    assert_eq!(waits_for(&out, 5), [90], "two reps halve it");
    assert_eq!(waits_for(&out, 4), [30]);

    // A rep going away counts as one fewer.
    h.send(11, Request::SetPresence { available: false })
        .unwrap();
    assert_eq!(waits_for(&h.drain(), 5), [180]);
}

#[test]
fn with_no_rep_signed_in_a_customer_is_orphaned_and_the_policy_decides_the_rest() {
    let mut h = Harness::new();
    h.admin(settings(|s| s.keep_orphaned_queued = false));
    let session = h.customer(1, "Ada");
    let out = h.drain();
    let events = events_for(&out, 1);
    assert!(events.contains(&ServerMessage::Orphaned {
        session,
        queued: false
    }));
    assert!(events.contains(&ServerMessage::SessionEnded {
        session,
        by: None,
        reason: EndReason::Orphaned,
        survey: false,
    }));
    assert!(h.stored().iter().any(|c| matches!(
        c,
        Change::Ended {
            reason: EndReason::Orphaned,
            ..
        }
    )));

    // Kept in the queue: told once, and a rep who comes can still take them.
    h.admin(settings(|s| s.keep_orphaned_queued = true));
    h.open(2, None);
    h.send(2, super::hello(None)).unwrap();
    let Ok(Reply::Queued { session, token, .. }) = h.send(2, start("Bea")) else {
        panic!()
    };
    h.now += 10_000;
    h.tick();
    let orphaned: Vec<_> = events_for(&h.drain(), 2)
        .into_iter()
        .filter(|m| matches!(m, ServerMessage::Orphaned { .. }))
        .collect();
    assert_eq!(
        orphaned,
        [ServerMessage::Orphaned {
            session,
            queued: true
        }]
    );
    // A reloaded page hears it again.
    h.open(3, None);
    h.send(3, super::hello(Some(&token))).unwrap();
    assert!(
        events_for(&h.drain(), 3).contains(&ServerMessage::Orphaned {
            session,
            queued: true
        })
    );
    h.rep(10, rep(7, "Bo"));
    assert_eq!(h.send(10, Request::Accept { session }), Ok(Reply::Done));
}

#[test]
fn a_rep_who_drops_out_has_a_grace_period_and_the_longest_wait_still_holds() {
    let mut h = Harness::new();
    h.admin(settings(|s| {
        s.keep_orphaned_queued = false;
        s.longest_wait_secs = 600;
    }));
    h.rep(10, rep(7, "Bo"));
    h.now += 1;
    let ada = h.customer(1, "Ada");
    h.close(10);
    h.tick(); // as the hub does after every command
    h.now += NO_REP_GRACE_MS - 1;
    h.tick();
    assert!(
        !events_for(&h.drain(), 1)
            .iter()
            .any(|m| matches!(m, ServerMessage::Orphaned { .. }))
    );
    h.now += 1;
    h.tick();
    assert!(
        events_for(&h.drain(), 1).contains(&ServerMessage::Orphaned {
            session: ada,
            queued: false
        })
    );

    h.rep(11, rep(7, "Bo"));
    let bea = h.customer(2, "Bea");
    h.now += 599_999;
    h.tick();
    assert!(
        events_for(&h.drain(), 2)
            .iter()
            .all(|m| !matches!(m, ServerMessage::Orphaned { .. }))
    );
    h.now += 1;
    h.tick();
    assert!(
        events_for(&h.drain(), 2).contains(&ServerMessage::Orphaned {
            session: bea,
            queued: false
        })
    );
}

fn notice(active: bool, automatic: bool) -> AdminAction {
    AdminAction::AddNotice(NoticeDraft {
        text: Localized {
            en: "Mail is down".into(),
            de: "E-Mail ist gestört".into(),
        },
        active,
        automatic,
    })
}

#[test]
fn the_site_message_stays_small_however_much_the_admin_writes() {
    let mut h = Harness::new();
    let worst = "\"".repeat(protocol::site::MAX_TEXT_CHARS);
    let long = || {
        AdminAction::AddNotice(NoticeDraft {
            text: Localized {
                en: worst.clone(),
                de: worst.clone(),
            },
            active: true,
            automatic: false,
        })
    };
    h.customer(1, "Ada");
    let mut saved = 0;
    let refused = loop {
        match h.driver.admin(long()) {
            Ok(()) => saved += 1,
            Err(refusal) => break refusal,
        }
        assert!(saved < 100, "notices are never refused");
    };
    assert!(saved > 2, "{saved} saved");
    let max_kib = (crate::MAX_SITE_BYTES / 1024) as u32;
    assert_eq!(
        refused.reason,
        Some(protocol::Reason::SiteTooLarge(max_kib))
    );
    h.tick();
    let out = h.drain();
    let Some(site) = out
        .into_iter()
        .filter(|o| o.to.contains(&1))
        .map(|o| o.message)
        .rfind(|m| matches!(m, ServerMessage::Site { .. }))
    else {
        panic!("no site message")
    };
    let wire = serde_json::to_string(&site).unwrap();
    assert!(wire.len() <= crate::MAX_SITE_BYTES, "{} bytes", wire.len());
}

#[test]
fn notices_reach_waiting_customers_and_leaving_by_one_skips_the_survey() {
    let mut h = Harness::new();
    h.rep(10, rep(7, "Bo"));
    let ada = h.customer(1, "Ada");
    h.drain();
    h.admin(notice(true, true));
    h.admin(notice(true, false));
    h.admin(notice(false, false));
    // Every page hears of each change; the last one lists the two active notices.
    let sites: Vec<_> = h
        .drain()
        .into_iter()
        .filter(|o| o.to.contains(&1))
        .filter_map(|o| match o.message {
            ServerMessage::Site { notices, .. } => Some(notices.len()),
            _ => None,
        })
        .collect();
    assert_eq!(sites, [1, 2, 2]);

    assert_eq!(
        h.send(
            10,
            Request::SendNotice {
                session: ada,
                notice: NoticeId(2)
            }
        ),
        Ok(Reply::Done)
    );
    assert!(matches!(
        &events_for(&h.drain(), 1)[..],
        [ServerMessage::Notice { notice, .. }] if notice.id == NoticeId(2)
    ));
    let inactive = Request::SendNotice {
        session: ada,
        notice: NoticeId(3),
    };
    assert_eq!(code(h.send(10, inactive)), ErrorCode::NoSuchNotice);
    let by_customer = Request::SendNotice {
        session: ada,
        notice: NoticeId(2),
    };
    assert_eq!(code(h.send(1, by_customer)), ErrorCode::NotSignedIn);

    let leave = Request::EndSession {
        session: ada,
        after_notice: true,
    };
    h.send(1, leave).unwrap();
    assert!(
        events_for(&h.drain(), 1).contains(&ServerMessage::SessionEnded {
            session: ada,
            by: Some(protocol::Party::Customer),
            reason: EndReason::Notice,
            survey: false,
        })
    );
}

#[test]
fn a_served_customer_may_leave_one_survey_with_their_token() {
    let mut h = Harness::new();
    h.rep(10, rep(7, "Bo"));
    h.open(1, None);
    h.send(1, super::hello(None)).unwrap();
    let Ok(Reply::Queued { session, token, .. }) = h.send(1, start("Ada")) else {
        panic!()
    };
    let survey = |token: &str, rating| Request::Survey {
        session,
        token: token.into(),
        rating,
        resolved: true,
        comment: " Quick help ".into(),
    };
    assert_eq!(code(h.send(1, survey(&token, 5))), ErrorCode::NoSuchSession);
    h.send(10, Request::Accept { session }).unwrap();
    h.send(10, end(session)).unwrap();
    assert!(
        events_for(&h.drain(), 1)
            .iter()
            .any(|m| matches!(m, ServerMessage::SessionEnded { survey: true, .. }))
    );

    assert_eq!(
        code(h.send(1, survey("forged", 5))),
        ErrorCode::NoSuchSession
    );
    assert_eq!(code(h.send(1, survey(&token, 6))), ErrorCode::InvalidInput);
    assert_eq!(h.send(1, survey(&token, 4)), Ok(Reply::Done));
    assert!(matches!(
        h.stored().last(),
        Some(Change::Survey { rating: 4, comment, .. }) if comment == "Quick help"
    ));
    assert_eq!(code(h.send(1, survey(&token, 4))), ErrorCode::NoSuchSession);
}

#[test]
fn an_unserved_session_or_a_site_without_survey_asks_for_none() {
    let mut h = Harness::new();
    h.rep(10, rep(7, "Bo"));
    let ada = h.customer(1, "Ada");
    h.send(1, end(ada)).unwrap();
    h.admin(settings(|s| s.survey = false));
    let bea = h.customer(2, "Bea");
    h.send(10, Request::Accept { session: bea }).unwrap();
    h.send(10, end(bea)).unwrap();
    let out = h.drain();
    for conn in [1, 2] {
        assert!(
            events_for(&out, conn)
                .iter()
                .any(|m| matches!(m, ServerMessage::SessionEnded { survey: false, .. }))
        );
    }
}

#[test]
fn a_session_key_routes_the_customer_to_that_rep_only_once() {
    let mut h = Harness::new();
    h.rep(10, rep(7, "Bo"));
    h.rep(11, rep(8, "Cleo"));
    let Ok(Reply::Key { key, expires_at }) = h.send(10, Request::CreateKey) else {
        panic!()
    };
    assert_eq!(key.len(), 6);
    assert_eq!(expires_at, h.now + crate::KEY_LIFETIME_MS);
    h.customer(1, "Ada");
    h.drain();

    h.open(2, None);
    h.send(2, super::hello(None)).unwrap();
    let typed = format!(" {}-{} ", &key[..3].to_lowercase(), &key[3..]);
    let keyed = start_with_key("Bea", &typed);
    let Ok(Reply::Queued {
        session, position, ..
    }) = h.send(2, keyed.clone())
    else {
        panic!()
    };
    assert_eq!(position, 1, "first in Bo's own line");
    let out = h.drain();
    let queue_of = |conn| {
        events_for(&out, conn)
            .into_iter()
            .rev()
            .find_map(|m| match m {
                ServerMessage::Queue { entries, .. } => Some(entries),
                _ => None,
            })
            .unwrap()
    };
    assert!(
        queue_of(10)
            .iter()
            .any(|e| e.session == session && e.by_key)
    );
    assert!(queue_of(11).iter().all(|e| e.session != session));
    assert_eq!(
        code(h.send(11, Request::Accept { session })),
        ErrorCode::Forbidden
    );

    // Used up: the same key again is refused, as is an expired one.
    h.open(3, None);
    h.send(3, super::hello(None)).unwrap();
    assert_eq!(code(h.send(3, keyed)), ErrorCode::InvalidInput);
    let Ok(Reply::Key { key, .. }) = h.send(10, Request::CreateKey) else {
        panic!()
    };
    h.now += crate::KEY_LIFETIME_MS;
    let late = start_with_key("Cy", &key);
    assert_eq!(code(h.send(3, late)), ErrorCode::InvalidInput);
    assert_eq!(h.send(10, Request::Accept { session }), Ok(Reply::Done));
}

fn start_with_key(name: &str, key: &str) -> Request {
    match start(name) {
        Request::StartChat {
            name,
            problem,
            lang,
            recording,
            ..
        } => Request::StartChat {
            name,
            problem,
            lang,
            recording,
            key: Some(key.into()),
        },
        _ => unreachable!(),
    }
}

/// A small deterministic random source, so a failure can be replayed.
struct XorShift(u64);

impl XorShift {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

#[test]
fn positions_stay_exact_while_customers_join_leave_and_are_taken_at_random() {
    for seed in 1..=20u64 {
        let mut random = XorShift(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let mut h = Harness::new();
        h.rep(100, rep(7, "Bo"));
        h.rep(101, rep(8, "Cleo"));
        // The model: waiting sessions in order, each with its line (Some(7): Bo's key).
        let mut waiting: Vec<(protocol::SessionId, u64, Option<protocol::RepId>)> = Vec::new();
        let mut told = std::collections::HashMap::new();
        let mut next_conn = 1;
        for _ in 0..150 {
            h.now += 1_000;
            match random.below(4) {
                0 | 1 => {
                    let conn = next_conn;
                    next_conn += 1;
                    h.open(conn, None);
                    h.send(conn, super::hello(None)).unwrap();
                    let keyed = random.below(3) == 0;
                    let request = if keyed {
                        let Ok(Reply::Key { key, .. }) = h.send(100, Request::CreateKey) else {
                            panic!()
                        };
                        start_with_key("K", &key)
                    } else {
                        start("G")
                    };
                    let Ok(Reply::Queued {
                        session, position, ..
                    }) = h.send(conn, request)
                    else {
                        panic!()
                    };
                    told.insert(session, position);
                    waiting.push((session, conn, keyed.then_some(RepId(7))));
                }
                2 if !waiting.is_empty() => {
                    let (session, conn, _) = waiting.remove(random.below(waiting.len()));
                    h.send(conn, end(session)).unwrap();
                }
                3 if !waiting.is_empty() => {
                    let index = random.below(waiting.len());
                    let (session, _, line) = waiting[index];
                    let rep_conn = if line.is_some() || random.below(2) == 0 {
                        100
                    } else {
                        101
                    };
                    assert_eq!(
                        h.send(rep_conn, Request::Accept { session }),
                        Ok(Reply::Done)
                    );
                    waiting.remove(index);
                }
                _ => continue,
            }
            for output in h.drain() {
                if let ServerMessage::QueuePosition {
                    session, position, ..
                } = output.message
                {
                    let (_, conn, _) = waiting.iter().find(|w| w.0 == session).unwrap();
                    assert_eq!(output.to, [*conn], "only the customer hears their place");
                    told.insert(session, position);
                }
            }
            for (session, _, line) in &waiting {
                let expected = waiting
                    .iter()
                    .filter(|w| w.2 == *line)
                    .position(|w| w.0 == *session)
                    .unwrap() as u32
                    + 1;
                assert_eq!(told[session], expected, "seed {seed}, session {session}");
            }
        }
    }
}
