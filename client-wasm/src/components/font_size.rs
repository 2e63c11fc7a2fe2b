//! The customer's "Larger text" / "Smaller text" buttons.

use yew::prelude::*;

use crate::i18n::use_texts;
use crate::state::font_size::FontSize;

#[derive(Properties, PartialEq)]
pub struct FontSizeButtonsProps {
    pub size: FontSize,
    pub onchange: Callback<FontSize>,
}

#[function_component]
pub fn FontSizeButtons(props: &FontSizeButtonsProps) -> Html {
    let t = use_texts();
    let size = props.size;
    html! {
        <div class="font-size">
            <button type="button" disabled={!size.can_shrink()}
                onclick={props.onchange.reform(move |_| size.smaller())}>
                { t.smaller_text }
            </button>
            <button type="button" disabled={!size.can_grow()}
                onclick={props.onchange.reform(move |_| size.larger())}>
                { t.larger_text }
            </button>
        </div>
    }
}
