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

#![no_main]

use libfuzzer_sys::fuzz_target;
use protocol::site::is_web_url;
use protocol::{
    ClientFrame, DecodeError, ErrorCode, MAX_FRAME_BYTES, Request, ServerMessage,
    decode_client_frame,
};
use serde_json::Value;

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
