//! "Texts" (per language) and "Policies", saved together by "Save settings".

use protocol::Lang;
use yew::prelude::*;

use super::feedback::{Checkbox, Feedback, invalid_field, on_text};
use crate::i18n::{ConsoleTexts, use_console_texts};
use crate::state::admin::{AdminHandle, use_admin};
use client_core::admin::{Edit, Flag, NumberField, Section, TextKind};

#[function_component]
pub fn SettingsForm() -> Html {
    let t = use_console_texts();
    let admin = use_admin();
    let outcome = admin.outcome_in(Section::Settings);
    let invalid = invalid_field(outcome);
    let onsubmit = {
        let admin = admin.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            admin.save_settings();
        })
    };
    let languages = Lang::ALL.map(|lang| {
        let fields = TextKind::ALL.map(|kind| text_field(t, &admin, lang, kind, invalid));
        html! {
            <fieldset key={lang.code()}>
                <legend>{ t.lang_name(lang) }</legend>
                { for fields }
            </fieldset>
        }
    });
    let flag = |flag: Flag| {
        let onchange = edit(&admin, move |on| Edit::Flag(flag, on));
        let checked = flag.get(&admin.settings.settings);
        html! { <Checkbox label={t.flag_label(flag)} {checked} {onchange} /> }
    };
    let number = |field: NumberField, hint: Option<&'static str>| {
        number_field(t, &admin, field, hint, invalid)
    };
    let url_invalid = invalid == Some("orphan_url");
    let (url_input, url_change) = on_text(edit(&admin, Edit::OrphanUrl));
    let sites_invalid = invalid == Some("embed_origins");
    let (sites_input, sites_change) = on_text(edit(&admin, Edit::EmbedSites));
    html! {
        <form class="admin-settings" {onsubmit} novalidate=true>
            <section aria-labelledby="texts-title">
                <h2 id="texts-title">{ t.texts_title }</h2>
                <p class="muted">{ t.placeholders_hint }</p>
                { for languages }
            </section>
            <section aria-labelledby="policies-title">
                <h2 id="policies-title">{ t.policies_title }</h2>
                { flag(Flag::RecordingPrompt) }
                { flag(Flag::RecordScreens) }
                { number(NumberField::RecordingRetention, Some(t.retention_hint)) }
                { number(NumberField::HoldInterval, Some(t.hold_interval_hint)) }
                { number(NumberField::LongestWait, Some(t.longest_wait_hint)) }
                <label for="orphan_url">{ t.orphan_url_label }</label>
                <input id="orphan_url" type="url" autocomplete="off"
                    value={admin.settings.settings.orphan_url.clone()}
                    oninput={url_input} onchange={url_change}
                    aria-describedby="orphan_url-hint"
                    aria-invalid={url_invalid.then_some("true")} />
                <p id="orphan_url-hint" class="muted hint">{ t.orphan_url_hint }</p>
                { flag(Flag::KeepOrphanedQueued) }
                { flag(Flag::Survey) }
                { flag(Flag::Watermark) }
                { flag(Flag::RelayOnly) }
                { number(NumberField::FileLimit, None) }
                { number(NumberField::DefaultWait, None) }
                <label for="embed_origins">{ t.embed_sites_label }</label>
                <textarea id="embed_origins" rows="3" spellcheck="false"
                    value={admin.settings.embed_sites.clone()}
                    oninput={sites_input} onchange={sites_change}
                    aria-describedby="embed_origins-hint"
                    aria-invalid={sites_invalid.then_some("true")} />
                <p id="embed_origins-hint" class="muted hint">{ t.embed_sites_hint }</p>
            </section>
            <button type="submit" class="primary"
                disabled={admin.busy == Some(Section::Settings)}>
                { t.save_settings }
            </button>
            <Feedback busy={admin.busy == Some(Section::Settings)} outcome={outcome.cloned()} />
        </form>
    }
}

/// A callback that turns what the admin did into an edit of the settings.
fn edit<E: 'static>(admin: &AdminHandle, make: impl Fn(E) -> Edit + 'static) -> Callback<E> {
    let admin = admin.clone();
    Callback::from(move |event| admin.edit_settings(make(event)))
}

fn text_field(
    t: &ConsoleTexts,
    admin: &AdminHandle,
    lang: Lang,
    kind: TextKind,
    invalid: Option<&str>,
) -> Html {
    let id = format!("texts.{}.{}", lang.code(), kind.key());
    let value = kind.get(admin.settings.settings.texts.get(lang)).clone();
    let (oninput, onchange) = on_text(edit(admin, move |text| Edit::Text(lang, kind, text)));
    html! {
        <>
            <label for={id.clone()}>{ t.text_label(kind, lang) }</label>
            <textarea id={id.clone()} rows="3" {value} {oninput} {onchange}
                aria-invalid={(invalid == Some(id.as_str())).then_some("true")} />
        </>
    }
}

/// A number input. A browser reports a half-typed or bad number ("-", "e") as "", which Yew
/// then finds equal to the field's value and leaves alone, so what was typed stays visible.
fn number_field(
    t: &ConsoleTexts,
    admin: &AdminHandle,
    field: NumberField,
    hint: Option<&'static str>,
    invalid: Option<&str>,
) -> Html {
    let id = field.key();
    let hint_id = format!("{id}-hint");
    let value = admin.settings.number(field).to_owned();
    let (oninput, onchange) = on_text(edit(admin, move |text| Edit::Number(field, text)));
    html! {
        <>
            <label for={id}>{ t.number_label(field) }</label>
            <input {id} type="number" min="0" step="1" inputmode="numeric" {value}
                {oninput} {onchange}
                aria-describedby={hint.map(|_| hint_id.clone())}
                aria-invalid={(invalid == Some(id)).then_some("true")} />
            if let Some(hint) = hint {
                <p id={hint_id} class="muted hint">{ hint }</p>
            }
        </>
    }
}
