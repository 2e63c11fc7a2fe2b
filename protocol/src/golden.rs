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
            id: 2,
            request: Request::customer_hello_from(7, Some("tok".into())),
        },
        expect![[r#"{"id":2,"request":{"type":"hello","version":1,"token":"tok","page":7}}"#]],
    );
    check(
        ClientFrame {
            id: 3,
            request: Request::StartChat {
                name: "Ada".into(),
                problem: "Printer".into(),
                lang: Lang::De,
                recording: Some(false),
                key: Some("K7QX2M".into()),
            },
        },
        expect![[
            r#"{"id":3,"request":{"type":"start_chat","name":"Ada","problem":"Printer","lang":"de","recording":false,"key":"K7QX2M"}}"#
        ]],
    );
    check(
        ClientFrame {
            id: 4,
            request: Request::Accept {
                session: SessionId(7),
            },
        },
        expect![[r#"{"id":4,"request":{"type":"accept","session":7}}"#]],
    );
    check(
        ClientFrame {
            id: 5,
            request: Request::SendChat {
                session: SessionId(7),
                text: "Hello".into(),
                nonce: None,
            },
        },
        expect![[r#"{"id":5,"request":{"type":"send_chat","session":7,"text":"Hello"}}"#]],
    );
    check(
        ClientFrame {
            id: 5,
            request: Request::SendChat {
                session: SessionId(7),
                text: "Hello".into(),
                nonce: Some(9_007_199_254_740_991),
            },
        },
        expect![[
            r#"{"id":5,"request":{"type":"send_chat","session":7,"text":"Hello","nonce":9007199254740991}}"#
        ]],
    );
    check(
        ClientFrame {
            id: 6,
            request: Request::History {
                session: SessionId(7),
                after_seq: 0,
            },
        },
        expect![[r#"{"id":6,"request":{"type":"history","session":7,"after_seq":0}}"#]],
    );
    check(
        ClientFrame {
            id: 7,
            request: Request::EndSession {
                session: SessionId(7),
                after_notice: false,
            },
        },
        expect![[r#"{"id":7,"request":{"type":"end_session","session":7}}"#]],
    );
    check(
        ClientFrame {
            id: 8,
            request: Request::EndSession {
                session: SessionId(7),
                after_notice: true,
            },
        },
        expect![[r#"{"id":8,"request":{"type":"end_session","session":7,"after_notice":true}}"#]],
    );
    check(
        ClientFrame {
            id: 9,
            request: Request::Survey {
                session: SessionId(7),
                token: "tok".into(),
                rating: 5,
                resolved: true,
                comment: "Quick".into(),
            },
        },
        expect![[
            r#"{"id":9,"request":{"type":"survey","session":7,"token":"tok","rating":5,"resolved":true,"comment":"Quick"}}"#
        ]],
    );
    check(
        ClientFrame {
            id: 10,
            request: Request::CreateKey,
        },
        expect![[r#"{"id":10,"request":{"type":"create_key"}}"#]],
    );
    check(
        ClientFrame {
            id: 11,
            request: Request::SetPresence { available: false },
        },
        expect![[r#"{"id":11,"request":{"type":"set_presence","available":false}}"#]],
    );
    check(
        ClientFrame {
            id: 12,
            request: Request::SendNotice {
                session: SessionId(7),
                notice: NoticeId(3),
            },
        },
        expect![[r#"{"id":12,"request":{"type":"send_notice","session":7,"notice":3}}"#]],
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
                    rep: RepId(2),
                    name: "Bo".into(),
                    admin: false,
                },
            },
        },
        expect![[
            r#"{"ok":{"id":1,"reply":{"welcome":{"version":1,"me":{"rep":{"rep":2,"name":"Bo","admin":false}}}}}}"#
        ]],
    );
    check(
        ServerMessage::Ok {
            id: 1,
            reply: Reply::Welcome {
                version: 1,
                me: Identity::Customer {
                    session: SessionId(7),
                    name: "Ada".into(),
                    state: SessionState::Waiting,
                },
            },
        },
        expect![[
            r#"{"ok":{"id":1,"reply":{"welcome":{"version":1,"me":{"customer":{"session":7,"name":"Ada","state":"waiting"}}}}}}"#
        ]],
    );
    check(
        ServerMessage::Ok {
            id: 3,
            reply: Reply::Queued {
                session: SessionId(7),
                token: "tok".into(),
                position: 1,
                wait_secs: 180,
                recording: Some(Consent {
                    allowed: true,
                    at: 1000,
                }),
            },
        },
        expect![[
            r#"{"ok":{"id":3,"reply":{"queued":{"session":7,"token":"tok","position":1,"wait_secs":180,"recording":{"allowed":true,"at":1000}}}}}"#
        ]],
    );
    check(
        ServerMessage::Ok {
            id: 5,
            reply: Reply::Stored { seq: 1, at: 1000 },
        },
        expect![[r#"{"ok":{"id":5,"reply":{"stored":{"seq":1,"at":1000}}}}"#]],
    );
    check(
        ServerMessage::Ok {
            id: 6,
            reply: Reply::Key {
                key: "K7QX2M".into(),
                expires_at: 1000,
            },
        },
        expect![[r#"{"ok":{"id":6,"reply":{"key":{"key":"K7QX2M","expires_at":1000}}}}"#]],
    );
    check(
        ServerMessage::Ok {
            id: 4,
            reply: Reply::Done,
        },
        expect![[r#"{"ok":{"id":4,"reply":"done"}}"#]],
    );
    check(
        ServerMessage::err(Some(4), ErrorCode::Forbidden, "reps only"),
        expect![[r#"{"err":{"id":4,"code":"forbidden","message":"reps only"}}"#]],
    );
    check(
        ServerMessage::err(None, ErrorCode::BadFrame, "malformed"),
        expect![[r#"{"err":{"code":"bad_frame","message":"malformed"}}"#]],
    );
    check(
        ServerMessage::err(Some(5), ErrorCode::NoSuchNotice, ""),
        expect![[r#"{"err":{"id":5,"code":"no_such_notice","message":""}}"#]],
    );
    check(
        ServerMessage::err(Some(6), ErrorCode::NoSuchFile, ""),
        expect![[r#"{"err":{"id":6,"code":"no_such_file","message":""}}"#]],
    );
    check(
        ServerMessage::Err {
            id: Some(7),
            code: ErrorCode::InvalidInput,
            reason: Some(Reason::Invalid(site::Invalid {
                field: "name".into(),
                problem: site::Problem::TooLong { max: 80 },
            })),
            message: "the name is longer than 80 characters".into(),
        },
        expect![[
            r#"{"err":{"id":7,"code":"invalid_input","reason":{"invalid":{"field":"name","problem":{"too_long":{"max":80}}}},"message":"the name is longer than 80 characters"}}"#
        ]],
    );
    check(
        ServerMessage::Err {
            id: Some(8),
            code: ErrorCode::TooSoon,
            reason: Some(Reason::NudgedRecently(4)),
            message: String::new(),
        },
        expect![[
            r#"{"err":{"id":8,"code":"too_soon","reason":{"nudged_recently":4},"message":""}}"#
        ]],
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
            rep: RepId(2),
            name: "Bo".into(),
            admin: true,
            photo: None,
        },
        expect![[r#"{"rep":2,"name":"Bo","admin":true}"#]],
    );
    check(
        api::ApiError {
            error: "wrong username or password".into(),
            reason: None,
        },
        expect![[r#"{"error":"wrong username or password"}"#]],
    );
}

#[test]
fn admin_api() {
    check(
        api::ApiError {
            error: "orphan_url is not an http(s) address".into(),
            reason: Some(Reason::Invalid(site::Invalid {
                field: "orphan_url".into(),
                problem: site::Problem::NotAUrl,
            })),
        },
        expect![[
            r#"{"error":"orphan_url is not an http(s) address","reason":{"invalid":{"field":"orphan_url","problem":"not_a_url"}}}"#
        ]],
    );
    check(
        api::ApiError {
            error: "the texts and the active notices together would take up to 150 KiB".into(),
            reason: Some(Reason::SiteTooLarge(128)),
        },
        expect![[
            r#"{"error":"the texts and the active notices together would take up to 150 KiB","reason":{"site_too_large":128}}"#
        ]],
    );
    check(
        api::AdminView {
            settings: Settings::default(),
            reps: vec![api::RepRow {
                id: RepId(1),
                login: "admin".into(),
                name: "Administrator".into(),
                admin: true,
                disabled: false,
            }],
            notices: vec![notice()],
            surveys: vec![api::SurveyRow {
                session: SessionId(7),
                customer_name: "Ada".into(),
                rep_name: "Bo".into(),
                rating: 4,
                resolved: true,
                comment: "Thanks".into(),
                at: 1000,
            }],
        },
        expect![[
            r#"{"settings":{"texts":{"en":{"agreement":"By continuing you agree that a support technician may chat with you and, if you allow it, see your screen.","greeting":"Welcome! You are number {position} in the queue. Estimated wait: {wait}.","hold":"You are still in the queue: number {position}, about {wait} to go. Thank you for waiting.","orphan":"Sorry, no support technician is available right now. Please try again later."},"de":{"agreement":"Wenn Sie fortfahren, stimmen Sie zu, dass ein Support-Techniker mit Ihnen chattet und, wenn Sie es erlauben, Ihren Bildschirm sieht.","greeting":"Willkommen! Sie sind Nummer {position} in der Warteschlange. Geschätzte Wartezeit: {wait}.","hold":"Sie sind weiterhin in der Warteschlange: Nummer {position}, noch etwa {wait}. Danke für Ihre Geduld.","orphan":"Leider ist gerade kein Support-Techniker erreichbar. Bitte versuchen Sie es später noch einmal."}},"recording_prompt":true,"record_screens":false,"recording_retention_days":90,"hold_interval_secs":60,"longest_wait_secs":900,"orphan_url":"","keep_orphaned_queued":true,"survey":true,"watermark":true,"relay_only":false,"file_limit_mb":25,"default_wait_secs":180,"embed_origins":[]},"reps":[{"id":1,"login":"admin","name":"Administrator","admin":true,"disabled":false}],"notices":[{"id":3,"text":{"en":"Mail is down","de":"E-Mail gestört"},"active":true,"automatic":false}],"surveys":[{"session":7,"customer_name":"Ada","rep_name":"Bo","rating":4,"resolved":true,"comment":"Thanks","at":1000}]}"#
        ]],
    );
    check(
        api::NewRep {
            login: "bo".into(),
            name: "Bo".into(),
            password: "long enough".into(),
            admin: false,
        },
        expect![[r#"{"login":"bo","name":"Bo","password":"long enough","admin":false}"#]],
    );
    check(
        api::RepChange {
            admin: true,
            disabled: false,
        },
        expect![[r#"{"admin":true,"disabled":false}"#]],
    );
    check(
        site::Problem::OutOfRange { min: 10, max: 20 },
        expect![[r#"{"out_of_range":{"min":10,"max":20}}"#]],
    );
}

fn notice() -> Notice {
    Notice {
        id: NoticeId(3),
        draft: site::NoticeDraft {
            text: site::Localized {
                en: "Mail is down".into(),
                de: "E-Mail gestört".into(),
            },
            active: true,
            automatic: false,
        },
    }
}

#[test]
fn events() {
    check(
        ServerMessage::QueuePosition {
            session: SessionId(7),
            position: 2,
            wait_secs: 360,
        },
        expect![[r#"{"queue_position":{"session":7,"position":2,"wait_secs":360}}"#]],
    );
    check(
        ServerMessage::Queue {
            entries: vec![QueueEntry {
                session: SessionId(7),
                name: "Ada".into(),
                problem: "Printer".into(),
                queued_at: 1000,
                lang: Lang::En,
                by_key: true,
            }],
            waiting: 240,
        },
        expect![[
            r#"{"queue":{"entries":[{"session":7,"name":"Ada","problem":"Printer","queued_at":1000,"lang":"en","by_key":true}],"waiting":240}}"#
        ]],
    );
    check(
        ServerMessage::SessionStarted(SessionInfo {
            session: SessionId(7),
            customer_name: "Ada".into(),
            problem: "Printer".into(),
            rep: RepId(2),
            rep_name: "Bo".into(),
            rep_photo: None,
            handover: None,
        }),
        expect![[
            r#"{"session_started":{"session":7,"customer_name":"Ada","problem":"Printer","rep":2,"rep_name":"Bo"}}"#
        ]],
    );
    check(
        ServerMessage::SessionChanged(SessionInfo {
            session: SessionId(7),
            customer_name: "Ada".into(),
            problem: "Printer".into(),
            rep: RepId(3),
            rep_name: "Cy".into(),
            rep_photo: None,
            handover: None,
        }),
        expect![[
            r#"{"session_changed":{"session":7,"customer_name":"Ada","problem":"Printer","rep":3,"rep_name":"Cy"}}"#
        ]],
    );
    check(
        ServerMessage::RepSessions {
            sessions: vec![],
            more: true,
        },
        expect![[r#"{"rep_sessions":{"sessions":[],"more":true}}"#]],
    );
    check(
        ServerMessage::Chat(ChatMessage {
            session: SessionId(7),
            seq: 1,
            from: Party::Customer,
            name: "Ada".into(),
            text: "Hello".into(),
            at: 1000,
            kind: MessageKind::Text,
            file: None,
        }),
        expect![[
            r#"{"chat":{"session":7,"seq":1,"from":"customer","name":"Ada","text":"Hello","at":1000}}"#
        ]],
    );
    check(
        ServerMessage::SessionEnded {
            session: SessionId(7),
            by: Some(Party::Rep),
            reason: EndReason::Ended,
            survey: true,
        },
        expect![[r#"{"session_ended":{"session":7,"by":"rep","reason":"ended","survey":true}}"#]],
    );
    check(
        ServerMessage::SessionEnded {
            session: SessionId(7),
            by: None,
            reason: EndReason::Orphaned,
            survey: false,
        },
        expect![[r#"{"session_ended":{"session":7,"reason":"orphaned"}}"#]],
    );
    check(
        ServerMessage::Hold {
            session: SessionId(7),
            position: 2,
            wait_secs: 360,
            at: 1000,
        },
        expect![[r#"{"hold":{"session":7,"position":2,"wait_secs":360,"at":1000}}"#]],
    );
    check(
        ServerMessage::Notice {
            session: SessionId(7),
            notice: notice(),
        },
        expect![[
            r#"{"notice":{"session":7,"notice":{"id":3,"text":{"en":"Mail is down","de":"E-Mail gestört"},"active":true,"automatic":false}}}"#
        ]],
    );
    check(
        ServerMessage::Orphaned {
            session: SessionId(7),
            queued: true,
        },
        expect![[r#"{"orphaned":{"session":7,"queued":true}}"#]],
    );
    check(
        ServerMessage::PeerLink {
            session: SessionId(7),
            party: Party::Rep,
            online: false,
        },
        expect![[r#"{"peer_link":{"session":7,"party":"rep","online":false}}"#]],
    );
    check(
        ServerMessage::SessionEnded {
            session: SessionId(7),
            by: Some(Party::Customer),
            reason: EndReason::Lost,
            survey: false,
        },
        expect![[r#"{"session_ended":{"session":7,"by":"customer","reason":"lost"}}"#]],
    );
    let settings = Settings {
        texts: site::Localized::default(),
        ..Settings::default()
    };
    check(
        ServerMessage::Site {
            settings: Box::new(settings),
            notices: vec![],
        },
        expect![[
            r#"{"site":{"settings":{"texts":{"en":{"agreement":"","greeting":"","hold":"","orphan":""},"de":{"agreement":"","greeting":"","hold":"","orphan":""}},"recording_prompt":true,"record_screens":false,"recording_retention_days":90,"hold_interval_secs":60,"longest_wait_secs":900,"orphan_url":"","keep_orphaned_queued":true,"survey":true,"watermark":true,"relay_only":false,"file_limit_mb":25,"default_wait_secs":180,"embed_origins":[]},"notices":[]}}"#
        ]],
    );
}

#[test]
fn live_session() {
    let frames = [
        Request::Received {
            session: SessionId(7),
            seq: 3,
        },
        Request::Nudge {
            session: SessionId(7),
        },
        Request::SendLink {
            session: SessionId(7),
            url: "https://example.com/help".into(),
        },
        Request::Transfer {
            session: SessionId(7),
            to: RepId(3),
            note: "Printer driver".into(),
        },
        Request::OfferFile {
            session: SessionId(7),
            name: "log.txt".into(),
            size: 2048,
        },
        Request::AnswerFile {
            session: SessionId(7),
            file: FileId(4),
            accept: true,
        },
    ];
    let expected = [
        expect![[r#"{"id":1,"request":{"type":"received","session":7,"seq":3}}"#]],
        expect![[r#"{"id":1,"request":{"type":"nudge","session":7}}"#]],
        expect![[
            r#"{"id":1,"request":{"type":"send_link","session":7,"url":"https://example.com/help"}}"#
        ]],
        expect![[
            r#"{"id":1,"request":{"type":"transfer","session":7,"to":3,"note":"Printer driver"}}"#
        ]],
        expect![[
            r#"{"id":1,"request":{"type":"offer_file","session":7,"name":"log.txt","size":2048}}"#
        ]],
        expect![[
            r#"{"id":1,"request":{"type":"answer_file","session":7,"file":4,"accept":true}}"#
        ]],
    ];
    for (request, expected) in frames.into_iter().zip(expected) {
        check(ClientFrame { id: 1, request }, expected);
    }
    check(
        ServerMessage::Chat(ChatMessage {
            session: SessionId(7),
            seq: 4,
            from: Party::Customer,
            name: "Ada".into(),
            text: "log.txt".into(),
            at: 1000,
            kind: MessageKind::File,
            file: Some(StoredFile {
                file: FileId(4),
                size: 2048,
                sha256: "ab".into(),
            }),
        }),
        expect![[
            r#"{"chat":{"session":7,"seq":4,"from":"customer","name":"Ada","text":"log.txt","at":1000,"kind":"file","file":{"file":4,"size":2048,"sha256":"ab"}}}"#
        ]],
    );
    check(
        ServerMessage::Received {
            session: SessionId(7),
            by: Party::Rep,
            seq: 4,
        },
        expect![[r#"{"received":{"session":7,"by":"rep","seq":4}}"#]],
    );
    check(
        ServerMessage::Reps {
            reps: vec![RepOnline {
                rep: RepId(3),
                name: "Cy".into(),
                available: true,
            }],
        },
        expect![[r#"{"reps":{"reps":[{"rep":3,"name":"Cy","available":true}]}}"#]],
    );
    check(
        ServerMessage::TransferredAway {
            session: SessionId(7),
            to_name: "Cy".into(),
        },
        expect![[r#"{"transferred_away":{"session":7,"to_name":"Cy"}}"#]],
    );
    check(
        ServerMessage::File(FileEvent {
            session: SessionId(7),
            file: FileId(4),
            name: "log.txt".into(),
            size: 2048,
            state: FileState::Uploading { received: 1024 },
        }),
        expect![[
            r#"{"file":{"session":7,"file":4,"name":"log.txt","size":2048,"state":{"uploading":{"received":1024}}}}"#
        ]],
    );
    check(
        ServerMessage::File(FileEvent {
            session: SessionId(7),
            file: FileId(4),
            name: "log.txt".into(),
            size: 2048,
            state: FileState::Failed {
                reason: Some(Reason::UploadBrokeOff),
            },
        }),
        expect![[
            r#"{"file":{"session":7,"file":4,"name":"log.txt","size":2048,"state":{"failed":{"reason":"upload_broke_off"}}}}"#
        ]],
    );
    check(
        ServerMessage::SessionStarted(SessionInfo {
            session: SessionId(7),
            customer_name: "Ada".into(),
            problem: "Printer".into(),
            rep: RepId(3),
            rep_name: "Cy".into(),
            rep_photo: Some(api::rep_photo_url(RepId(3), 99)),
            handover: Some(Handover {
                from_name: "Bo".into(),
                note: "Driver".into(),
            }),
        }),
        expect![[
            r#"{"session_started":{"session":7,"customer_name":"Ada","problem":"Printer","rep":3,"rep_name":"Cy","rep_photo":"/api/reps/3/photo?v=99","handover":{"from_name":"Bo","note":"Driver"}}}"#
        ]],
    );
    check(
        ServerMessage::Ok {
            id: 5,
            reply: Reply::FileOffered { file: FileId(4) },
        },
        expect![[r#"{"ok":{"id":5,"reply":{"file_offered":{"file":4}}}}"#]],
    );
}

#[test]
fn screen_sharing() {
    let frames = [
        Request::RequestShare {
            session: SessionId(7),
            mode: ShareMode::CustomerChooses,
        },
        Request::AnswerShare {
            session: SessionId(7),
            answer: ShareAnswer::Accept,
        },
        Request::AnswerShare {
            session: SessionId(7),
            answer: ShareAnswer::CouldNotCapture(CaptureFailure::Blocked),
        },
        Request::Signal {
            session: SessionId(7),
            signal: Signal::Candidate {
                candidate: "candidate:1 1 udp 1 127.0.0.1 5000 typ host".into(),
                sdp_mid: Some("0".into()),
                sdp_m_line_index: Some(0),
            },
        },
        Request::StopShare {
            session: SessionId(7),
        },
        Request::IceServers,
    ];
    let expected = [
        expect![[
            r#"{"id":1,"request":{"type":"request_share","session":7,"mode":"customer_chooses"}}"#
        ]],
        expect![[r#"{"id":1,"request":{"type":"answer_share","session":7,"answer":"accept"}}"#]],
        expect![[
            r#"{"id":1,"request":{"type":"answer_share","session":7,"answer":{"could_not_capture":"blocked"}}}"#
        ]],
        expect![[
            r#"{"id":1,"request":{"type":"signal","session":7,"signal":{"candidate":{"candidate":"candidate:1 1 udp 1 127.0.0.1 5000 typ host","sdp_mid":"0","sdp_m_line_index":0}}}}"#
        ]],
        expect![[r#"{"id":1,"request":{"type":"stop_share","session":7}}"#]],
        expect![[r#"{"id":1,"request":{"type":"ice_servers"}}"#]],
    ];
    for (request, expected) in frames.into_iter().zip(expected) {
        check(ClientFrame { id: 1, request }, expected);
    }
    check(
        ServerMessage::Share {
            session: SessionId(7),
            state: ShareState::Requested {
                mode: ShareMode::Unrestricted,
                rep_name: "Bo".into(),
            },
        },
        expect![[
            r#"{"share":{"session":7,"state":{"requested":{"mode":"unrestricted","rep_name":"Bo"}}}}"#
        ]],
    );
    check(
        ServerMessage::Share {
            session: SessionId(7),
            state: ShareState::Stopped {
                by: Some(Party::Customer),
            },
        },
        expect![[r#"{"share":{"session":7,"state":{"stopped":{"by":"customer"}}}}"#]],
    );
    check(
        ServerMessage::Share {
            session: SessionId(7),
            state: ShareState::CouldNotStart {
                failure: CaptureFailure::NothingToShare,
            },
        },
        expect![[
            r#"{"share":{"session":7,"state":{"could_not_start":{"failure":"nothing_to_share"}}}}"#
        ]],
    );
    check(
        ServerMessage::Signal {
            session: SessionId(7),
            from: Party::Customer,
            signal: Signal::Offer { sdp: "v=0".into() },
        },
        expect![[r#"{"signal":{"session":7,"from":"customer","signal":{"offer":{"sdp":"v=0"}}}}"#]],
    );
    check(
        ServerMessage::Ok {
            id: 3,
            reply: Reply::IceServers {
                servers: vec![IceServer {
                    urls: vec!["turn:127.0.0.1:3478?transport=udp".into()],
                    username: Some("1700000000:s7".into()),
                    credential: Some("c2VjcmV0".into()),
                }],
            },
        },
        expect![[
            r#"{"ok":{"id":3,"reply":{"ice_servers":{"servers":[{"urls":["turn:127.0.0.1:3478?transport=udp"],"username":"1700000000:s7","credential":"c2VjcmV0"}]}}}}"#
        ]],
    );
}
