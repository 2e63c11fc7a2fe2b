//! The page reads and writes JSON through the browser (`services/json.rs`), the server through
//! serde_json: every wire sample pinned in the protocol's golden tests must read alike on both
//! sides, and every request the page writes must be the JSON serde_json writes. Runs in
//! headless Chromium (`wasm-bindgen-test`); native `cargo test` skips this file.
#![cfg(target_arch = "wasm32")]

use client_wasm::services::json;
use protocol::{ClientFrame, ServerMessage};
use serde_json::Value;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// The raw strings of `protocol/src/golden.rs`: the pinned JSON of every message.
fn golden_samples() -> Vec<&'static str> {
    let source = include_str!("../../protocol/src/golden.rs");
    source
        .split("r#\"")
        .skip(1)
        .filter_map(|rest| rest.split_once("\"#").map(|(sample, _)| sample.trim()))
        .collect()
}

#[wasm_bindgen_test]
fn every_server_message_reads_as_serde_json_reads_it() {
    let mut read = 0;
    for sample in golden_samples() {
        let Ok(expected) = serde_json::from_str::<ServerMessage>(sample) else {
            continue;
        };
        let message: ServerMessage =
            json::from_str(sample).unwrap_or_else(|e| panic!("{e}: {sample}"));
        assert_eq!(message, expected, "{sample}");
        read += 1;
    }
    // The golden tests pin far more than this; fewer means the samples were not found.
    assert!(read >= 30, "only {read} server messages among the samples");
}

#[wasm_bindgen_test]
fn every_request_is_written_as_serde_json_writes_it() {
    let mut written = 0;
    for sample in golden_samples() {
        let Ok(frame) = serde_json::from_str::<ClientFrame>(sample) else {
            continue;
        };
        let text = json::to_string(&frame).unwrap_or_else(|e| panic!("{e}: {sample}"));
        let ours: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(ours, serde_json::to_value(&frame).unwrap(), "{sample}");
        // And it reads back as it was.
        assert_eq!(
            json::from_str::<ClientFrame>(&text).unwrap(),
            frame,
            "{sample}"
        );
        written += 1;
    }
    assert!(written >= 20, "only {written} requests among the samples");
}

#[wasm_bindgen_test]
fn what_is_not_a_message_is_an_error_not_a_panic() {
    for text in [
        "",
        "{",
        "[1,2]",
        "null",
        r#"{"chat":5}"#,
        r#"{"teleport":{}}"#,
    ] {
        assert!(json::from_str::<ServerMessage>(text).is_err(), "{text}");
    }
    // A number the protocol cannot hold is refused rather than rounded.
    assert!(
        json::from_str::<ServerMessage>(r#"{"received":{"session":1.5,"by":"rep","seq":1}}"#)
            .is_err()
    );
}
