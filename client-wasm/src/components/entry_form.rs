//! The customer's entry form: "Your name", "How can we help?", an optional "Session key" and
//! "Start chat", which also asks for notification permission.

use protocol::{MAX_NAME_CHARS, MAX_PROBLEM_CHARS};
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::i18n::{Texts, use_texts};
use crate::services::notify::{self, Permission};
use crate::state::customer::Entry;

/// The longest session key the field takes; real keys are much shorter.
const MAX_KEY_CHARS: usize = 64;

/// What is wrong with the form's content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryError {
    NameRequired,
    NameTooLong,
    ProblemRequired,
    ProblemTooLong,
}

impl EntryError {
    fn text(self, t: &Texts) -> String {
        match self {
            EntryError::NameRequired => t.name_required.to_string(),
            EntryError::NameTooLong => (t.name_too_long)(MAX_NAME_CHARS),
            EntryError::ProblemRequired => t.problem_required.to_string(),
            EntryError::ProblemTooLong => (t.problem_too_long)(MAX_PROBLEM_CHARS),
        }
    }

    fn is_about_name(self) -> bool {
        matches!(self, EntryError::NameRequired | EntryError::NameTooLong)
    }
}

/// The trimmed entry, if name and problem are within the protocol's limits; an empty key is
/// no key.
pub fn validate(name: &str, problem: &str, key: &str) -> Result<Entry, EntryError> {
    let (name, problem, key) = (name.trim(), problem.trim(), key.trim());
    if name.is_empty() {
        Err(EntryError::NameRequired)
    } else if name.chars().count() > MAX_NAME_CHARS {
        Err(EntryError::NameTooLong)
    } else if problem.is_empty() {
        Err(EntryError::ProblemRequired)
    } else if problem.chars().count() > MAX_PROBLEM_CHARS {
        Err(EntryError::ProblemTooLong)
    } else {
        Ok(Entry {
            name: name.to_string(),
            problem: problem.to_string(),
            key: (!key.is_empty()).then(|| key.to_string()),
        })
    }
}

/// The session key a link such as `/chat?key=K7QX2M` carries.
pub fn key_from_query(query: &str) -> Option<String> {
    query
        .trim_start_matches('?')
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(name, _)| *name == "key")
        .map(|(_, value)| value.trim().to_string())
        .filter(|value| !value.is_empty())
}

fn key_in_page_url() -> Option<String> {
    let query = web_sys::window()?.location().search().ok()?;
    key_from_query(&query)
}

#[derive(Properties, PartialEq)]
pub struct EntryFormProps {
    /// The valid entry.
    pub onstart: Callback<Entry>,
    /// A start is under way.
    pub busy: bool,
    /// Name and problem filled in by the page that embeds the chat.
    #[prop_or_default]
    pub prefill: Option<(String, String)>,
}

