//! One component per route, each with a document title of its own (what a screen reader says
//! first, and what a tab or the history shows).

#[cfg(feature = "console")]
pub mod admin;
pub mod chat;
#[cfg(feature = "console")]
pub mod not_found;
#[cfg(feature = "console")]
pub mod rep;
#[cfg(feature = "console")]
pub mod reports;

use yew::prelude::*;

/// Titles the document `title` while the page is shown.
#[hook]
fn use_title(title: &'static str) {
    use_effect_with(title, |title| {
        if let Some(document) = web_sys::window().and_then(|w| w.document()) {
            document.set_title(title);
        }
    });
}
