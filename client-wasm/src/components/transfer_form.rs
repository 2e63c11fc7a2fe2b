//! "Transfer": opens a small form to hand the session to another signed-in rep with a note.

use protocol::{MAX_NOTE_CHARS, RepId, RepOnline};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::i18n::use_console_texts;
use crate::services::announce;

/// The "Transfer" button, where focus comes back when the form closes.
const OPEN_ID: &str = "transfer";

#[derive(Properties, PartialEq)]
pub struct TransferFormProps {
    /// The other signed-in reps.
    pub reps: Vec<RepOnline>,
    /// The chosen rep and the note.
    pub ontransfer: Callback<(RepId, String)>,
}

#[function_component]
pub fn TransferForm(props: &TransferFormProps) -> Html {
    let t = use_console_texts();
    let open = use_state(|| false);
    let to = use_state(|| None::<RepId>);
    let note = use_state(String::new);
    // Opening takes focus into the form, closing brings it back to "Transfer"; nothing moves
    // it when the panel first shows.
    let was_open = use_mut_ref(|| false);
    use_effect_with(*open, move |open| {
        if *open {
            // On the rep to choose; on the note when nobody else is signed in.
            announce::focus("transfer-note");
            announce::focus("transfer-to");
        } else if *was_open.borrow() {
            announce::focus(OPEN_ID);
        }
        *was_open.borrow_mut() = *open;
    });
    if !*open {
        let onclick = {
            let open = open.clone();
            Callback::from(move |_| open.set(true))
        };
        return html! {
            <button id={OPEN_ID} type="button" {onclick} aria-expanded="false">
                { t.transfer }
            </button>
        };
    }
    // The first rep is chosen until the rep picks another; an available one first.
    let mut reps = props.reps.clone();
    reps.sort_by_key(|r| !r.available);
    let chosen = (*to)
        .filter(|id| reps.iter().any(|r| r.rep == *id))
        .or_else(|| reps.first().map(|r| r.rep));
    let onchange = {
        let to = to.clone();
        Callback::from(move |event: Event| {
            let select: HtmlSelectElement = event.target_unchecked_into();
            to.set(select.value().parse().ok());
        })
    };
    let oninput = {
        let note = note.clone();
        Callback::from(move |event: InputEvent| {
            let input: HtmlInputElement = event.target_unchecked_into();
            note.set(input.value());
        })
    };
    let oncancel = {
        let open = open.clone();
        Callback::from(move |_| open.set(false))
    };
    let onsubmit = {
        let (open, note) = (open.clone(), note.clone());
        let ontransfer = props.ontransfer.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if let Some(to) = chosen {
                let text: String = note.trim().chars().take(MAX_NOTE_CHARS).collect();
                ontransfer.emit((to, text));
                open.set(false);
                note.set(String::new());
            }
        })
    };
    let options = reps.iter().map(|r| {
        let label = if r.available {
            r.name.clone()
        } else {
            format!("{} ({})", r.name, t.away_mark)
        };
        html! {
            <option key={r.rep.0} value={r.rep.to_string()} selected={chosen == Some(r.rep)}>
                { label }
            </option>
        }
    });
    html! {
        <form class="transfer" {onsubmit}>
            if reps.is_empty() {
                <p class="muted" role="status">{ t.no_other_reps }</p>
            } else {
                <label for="transfer-to">{ t.transfer_to }</label>
                <select id="transfer-to" {onchange}>{ for options }</select>
            }
            <label for="transfer-note">{ t.transfer_note }</label>
            <input id="transfer-note" type="text" value={(*note).clone()} {oninput}
                maxlength={MAX_NOTE_CHARS.to_string()} />
            <button type="submit" class="primary" disabled={chosen.is_none()}>{ t.hand_over }</button>
            <button type="button" onclick={oncancel}>{ t.cancel }</button>
        </form>
    }
}
