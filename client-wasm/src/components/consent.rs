//! The recording prompt ("Allow recording" / "Do not record") and the receipt of the answer,
//! which the browser makes and saves as a text file.

use protocol::Millis;
use wasm_bindgen::JsValue;
use web_sys::HtmlElement;
use yew::prelude::*;

use crate::i18n::{Texts, use_texts};
use crate::services::download;
use client_core::customer::StoredConsent;

#[derive(Properties, PartialEq)]
pub struct RecordingPromptProps {
    /// Whether recording is allowed.
    pub onanswer: Callback<bool>,
}

#[function_component]
pub fn RecordingPrompt(props: &RecordingPromptProps) -> Html {
    let t = use_texts();
    let heading = use_node_ref();
    {
        // The agreement's buttons are gone; keyboard and screen reader users continue here.
        let heading = heading.clone();
        use_effect_with((), move |_| {
            if let Some(heading) = heading.cast::<HtmlElement>() {
                let _ = heading.focus();
            }
        });
    }
    html! {
        <section class="panel recording" aria-labelledby="recording-heading">
            <h2 id="recording-heading" tabindex="-1" ref={heading}>{ t.recording_heading }</h2>
            <p>{ t.recording_question }</p>
            <button type="button" class="primary" onclick={props.onanswer.reform(|_| true)}>
                { t.allow_recording }
            </button>
            <button type="button" onclick={props.onanswer.reform(|_| false)}>
                { t.do_not_record }
            </button>
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct ConsentReceiptProps {
    pub consent: StoredConsent,
    /// The site records shared screens and keeps them this many days (0: for good).
    pub kept_days: Option<u32>,
}

/// The stored answer and a button that downloads its receipt.
#[function_component]
pub fn ConsentReceipt(props: &ConsentReceiptProps) -> Html {
    let t = use_texts();
    let (consent, kept_days) = (props.consent, props.kept_days);
    let onclick = Callback::from(move |_| {
        let site = web_sys::window()
            .and_then(|window| window.location().origin().ok())
            .unwrap_or_default();
        let offset = local_offset_minutes(consent.consent.at);
        let text = receipt_text(t, &site, &consent, kept_days, offset);
        download::text_file(&(t.receipt_file)(consent.session), &text);
    });
    let note = if consent.consent.allowed {
        t.recording_allowed_note
    } else {
        t.recording_refused_note
    };
    html! {
        <p class="receipt">
            { note }{ " " }
            <button type="button" {onclick}>{ t.download_receipt }</button>
        </p>
    }
}

/// Minutes the browser's time zone is ahead of UTC at `at`.
fn local_offset_minutes(at: Millis) -> i32 {
    let date = js_sys::Date::new(&JsValue::from_f64(at as f64));
    // `getTimezoneOffset` counts the other way: minutes UTC is ahead of local time.
    -(date.get_timezone_offset() as i32)
}

/// The receipt: what was answered, when (in UTC and in the customer's time), where, for
/// which session, and, when allowed, what the site records and for how long (`kept_days`,
/// when it records shared screens).
pub fn receipt_text(
    t: &Texts,
    site: &str,
    consent: &StoredConsent,
    kept_days: Option<u32>,
    local_offset_minutes: i32,
) -> String {
    let at = consent.consent.at;
    let answer = if consent.consent.allowed {
        t.receipt_allowed
    } else {
        t.receipt_refused
    };
    let local = date_time(at + i64::from(local_offset_minutes) * 60_000);
    let offset = utc_offset(local_offset_minutes);
    let recorded = kept_days
        .filter(|_| consent.consent.allowed)
        .map(t.receipt_recorded);
    [
        t.receipt_title.to_string(),
        String::new(),
        format!("{}: {}", t.receipt_session, consent.session),
        format!("{}: {site}", t.receipt_site),
        format!("{}: {answer}", t.receipt_answer),
    ]
    .into_iter()
    .chain(recorded)
    .chain([
        format!("{}: {} UTC", t.receipt_time_utc, date_time(at)),
        format!("{}: {local} ({offset})", t.receipt_time_local),
        String::new(),
    ])
    .collect::<Vec<_>>()
    .join("\n")
}

/// "2023-11-14 22:13:20" for milliseconds since the epoch, read as UTC.
fn date_time(at: Millis) -> String {
    let seconds = at.div_euclid(1000);
    let (year, month, day) = civil_from_days(seconds.div_euclid(86_400));
    let of_day = seconds.rem_euclid(86_400);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02}",
        of_day / 3600,
        of_day % 3600 / 60,
        of_day % 60
    )
}

/// "UTC+01:00", "UTC-05:30".
fn utc_offset(minutes: i32) -> String {
    let sign = if minutes < 0 { '-' } else { '+' };
    let minutes = minutes.unsigned_abs();
    format!("UTC{sign}{:02}:{:02}", minutes / 60, minutes % 60)
}

/// The calendar date of a day counted from 1970-01-01 (Howard Hinnant's algorithm), so the
/// receipt needs no date library.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * month_index + 2) / 5 + 1) as u32;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{DE, EN};
    use protocol::Consent;

    fn consent(allowed: bool) -> StoredConsent {
        StoredConsent {
            session: protocol::SessionId(7),
            consent: Consent {
                allowed,
                at: 1_700_000_000_000,
            },
        }
    }

    #[test]
    fn dates_are_read_as_utc() {
        assert_eq!(date_time(0), "1970-01-01 00:00:00");
        assert_eq!(date_time(1_700_000_000_000), "2023-11-14 22:13:20");
        assert_eq!(date_time(951_782_400_000), "2000-02-29 00:00:00");
        assert_eq!(date_time(-1000), "1969-12-31 23:59:59");
    }

    #[test]
    fn offsets_have_a_sign_and_minutes() {
        assert_eq!(utc_offset(60), "UTC+01:00");
        assert_eq!(utc_offset(-330), "UTC-05:30");
        assert_eq!(utc_offset(0), "UTC+00:00");
    }

    #[test]
    fn the_receipt_names_answer_time_site_and_session() {
        let text = receipt_text(&EN, "https://help.example", &consent(true), None, 60);
        assert_eq!(
            text,
            "Receipt: your answer to the recording question\n\n\
             Session: 7\n\
             Site: https://help.example\n\
             Answer: Recording allowed\n\
             Time (UTC): 2023-11-14 22:13:20 UTC\n\
             Time (local): 2023-11-14 23:13:20 (UTC+01:00)\n"
        );
        let text = receipt_text(&EN, "https://help.example", &consent(true), Some(90), 60);
        assert!(
            text.contains("Recorded: the screen you share, kept for 90 days\n"),
            "{text}"
        );
        let text = receipt_text(&DE, "https://help.example", &consent(false), Some(90), -300);
        assert!(
            !text.contains("Aufgezeichnet"),
            "nothing is, when refused: {text}"
        );
        assert!(
            text.contains("Antwort: Aufzeichnung nicht erlaubt"),
            "{text}"
        );
        assert!(
            text.contains("Zeit (lokal): 2023-11-14 17:13:20 (UTC-05:00)"),
            "{text}"
        );
    }
}
