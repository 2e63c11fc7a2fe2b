//! The customer's "Send file" button: it opens the browser's file chooser (an `<input
//! type=file>` kept out of sight and out of the tab order, so the button is the one control).

use web_sys::{File, FileList, HtmlInputElement};
use yew::prelude::*;

use crate::i18n::use_texts;

#[derive(Properties, PartialEq)]
pub struct FilePickerProps {
    /// The chosen files, one or more.
    pub onfiles: Callback<Vec<File>>,
}

/// The files of a file input or a drop.
pub fn files_of(list: Option<FileList>) -> Vec<File> {
    let Some(list) = list else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|index| list.get(index))
        .collect()
}

#[function_component]
pub fn FilePicker(props: &FilePickerProps) -> Html {
    let t = use_texts();
    let input = use_node_ref();
    let onclick = {
        let input = input.clone();
        Callback::from(move |_| {
            if let Some(input) = input.cast::<HtmlInputElement>() {
                input.click();
            }
        })
    };
    let onchange = {
        let onfiles = props.onfiles.clone();
        Callback::from(move |event: Event| {
            let input: HtmlInputElement = event.target_unchecked_into();
            let files = files_of(input.files());
            // Cleared, so choosing the same file again is a change too.
            input.set_value("");
            if !files.is_empty() {
                onfiles.emit(files);
            }
        })
    };
    html! {
        <div class="file-picker">
            <input type="file" multiple=true class="visually-hidden" tabindex="-1"
                aria-hidden="true" ref={input} {onchange} />
            <button type="button" {onclick} aria-describedby="drop-hint">{ t.send_file }</button>
            <span id="drop-hint" class="muted hint">{ t.drop_hint }</span>
        </div>
    }
}
