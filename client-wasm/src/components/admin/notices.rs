//! "Notices": each notice's texts and switches with "Save notice" and "Delete notice", and a
//! form to add one.

use protocol::site::NoticeDraft;
use protocol::{Lang, Notice};
use yew::prelude::*;

use super::feedback::{Checkbox, Feedback, on_text};
use crate::i18n::use_console_texts;
use crate::state::admin::use_admin;
use client_core::admin::Section;

#[derive(Properties, PartialEq)]
pub struct NoticesProps {
    pub notices: Vec<Notice>,
}

#[function_component]
pub fn Notices(props: &NoticesProps) -> Html {
    let t = use_console_texts();
    let admin = use_admin();
    let rows = props.notices.iter().enumerate().map(|(i, notice)| {
        let id = notice.id;
        let draft = admin.notice_draft(id, &notice.draft).clone();
        let onedit = {
            let admin = admin.clone();
            Callback::from(move |draft| admin.edit_notice((id, draft)))
        };
        let onsave = {
            let (admin, draft) = (admin.clone(), draft.clone());
            Callback::from(move |_: MouseEvent| admin.save_notice((id, draft.clone())))
        };
        let ondelete = {
            let admin = admin.clone();
            Callback::from(move |_: MouseEvent| admin.delete_notice(id))
        };
        let section = Section::Notice(id);
        let busy = admin.busy == Some(section);
        // Rows are named by their place in the list, so their fields differ from the new one's.
        let name = AttrValue::from((t.notice_number)(i + 1));
        html! {
            <li key={id.0}>
                <fieldset>
                    <legend>{ &name }</legend>
                    <NoticeFields id_prefix={format!("notice-{id}")} name={name.clone()}
                        {draft} {onedit} distinct=true />
                    <button type="button" onclick={onsave} disabled={busy}>
                        { t.save_notice }
                    </button>
                    <button type="button" class="danger" onclick={ondelete} disabled={busy}>
                        { t.delete_notice }
                    </button>
                    <Feedback {busy} outcome={admin.outcome_in(section).cloned()}
                        notice={name} />
                </fieldset>
            </li>
        }
    });
    html! {
        <section aria-labelledby="notices-title">
            <h2 id="notices-title">{ t.notices_title }</h2>
            <p class="muted">{ t.notices_hint }</p>
            if props.notices.is_empty() {
                <p class="muted">{ t.no_notices }</p>
            } else {
                <ul class="notices">{ for rows }</ul>
            }
            <NewNotice />
        </section>
    }
}

/// "Notice (English)", "Notice (German)", "Active", "Automatic" and "Add notice".
#[function_component]
fn NewNotice() -> Html {
    let t = use_console_texts();
    let admin = use_admin();
    let onedit = {
        let admin = admin.clone();
        Callback::from(move |draft| admin.edit_new_notice(draft))
    };
    let onsubmit = {
        let admin = admin.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            admin.add_notice();
        })
    };
    let busy = admin.busy == Some(Section::NewNotice);
    html! {
        <form class="admin-add" {onsubmit} novalidate=true aria-labelledby="new-notice-title">
            <h3 id="new-notice-title">{ t.new_notice_title }</h3>
            <NoticeFields id_prefix="new-notice" name={t.notice_label}
                draft={admin.new_notice.clone()} {onedit} />
            <button type="submit" disabled={busy}>{ t.add_notice }</button>
            <Feedback {busy} outcome={admin.outcome_in(Section::NewNotice).cloned()} />
        </form>
    }
}

#[derive(Properties, PartialEq)]
struct NoticeFieldsProps {
    id_prefix: AttrValue,
    /// "Notice" or "Notice 2": the texts are labelled "Notice 2 (English)".
    name: AttrValue,
    draft: NoticeDraft,
    onedit: Callback<NoticeDraft>,
    /// Name the switches with the notice too ("Active (Notice 2)"), as "Active" alone names
    /// the new notice's.
    #[prop_or_default]
    distinct: bool,
}

#[function_component]
fn NoticeFields(props: &NoticeFieldsProps) -> Html {
    let t = use_console_texts();
    let texts = Lang::ALL.map(|lang| {
        let id = format!("{}-{}", props.id_prefix, lang.code());
        let (oninput, onchange) = {
            let (draft, onedit) = (props.draft.clone(), props.onedit.clone());
            on_text(Callback::from(move |text| {
                let mut next = draft.clone();
                *next.text.get_mut(lang) = text;
                onedit.emit(next);
            }))
        };
        html! {
            <>
                <label for={id.clone()}>{ format!("{} ({})", props.name, t.lang_name(lang)) }</label>
                <textarea {id} rows="2" value={props.draft.text.get(lang).clone()}
                    {oninput} {onchange} />
            </>
        }
    });
    let switch = |label: &'static str, checked: bool, set: fn(&mut NoticeDraft, bool)| {
        let (draft, onedit) = (props.draft.clone(), props.onedit.clone());
        let onchange = Callback::from(move |on| {
            let mut next = draft.clone();
            set(&mut next, on);
            onedit.emit(next);
        });
        let name = props
            .distinct
            .then(|| AttrValue::from(format!("{label} ({})", props.name)));
        html! { <Checkbox {label} {checked} {onchange} {name} /> }
    };
    html! {
        <>
            { for texts }
            { switch(t.active_label, props.draft.active, |d, on| d.active = on) }
            { switch(t.automatic_label, props.draft.automatic, |d, on| d.automatic = on) }
        </>
    }
}
