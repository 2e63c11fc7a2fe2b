//! Fuzzes the JSON bodies of the HTTP API (sign-in, profile, admin) as the server reads them
//! (axum's `Json`, which is `serde_json::from_slice`), and the rules run on what an admin saves.
//!
//! Every input is tried as each body. Nothing may panic; a body that decodes must encode and
//! decode to the same value (these types have no floats, untagged enums or flattening, so the
//! round trip holds for the values); `Settings::check` and `NoticeDraft::check` must not panic,
//! must accept only what their rules allow, and a refusal must make an `ApiError` that round
//! trips.

#![no_main]

use libfuzzer_sys::fuzz_target;
use protocol::Settings;
use protocol::api::{ApiError, Credentials, NewRep, ProfileChange, RepChange};
use protocol::site::{
    Invalid, Lang, MAX_FILE_LIMIT_MB, MAX_SECS, MAX_TEXT_CHARS, MAX_URL_CHARS, NoticeDraft,
    is_web_url,
};
use serde::Serialize;
use serde::de::DeserializeOwned;

fuzz_target!(|data: &[u8]| {
    if let Some(settings) = round_trip::<Settings>(data) {
        match settings.check() {
            Ok(()) => assert_saveable(&settings),
            Err(invalid) => refusal(invalid),
        }
    }
    if let Some(draft) = round_trip::<NoticeDraft>(data) {
        match draft.check() {
            Ok(()) => Lang::ALL
                .into_iter()
                .for_each(|lang| assert_text(draft.text.get(lang))),
            Err(invalid) => refusal(invalid),
        }
    }
    round_trip::<Credentials>(data);
    round_trip::<NewRep>(data);
    round_trip::<RepChange>(data);
    round_trip::<ProfileChange>(data);
});

/// Decodes `data` as a `T`; if it is one, checks that it survives encoding and decoding.
fn round_trip<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(
    data: &[u8],
) -> Option<T> {
    let value: T = serde_json::from_slice(data).ok()?;
    let encoded = serde_json::to_string(&value).expect("every body encodes");
    let again: T = serde_json::from_str(&encoded).expect("an encoded body decodes");
    assert_eq!(again, value, "round trip through {encoded}");
    assert_eq!(serde_json::to_string(&again).unwrap(), encoded, "stable");
    Some(value)
}

/// What `Settings::check` promises when it accepts, restated.
fn assert_saveable(settings: &Settings) {
    for lang in Lang::ALL {
        let texts = settings.texts.get(lang);
        for text in [
            &texts.agreement,
            &texts.greeting,
            &texts.hold,
            &texts.orphan,
        ] {
            assert_text(text);
        }
    }
    let s = settings;
    assert!(s.hold_interval_secs == 0 || (10..=MAX_SECS).contains(&s.hold_interval_secs));
    assert!(s.longest_wait_secs <= MAX_SECS);
    assert!((1..=MAX_SECS).contains(&s.default_wait_secs));
    assert!((1..=MAX_FILE_LIMIT_MB).contains(&s.file_limit_mb));
    assert!(s.orphan_url.chars().count() <= MAX_URL_CHARS);
    if !s.orphan_url.is_empty() {
        assert!(is_web_url(&s.orphan_url), "{}", s.orphan_url);
        assert!(s.orphan_url.starts_with("http://") || s.orphan_url.starts_with("https://"));
        assert!(!s.orphan_url.chars().any(char::is_whitespace));
    }
}

fn assert_text(text: &str) {
    assert!(!text.trim().is_empty());
    assert!(text.chars().count() <= MAX_TEXT_CHARS);
}

/// The body the server answers a refused change with.
fn refusal(invalid: Invalid) {
    let error = ApiError {
        error: invalid.to_string(),
        reason: Some(protocol::Reason::Invalid(invalid)),
    };
    assert!(!error.error.is_empty());
    let encoded = serde_json::to_string(&error).expect("every error encodes");
    let back: ApiError = serde_json::from_str(&encoded).expect("an error decodes");
    assert_eq!(back, error);
}
