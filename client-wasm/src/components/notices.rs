//! Notices for a waiting customer (an outage, a known problem), each offering to leave.

use protocol::{Lang, Notice};
use yew::prelude::*;

use crate::i18n::Texts;

/// The notices in `lang`; "Leave session" (`onleave`) ends the session without a survey. A
/// function, as [`super::alert::error_alert`].
pub fn notices(t: &Texts, notices: &[Notice], lang: Lang, onleave: &Callback<()>) -> Html {
    let boxes = notices.iter().map(|notice| {
        let heading = format!("notice-{}", notice.id);
        html! {
            <section key={notice.id.0} class="panel notice" aria-labelledby={heading.clone()}>
                <h2 id={heading}>{ t.notice_heading }</h2>
                // A text node: the admin's words show as written.
                <p style="white-space: pre-wrap">{ notice.draft.text.get(lang) }</p>
                <button type="button" class="danger" onclick={onleave.reform(|_| ())}>
                    { t.leave_session }
                </button>
            </section>
        }
    });
    // Live, so a notice a rep sends while the customer waits is read out.
    html! {
        <div class="notices" aria-live="polite">{ for boxes }</div>
    }
}
