//! Fuzzes the decoding of a client's frame, as the server's connection task does it.
//!
//! Any text must decode or be refused with an error the server can send back; nothing may
//! panic. Beyond that it checks:
//!
//! - Round trip: a decoded frame, encoded again, decodes to the same value. This holds for the
//!   values, not the text: decoding drops whitespace, field order, escapes, `null` options and
//!   `false` flags, and fills in defaults (`lang`), so the encoding is compared only with itself
//!   (it must be stable). Filling in defaults can make a frame just under the size limit grow
//!   past it, so then only `FrameTooLarge` is allowed.
//! - Errors keep the request id whenever the text is JSON with a numeric `id`, so the client can
//!   match the error to its request; an unknown `type` is named as such, a known one never.
//! - The error reply the server makes of a refusal encodes and decodes to itself.
//! - A pushed link's address goes through `is_web_url`, as the server checks it.
//! - Names, problems, chat lines and file names, as the core cleans them, keep no control
//!   characters (but line breaks and tabs in free text) and nothing that reorders text;
//!   cleaning twice changes nothing; a file name has no folders and a bounded length.
//! - A chat line's most JSON bytes, by which history pages are cut, is never less than serde's
//!   encoding of it: a page cannot outgrow its limit.

#![no_main]

use libfuzzer_sys::fuzz_target;
use protocol::site::is_web_url;
use protocol::{
    ChatMessage, ClientFrame, DecodeError, ErrorCode, MAX_FILE_NAME_CHARS, MAX_FRAME_BYTES,
    MessageKind, Party, Request, ServerMessage, decode_client_frame,
};
use serde_json::Value;
use support_core::{clean_file_name, clean_name, clean_text, most_json_bytes};

fuzz_target!(|data: &[u8]| {
    // The WebSocket layer hands over only text frames, which are valid UTF-8.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match decode_client_frame(text) {
        Ok(frame) => {
            round_trip(&frame);
            if let Request::SendLink { url, .. } = &frame.request
                && is_web_url(url)
            {
                assert!(url.starts_with("https://") || url.starts_with("http://"));
                assert!(!url.chars().any(|c| c.is_whitespace() || c.is_control()));
            }
            check_cleaning(&frame.request);
        }
        Err(error) => check_error(text, &error),
    }
});

fn round_trip(frame: &ClientFrame) {
    let encoded = serde_json::to_string(frame).expect("every frame encodes");
    let again: ClientFrame = serde_json::from_str(&encoded).expect("an encoded frame decodes");
    assert_eq!(&again, frame, "round trip through {encoded}");
    let stable = serde_json::to_string(&again).expect("every frame encodes");
    assert_eq!(stable, encoded, "the encoding is stable");
    match decode_client_frame(&encoded) {
        Ok(decoded) => assert_eq!(&decoded, frame),
        Err(error) => {
            assert!(encoded.len() > MAX_FRAME_BYTES, "{error:?} for {encoded}");
            assert_eq!(error.code, ErrorCode::FrameTooLarge);
        }
    }
}

fn check_error(text: &str, error: &DecodeError) {
    if text.len() > MAX_FRAME_BYTES {
        assert_eq!(error.code, ErrorCode::FrameTooLarge);
        assert_eq!(error.id, None);
    } else {
        assert_ne!(error.code, ErrorCode::FrameTooLarge, "{text}");
        // What a lenient reader sees in the text, to hold the decoder's explanation against.
        let json = serde_json::from_str::<Value>(text).ok();
        let id = json
            .as_ref()
            .and_then(|v| v.get("id"))
            .and_then(Value::as_u64);
        assert_eq!(error.id, id, "the id of {text}");
        let kind = json
            .as_ref()
            .and_then(|v| v.get("request"))
            .and_then(|r| r.get("type"))
            .and_then(Value::as_str);
        let unknown = kind.is_some_and(|kind| !Request::TYPES.contains(&kind));
        let expected = if unknown {
            ErrorCode::UnknownType
        } else {
            ErrorCode::BadFrame
        };
        assert_eq!(error.code, expected, "{text}: {}", error.message);
    }
    assert!(!error.message.is_empty());
    // The reply the connection task sends for it.
    let reply = ServerMessage::err(error.id, error.code, error.message.clone());
    let encoded = serde_json::to_string(&reply).expect("every error encodes");
    let back: ServerMessage = serde_json::from_str(&encoded).expect("an error reply decodes");
    assert_eq!(back, reply);
}

/// What the core keeps of the people-typed texts in `request`.
fn check_cleaning(request: &Request) {
    let reorders = |c: char| matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
    let name_ok = |s: &str| !s.chars().any(|c| c.is_control() || reorders(c));
    let text_ok = |s: &str| {
        !s.chars()
            .any(|c| (c.is_control() && c != '\n' && c != '\t') || reorders(c))
    };
    match request {
        Request::StartChat { name, problem, .. } => {
            let (name, problem) = (clean_name(name), clean_text(problem));
            assert!(name_ok(&name), "{name:?}");
            assert!(text_ok(&problem), "{problem:?}");
            assert_eq!(clean_name(&name), name);
            assert_eq!(clean_text(&problem), problem);
        }
        Request::SendChat { session, text, .. } => {
            let text = clean_text(text);
            assert!(text_ok(&text), "{text:?}");
            let line = ChatMessage {
                session: *session,
                seq: u64::MAX,
                from: Party::Customer,
                name: clean_name(&text).into_owned(),
                text: text.into_owned(),
                at: i64::MIN,
                kind: MessageKind::Text,
                file: None,
            };
            let wire = serde_json::to_string(&line).expect("a chat line encodes");
            assert!(most_json_bytes(&line) >= wire.len(), "{wire}");
        }
        Request::OfferFile { name, .. } => {
            let name = clean_file_name(name);
            assert!(name_ok(&name), "{name:?}");
            assert!(!name.is_empty() && !name.contains(['/', '\\']));
            assert!(name.chars().count() <= MAX_FILE_NAME_CHARS);
        }
        _ => {}
    }
}
