//! The chat inside another site's page: `/chat?embed=1&host=ORIGIN`, framed by `/embed.js`.
//!
//! The page and the host page's loader talk by `postMessage`, always to the exact origin of the
//! other side. An incoming message counts only if it comes from the host page's window, from its
//! origin, and has exactly one of the shapes of [`FromHost`]; anything else is ignored.

use client_core::customer::FromHost;
use gloo::events::EventListener;
use protocol::site::is_origin;
use protocol::{MAX_NAME_CHARS, MAX_PROBLEM_CHARS};
use serde::Serialize;
use wasm_bindgen::JsCast;

/// What the chat tells the host page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type")]
pub enum ToHost {
    /// Listening; the loader sends what it held back.
    #[serde(rename = "support:ready")]
    Ready,
    /// The customer asked to close the panel (Escape).
    #[serde(rename = "support:close")]
    Close,
    /// Rep messages that arrived while the panel was closed.
    #[serde(rename = "support:unread")]
    Unread { count: u32 },
    /// The session is over.
    #[serde(rename = "support:ended")]
    Ended,
    /// The session went on in its own window.
    #[serde(rename = "support:moved")]
    Moved,
}

/// A message from the host page, as JSON, if it has one of the allowed shapes and sizes.
pub fn parse(json: &str) -> Option<FromHost> {
    // serde would also take the tag from the first item of an array.
    if !json.starts_with('{') {
        return None;
    }
    let message: FromHost = super::json::from_str(json).ok()?;
    match &message {
        FromHost::Prefill { name, problem }
            if name.chars().count() > MAX_NAME_CHARS
                || problem.chars().count() > MAX_PROBLEM_CHARS =>
        {
            None
        }
        _ => Some(message),
    }
}

/// The host page's origin named by a page address's query (`?embed=1&host=…`), if it names a
/// well-formed one.
pub fn host_in_query(query: &str) -> Option<String> {
    let mut embed = false;
    let mut host = None;
    for (name, value) in query
        .trim_start_matches('?')
        .split('&')
        .filter_map(|pair| pair.split_once('='))
    {
        match name {
            "embed" => embed = value == "1",
            "host" => host = percent_decoded(value),
            _ => {}
        }
    }
    host.filter(|host| embed && is_origin(host))
}

/// `value` with its `%XX` escapes decoded, if they are well-formed UTF-8.
fn percent_decoded(value: &str) -> Option<String> {
    let mut bytes = Vec::with_capacity(value.len());
    let mut rest = value.as_bytes();
    while let Some((&first, tail)) = rest.split_first() {
        if first == b'%' {
            let hex = std::str::from_utf8(tail.get(..2)?).ok()?;
            bytes.push(u8::from_str_radix(hex, 16).ok()?);
            rest = &tail[2..];
        } else {
            bytes.push(first);
            rest = tail;
        }
    }
    String::from_utf8(bytes).ok()
}

/// This page, framed by a host page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Embed {
    host: String,
}

impl Embed {
    /// This page's embedding, if it is framed by the host page its address names. Where the
    /// browser tells the framing page's origin (`location.ancestorOrigins`), it must agree.
    pub fn detect() -> Option<Embed> {
        let window = web_sys::window()?;
        let parent = window.parent().ok()??;
        if js_sys::Object::is(&parent, &window) {
            return None;
        }
        let location = window.location();
        let host = host_in_query(&location.search().ok()?)?;
        // Not in every browser, hence read by name.
        let ancestors = js_sys::Reflect::get(&location, &"ancestorOrigins".into())
            .ok()
            .and_then(|list| list.dyn_into::<web_sys::DomStringList>().ok());
        if let Some(first) = ancestors.and_then(|list| list.item(0))
            && first != host
        {
            return None;
        }
        Some(Embed { host })
    }

    /// Sends `message` to the host page, and to no other origin.
    pub fn tell(&self, message: &ToHost) {
        let Some(parent) = web_sys::window().and_then(|w| w.parent().ok().flatten()) else {
            return;
        };
        let Ok(json) = super::json::to_string(message) else {
            return;
        };
        if let Ok(value) = js_sys::JSON::parse(&json)
            && parent.post_message(&value, &self.host).is_err()
        {
            super::warn("could not tell the host page");
        }
    }

    /// Calls `heard` with each well-formed message from the host page.
    pub fn listen(&self, heard: impl Fn(FromHost) + 'static) -> Option<EventListener> {
        let window = web_sys::window()?;
        let host = self.host.clone();
        Some(EventListener::new(&window, "message", move |event| {
            let Some(event) = event.dyn_ref::<web_sys::MessageEvent>() else {
                return;
            };
            let parent = web_sys::window().and_then(|w| w.parent().ok().flatten());
            let from_parent = match (event.source(), parent) {
                (Some(source), Some(parent)) => js_sys::Object::is(&source, &parent),
                _ => false,
            };
            if event.origin() != host || !from_parent {
                return;
            }
            let json = js_sys::JSON::stringify(&event.data())
                .ok()
                .and_then(|json| json.as_string());
            if let Some(message) = json.as_deref().and_then(parse) {
                heard(message);
            }
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_exact_shapes_are_heard() {
        assert_eq!(parse(r#"{"type":"support:open"}"#), Some(FromHost::Open {}));
        assert_eq!(
            parse(r#"{"type":"support:close"}"#),
            Some(FromHost::Close {})
        );
        assert_eq!(
            parse(r#"{"type":"support:prefill","name":"Ada","problem":"Printer"}"#),
            Some(FromHost::Prefill {
                name: "Ada".into(),
                problem: "Printer".into()
            })
        );
        for bad in [
            r#"{"type":"support:open","extra":1}"#,
            r#"{"type":"support:prefill","name":42,"problem":"x"}"#,
            r#"{"type":"support:prefill","name":"Ada"}"#,
            r#"{"type":"support:unread","count":3}"#,
            r#"{"type":"open"}"#,
            r#""support:open""#,
            r#"["support:open"]"#,
            "null",
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
        let long = format!(
            r#"{{"type":"support:prefill","name":"{}","problem":"x"}}"#,
            "a".repeat(MAX_NAME_CHARS + 1)
        );
        assert_eq!(parse(&long), None);
    }

    #[test]
    fn what_the_chat_says_has_the_shapes_the_loader_checks() {
        let json = |m: &ToHost| serde_json::to_string(m).unwrap();
        assert_eq!(json(&ToHost::Ready), r#"{"type":"support:ready"}"#);
        assert_eq!(
            json(&ToHost::Unread { count: 2 }),
            r#"{"type":"support:unread","count":2}"#
        );
        assert_eq!(json(&ToHost::Moved), r#"{"type":"support:moved"}"#);
    }

    #[test]
    fn the_host_comes_from_the_query_only_when_embedded_and_well_formed() {
        assert_eq!(
            host_in_query("?embed=1&host=https%3A%2F%2Fhelp.example.com&lang=en").as_deref(),
            Some("https://help.example.com")
        );
        assert_eq!(host_in_query("?host=https%3A%2F%2Fhelp.example.com"), None);
        assert_eq!(
            host_in_query("?embed=1&host=https%3A%2F%2Fa.com%2Fpath"),
            None
        );
        assert_eq!(host_in_query("?embed=1"), None);
        assert_eq!(
            host_in_query("?embed=1&host=http%3A%2F%2F127.0.0.1%3A9"),
            Some("http://127.0.0.1:9".into())
        );
        assert_eq!(percent_decoded("%zz"), None);
        assert_eq!(percent_decoded("%C3%A4"), Some("ä".into()));
    }
}
