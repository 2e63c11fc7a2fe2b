//! JSON in and out. In the browser through its own `JSON.parse` and `JSON.stringify`, with
//! serde-wasm-bindgen between the JS values and the protocol's types: no JSON parser or number
//! formatter is compiled into the wasm, which made the customer's download 9 KB smaller
//! (brotli). Natively, for the unit tests, through serde_json; `tests/wire.rs` checks in a
//! real browser that both read and write every pinned wire sample alike.

use serde::Serialize;
use serde::de::DeserializeOwned;

/// `text` read as a `T`; the error says why not, for the console.
#[cfg(target_arch = "wasm32")]
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    let value = js_sys::JSON::parse(text).map_err(|_| "not JSON".to_owned())?;
    serde_wasm_bindgen::from_value(value).map_err(|error| error.to_string())
}

/// `value` as JSON text: maps as objects, `None` as `null` as serde_json writes it.
#[cfg(target_arch = "wasm32")]
pub fn to_string<T: Serialize>(value: &T) -> Result<String, String> {
    let value = value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|error| error.to_string())?;
    js_sys::JSON::stringify(&value)
        .ok()
        .and_then(|text| text.as_string())
        .ok_or_else(|| "not JSON".to_owned())
}

#[cfg(not(target_arch = "wasm32"))]
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    serde_json::from_str(text).map_err(|error| error.to_string())
}

#[cfg(not(target_arch = "wasm32"))]
pub fn to_string<T: Serialize>(value: &T) -> Result<String, String> {
    serde_json::to_string(value).map_err(|error| error.to_string())
}
