//! The customer's "Larger text" / "Smaller text" buttons.

use yew::prelude::*;

use crate::i18n::Texts;
use crate::state::font_size::FontSize;

/// A function, as [`super::alert::error_alert`].
pub fn font_size_buttons(t: &Texts, size: FontSize, onchange: &Callback<FontSize>) -> Html {
    html! {
        <div class="font-size">
            <button type="button" disabled={!size.can_shrink()}
                onclick={onchange.reform(move |_| size.smaller())}>
                { t.smaller_text }
            </button>
            <button type="button" disabled={!size.can_grow()}
                onclick={onchange.reform(move |_| size.larger())}>
                { t.larger_text }
            </button>
        </div>
    }
}
