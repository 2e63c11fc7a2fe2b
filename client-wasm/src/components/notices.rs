//! Notices for a waiting customer (an outage, a known problem), each offering to leave.

use protocol::{Lang, Notice};
use yew::prelude::*;

use crate::i18n::use_texts;

#[derive(Properties, PartialEq)]
pub struct NoticesProps {
    pub notices: Vec<Notice>,
    /// The language the notices are shown in.
    pub lang: Lang,
    /// "Leave session": ends the session without a survey.
    pub onleave: Callback<()>,
}

#[function_component]
pub fn Notices(props: &NoticesProps) -> Html {
    let t = use_texts();
    let boxes = props.notices.iter().map(|notice| {
        let heading = format!("notice-{}", notice.id);
        html! {
            <section key={notice.id.0} class="panel notice" aria-labelledby={heading.clone()}>
                <h2 id={heading}>{ t.notice_heading }</h2>
                // A text node: the admin's words show as written.
                <p style="white-space: pre-wrap">{ notice.draft.text.get(props.lang) }</p>
                <button type="button" class="danger" onclick={props.onleave.reform(|_| ())}>
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
