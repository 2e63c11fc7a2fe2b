//! Decoding a client's frame, telling malformed frames from unknown requests.

use serde::Deserialize;

use crate::{ClientFrame, ErrorCode, MAX_FRAME_BYTES, Request};

/// Why a frame could not be decoded, with the request id when one could be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    pub id: Option<u64>,
    pub code: ErrorCode,
    pub message: String,
}

/// The part of a frame that is read to explain a failure.
#[derive(Deserialize)]
struct Probe {
    id: Option<u64>,
    request: Option<ProbeRequest>,
}

#[derive(Deserialize)]
struct ProbeRequest {
    #[serde(rename = "type")]
    kind: Option<String>,
}

/// Decodes one text frame from a client.
pub fn decode_client_frame(text: &str) -> Result<ClientFrame, DecodeError> {
    if text.len() > MAX_FRAME_BYTES {
        return Err(DecodeError {
            id: None,
            code: ErrorCode::FrameTooLarge,
            message: format!(
                "frame of {} bytes is larger than the limit of {MAX_FRAME_BYTES} bytes",
                text.len()
            ),
        });
    }
    serde_json::from_str(text).map_err(|error| explain(text, error))
}

fn explain(text: &str, error: serde_json::Error) -> DecodeError {
    let probe = serde_json::from_str::<Probe>(text).ok();
    let id = probe.as_ref().and_then(|p| p.id);
    let kind = probe.and_then(|p| p.request).and_then(|r| r.kind);
    match kind {
        Some(kind) if !Request::TYPES.contains(&kind.as_str()) => DecodeError {
            id,
            code: ErrorCode::UnknownType,
            message: format!("unknown request type `{kind}`"),
        },
        _ => DecodeError {
            id,
            code: ErrorCode::BadFrame,
            message: format!("malformed frame: {error}"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_a_request() {
        let frame = decode_client_frame(
            r#"{"id":4,"request":{"type":"send_chat","session":9,"text":"hi"}}"#,
        )
        .unwrap();
        assert_eq!(frame.id, 4);
        assert_eq!(
            frame.request,
            Request::SendChat {
                session: 9,
                text: "hi".into()
            }
        );
    }

    #[test]
    fn not_json_is_a_bad_frame_without_id() {
        let error = decode_client_frame("{nope").unwrap_err();
        assert_eq!((error.id, error.code), (None, ErrorCode::BadFrame));
        assert!(
            error.message.starts_with("malformed frame"),
            "{}",
            error.message
        );
    }

    #[test]
    fn an_unknown_type_is_named_and_keeps_the_id() {
        let error = decode_client_frame(r#"{"id":7,"request":{"type":"teleport"}}"#).unwrap_err();
        assert_eq!((error.id, error.code), (Some(7), ErrorCode::UnknownType));
        assert!(error.message.contains("teleport"), "{}", error.message);
    }

    #[test]
    fn a_wrong_field_type_is_a_bad_frame_naming_the_problem() {
        let error = decode_client_frame(r#"{"id":2,"request":{"type":"accept","session":"x"}}"#)
            .unwrap_err();
        assert_eq!((error.id, error.code), (Some(2), ErrorCode::BadFrame));
        assert!(error.message.contains("invalid type"), "{}", error.message);
    }

    #[test]
    fn unknown_fields_are_refused() {
        let error =
            decode_client_frame(r#"{"id":3,"request":{"type":"accept","session":1,"force":true}}"#)
                .unwrap_err();
        assert_eq!(error.code, ErrorCode::BadFrame);
        assert!(error.message.contains("force"), "{}", error.message);
    }

    #[test]
    fn an_oversized_frame_is_refused_before_parsing() {
        let text = format!(
            r#"{{"id":1,"request":{{"type":"send_chat","session":1,"text":"{}"}}}}"#,
            "a".repeat(MAX_FRAME_BYTES)
        );
        let error = decode_client_frame(&text).unwrap_err();
        assert_eq!(error.code, ErrorCode::FrameTooLarge);
    }

    #[test]
    fn every_listed_type_is_a_real_request() {
        for kind in Request::TYPES {
            let error =
                decode_client_frame(&format!(r#"{{"id":1,"request":{{"type":"{kind}"}}}}"#));
            // Missing fields, but never "unknown type".
            if let Err(error) = error {
                assert_ne!(error.code, ErrorCode::UnknownType, "{kind}");
            }
        }
    }
}