#[function_component]
pub fn EntryForm(props: &EntryFormProps) -> Html {
    let t = use_texts();
    let name = use_node_ref();
    let problem = use_node_ref();
    let key = use_node_ref();
    let error = use_state(|| None::<EntryError>);
    let prefilled_key = use_state(key_in_page_url);
    // Explained before the browser asks, and only if it will ask.
    let will_ask = *use_state(|| notify::permission() == Permission::Default);
    {
        // The previous step's buttons are gone; the form takes focus so typing can start.
        let name = name.clone();
        use_effect_with((), move |_| {
            if let Some(input) = name.cast::<HtmlInputElement>() {
                let _ = input.focus();
            }
        });
    }
    {
        // The host page may fill in the form after it appeared: put what it said in the fields.
        let (name, problem) = (name.clone(), problem.clone());
        use_effect_with(props.prefill.clone(), move |prefill| {
            if let (Some((name_value, problem_value)), Some(name), Some(problem)) = (
                prefill,
                name.cast::<HtmlInputElement>(),
                problem.cast::<HtmlTextAreaElement>(),
            ) {
                name.set_value(name_value);
                problem.set_value(problem_value);
            }
        });
    }
    let onsubmit = {
        let (name, problem, key, error) =
            (name.clone(), problem.clone(), key.clone(), error.clone());
        let onstart = props.onstart.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let name_input = name.cast::<HtmlInputElement>();
            let problem_input = problem.cast::<HtmlTextAreaElement>();
            let key_value = key
                .cast::<HtmlInputElement>()
                .map(|input| input.value())
                .unwrap_or_default();
            let (Some(name_input), Some(problem_input)) = (name_input, problem_input) else {
                return;
            };
            match validate(&name_input.value(), &problem_input.value(), &key_value) {
                Ok(entry) => {
                    error.set(None);
                    // A click is the only moment browsers let a page ask.
                    notify::ask_permission();
                    onstart.emit(entry);
                }
                Err(invalid) => {
                    // Take the user to the field to fix.
                    let _ = if invalid.is_about_name() {
                        name_input.focus()
                    } else {
                        problem_input.focus()
                    };
                    error.set(Some(invalid));
                }
            }
        })
    };
    let invalid_name = error.is_some_and(EntryError::is_about_name);
    let invalid_problem = error.is_some_and(|e| !e.is_about_name());
    let described = |invalid: bool| invalid.then_some("entry-error");
    html! {
        // Our own checks give clearer messages than the browser's, hence `novalidate`.
        <form class="entry" {onsubmit} novalidate=true>
            <p>{ t.chat_intro }</p>
            <label for="entry-name">{ t.your_name }</label>
            <input id="entry-name" type="text" autocomplete="name" ref={name}
                maxlength={MAX_NAME_CHARS.to_string()} aria-required="true" aria-invalid={invalid_name.then_some("true")}
                aria-describedby={described(invalid_name)} />
            <label for="entry-problem">{ t.how_can_we_help }</label>
            <textarea id="entry-problem" rows="4" ref={problem}
                maxlength={MAX_PROBLEM_CHARS.to_string()} aria-required="true" aria-invalid={invalid_problem.then_some("true")}
                aria-describedby={described(invalid_problem)} />
            <label for="entry-key">{ t.session_key }</label>
            <input id="entry-key" type="text" autocomplete="off" spellcheck="false" ref={key}
                maxlength={MAX_KEY_CHARS.to_string()} aria-describedby="entry-key-hint"
                value={(*prefilled_key).clone().unwrap_or_default()} />
            <p id="entry-key-hint" class="muted">{ t.session_key_hint }</p>
            if let Some(invalid) = *error {
                <p id="entry-error" class="field-error" role="alert">{ invalid.text(t) }</p>
            }
            if will_ask {
                <p class="muted">{ t.notify_why }</p>
            }
            <button type="submit" class="primary" disabled={props.busy}>{ t.start_chat }</button>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(name: &str, problem: &str, key: Option<&str>) -> Entry {
        Entry {
            name: name.into(),
            problem: problem.into(),
            key: key.map(Into::into),
        }
    }

    #[test]
    fn fields_are_trimmed_and_an_empty_key_is_none() {
        let got = validate("  Ada ", "\nprinter jams\n", "  ");
        assert_eq!(got, Ok(entry("Ada", "printer jams", None)));
        let got = validate("Ada", "printer", " K7QX2M ");
        assert_eq!(got, Ok(entry("Ada", "printer", Some("K7QX2M"))));
    }

    #[test]
    fn empty_fields_are_refused_name_first() {
        assert_eq!(validate(" ", "", ""), Err(EntryError::NameRequired));
        assert_eq!(validate("Ada", "   ", ""), Err(EntryError::ProblemRequired));
    }

    #[test]
    fn lengths_follow_the_protocol_in_characters() {
        let longest_name = "ä".repeat(MAX_NAME_CHARS);
        assert!(validate(&longest_name, "x", "").is_ok());
        let name = "ä".repeat(MAX_NAME_CHARS + 1);
        assert_eq!(validate(&name, "x", ""), Err(EntryError::NameTooLong));
        let problem = "x".repeat(MAX_PROBLEM_CHARS + 1);
        assert_eq!(
            validate("Ada", &problem, ""),
            Err(EntryError::ProblemTooLong)
        );
    }

    #[test]
    fn the_key_comes_from_the_query() {
        assert_eq!(key_from_query("?key=K7QX2M"), Some("K7QX2M".into()));
        assert_eq!(key_from_query("?lang=de&key=AB12"), Some("AB12".into()));
        assert_eq!(key_from_query("?key="), None);
        assert_eq!(key_from_query("?lang=en"), None);
        assert_eq!(key_from_query(""), None);
    }
}
