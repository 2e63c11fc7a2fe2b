//! What a screen reader is to say when the page changes away from where the person is: one
//! polite live region, there from the start and never removed, whose words are replaced (a
//! region inserted already filled is not read, so the views cannot rely on their own); and
//! moving focus to where the person's next action is.

use gloo::timers::callback::Timeout;

const REGION_ID: &str = "announcer";

/// Puts the empty region in the page; called once at start, before anything is announced.
pub fn prepare() {
    let _ = region();
}

/// Says `text` politely (after what is being read).
pub fn announce(text: &str) {
    let Some(region) = region() else { return };
    // Emptied first and filled a moment later, so the same words said twice are a change too.
    region.set_text_content(None);
    let text = text.to_owned();
    Timeout::new(100, move || region.set_text_content(Some(&text))).forget();
}

/// Moves focus to the element with `id`, where the person's next action is; nothing if the page
/// does not show it.
pub fn focus(id: &str) {
    use wasm_bindgen::JsCast;
    // Every id the app gives is an HTML element's.
    let element = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .map(|e| e.unchecked_into::<web_sys::HtmlElement>());
    if let Some(element) = element {
        // The ring shows wherever the page moved focus, however the person got there: a
        // browser shows `:focus-visible` after a script's focus only if it showed it before.
        let _ = element.set_attribute("data-focus-moved", "");
        let _ = element.focus();
    }
}

fn region() -> Option<web_sys::Element> {
    let document = web_sys::window()?.document()?;
    if let Some(region) = document.get_element_by_id(REGION_ID) {
        return Some(region);
    }
    let region = document.create_element("div").ok()?;
    region.set_id(REGION_ID);
    region.set_class_name("visually-hidden");
    region.set_attribute("aria-live", "polite").ok()?;
    region.set_attribute("aria-atomic", "true").ok()?;
    document.body()?.append_child(&region).ok()?;
    Some(region)
}
