//! The customer's entry form: "Your name", "How can we help?" and "Start chat".

use protocol::{MAX_NAME_CHARS, MAX_PROBLEM_CHARS};
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::i18n::{Texts, use_texts};

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

/// The trimmed name and problem, if both are within the protocol's limits.
pub fn validate(name: &str, problem: &str) -> Result<(String, String), EntryError> {
    let (name, problem) = (name.trim(), problem.trim());
    if name.is_empty() {
        Err(EntryError::NameRequired)
    } else if name.chars().count() > MAX_NAME_CHARS {
        Err(EntryError::NameTooLong)
    } else if problem.is_empty() {
        Err(EntryError::ProblemRequired)
    } else if problem.chars().count() > MAX_PROBLEM_CHARS {
        Err(EntryError::ProblemTooLong)
    } else {
        Ok((name.to_string(), problem.to_string()))
    }
}

#[derive(Properties, PartialEq)]
pub struct EntryFormProps {
    /// The valid name and problem.
    pub onstart: Callback<(String, String)>,
    /// A start is under way.
    pub busy: bool,
}

#[function_component]
pub fn EntryForm(props: &EntryFormProps) -> Html {
    let t = use_texts();
    let name = use_node_ref();
    let problem = use_node_ref();
    let error = use_state(|| None::<EntryError>);
    let onsubmit = {
        let (name, problem, error) = (name.clone(), problem.clone(), error.clone());
        let onstart = props.onstart.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let name_input = name.cast::<HtmlInputElement>();
            let problem_input = problem.cast::<HtmlTextAreaElement>();
            let (Some(name_input), Some(problem_input)) = (name_input, problem_input) else {
                return;
            };
            match validate(&name_input.value(), &problem_input.value()) {
                Ok(entry) => {
                    error.set(None);
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
                aria-required="true" aria-invalid={invalid_name.then_some("true")}
                aria-describedby={described(invalid_name)} />
            <label for="entry-problem">{ t.how_can_we_help }</label>
            <textarea id="entry-problem" rows="4" ref={problem}
                aria-required="true" aria-invalid={invalid_problem.then_some("true")}
                aria-describedby={described(invalid_problem)} />
            if let Some(invalid) = *error {
                <p id="entry-error" class="field-error" role="alert">{ invalid.text(t) }</p>
            }
            <button type="submit" class="primary" disabled={props.busy}>{ t.start_chat }</button>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_and_problem_are_trimmed() {
        let entry = validate("  Ada ", "\nprinter jams\n");
        assert_eq!(entry, Ok(("Ada".into(), "printer jams".into())));
    }

    #[test]
    fn empty_fields_are_refused_name_first() {
        assert_eq!(validate(" ", ""), Err(EntryError::NameRequired));
        assert_eq!(validate("Ada", "   "), Err(EntryError::ProblemRequired));
    }

    #[test]
    fn lengths_follow_the_protocol_in_characters() {
        let longest_name = "ä".repeat(MAX_NAME_CHARS);
        assert!(validate(&longest_name, "x").is_ok());
        let name = "ä".repeat(MAX_NAME_CHARS + 1);
        assert_eq!(validate(&name, "x"), Err(EntryError::NameTooLong));
        let problem = "x".repeat(MAX_PROBLEM_CHARS + 1);
        assert_eq!(validate("Ada", &problem), Err(EntryError::ProblemTooLong));
    }
}
