//! Pieces the admin sections share: what the last action did ("Saving…"/"Saved" in a polite
//! status region, an error in an alert), a labelled checkbox, and reading typed values.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::components::alert::error_alert;
use crate::i18n::use_console_texts;
use client_core::admin::{AdminError, FormError, Outcome};

#[derive(Properties, PartialEq)]
pub struct FeedbackProps {
    /// A request of this section is on its way.
    pub busy: bool,
    pub outcome: Option<Outcome>,
    /// How this section's notice fields are named ("Notice", "Notice 2").
    #[prop_or_default]
    pub notice: Option<AttrValue>,
}

#[function_component]
pub fn Feedback(props: &FeedbackProps) -> Html {
    let t = use_console_texts();
    let status = match (&props.outcome, props.busy) {
        (_, true) => t.saving,
        (Some(Outcome::Saved), false) => t.saved,
        _ => "",
    };
    let error = match &props.outcome {
        Some(Outcome::Failed(error)) => {
            let notice = props.notice.as_deref().unwrap_or(t.notice_label);
            Some(AttrValue::from(t.admin_error(error, notice)))
        }
        _ => None,
    };
    // The status element stays in the page so screen readers announce its changes.
    html! {
        <>
            <p class="feedback" role="status" aria-live="polite">{ status }</p>
            { error.map(|message| error_alert(t, &message, None)) }
        </>
    }
}

/// The field a failed save names, to mark it `aria-invalid`.
pub fn invalid_field(outcome: Option<&Outcome>) -> Option<&str> {
    match outcome? {
        Outcome::Failed(AdminError::Form(FormError::NotANumber(field))) => Some(field),
        Outcome::Failed(AdminError::Form(FormError::Invalid(invalid))) => Some(&invalid.field),
        _ => None,
    }
}

#[derive(Properties, PartialEq)]
pub struct CheckboxProps {
    pub label: AttrValue,
    pub checked: bool,
    pub onchange: Callback<bool>,
    /// A longer accessible name, where the visible label repeats on the page.
    #[prop_or_default]
    pub name: Option<AttrValue>,
}

/// A checkbox inside its label, so the label names it and a click on the text toggles it.
#[function_component]
pub fn Checkbox(props: &CheckboxProps) -> Html {
    let onchange = props
        .onchange
        .reform(|event: Event| event.target_unchecked_into::<HtmlInputElement>().checked());
    html! {
        <label class="check">
            <input type="checkbox" checked={props.checked} {onchange}
                aria-label={props.name.clone()} />
            { " " }{ &props.label }
        </label>
    }
}

/// `oninput` and `onchange` listeners that report a text field's new value. Both are needed:
/// clearing a field (by the browser, or by WebDriver's "clear") fires only `change`.
pub fn on_text(report: Callback<String>) -> (Callback<InputEvent>, Callback<Event>) {
    (
        report.reform(|event: InputEvent| value_of(&event)),
        report.reform(|event: Event| value_of(&event)),
    )
}

/// The `value` of an event's `<input>` or `<textarea>`.
fn value_of(event: &Event) -> String {
    event
        .target()
        .and_then(|target| js_sys::Reflect::get(&target, &"value".into()).ok())
        .and_then(|value| value.as_string())
        .unwrap_or_default()
}
