//! The session's file transfers on either side: the rep's "Accept file" / "Decline file" for an
//! offer, a `<progress>` while the file travels (left full once it arrived; the chat then
//! shows the file), and what became of declined or failed ones.

use std::rc::Rc;

use protocol::{FileId, FileState, Party};
use yew::prelude::*;

use crate::i18n::{Texts, use_texts};
use client_core::files::{Transfer, Transfers};

#[derive(Properties, PartialEq)]
pub struct FileTransfersProps {
    pub transfers: Rc<Transfers>,
    /// Whose page this is.
    pub me: Party,
    /// Rep's page: the customer offering the files.
    #[prop_or_default]
    pub customer_name: AttrValue,
    /// Rep's page: accept (`true`) or decline a file.
    #[prop_or_default]
    pub onanswer: Option<Callback<(FileId, bool)>>,
}

#[function_component]
pub fn FileTransfers(props: &FileTransfersProps) -> Html {
    let t = use_texts();
    let rows: Vec<Html> = props
        .transfers
        .items()
        .iter()
        .map(|transfer| row(props, t, transfer))
        .collect();
    if rows.is_empty() {
        return Html::default();
    }
    html! {
        <ul class="files" aria-label={t.files_title}>{ for rows }</ul>
    }
}

fn row(props: &FileTransfersProps, t: &Texts, transfer: &Transfer) -> Html {
    let name = transfer.name.as_str();
    let rep = props.me == Party::Rep;
    let content = match &transfer.state {
        FileState::Offered if rep => {
            let file = transfer.file;
            let answer = |accept: bool| {
                props
                    .onanswer
                    .clone()
                    .unwrap_or_default()
                    .reform(move |_| (file, accept))
            };
            let offer = (t.wants_to_send)(&props.customer_name, name, &t.size(transfer.size));
            html! {
                <>
                    <p>{ offer }</p>
                    <button type="button" class="primary" onclick={answer(true)}>{ t.accept_file }</button>
                    <button type="button" onclick={answer(false)}>{ t.decline_file }</button>
                </>
            }
        }
        FileState::Offered => html! { <p>{ (t.awaiting_answer)(name) }</p> },
        // One arm, so the bar stays the same element from start to end.
        FileState::Accepted | FileState::Uploading { .. } | FileState::Stored => {
            let label = if rep {
                (t.receiving)(name)
            } else {
                (t.upload_of)(name)
            };
            let done = match (&transfer.state, rep) {
                (FileState::Stored, _) => transfer.size,
                (FileState::Uploading { received }, true) => *received,
                (_, true) => 0,
                (_, false) => transfer.sent,
            };
            let line = if transfer.state == FileState::Stored {
                (t.file_stored)(name)
            } else {
                label.clone()
            };
            html! {
                <>
                    <p>{ line }{ " (" }{ t.size(transfer.size) }{ ")" }</p>
                    <progress aria-label={label} max={transfer.size.max(1).to_string()}
                        value={done.min(transfer.size).to_string()} />
                </>
            }
        }
        FileState::Declined => html! { <p role="status">{ (t.file_declined)(name) }</p> },
        FileState::Failed { reason } => {
            let reason = match reason {
                Some(reason) => t.reason(reason),
                None => t.connection_failed.to_owned(),
            };
            html! { <p role="alert">{ (t.file_failed)(name, &reason) }</p> }
        }
    };
    html! { <li key={transfer.file.0} class="file">{ content }</li> }
}
