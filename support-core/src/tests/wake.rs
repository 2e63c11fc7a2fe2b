//! The driver's deadline: the core asks to be woken exactly when its next timed work is due,
//! and does nothing before.

use protocol::{ErrorCode, Reply, Request, ServerMessage, Settings};

use super::resume::served;
use super::*;
use crate::wake::IDLE_WAKE_MS;
use crate::{AdminAction, DEFAULT_RESUME_WINDOW_MS, EMBEDDED_LEAVE_GRACE_MS, LEAVE_GRACE_MS};

fn ended(out: &[Outgoing]) -> bool {
    out.iter()
        .any(|o| matches!(o.message, ServerMessage::SessionEnded { .. }))
}

#[test]
fn with_nothing_timed_the_core_sleeps_until_its_sweep() {
    let (mut h, _) = served();
    assert_eq!(h.timeout(), h.now + IDLE_WAKE_MS);
}

#[test]
fn the_next_hold_message_is_the_deadline_and_nothing_is_sent_before_it() {
    let mut h = Harness::new();
    let settings = Settings {
        hold_interval_secs: 60,
        ..Settings::default()
    };
    h.admin(AdminAction::SaveSettings(Box::new(settings)));
    h.rep(10, rep(7, "Bo"));
    let joined = h.now;
    h.customer(1, "Ada");
    h.drain();
    assert_eq!(h.timeout(), joined + 60_000);

    h.now = joined + 59_999;
    h.tick();
    assert!(h.drain().is_empty());
    h.now = joined + 60_000;
    h.tick();
    let out = h.drain();
    assert!(
        events_for(&out, 1)
            .iter()
            .any(|m| matches!(m, ServerMessage::Hold { .. }))
    );
    assert_eq!(h.timeout(), joined + 120_000);
}

#[test]
fn the_core_decides_the_leaving_beacons_grace_and_wakes_when_it_ends() {
    for (embedded, grace) in [(false, LEAVE_GRACE_MS), (true, EMBEDDED_LEAVE_GRACE_MS)] {
        let (mut h, _) = served();
        h.leave("token-2", embedded, None);
        h.close(1);
        h.drain();
        let deadline = h.now + grace;
        assert_eq!(h.timeout(), deadline);
        h.now = deadline - 1;
        h.tick();
        assert!(!ended(&h.drain()));
        h.now = deadline;
        h.tick();
        assert!(ended(&h.drain()), "ends at the deadline");
    }
}

#[test]
fn a_dropped_side_ends_the_session_when_its_resume_window_ends() {
    let (mut h, _) = served();
    h.close(10);
    h.drain();
    let deadline = h.now + DEFAULT_RESUME_WINDOW_MS;
    assert!(h.timeout() <= deadline);
    h.run_until(deadline - 1);
    assert!(!ended(&h.drain()));
    h.run_until(deadline);
    assert!(ended(&h.drain()), "ends at the deadline");
}

#[test]
fn moving_customers_wakes_the_core_in_the_same_batch() {
    let mut h = Harness::new();
    h.rep(10, rep(7, "Bo"));
    let ada = h.customer(1, "Ada");
    h.customer(2, "Bea");
    h.drain();
    // One input, then the driver's wake as the hub runs it after the batch.
    let frame = protocol::ClientFrame {
        id: 1,
        request: Request::Accept { session: ada },
    };
    h.driver
        .handle_input(h.now, Input::Frame { conn: 10, frame });
    assert_eq!(h.timeout(), i64::MIN, "due at once");
    h.tick();
    assert_eq!(positions_for(&h.drain(), 2), [1]);
}

#[test]
fn a_survey_is_refused_an_hour_after_the_end_even_before_the_sweep() {
    let mut h = Harness::new();
    h.rep(10, rep(7, "Bo"));
    h.open(1, None);
    h.send(1, hello(None)).unwrap();
    let Ok(Reply::Queued { session, token, .. }) = h.send(1, start("Ada")) else {
        panic!()
    };
    h.send(10, Request::Accept { session }).unwrap();
    h.send(10, end(session)).unwrap();
    h.now += crate::SURVEY_WINDOW_MS;
    let survey = Request::Survey {
        session,
        token,
        rating: 5,
        resolved: true,
        comment: String::new(),
    };
    let frame = protocol::ClientFrame {
        id: 1,
        request: survey,
    };
    // No wake in between: the request alone must be refused.
    h.driver
        .handle_input(h.now, Input::Frame { conn: 1, frame });
    h.timeout();
    let refused = h.sent.iter().any(|o| {
        matches!(
            o.message,
            ServerMessage::Err {
                code: ErrorCode::NoSuchSession,
                ..
            }
        )
    });
    assert!(refused, "{:?}", h.sent);
}
