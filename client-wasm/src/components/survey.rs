//! The exit survey after a served session: a rating of 1 to 5, whether the problem was
//! solved, a comment, and "Submit" or "Skip".

use protocol::MAX_COMMENT_CHARS;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::i18n::use_texts;
use crate::state::customer::SurveyAnswers;

#[derive(Properties, PartialEq)]
pub struct SurveyProps {
    pub onsubmit: Callback<SurveyAnswers>,
    pub onskip: Callback<()>,
    /// The answers are on their way.
    pub busy: bool,
}

/// The survey's heading, focused when the survey appears: its questions come next.
pub const SURVEY_HEADING_ID: &str = "survey-heading";

/// Radios and checkboxes keep their natural size next to their label.
const INLINE: &str = "width: auto; margin: 0 .5rem 0 0";

#[function_component]
pub fn ExitSurvey(props: &SurveyProps) -> Html {
    let t = use_texts();
    let rating = use_state(|| None::<u8>);
    let resolved = use_state(|| false);
    let comment = use_state(String::new);
    let missing_rating = use_state(|| false);
    let stars = (1..=5u8).map(|n| {
        let onchange = {
            let (rating, missing_rating) = (rating.clone(), missing_rating.clone());
            Callback::from(move |_: Event| {
                rating.set(Some(n));
                missing_rating.set(false);
            })
        };
        html! {
            <label key={n} style="font-weight: normal">
                <input type="radio" name="survey-rating" value={n.to_string()} style={INLINE}
                    checked={*rating == Some(n)} {onchange} />
                { (t.stars)(n) }
            </label>
        }
    });
    let onresolved = {
        let resolved = resolved.clone();
        Callback::from(move |event: Event| {
            let input: HtmlInputElement = event.target_unchecked_into();
            resolved.set(input.checked());
        })
    };
    let oncomment = {
        let comment = comment.clone();
        Callback::from(move |event: InputEvent| {
            let input: HtmlTextAreaElement = event.target_unchecked_into();
            comment.set(input.value());
        })
    };
    let onsubmit = {
        let (rating, resolved, comment) = (rating.clone(), resolved.clone(), comment.clone());
        let missing_rating = missing_rating.clone();
        let onsubmit = props.onsubmit.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let Some(rating) = *rating else {
                missing_rating.set(true);
                return;
            };
            onsubmit.emit(SurveyAnswers {
                rating,
                resolved: *resolved,
                comment: comment.trim().to_string(),
            });
        })
    };
    html! {
        <form class="panel survey" {onsubmit} aria-labelledby={SURVEY_HEADING_ID} novalidate=true>
            <h2 id={SURVEY_HEADING_ID} tabindex="-1">{ t.survey_heading }</h2>
            <fieldset role="radiogroup" aria-labelledby="survey-rating-label"
                aria-invalid={missing_rating.then_some("true")}
                aria-describedby={missing_rating.then_some("survey-error")}>
                <legend id="survey-rating-label">{ t.survey_rating }</legend>
                { for stars }
            </fieldset>
            <label style="font-weight: normal">
                <input type="checkbox" style={INLINE} checked={*resolved} onchange={onresolved} />
                { t.survey_resolved }
            </label>
            <label for="survey-comment">{ t.survey_comment }</label>
            <textarea id="survey-comment" rows="3" maxlength={MAX_COMMENT_CHARS.to_string()}
                value={(*comment).clone()} oninput={oncomment} />
            if *missing_rating {
                <p id="survey-error" class="field-error" role="alert">
                    { t.survey_rating_required }
                </p>
            }
            <button type="submit" class="primary" disabled={props.busy}>{ t.survey_submit }</button>
            <button type="button" disabled={props.busy} onclick={props.onskip.reform(|_| ())}>
                { t.survey_skip }
            </button>
        </form>
    }
}
