//! "Survey results": the average rating and a table of the latest exit surveys.

use protocol::api::SurveyRow;
use yew::prelude::*;

use super::local_time;
use crate::i18n::{Lang, use_console_texts};
use client_core::admin::average_rating;

#[derive(Properties, PartialEq)]
pub struct SurveysProps {
    /// Newest first.
    pub surveys: Vec<SurveyRow>,
}

#[function_component]
pub fn Surveys(props: &SurveysProps) -> Html {
    let t = use_console_texts();
    let lang = use_context::<Lang>().unwrap_or_default();
    let yes_no = |on: bool| if on { t.yes } else { t.no };
    let rows = props.surveys.iter().map(|survey| {
        html! {
            <tr key={survey.session.0}>
                <td>{ survey.session.0 }</td>
                <td>{ &survey.customer_name }</td>
                <td>{ &survey.rep_name }</td>
                <td>{ survey.rating }</td>
                <td>{ yes_no(survey.resolved) }</td>
                <td class="comment">{ &survey.comment }</td>
                <td>{ local_time(survey.at, lang) }</td>
            </tr>
        }
    });
    let body = match average_rating(&props.surveys) {
        None => html! { <p class="muted">{ t.no_surveys }</p> },
        Some(average) => html! {
            <>
                <p>{ (t.average_rating)(average, props.surveys.len()) }</p>
                <table class="admin-table">
                    <thead>
                        <tr>
                            <th scope="col">{ t.session_label }</th>
                            <th scope="col">{ t.customer_label }</th>
                            <th scope="col">{ t.rep_label }</th>
                            <th scope="col">{ t.rating_label }</th>
                            <th scope="col">{ t.resolved_label }</th>
                            <th scope="col">{ t.comment_label }</th>
                            <th scope="col">{ t.time_label }</th>
                        </tr>
                    </thead>
                    <tbody>{ for rows }</tbody>
                </table>
            </>
        },
    };
    html! {
        <section aria-labelledby="surveys-title">
            <h2 id="surveys-title">{ t.surveys_title }</h2>
            { body }
        </section>
    }
}
