//! Decoding a client's frame, telling malformed frames from unknown requests.

use serde_json::Value;

use crate::{ClientFrame, ErrorCode, MAX_FRAME_BYTES, Request};

/// Why a frame could not be decoded, with the request id when one could be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    pub id: Option<u64>,
    pub code: ErrorCode,
    pub message: String,
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
    // Read as any JSON, so that the id is kept whatever else is wrong (`request` not an object,
    // `type` not a string, a field of the wrong type): the client matches the error to its
    // request by it.
    let json = serde_json::from_str::<Value>(text).ok();
    let id = json
        .as_ref()
        .and_then(|v| v.get("id"))
        .and_then(Value::as_u64);
    let kind = json
        .as_ref()
        .and_then(|v| v.get("request"))
        .and_then(|r| r.get("type"))
        .and_then(Value::as_str);
    match kind {
        Some(kind) if !Request::TYPES.contains(&kind) => DecodeError {
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
    use crate::SessionId;

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
                session: SessionId(9),
                text: "hi".into(),
                nonce: None,
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

    /// Found by the fuzz target `decode_frame`: a `request` or `type` of the wrong JSON type
    /// lost the id, so the client could not tell which request failed.
    #[test]
    fn a_wrongly_typed_request_keeps_the_id() {
        for text in [
            r#"{"id":7,"request":"hello"}"#,
            r#"{"id":7,"request":{"type":5}}"#,
            r#"{"id":7,"request":null}"#,
            r#"{"id":7,"id":8,"request":{"type":"create_key"}}"#,
        ] {
            let error = decode_client_frame(text).unwrap_err();
            assert_eq!(error.code, ErrorCode::BadFrame, "{text}");
            assert!(error.id.is_some(), "{text}");
        }
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
