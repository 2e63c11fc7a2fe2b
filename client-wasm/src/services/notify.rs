//! Telling a customer whose tab is in the background that something happened: a system
//! notification (when the browser allows it) and a flashing page title.
//!
//! Every call degrades quietly: without the Notification API, or with permission denied, the
//! title still flashes, and nothing throws.

use std::cell::RefCell;

use gloo::timers::callback::Interval;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{Document, Notification, NotificationOptions, NotificationPermission};

/// What the browser lets this page do with notifications.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// Not asked yet: asking (from a click) shows the browser's prompt.
    Default,
    Granted,
    Denied,
    /// The browser has no Notification API (or the page is not in a window).
    Unsupported,
}

fn supported() -> bool {
    // Reading `Notification.permission` where the API is missing would throw.
    web_sys::window().is_some_and(|window| {
        js_sys::Reflect::has(&window, &"Notification".into()).unwrap_or(false)
    })
}

/// The current notification permission.
pub fn permission() -> Permission {
    if !supported() {
        return Permission::Unsupported;
    }
    match Notification::permission() {
        NotificationPermission::Granted => Permission::Granted,
        NotificationPermission::Denied => Permission::Denied,
        _ => Permission::Default,
    }
}

/// Asks for permission if it was never asked. Must run inside a user gesture (a click), or
/// browsers ignore it. The answer needs no handling: [`alert`] reads it when it matters.
pub fn ask_permission() {
    if permission() != Permission::Default {
        return;
    }
    if let Ok(promise) = Notification::request_permission() {
        // Awaited only so a rejection is not reported as unhandled.
        wasm_bindgen_futures::spawn_local(async move {
            let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
        });
    }
}

fn document() -> Option<Document> {
    web_sys::window()?.document()
}

/// Whether the page is in a background tab or a minimised window.
pub fn page_hidden() -> bool {
    document().is_some_and(|document| document.hidden())
}

/// When the page is hidden: shows a system notification (if allowed) and flashes the title
/// with `flash` until the page is seen again. Does nothing while the page is visible.
pub fn alert(title: &str, body: &str, flash: &str) {
    if !page_hidden() {
        return;
    }
    show_notification(title, body);
    flash_title(flash);
}

fn show_notification(title: &str, body: &str) {
    if permission() != Permission::Granted {
        return;
    }
    let options = NotificationOptions::new();
    options.set_body(body);
    // One notification per page at a time: a newer one replaces the older.
    options.set_tag("support-chat");
    let Ok(notification) = Notification::new_with_options(title, &options) else {
        return;
    };
    let shown = notification.clone();
    let onclick = Closure::once_into_js(move || {
        if let Some(window) = web_sys::window() {
            let _ = window.focus();
        }
        shown.close();
    });
    notification.set_onclick(Some(onclick.unchecked_ref()));
}

/// The title flashing: one timer for the page's life, idle while nothing is to be flashed.
struct Flash {
    /// The page's own title, put back when the page is seen.
    original: String,
    /// The text that alternates with it; `None` while not flashing.
    alert: Option<String>,
    showing_alert: bool,
    _timer: Interval,
}

thread_local! {
    static FLASH: RefCell<Option<Flash>> = const { RefCell::new(None) };
}

/// Alternates the title between `alert` and the page's own until the page is visible again.
pub fn flash_title(alert: &str) {
    let Some(document) = document() else { return };
    FLASH.with(|flash| {
        let mut flash = flash.borrow_mut();
        match flash.as_mut() {
            Some(flash) => {
                if flash.alert.is_none() {
                    flash.original = document.title();
                }
                flash.alert = Some(alert.to_string());
            }
            None => {
                *flash = Some(Flash {
                    original: document.title(),
                    alert: Some(alert.to_string()),
                    showing_alert: false,
                    _timer: Interval::new(1000, tick),
                });
            }
        }
    });
    tick();
}

/// One step of the flashing; stops (and restores the title) once the page is visible.
fn tick() {
    let Some(document) = document() else { return };
    FLASH.with(|flash| {
        let mut flash = flash.borrow_mut();
        let Some(flash) = flash.as_mut() else { return };
        let Some(alert) = flash.alert.clone() else {
            return;
        };
        if !document.hidden() {
            flash.alert = None;
            flash.showing_alert = false;
            document.set_title(&flash.original);
            return;
        }
        flash.showing_alert = !flash.showing_alert;
        document.set_title(if flash.showing_alert {
            &alert
        } else {
            &flash.original
        });
    });
}
