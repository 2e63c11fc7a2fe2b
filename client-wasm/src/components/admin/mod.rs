//! The admin page's parts: the settings form (texts and policies), the reps, the notices and
//! the survey results, plus the small pieces they share.

pub mod feedback;
pub mod notices;
pub mod reps;
pub mod settings_form;
pub mod surveys;

use protocol::Millis;

use crate::i18n::Lang;

/// Date and time in the browser's time zone, written the language's way.
pub fn local_time(at: Millis, lang: Lang) -> String {
    let date = js_sys::Date::new(&(at as f64).into());
    String::from(date.to_locale_string(lang.code(), &wasm_bindgen::JsValue::UNDEFINED))
}
