//! Golden JSON: the wire format, pinned. A change here is a protocol change.

use expect_test::{Expect, expect};

use crate::*;

fn check<T: Serialize + for<'de> Deserialize<'de> + PartialEq + std::fmt::Debug>(
    value: T,
    expected: Expect,
) {
    let json = serde_json::to_string(&value).unwrap();
    expected.assert_eq(&json);
    let back: T = serde_json::from_str(&json).unwrap();
    assert_eq!(back, value, "round trip");
}

#[test]
fn requests() {
    check(
        ClientFrame {
            id: 1,
            request: Request::customer_hello(None),
        },
        expect![[r#"{"id":1,"request":{"type":"hello","version":1}}"#]],
    );
    check(
        ClientFrame {
            id: 1,
            request: Request::rep_hello(),
        },
        expect![[r#"{"id":1,"request":{"type":"hello","version":1,"rep":true}}"#]],
    );
    check(
        ClientFrame {
            id: 2,
            request: Request::customer_hello(Some("tok".into())),
        },
        expect![[r#"{"id":2,"request":{"type":"hello","version":1,"token":"tok"}}"#]],
    );
    check(
        ClientFrame {
            id: 3,
            request: Request::StartChat {
                name: "Ada".into(),
                problem: "Printer".into(),
            },
        },
        expect![[r#"{"id":3,"request":{"type":"start_chat","name":"Ada","problem":"Printer"}}"#]],
    );
    check(
        ClientFrame {
            id: 4,
            request: Request::Accept { session: 7 },
        },
        expect![[r#"{"id":4,"request":{"type":"accept","session":7}}"#]],
    );
    check(
        ClientFrame {
            id: 5,
            request: Request::SendChat {
                session: 7,
                text: "Hello".into(),
            },
        },
        expect![[r#"{"id":5,"request":{"type":"send_chat","session":7,"text":"Hello"}}"#]],
    );
    check(
        ClientFrame {
            id: 6,
            request: Request::History {
                session: 7,
                after_seq: 0,
            },
        },
        expect![[r#"{"id":6,"request":{"type":"history","session":7,"after_seq":0}}"#]],
    );
    check(
        ClientFrame {
            id: 7,
            request: Request::EndSession { session: 7 },
        },
        expect![[r#"{"id":7,"request":{"type":"end_session","session":7}}"#]],
    );
}

#[test]
fn replies() {
    check(
        ServerMessage::Ok {
            id: 1,
            reply: Reply::Welcome {
                version: 1,
                me: Identity::Rep {
                    rep: 2,
                    name: "Bo".into(),
                    admin: false,
                },
            },
        },
        expect![[
            r#"{"type":"ok","id":1,"reply":{"type":"welcome","version":1,"me":{"role":"rep","rep":2,"name":"Bo","admin":false}}}"#
        ]],
    );
    check(
        ServerMessage::Ok {
            id: 1,
            reply: Reply::Welcome {
                version: 1,
                me: Identity::Customer {
                    session: 7,
                    name: "Ada".into(),
                    state: SessionState::Waiting,
                },
            },
        },
        expect![[
            r#"{"type":"ok","id":1,"reply":{"type":"welcome","version":1,"me":{"role":"customer","session":7,"name":"Ada","state":"waiting"}}}"#
        ]],
    );
    check(
        ServerMessage::Ok {
            id: 3,
            reply: Reply::Queued {
                session: 7,
                token: "tok".into(),
                position: 1,
            },
        },
        expect![[
            r#"{"type":"ok","id":3,"reply":{"type":"queued","session":7,"token":"tok","position":1}}"#
        ]],
    );
    check(
        ServerMessage::Ok {
            id: 5,
            reply: Reply::Stored { seq: 1, at: 1000 },
        },
        expect![[r#"{"type":"ok","id":5,"reply":{"type":"stored","seq":1,"at":1000}}"#]],
    );
    check(
        ServerMessage::Ok {
            id: 4,
            reply: Reply::Done,
        },
        expect![[r#"{"type":"ok","id":4,"reply":{"type":"done"}}"#]],
    );
    check(
        ServerMessage::err(Some(4), ErrorCode::Forbidden, "reps only"),
        expect![[r#"{"type":"err","id":4,"code":"forbidden","message":"reps only"}"#]],
    );
    check(
        ServerMessage::err(None, ErrorCode::BadFrame, "malformed"),
        expect![[r#"{"type":"err","code":"bad_frame","message":"malformed"}"#]],
    );
}

#[test]
fn sign_in_api() {
    check(
        api::Credentials {
            login: "bo".into(),
            password: "secret".into(),
        },
        expect![[r#"{"login":"bo","password":"secret"}"#]],
    );
    check(
        api::RepProfile {
            rep: 2,
            name: "Bo".into(),
            admin: true,
        },
        expect![[r#"{"rep":2,"name":"Bo","admin":true}"#]],
    );
    check(
        api::ApiError {
            error: "wrong username or password".into(),
        },
        expect![[r#"{"error":"wrong username or password"}"#]],
    );
}

#[test]
fn events() {
    check(
        ServerMessage::QueuePosition {
            session: 7,
            position: 2,
        },
        expect![[r#"{"type":"queue_position","session":7,"position":2}"#]],
    );
    check(
        ServerMessage::Queue {
            entries: vec![QueueEntry {
                session: 7,
                name: "Ada".into(),
                problem: "Printer".into(),
                queued_at: 1000,
            }],
        },
        expect![[
            r#"{"type":"queue","entries":[{"session":7,"name":"Ada","problem":"Printer","queued_at":1000}]}"#
        ]],
    );
    check(
        ServerMessage::SessionStarted(SessionInfo {
            session: 7,
            customer_name: "Ada".into(),
            problem: "Printer".into(),
            rep: 2,
            rep_name: "Bo".into(),
        }),
        expect![[
            r#"{"type":"session_started","session":7,"customer_name":"Ada","problem":"Printer","rep":2,"rep_name":"Bo"}"#
        ]],
    );
    check(
        ServerMessage::RepSessions { sessions: vec![] },
        expect![[r#"{"type":"rep_sessions","sessions":[]}"#]],
    );
    check(
        ServerMessage::Chat(ChatMessage {
            session: 7,
            seq: 1,
            from: Party::Customer,
            name: "Ada".into(),
            text: "Hello".into(),
            at: 1000,
        }),
        expect![[
            r#"{"type":"chat","session":7,"seq":1,"from":"customer","name":"Ada","text":"Hello","at":1000}"#
        ]],
    );
    check(
        ServerMessage::SessionEnded {
            session: 7,
            by: Party::Rep,
        },
        expect![[r#"{"type":"session_ended","session":7,"by":"rep"}"#]],
    );
}
