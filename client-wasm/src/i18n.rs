//! Every text the app shows, in English and German, and the choice between them.
//!
//! The language comes from `?lang=en|de`, else the browser's language, else English. Both
//! tables fill the same struct, so a text missing in one language does not compile. The admin
//! page's labels and messages for `client_core::admin` are in `admin.rs`.

mod admin;

use protocol::site::Problem;
use protocol::{CaptureFailure, ErrorCode, Millis, Reason, SessionId};
use yew::prelude::*;

use crate::services::ws::RequestError;

/// `value` with one decimal after `separator`, in whole-number arithmetic: formatting a float
/// with a precision would bring core's exact float printer into the wasm app, several KB.
fn one_decimal(value: f64, separator: char) -> String {
    let tenths = (value * 10.0).round() as u64;
    format!("{}{separator}{}", tenths / 10, tenths % 10)
}

/// The page's language is the wire's: a customer's `lang` and the admin's texts use it too.
pub use protocol::Lang;

/// All texts of `lang`.
pub fn texts(lang: Lang) -> &'static Texts {
    match lang {
        Lang::En => &EN,
        Lang::De => &DE,
    }
}

/// The language for a page whose query string is `query` (`location.search`) in a browser
/// that prefers `navigator_language`.
pub fn choose(query: &str, navigator_language: Option<&str>) -> Lang {
    asked_lang(query)
        .or_else(|| navigator_language.and_then(Lang::from_tag))
        .unwrap_or_default()
}

/// The language a query string (`?lang=de`) asks for, if it names one we have.
pub fn asked_lang(query: &str) -> Option<Lang> {
    query
        .trim_start_matches('?')
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(key, _)| *key == "lang")
        .and_then(|(_, value)| Lang::from_tag(value))
}

/// The language for this page, from its URL and the browser.
pub fn detect() -> Lang {
    let Some(window) = web_sys::window() else {
        return Lang::default();
    };
    let query = window.location().search().unwrap_or_default();
    choose(&query, window.navigator().language().as_deref())
}

/// The texts of the language the app provides; English outside the app (as in tests).
#[hook]
pub fn use_texts() -> &'static Texts {
    texts(use_context::<Lang>().unwrap_or_default())
}

/// All texts of one language.
pub struct Texts {
    pub loading: &'static str,
    pub connecting: &'static str,
    pub reconnecting: &'static str,
    pub dismiss: &'static str,
    pub not_found_title: &'static str,
    pub not_found_body: &'static str,
    pub go_to_chat: &'static str,

    pub error_bad_request: &'static str,
    pub error_outdated: &'static str,
    pub error_not_signed_in: &'static str,
    pub error_forbidden: &'static str,
    pub error_no_such_session: &'static str,
    pub error_no_such_notice: &'static str,
    pub error_no_such_file: &'static str,
    pub error_wrong_state: &'static str,
    pub error_invalid_input: &'static str,
    pub error_rate_limited: &'static str,
    pub error_internal: &'static str,
    pub error_disconnected: &'static str,

    pub chat_title: &'static str,
    pub chat_intro: &'static str,
    pub your_name: &'static str,
    pub how_can_we_help: &'static str,
    pub start_chat: &'static str,
    pub name_required: &'static str,
    pub name_too_long: fn(usize) -> String,
    pub problem_required: &'static str,
    pub problem_too_long: fn(usize) -> String,
    pub position_in_queue: fn(u32) -> String,
    pub in_queue: &'static str,
    pub waiting_note: &'static str,
    pub chatting_with: fn(&str) -> String,
    pub chatting_with_support: &'static str,
    pub chat_log_label: &'static str,
    pub no_messages: &'static str,
    pub message: &'static str,
    pub message_too_long: fn(usize) -> String,
    pub send: &'static str,
    pub end_session: &'static str,
    pub sending: &'static str,
    pub not_sent: &'static str,
    pub ended_by_you: &'static str,
    pub ended_by_rep: &'static str,
    pub ended_by_customer: &'static str,
    pub ended: &'static str,
    pub new_chat: &'static str,

    // The other side's connection.
    /// "Bo Rep is reconnecting…"
    pub peer_reconnecting: fn(&str) -> String,
    /// "Bo Rep is back."
    pub peer_back: fn(&str) -> String,
    pub ended_connection_lost: &'static str,

    // The chat embedded in another site's page.
    pub pop_out_chat: &'static str,
    pub chat_moved: &'static str,
    pub pop_out_blocked: &'static str,

    // Customer page additions (the customer part).
    pub agreement_heading: &'static str,
    pub agree: &'static str,
    pub decline: &'static str,
    pub declined_note: &'static str,
    pub recording_heading: &'static str,
    pub recording_question: &'static str,
    pub allow_recording: &'static str,
    pub do_not_record: &'static str,
    pub session_key: &'static str,
    pub session_key_hint: &'static str,
    pub notify_why: &'static str,
    pub wait_less_than_minute: &'static str,
    /// "about 3 min", from whole minutes.
    pub wait_about: fn(u32) -> String,
    /// "Estimated wait: about 3 min", from the formatted estimate.
    pub estimated_wait: fn(&str) -> String,
    pub notice_heading: &'static str,
    pub leave_session: &'static str,
    pub orphan_go_now: &'static str,
    pub orphan_redirect_soon: &'static str,
    pub left_session: &'static str,
    pub survey_heading: &'static str,
    pub survey_rating: &'static str,
    /// A rating's name: "1 star", "5 stars".
    pub stars: fn(u8) -> String,
    pub survey_resolved: &'static str,
    pub survey_comment: &'static str,
    pub survey_submit: &'static str,
    pub survey_skip: &'static str,
    pub survey_rating_required: &'static str,
    pub survey_thanks: &'static str,
    pub recording_allowed_note: &'static str,
    pub recording_refused_note: &'static str,
    pub download_receipt: &'static str,
    pub receipt_title: &'static str,
    pub receipt_session: &'static str,
    pub receipt_site: &'static str,
    pub receipt_answer: &'static str,
    pub receipt_allowed: &'static str,
    pub receipt_refused: &'static str,
    pub receipt_time_utc: &'static str,
    pub receipt_time_local: &'static str,
    /// The receipt's file name for a session.
    pub receipt_file: fn(SessionId) -> String,
    pub notify_rep_joined: fn(&str) -> String,
    pub notify_new_message: fn(&str) -> String,
    pub title_new_message: &'static str,

    pub rep_title: &'static str,
    pub sign_in_title: &'static str,
    pub username: &'static str,
    pub password: &'static str,
    pub sign_in: &'static str,
    pub sign_out: &'static str,
    pub signed_in_as: fn(&str) -> String,
    pub credentials_required: &'static str,
    pub wrong_credentials: &'static str,
    pub too_many_sign_ins: fn(u32) -> String,
    pub sign_in_expired: &'static str,
    pub request_failed: &'static str,
    pub queue_title: &'static str,
    pub queue_empty: &'static str,
    /// Below the queue when more wait than it shows.
    pub queue_more: fn(usize) -> String,
    /// Said to the rep when customers join the queue: one by name, several by number.
    pub now_waiting: fn(&[&str]) -> String,
    pub accept: &'static str,
    pub waiting_for: fn(&str) -> String,
    pub hour_unit: &'static str,
    pub sessions_title: &'static str,
    pub no_sessions: &'static str,
    pub problem_label: &'static str,
    pub ended_mark: &'static str,
    pub unread: fn(u32) -> String,
    pub close_session: &'static str,

    pub admin_title: &'static str,
    pub not_admin: fn(&str) -> String,

    // Rep console and admin page additions (the rep/admin part).
    pub lang_en: &'static str,
    pub lang_de: &'static str,
    pub yes: &'static str,
    pub no: &'static str,
    pub saving: &'static str,
    pub saved: &'static str,
    pub available: &'static str,
    pub available_hint: &'static str,
    pub create_key: &'static str,
    pub key_valid_until: fn(&str, &str) -> String,
    pub key_link: &'static str,
    pub via_key: &'static str,
    pub customer_lang: fn(&str) -> String,
    pub notice_for: fn(&str) -> String,
    pub send_notice: &'static str,
    pub no_active_notices: &'static str,
    pub notice_sent: &'static str,
    pub admin_load_failed: &'static str,
    pub retry: &'static str,
    pub texts_title: &'static str,
    pub placeholders_hint: &'static str,
    pub agreement_label: &'static str,
    pub greeting_label: &'static str,
    pub hold_label: &'static str,
    pub orphan_label: &'static str,
    pub policies_title: &'static str,
    pub recording_prompt_label: &'static str,
    pub hold_interval_label: &'static str,
    pub hold_interval_hint: &'static str,
    pub longest_wait_label: &'static str,
    pub longest_wait_hint: &'static str,
    pub orphan_url_label: &'static str,
    pub orphan_url_hint: &'static str,
    pub embed_sites_label: &'static str,
    pub embed_sites_hint: &'static str,
    pub invalid_not_an_origin: fn(&str) -> String,
    pub invalid_too_many: fn(&str, u32) -> String,
    pub keep_orphaned_label: &'static str,
    pub survey_label: &'static str,
    pub watermark_label: &'static str,
    pub file_limit_label: &'static str,
    pub default_wait_label: &'static str,
    pub save_settings: &'static str,
    pub reps_title: &'static str,
    pub login_label: &'static str,
    pub display_name_label: &'static str,
    pub admin_label: &'static str,
    pub disabled_label: &'static str,
    pub actions_label: &'static str,
    pub disable: &'static str,
    pub enable: &'static str,
    pub make_admin: &'static str,
    pub remove_admin: &'static str,
    /// A row's button named with the rep's login: ("Disable", "bo") → "Disable bo".
    pub for_login: fn(&str, &str) -> String,
    pub own_account_hint: &'static str,
    pub add_rep: &'static str,
    pub rep_fields_required: &'static str,
    pub login_chars: &'static str,
    pub password_too_short: fn(usize) -> String,
    pub login_taken: &'static str,
    pub notices_title: &'static str,
    pub notices_hint: &'static str,
    pub no_notices: &'static str,
    pub notice_label: &'static str,
    /// The n-th notice in the list, as its fields are named: "Notice 2".
    pub notice_number: fn(usize) -> String,
    pub new_notice_title: &'static str,
    pub active_label: &'static str,
    pub automatic_label: &'static str,
    pub save_notice: &'static str,
    pub delete_notice: &'static str,
    pub add_notice: &'static str,
    pub surveys_title: &'static str,
    pub no_surveys: &'static str,
    pub session_label: &'static str,
    pub customer_label: &'static str,
    pub rep_label: &'static str,
    pub rating_label: &'static str,
    pub resolved_label: &'static str,
    pub comment_label: &'static str,
    pub time_label: &'static str,
    /// The average rating and how many surveys it is taken over.
    pub average_rating: fn(f64, usize) -> String,
    pub invalid_empty: fn(&str) -> String,
    pub invalid_too_long: fn(&str, u32) -> String,
    pub invalid_out_of_range: fn(&str, u32, u32) -> String,
    pub invalid_not_a_url: fn(&str) -> String,
    pub invalid_not_a_number: fn(&str) -> String,

    // The live session: delivery, nudge, links, font size, files, transfer, profile.
    /// The decimal separator of this language, for file sizes.
    pub decimal_separator: char,
    pub sent: &'static str,
    pub delivered: &'static str,
    pub error_too_soon: &'static str,
    /// What exactly the server refused (`protocol::Reason`).
    pub reason_unknown_key: &'static str,
    pub reason_in_session_already: &'static str,
    pub reason_no_rep_yet: &'static str,
    pub reason_taken_by_another: &'static str,
    pub reason_another_reps_key: &'static str,
    pub reason_rep_not_signed_in: &'static str,
    pub reason_yours_already: &'static str,
    pub reason_nudged_recently: fn(u32) -> String,
    pub reason_files_waiting: &'static str,
    pub reason_file_too_large: fn(u32) -> String,
    pub reason_session_full: fn(u64) -> String,
    pub reason_answered_already: &'static str,
    pub reason_file_not_accepted: &'static str,
    pub reason_session_ended: &'static str,
    pub reason_share_requested: &'static str,
    pub reason_shared_already: &'static str,
    pub reason_not_sharing: &'static str,
    pub reason_no_share_request: &'static str,
    pub reason_upload_broke_off: &'static str,
    pub reason_larger_than_offered: &'static str,
    pub reason_not_stored: &'static str,
    /// The most the site's texts and active notices may take together, in KiB.
    pub reason_site_too_large: fn(u32) -> String,
    pub file_label: &'static str,
    pub nudge: &'static str,
    pub nudge_too_soon: &'static str,
    pub nudged_you: fn(&str) -> String,
    pub you_nudged: fn(&str) -> String,
    pub notify_nudged: fn(&str) -> String,
    pub sent_a_link: fn(&str) -> String,
    pub you_sent_a_link: &'static str,
    pub link_to_send: &'static str,
    pub send_link: &'static str,
    pub link_invalid: &'static str,
    pub taken_over: fn(&str) -> String,
    pub larger_text: &'static str,
    pub smaller_text: &'static str,
    pub transfer: &'static str,
    pub transfer_to: &'static str,
    pub transfer_note: &'static str,
    pub hand_over: &'static str,
    pub cancel: &'static str,
    pub no_other_reps: &'static str,
    pub away_mark: &'static str,
    pub handed_over_to: fn(&str) -> String,
    pub handover_from: fn(&str, &str) -> String,
    pub send_file: &'static str,
    pub drop_hint: &'static str,
    pub files_title: &'static str,
    /// (customer, file name, size) → "Ada wants to send log.txt (2.0 MB)".
    pub wants_to_send: fn(&str, &str, &str) -> String,
    pub accept_file: &'static str,
    pub decline_file: &'static str,
    pub awaiting_answer: fn(&str) -> String,
    pub upload_of: fn(&str) -> String,
    pub receiving: fn(&str) -> String,
    pub file_declined: fn(&str) -> String,
    pub file_failed: fn(&str, &str) -> String,
    pub file_stored: fn(&str) -> String,
    pub you_sent_file: fn(&str) -> String,
    pub download_file: fn(&str) -> String,
    pub connection_failed: &'static str,
    pub profile_title: &'static str,
    pub photo: &'static str,
    pub photo_hint: fn(usize) -> String,
    pub photo_wrong_type: &'static str,
    pub photo_too_large: fn(usize) -> String,
    pub profile_saved: &'static str,
    pub save_name: &'static str,
    pub your_photo: &'static str,
    pub no_photo: &'static str,

    // Screen sharing.
    pub relay_only_label: &'static str,
    /// (rep) → "Bo wants to see your screen".
    pub share_wants: fn(&str) -> String,
    pub share_whole_explained: fn(&str) -> String,
    pub share_choose_explained: &'static str,
    /// After a reload: the sharing the customer agreed to needs the screen picked again.
    pub share_resume_explained: &'static str,
    pub share_screen: &'static str,
    pub share_visible_to: fn(&str) -> String,
    /// While the media connection to the rep is being made: not yet visible.
    pub share_connecting_to: fn(&str) -> String,
    pub stop_screen_sharing: &'static str,
    pub change_sharing: &'static str,
    pub stop_sharing: &'static str,
    pub pop_out_controls: &'static str,
    pub share_lost: fn(&str) -> String,
    pub share_retry: &'static str,
    pub share_starting: &'static str,
    pub screen_title: &'static str,
    pub what_to_share: &'static str,
    pub whole_screen: &'static str,
    pub customer_chooses: &'static str,
    pub request_sharing: &'static str,
    pub share_waiting_for: fn(&str) -> String,
    pub share_declined_by: fn(&str) -> String,
    /// The customer's browser could not capture: said to the customer, then why.
    pub share_could_not_start: &'static str,
    pub capture_failure: fn(CaptureFailure) -> &'static str,
    /// (customer, why) → "Screen sharing could not start for Ada: …", to the rep.
    pub share_could_not_start_for: fn(&str, CaptureFailure) -> String,
    pub share_ended: &'static str,
    pub share_interrupted: &'static str,
    pub share_connecting: &'static str,
    pub share_connection_lost: &'static str,
    pub full_screen: &'static str,
    pub shared_screen_of: fn(&str) -> String,
    /// (session, rep) → "Session 7 · Bo Rep".
    pub share_watermark: fn(SessionId, &str) -> String,
}

impl Texts {
    /// What a failed request means for the user: what exactly, when the server said it, else
    /// the kind of refusal. The server's English detail is never shown.
    pub fn request_error(&self, error: &RequestError) -> String {
        let RequestError::Server { code, reason, .. } = error else {
            return self.error_disconnected.to_string();
        };
        if let Some(reason) = reason {
            return self.reason(reason);
        }
        let general = match code {
            ErrorCode::BadFrame
            | ErrorCode::UnknownType
            | ErrorCode::FrameTooLarge
            | ErrorCode::HandshakeRequired => self.error_bad_request,
            ErrorCode::UnsupportedVersion => self.error_outdated,
            ErrorCode::NotSignedIn => self.error_not_signed_in,
            ErrorCode::Forbidden => self.error_forbidden,
            ErrorCode::NoSuchSession => self.error_no_such_session,
            ErrorCode::NoSuchNotice => self.error_no_such_notice,
            ErrorCode::NoSuchFile => self.error_no_such_file,
            ErrorCode::WrongState => self.error_wrong_state,
            ErrorCode::InvalidInput => self.error_invalid_input,
            ErrorCode::RateLimited => self.error_rate_limited,
            ErrorCode::Internal => self.error_internal,
            ErrorCode::TooSoon => self.error_too_soon,
        };
        general.to_string()
    }

    /// What exactly the server refused, in this language.
    pub fn reason(&self, reason: &Reason) -> String {
        match reason {
            Reason::Invalid(invalid) => {
                self.invalid(self.request_field(&invalid.field), &invalid.problem)
            }
            Reason::UnknownKey => self.reason_unknown_key.into(),
            Reason::InSessionAlready => self.reason_in_session_already.into(),
            Reason::NoRepYet => self.reason_no_rep_yet.into(),
            Reason::TakenByAnother => self.reason_taken_by_another.into(),
            Reason::AnotherRepsKey => self.reason_another_reps_key.into(),
            Reason::RepNotSignedIn => self.reason_rep_not_signed_in.into(),
            Reason::YoursAlready => self.reason_yours_already.into(),
            Reason::NudgedRecently(secs) => (self.reason_nudged_recently)(*secs),
            Reason::FilesWaiting => self.reason_files_waiting.into(),
            Reason::FileTooLarge(max_mb) => (self.reason_file_too_large)(*max_mb),
            Reason::SessionFull(max_mb) => (self.reason_session_full)(*max_mb),
            Reason::AnsweredAlready => self.reason_answered_already.into(),
            Reason::FileNotAccepted => self.reason_file_not_accepted.into(),
            Reason::SessionEnded => self.reason_session_ended.into(),
            Reason::ShareRequested => self.reason_share_requested.into(),
            Reason::SharedAlready => self.reason_shared_already.into(),
            Reason::NotSharing => self.reason_not_sharing.into(),
            Reason::NoShareRequest => self.reason_no_share_request.into(),
            Reason::UploadBrokeOff => self.reason_upload_broke_off.into(),
            Reason::LargerThanOffered => self.reason_larger_than_offered.into(),
            Reason::NotStored => self.reason_not_stored.into(),
            Reason::SiteTooLarge(max_kib) => (self.reason_site_too_large)(*max_kib),
        }
    }

    /// What is wrong with the field labelled `label`.
    pub fn invalid(&self, label: &str, problem: &Problem) -> String {
        match *problem {
            Problem::Empty => (self.invalid_empty)(label),
            Problem::TooLong { max } => (self.invalid_too_long)(label, max),
            Problem::OutOfRange { min, max } => (self.invalid_out_of_range)(label, min, max),
            Problem::NotAUrl => (self.invalid_not_a_url)(label),
            Problem::NotAnOrigin => (self.invalid_not_an_origin)(label),
            Problem::TooMany { max } => (self.invalid_too_many)(label, max),
        }
    }

    /// The visible label of a request's field the server names in a refusal.
    fn request_field<'a>(&self, field: &'a str) -> &'a str {
        match field {
            "name" => self.your_name,
            "problem" => self.how_can_we_help,
            "text" => self.message,
            "comment" => self.comment_label,
            "rating" => self.rating_label,
            "url" => self.link_to_send,
            "note" => self.transfer_note,
            "file" => self.file_label,
            other => other,
        }
    }

    /// A language's name in this language ("German", "Deutsch").
    pub fn lang_name(&self, lang: protocol::Lang) -> &'static str {
        match lang {
            protocol::Lang::En => self.lang_en,
            protocol::Lang::De => self.lang_de,
        }
    }

    /// A file's size for people: "512 B", "3.4 KB", "2.0 MB" (1 KB = 1024 bytes).
    pub fn size(&self, bytes: u64) -> String {
        const KIB: u64 = 1024;
        let (value, unit) = match bytes {
            0..KIB => return format!("{bytes} B"),
            KIB..0x10_0000 => (bytes as f64 / KIB as f64, "KB"),
            0x10_0000..0x4000_0000 => (bytes as f64 / (KIB * KIB) as f64, "MB"),
            _ => (bytes as f64 / (KIB * KIB * KIB) as f64, "GB"),
        };
        format!("{} {unit}", one_decimal(value, self.decimal_separator))
    }

    /// How long someone has waited: "45 s", "2 min", "1 h 5 min".
    pub fn duration(&self, elapsed: Millis) -> String {
        // The server's clock may run ahead of the browser's.
        let seconds = elapsed.max(0) / 1000;
        match seconds {
            0..60 => format!("{seconds} s"),
            60..3600 => format!("{} min", seconds / 60),
            _ => format!(
                "{} {} {} min",
                seconds / 3600,
                self.hour_unit,
                seconds % 3600 / 60
            ),
        }
    }
}

pub static EN: Texts = Texts {
    loading: "Loading…",
    connecting: "Connecting…",
    reconnecting: "Connection lost. Reconnecting…",
    dismiss: "Dismiss",
    not_found_title: "Page not found",
    not_found_body: "There is nothing at this address.",
    go_to_chat: "Go to the support chat",

    error_bad_request: "The server did not understand the request.",
    error_outdated: "This page is out of date. Please reload it.",
    error_not_signed_in: "Please sign in again.",
    error_forbidden: "You are not allowed to do that.",
    error_no_such_session: "This session no longer exists.",
    error_no_such_notice: "This notice no longer exists.",
    error_no_such_file: "This file is no longer offered.",
    error_wrong_state: "That is not possible at this point of the session.",
    error_invalid_input: "Please check your input.",
    error_rate_limited: "That was too fast. Please wait a moment and try again.",
    error_internal: "The server could not do that. Please try again.",
    error_disconnected: "The connection was lost before the server answered. Please try again.",

    chat_title: "Chat with support",
    chat_intro: "Tell us your name and what you need. A support technician will join you here.",
    your_name: "Your name",
    how_can_we_help: "How can we help?",
    start_chat: "Start chat",
    name_required: "Please enter your name.",
    name_too_long: |max| format!("Your name can be at most {max} characters long."),
    problem_required: "Please tell us how we can help.",
    problem_too_long: |max| format!("Please describe the problem in at most {max} characters."),
    position_in_queue: |n| format!("Position in queue: {n}"),
    in_queue: "You are in the queue.",
    waiting_note: "A support technician will be with you shortly. Please keep this page open.",
    chatting_with: |name| format!("You are chatting with \u{2068}{name}\u{2069}"),
    chatting_with_support: "You are chatting with support",
    chat_log_label: "Chat messages",
    no_messages: "No messages yet.",
    message: "Message",
    message_too_long: |max| format!("A message can be at most {max} characters long."),
    send: "Send",
    end_session: "End session",
    sending: "Sending…",
    not_sent: "not sent",
    ended_by_you: "You ended the session.",
    ended_by_rep: "The support technician ended the session.",
    ended_by_customer: "The customer left. The session has ended.",
    ended: "The session has ended.",
    new_chat: "Start a new chat",

    // The other side's connection.
    peer_reconnecting: |name| format!("\u{2068}{name}\u{2069} is reconnecting…"),
    peer_back: |name| format!("\u{2068}{name}\u{2069} is back."),
    ended_connection_lost: "The connection was lost and did not come back, so the session has ended.",

    // The chat embedded in another site's page.
    pop_out_chat: "Pop out chat",
    chat_moved: "The chat goes on in its own window. You can close this panel.",
    pop_out_blocked: "The browser did not open a new window. Allow pop-ups for this site, or go on chatting here.",

    // Customer page additions (the customer part).
    agreement_heading: "Before we start",
    agree: "Accept",
    decline: "Decline",
    declined_note: "You declined the agreement. The session has ended. You can close this page.",
    recording_heading: "Recording",
    recording_question: "May this support session be recorded? Your answer is stored with the session.",
    allow_recording: "Allow recording",
    do_not_record: "Do not record",
    session_key: "Session key",
    session_key_hint: "Optional: only if a support technician gave you one.",
    notify_why: "When you start the chat, your browser may ask whether this page may show notifications. \
                 We use them only to tell you when a support technician answers while this tab is in the background.",
    wait_less_than_minute: "less than a minute",
    wait_about: |minutes| format!("about {minutes} min"),
    estimated_wait: |wait| format!("Estimated wait: {wait}"),
    notice_heading: "Notice",
    leave_session: "Leave session",
    orphan_go_now: "Go there now",
    orphan_redirect_soon: "You will be taken to another page in a few seconds.",
    left_session: "You left the session. The session has ended.",
    survey_heading: "How did we do?",
    survey_rating: "Rating",
    stars: |n| {
        if n == 1 {
            "1 star".to_string()
        } else {
            format!("{n} stars")
        }
    },
    survey_resolved: "My problem was solved",
    survey_comment: "Comment",
    survey_submit: "Submit",
    survey_skip: "Skip",
    survey_rating_required: "Please choose a rating.",
    survey_thanks: "Thank you for your feedback.",
    recording_allowed_note: "You allowed this session to be recorded.",
    recording_refused_note: "You did not allow this session to be recorded.",
    download_receipt: "Download consent receipt",
    receipt_title: "Receipt: your answer to the recording question",
    receipt_session: "Session",
    receipt_site: "Site",
    receipt_answer: "Answer",
    receipt_allowed: "Recording allowed",
    receipt_refused: "Recording not allowed",
    receipt_time_utc: "Time (UTC)",
    receipt_time_local: "Time (local)",
    receipt_file: |session| format!("consent-receipt-session-{session}.txt"),
    notify_rep_joined: |name| format!("\u{2068}{name}\u{2069} joined the chat"),
    notify_new_message: |name| format!("New message from \u{2068}{name}\u{2069}"),
    title_new_message: "New message",

    rep_title: "Rep console",
    sign_in_title: "Sign in",
    username: "Username",
    password: "Password",
    sign_in: "Sign in",
    sign_out: "Sign out",
    signed_in_as: |name| format!("Signed in as \u{2068}{name}\u{2069}"),
    credentials_required: "Please enter your username and password.",
    wrong_credentials: "Wrong username or password.",
    too_many_sign_ins: |seconds| {
        format!(
            "Too many failed sign-ins. Please try again in {} min.",
            seconds.div_ceil(60)
        )
    },
    sign_in_expired: "Your sign-in has expired. Please sign in again.",
    request_failed: "Something went wrong",
    queue_title: "Waiting customers",
    queue_empty: "Nobody is waiting.",
    queue_more: |n| format!("… and {n} more waiting."),
    now_waiting: |names| match names {
        [name] => format!("{name} is waiting."),
        _ => format!("{} new customers are waiting.", names.len()),
    },
    accept: "Accept",
    waiting_for: |duration| format!("waiting {duration}"),
    hour_unit: "h",
    sessions_title: "Your sessions",
    no_sessions: "No open sessions. Accept a customer from the queue.",
    problem_label: "Problem",
    ended_mark: "ended",
    unread: |n| format!("{n} new"),
    close_session: "Remove from list",

    admin_title: "Administration",
    not_admin: |name| {
        format!("You are signed in as \u{2068}{name}\u{2069}, but this page needs the admin role.")
    },

    // Rep console and admin page additions (the rep/admin part).
    lang_en: "English",
    lang_de: "German",
    yes: "yes",
    no: "no",
    saving: "Saving…",
    saved: "Saved",
    available: "Available",
    available_hint: "Customers are told that nobody can help only when no rep is available.",
    create_key: "Create session key",
    key_valid_until: |key, time| format!("Key: {key}, valid until {time}"),
    key_link: "Link for the customer",
    via_key: "via key",
    customer_lang: |lang| format!("Language: {lang}"),
    notice_for: |name| format!("Notice for \u{2068}{name}\u{2069}"),
    send_notice: "Send notice",
    no_active_notices: "There are no active notices. An admin can add them.",
    notice_sent: "Notice sent.",
    admin_load_failed: "The settings could not be loaded.",
    retry: "Try again",
    texts_title: "Texts",
    placeholders_hint: "In the greeting and the hold message, {position} is replaced by the \
                        customer's place in the queue and {wait} by the estimated wait.",
    agreement_label: "Agreement",
    greeting_label: "Greeting",
    hold_label: "Hold message",
    orphan_label: "Orphan message",
    policies_title: "Policies",
    recording_prompt_label: "Ask for recording permission",
    hold_interval_label: "Hold message interval (seconds)",
    hold_interval_hint: "0 sends no hold messages; otherwise at least 10.",
    longest_wait_label: "Longest wait before orphaning (seconds)",
    longest_wait_hint: "0 never orphans a waiting customer.",
    orphan_url_label: "Redirect URL for orphaned customers",
    orphan_url_hint: "An http:// or https:// address; empty keeps the customer on the page.",
    embed_sites_label: "Sites allowed to embed the chat",
    embed_sites_hint: "One per line, such as https://help.example.com (no path). Other sites cannot show the chat widget.",
    invalid_not_an_origin: |field| {
        format!(
            "“{field}” takes sites such as https://help.example.com, one per line, without a path."
        )
    },
    invalid_too_many: |field, max| format!("“{field}” can list at most {max} entries."),
    keep_orphaned_label: "Keep orphaned customers in the queue",
    survey_label: "Exit survey",
    watermark_label: "Watermark while sharing",
    file_limit_label: "File size limit (MB)",
    default_wait_label: "Default wait per customer (seconds)",
    save_settings: "Save settings",
    reps_title: "Reps",
    login_label: "Login",
    display_name_label: "Display name",
    admin_label: "Admin",
    disabled_label: "Disabled",
    actions_label: "Actions",
    disable: "Disable",
    enable: "Enable",
    make_admin: "Make admin",
    remove_admin: "Remove admin",
    for_login: |action, login| format!("{action} {login}"),
    own_account_hint: "You cannot disable yourself or remove your own admin role.",
    add_rep: "Add rep",
    rep_fields_required: "Please fill in the login, the display name and the password.",
    login_chars: "The login may hold letters, digits and . _ - @ only.",
    password_too_short: |min| format!("The password needs at least {min} characters."),
    login_taken: "This login is already taken.",
    notices_title: "Notices",
    notices_hint: "Automatic notices are shown to every waiting customer; a rep sends the \
                   others. Only active notices are shown or sent.",
    no_notices: "No notices yet.",
    notice_label: "Notice",
    notice_number: |n| format!("Notice {n}"),
    new_notice_title: "New notice",
    active_label: "Active",
    automatic_label: "Automatic",
    save_notice: "Save notice",
    delete_notice: "Delete notice",
    add_notice: "Add notice",
    surveys_title: "Survey results",
    no_surveys: "No surveys yet.",
    session_label: "Session",
    customer_label: "Customer",
    rep_label: "Rep",
    rating_label: "Rating",
    resolved_label: "Resolved",
    comment_label: "Comment",
    time_label: "Time",
    average_rating: |average, count| {
        let average = one_decimal(average, '.');
        format!("Average rating: {average} of 5 ({count} surveys)")
    },
    invalid_empty: |field| format!("“{field}” must not be empty."),
    invalid_too_long: |field, max| format!("“{field}” can be at most {max} characters long."),
    invalid_out_of_range: |field, min, max| format!("“{field}” must be between {min} and {max}."),
    invalid_not_a_url: |field| {
        format!("“{field}” must be a web address starting with http:// or https://.")
    },
    invalid_not_a_number: |field| format!("“{field}” must be a whole number, 0 or more."),
    decimal_separator: '.',
    sent: "Sent",
    delivered: "Delivered",
    error_too_soon: "That was too soon. Please wait a moment.",
    reason_unknown_key: "This session key is unknown or has expired.",
    reason_in_session_already: "This page is in a session already.",
    reason_no_rep_yet: "No one from support has joined yet.",
    reason_taken_by_another: "Another rep has taken this customer.",
    reason_another_reps_key: "This customer came with another rep's session key.",
    reason_rep_not_signed_in: "That rep is not signed in any more.",
    reason_yours_already: "This session is yours already.",
    reason_nudged_recently: |secs| format!("The customer was just nudged. Again in {secs} s."),
    reason_files_waiting: "Please wait until the files you offered are answered.",
    reason_file_too_large: |max_mb| format!("The file is larger than {max_mb} MB."),
    reason_session_full: |max_mb| {
        format!("The files of this session may total at most {max_mb} MB.")
    },
    reason_answered_already: "This file was answered already.",
    reason_file_not_accepted: "The file has not been accepted, or it is being uploaded.",
    reason_session_ended: "The session has ended.",
    reason_share_requested: "A request to share is waiting for the customer's answer.",
    reason_shared_already: "The screen is shared already.",
    reason_not_sharing: "Screen sharing is not on.",
    reason_no_share_request: "No request to share is waiting.",
    reason_upload_broke_off: "The upload ended before the whole file arrived.",
    reason_larger_than_offered: "The file changed while it was being sent.",
    reason_not_stored: "The server could not store the file.",
    reason_site_too_large: |max| {
        format!(
            "Together, the texts and the active notices would be larger than the {max} KB \
             every page is sent. Shorten them or deactivate a notice."
        )
    },
    file_label: "File",
    nudge: "Nudge",
    nudge_too_soon: "Wait a few seconds before nudging again",
    nudged_you: |name| format!("\u{2068}{name}\u{2069} nudged you"),
    you_nudged: |name| format!("You nudged \u{2068}{name}\u{2069}"),
    notify_nudged: |name| format!("\u{2068}{name}\u{2069} is asking for your attention"),
    sent_a_link: |name| format!("\u{2068}{name}\u{2069} sent a link: "),
    you_sent_a_link: "You sent a link: ",
    link_to_send: "Link to send",
    send_link: "Send link",
    link_invalid: "Enter a web address starting with http:// or https://.",
    taken_over: |name| format!("\u{2068}{name}\u{2069} has taken over the chat"),
    larger_text: "Larger text",
    smaller_text: "Smaller text",
    transfer: "Transfer",
    transfer_to: "Transfer to",
    transfer_note: "Note for the next rep",
    hand_over: "Hand over",
    cancel: "Cancel",
    no_other_reps: "No other rep is signed in.",
    away_mark: "away",
    handed_over_to: |name| format!("Handed over to \u{2068}{name}\u{2069}"),
    handover_from: |name, note| format!("From \u{2068}{name}\u{2069}: {note}"),
    send_file: "Send file",
    drop_hint: "You can also drop files onto the chat.",
    files_title: "Files",
    wants_to_send: |who, file, size| {
        format!("\u{2068}{who}\u{2069} wants to send \u{2068}{file}\u{2069} ({size})")
    },
    accept_file: "Accept file",
    decline_file: "Decline file",
    awaiting_answer: |file| {
        format!("Waiting for the support technician to accept \u{2068}{file}\u{2069}")
    },
    upload_of: |file| format!("Upload of \u{2068}{file}\u{2069}"),
    receiving: |file| format!("Receiving \u{2068}{file}\u{2069}"),
    file_declined: |file| format!("\u{2068}{file}\u{2069} was declined."),
    file_failed: |file, reason| format!("\u{2068}{file}\u{2069} could not be sent: {reason}"),
    file_stored: |file| format!("\u{2068}{file}\u{2069} was sent."),
    you_sent_file: |file| format!("You sent \u{2068}{file}\u{2069}"),
    download_file: |file| format!("Download \u{2068}{file}\u{2069}"),
    connection_failed: "the connection failed",
    profile_title: "Profile",
    photo: "Photo",
    photo_hint: |kib| format!("A PNG, JPEG or WebP image of at most {kib} KB."),
    photo_wrong_type: "The photo must be a PNG, JPEG or WebP image.",
    photo_too_large: |kib| format!("The photo is too large: at most {kib} KB."),
    profile_saved: "Profile saved.",
    save_name: "Save name",
    your_photo: "Your photo",
    no_photo: "No photo yet.",
    relay_only_label: "Send screens through the relay only",
    share_wants: |rep| format!("\u{2068}{rep}\u{2069} wants to see your screen"),
    share_whole_explained: |rep| format!("\u{2068}{rep}\u{2069} will see your whole screen."),
    share_choose_explained: "You choose a window, tab or screen, and can change it any time.",
    share_resume_explained: "Sharing was interrupted by reloading the page. Choose again what to share.",
    share_screen: "Share screen",
    share_visible_to: |rep| format!("Your screen is visible to \u{2068}{rep}\u{2069}"),
    share_connecting_to: |rep| format!("Connecting your screen to \u{2068}{rep}\u{2069}…"),
    stop_screen_sharing: "Stop screen sharing",
    change_sharing: "Change sharing",
    stop_sharing: "Stop sharing",
    pop_out_controls: "Pop out sharing controls",
    share_lost: |rep| format!("The connection to \u{2068}{rep}\u{2069} was lost"),
    share_retry: "Retry",
    share_starting: "Starting screen sharing…",
    screen_title: "Screen sharing",
    what_to_share: "What to share",
    whole_screen: "Whole screen",
    customer_chooses: "Customer chooses",
    request_sharing: "Request screen sharing",
    share_waiting_for: |customer| format!("Waiting for \u{2068}{customer}\u{2069} to accept…"),
    share_declined_by: |customer| format!("\u{2068}{customer}\u{2069} declined screen sharing"),
    share_could_not_start: "Your screen could not be shared.",
    capture_failure: |failure| match failure {
        CaptureFailure::NothingToShare => "Nothing was found that could be shared.",
        CaptureFailure::Blocked => {
            "Your system or another program kept the screen from being read."
        }
        CaptureFailure::Unsupported => "This browser cannot share a screen.",
        CaptureFailure::Other => "The browser could not capture the screen.",
    },
    share_could_not_start_for: |customer, failure| {
        let why = match failure {
            CaptureFailure::NothingToShare => "nothing to share was found",
            CaptureFailure::Blocked => "their system blocked the capture",
            CaptureFailure::Unsupported => "their browser cannot share a screen",
            CaptureFailure::Other => "their browser could not capture the screen",
        };
        format!("Screen sharing could not start for \u{2068}{customer}\u{2069}: {why}")
    },
    share_ended: "Screen sharing ended",
    share_interrupted: "Sharing was interrupted; request again",
    share_connecting: "Connecting to the shared screen…",
    share_connection_lost: "Connection lost",
    full_screen: "Full screen",
    shared_screen_of: |customer| format!("Screen of \u{2068}{customer}\u{2069}"),
    share_watermark: |session, rep| format!("Session {session} · \u{2068}{rep}\u{2069}"),
};

pub static DE: Texts = Texts {
    loading: "Wird geladen…",
    connecting: "Verbindung wird hergestellt…",
    reconnecting: "Verbindung unterbrochen. Neuer Versuch…",
    dismiss: "Ausblenden",
    not_found_title: "Seite nicht gefunden",
    not_found_body: "Unter dieser Adresse gibt es nichts.",
    go_to_chat: "Zum Support-Chat",

    error_bad_request: "Der Server hat die Anfrage nicht verstanden.",
    error_outdated: "Diese Seite ist veraltet. Bitte laden Sie sie neu.",
    error_not_signed_in: "Bitte melden Sie sich erneut an.",
    error_forbidden: "Das dürfen Sie nicht.",
    error_no_such_session: "Diese Sitzung gibt es nicht mehr.",
    error_no_such_notice: "Diesen Hinweis gibt es nicht mehr.",
    error_no_such_file: "Diese Datei wird nicht mehr angeboten.",
    error_wrong_state: "Das ist in diesem Stand der Sitzung nicht möglich.",
    error_invalid_input: "Bitte prüfen Sie Ihre Eingabe.",
    error_rate_limited: "Das war zu schnell. Bitte warten Sie kurz und versuchen Sie es erneut.",
    error_internal: "Der Server konnte das nicht ausführen. Bitte versuchen Sie es erneut.",
    error_disconnected: "Die Verbindung brach ab, bevor der Server antwortete. Bitte versuchen Sie es erneut.",

    chat_title: "Chat mit dem Support",
    chat_intro: "Nennen Sie uns Ihren Namen und Ihr Anliegen. Ein Support-Mitarbeiter kommt hier zu Ihnen.",
    your_name: "Ihr Name",
    how_can_we_help: "Wie können wir helfen?",
    start_chat: "Chat starten",
    name_required: "Bitte geben Sie Ihren Namen ein.",
    name_too_long: |max| format!("Ihr Name darf höchstens {max} Zeichen lang sein."),
    problem_required: "Bitte sagen Sie uns, wie wir helfen können.",
    problem_too_long: |max| {
        format!("Bitte beschreiben Sie das Problem in höchstens {max} Zeichen.")
    },
    position_in_queue: |n| format!("Position in der Warteschlange: {n}"),
    in_queue: "Sie sind in der Warteschlange.",
    waiting_note: "Ein Support-Mitarbeiter ist gleich für Sie da. Bitte lassen Sie diese Seite geöffnet.",
    chatting_with: |name| format!("Sie chatten mit \u{2068}{name}\u{2069}"),
    chatting_with_support: "Sie chatten mit dem Support",
    chat_log_label: "Chatnachrichten",
    no_messages: "Noch keine Nachrichten.",
    message: "Nachricht",
    message_too_long: |max| format!("Eine Nachricht darf höchstens {max} Zeichen lang sein."),
    send: "Senden",
    end_session: "Sitzung beenden",
    sending: "wird gesendet…",
    not_sent: "nicht gesendet",
    ended_by_you: "Sie haben die Sitzung beendet.",
    ended_by_rep: "Der Support-Mitarbeiter hat die Sitzung beendet.",
    ended_by_customer: "Der Kunde hat die Sitzung verlassen. Sie ist beendet.",
    ended: "Die Sitzung ist beendet.",
    new_chat: "Neuen Chat beginnen",

    // The other side's connection.
    peer_reconnecting: |name| format!("\u{2068}{name}\u{2069} verbindet sich neu…"),
    peer_back: |name| format!("\u{2068}{name}\u{2069} ist wieder da."),
    ended_connection_lost: "Die Verbindung ist abgerissen und nicht zurückgekommen. Die Sitzung ist beendet.",

    // The chat embedded in another site's page.
    pop_out_chat: "Chat in eigenem Fenster",
    chat_moved: "Der Chat geht in seinem eigenen Fenster weiter. Sie können dieses Feld schließen.",
    pop_out_blocked: "Der Browser hat kein neues Fenster geöffnet. Erlauben Sie Pop-ups für diese Seite oder chatten Sie hier weiter.",

    // Customer page additions (the customer part).
    agreement_heading: "Bevor es losgeht",
    agree: "Akzeptieren",
    decline: "Ablehnen",
    declined_note: "Sie haben die Vereinbarung abgelehnt. Die Sitzung ist beendet. Sie können diese Seite schließen.",
    recording_heading: "Aufzeichnung",
    recording_question: "Darf diese Support-Sitzung aufgezeichnet werden? Ihre Antwort wird mit der Sitzung gespeichert.",
    allow_recording: "Aufzeichnung erlauben",
    do_not_record: "Nicht aufzeichnen",
    session_key: "Sitzungsschlüssel",
    session_key_hint: "Optional: nur wenn ein Support-Mitarbeiter Ihnen einen gegeben hat.",
    notify_why: "Wenn Sie den Chat starten, fragt Ihr Browser vielleicht, ob diese Seite Benachrichtigungen zeigen darf. \
                 Wir nutzen sie nur, um Ihnen zu sagen, dass ein Support-Mitarbeiter antwortet, während dieser Tab im Hintergrund ist.",
    wait_less_than_minute: "weniger als eine Minute",
    wait_about: |minutes| format!("etwa {minutes} min"),
    estimated_wait: |wait| format!("Geschätzte Wartezeit: {wait}"),
    notice_heading: "Hinweis",
    leave_session: "Sitzung verlassen",
    orphan_go_now: "Jetzt dorthin wechseln",
    orphan_redirect_soon: "In wenigen Sekunden werden Sie auf eine andere Seite weitergeleitet.",
    left_session: "Sie haben die Sitzung verlassen. Die Sitzung ist beendet.",
    survey_heading: "Wie war unser Support?",
    survey_rating: "Bewertung",
    stars: |n| {
        if n == 1 {
            "1 Stern".to_string()
        } else {
            format!("{n} Sterne")
        }
    },
    survey_resolved: "Mein Problem wurde gelöst",
    survey_comment: "Kommentar",
    survey_submit: "Absenden",
    survey_skip: "Überspringen",
    survey_rating_required: "Bitte wählen Sie eine Bewertung.",
    survey_thanks: "Danke für Ihre Rückmeldung.",
    recording_allowed_note: "Sie haben erlaubt, diese Sitzung aufzuzeichnen.",
    recording_refused_note: "Sie haben nicht erlaubt, diese Sitzung aufzuzeichnen.",
    download_receipt: "Einwilligungsbeleg herunterladen",
    receipt_title: "Beleg: Ihre Antwort auf die Frage nach der Aufzeichnung",
    receipt_session: "Sitzung",
    receipt_site: "Website",
    receipt_answer: "Antwort",
    receipt_allowed: "Aufzeichnung erlaubt",
    receipt_refused: "Aufzeichnung nicht erlaubt",
    receipt_time_utc: "Zeit (UTC)",
    receipt_time_local: "Zeit (lokal)",
    receipt_file: |session| format!("einwilligungsbeleg-sitzung-{session}.txt"),
    notify_rep_joined: |name| format!("\u{2068}{name}\u{2069} ist dem Chat beigetreten"),
    notify_new_message: |name| format!("Neue Nachricht von \u{2068}{name}\u{2069}"),
    title_new_message: "Neue Nachricht",

    rep_title: "Support-Konsole",
    sign_in_title: "Anmelden",
    username: "Benutzername",
    password: "Passwort",
    sign_in: "Anmelden",
    sign_out: "Abmelden",
    signed_in_as: |name| format!("Angemeldet als \u{2068}{name}\u{2069}"),
    credentials_required: "Bitte geben Sie Benutzername und Passwort ein.",
    wrong_credentials: "Benutzername oder Passwort ist falsch.",
    too_many_sign_ins: |seconds| {
        format!(
            "Zu viele fehlgeschlagene Anmeldungen. Bitte versuchen Sie es in {} min erneut.",
            seconds.div_ceil(60)
        )
    },
    sign_in_expired: "Ihre Anmeldung ist abgelaufen. Bitte melden Sie sich erneut an.",
    request_failed: "Etwas ist schiefgegangen",
    queue_title: "Wartende Kunden",
    queue_empty: "Niemand wartet.",
    queue_more: |n| format!("… und {n} weitere warten."),
    now_waiting: |names| match names {
        [name] => format!("{name} wartet."),
        _ => format!("{} neue Kunden warten.", names.len()),
    },
    accept: "Annehmen",
    waiting_for: |duration| format!("wartet seit {duration}"),
    hour_unit: "Std.",
    sessions_title: "Ihre Sitzungen",
    no_sessions: "Keine offenen Sitzungen. Nehmen Sie einen Kunden aus der Warteschlange an.",
    problem_label: "Anliegen",
    ended_mark: "beendet",
    unread: |n| format!("{n} neu"),
    close_session: "Aus der Liste entfernen",

    admin_title: "Verwaltung",
    not_admin: |name| {
        format!("Sie sind als {name} angemeldet, aber diese Seite erfordert die Admin-Rolle.")
    },

    // Rep console and admin page additions (the rep/admin part).
    lang_en: "Englisch",
    lang_de: "Deutsch",
    yes: "ja",
    no: "nein",
    saving: "Wird gespeichert…",
    saved: "Gespeichert",
    available: "Verfügbar",
    available_hint: "Kunden hören nur dann, dass niemand helfen kann, wenn kein Mitarbeiter \
                     verfügbar ist.",
    create_key: "Sitzungsschlüssel erstellen",
    key_valid_until: |key, time| format!("Schlüssel: {key}, gültig bis {time}"),
    key_link: "Link für den Kunden",
    via_key: "über Schlüssel",
    customer_lang: |lang| format!("Sprache: {lang}"),
    notice_for: |name| format!("Hinweis für \u{2068}{name}\u{2069}"),
    send_notice: "Hinweis senden",
    no_active_notices: "Es gibt keine aktiven Hinweise. Ein Admin kann welche anlegen.",
    notice_sent: "Hinweis gesendet.",
    admin_load_failed: "Die Einstellungen konnten nicht geladen werden.",
    retry: "Erneut versuchen",
    texts_title: "Texte",
    placeholders_hint: "In der Begrüßung und der Wartenachricht wird {position} durch den Platz \
                        des Kunden in der Warteschlange und {wait} durch die geschätzte Wartezeit \
                        ersetzt.",
    agreement_label: "Vereinbarung",
    greeting_label: "Begrüßung",
    hold_label: "Wartenachricht",
    orphan_label: "Nachricht, wenn niemand verfügbar ist",
    policies_title: "Richtlinien",
    recording_prompt_label: "Um Erlaubnis zur Aufzeichnung bitten",
    hold_interval_label: "Abstand der Wartenachrichten (Sekunden)",
    hold_interval_hint: "0 sendet keine Wartenachrichten, sonst mindestens 10.",
    longest_wait_label: "Längste Wartezeit, bis niemand mehr erwartet wird (Sekunden)",
    longest_wait_hint: "0 lässt wartende Kunden nie ohne Mitarbeiter zurück.",
    orphan_url_label: "Weiterleitungsadresse für Kunden ohne Mitarbeiter",
    orphan_url_hint: "Eine http://- oder https://-Adresse; leer lässt den Kunden auf der Seite.",
    embed_sites_label: "Websites, die den Chat einbetten dürfen",
    embed_sites_hint: "Eine pro Zeile, etwa https://hilfe.example.com (ohne Pfad). Andere Websites können das Chat-Widget nicht zeigen.",
    invalid_not_an_origin: |field| {
        format!(
            "„{field}“ nimmt Websites wie https://hilfe.example.com, eine pro Zeile, ohne Pfad."
        )
    },
    invalid_too_many: |field, max| format!("„{field}“ darf höchstens {max} Einträge haben."),
    keep_orphaned_label: "Kunden ohne Mitarbeiter in der Warteschlange lassen",
    survey_label: "Abschlussumfrage",
    watermark_label: "Wasserzeichen bei Bildschirmfreigabe",
    file_limit_label: "Größenlimit für Dateien (MB)",
    default_wait_label: "Standard-Wartezeit pro Kunde (Sekunden)",
    save_settings: "Einstellungen speichern",
    reps_title: "Mitarbeiter",
    login_label: "Anmeldename",
    display_name_label: "Anzeigename",
    admin_label: "Admin",
    disabled_label: "Gesperrt",
    actions_label: "Aktionen",
    disable: "Sperren",
    enable: "Entsperren",
    make_admin: "Zum Admin machen",
    remove_admin: "Admin entziehen",
    for_login: |action, login| format!("{action} {login}"),
    own_account_hint: "Sie können sich nicht selbst sperren oder sich die Admin-Rolle entziehen.",
    add_rep: "Mitarbeiter hinzufügen",
    rep_fields_required: "Bitte geben Sie Anmeldename, Anzeigename und Passwort ein.",
    login_chars: "Der Anmeldename darf nur Buchstaben, Ziffern und . _ - @ enthalten.",
    password_too_short: |min| format!("Das Passwort braucht mindestens {min} Zeichen."),
    login_taken: "Dieser Anmeldename ist bereits vergeben.",
    notices_title: "Hinweise",
    notices_hint: "Automatische Hinweise sehen alle wartenden Kunden; die anderen sendet ein \
                   Mitarbeiter. Nur aktive Hinweise werden gezeigt oder gesendet.",
    no_notices: "Noch keine Hinweise.",
    notice_label: "Hinweis",
    notice_number: |n| format!("Hinweis {n}"),
    new_notice_title: "Neuer Hinweis",
    active_label: "Aktiv",
    automatic_label: "Automatisch",
    save_notice: "Hinweis speichern",
    delete_notice: "Hinweis löschen",
    add_notice: "Hinweis hinzufügen",
    surveys_title: "Umfrageergebnisse",
    no_surveys: "Noch keine Umfragen.",
    session_label: "Sitzung",
    customer_label: "Kunde",
    rep_label: "Mitarbeiter",
    rating_label: "Bewertung",
    resolved_label: "Gelöst",
    comment_label: "Kommentar",
    time_label: "Zeit",
    average_rating: |average, count| {
        let average = one_decimal(average, ',');
        format!("Durchschnittliche Bewertung: {average} von 5 ({count} Umfragen)")
    },
    invalid_empty: |field| format!("„{field}“ darf nicht leer sein."),
    invalid_too_long: |field, max| format!("„{field}“ darf höchstens {max} Zeichen lang sein."),
    invalid_out_of_range: |field, min, max| {
        format!("„{field}“ muss zwischen {min} und {max} liegen.")
    },
    invalid_not_a_url: |field| {
        format!("„{field}“ muss eine Webadresse sein, die mit http:// oder https:// beginnt.")
    },
    invalid_not_a_number: |field| format!("„{field}“ muss eine ganze Zahl ab 0 sein."),
    decimal_separator: ',',
    sent: "Gesendet",
    delivered: "Zugestellt",
    error_too_soon: "Das war zu früh. Bitte warten Sie einen Moment.",
    reason_unknown_key: "Dieser Sitzungsschlüssel ist unbekannt oder abgelaufen.",
    reason_in_session_already: "Diese Seite ist schon in einer Sitzung.",
    reason_no_rep_yet: "Es ist noch niemand vom Support da.",
    reason_taken_by_another: "Ein anderer Mitarbeiter hat diesen Kunden übernommen.",
    reason_another_reps_key: "Dieser Kunde kam mit dem Sitzungsschlüssel eines anderen Mitarbeiters.",
    reason_rep_not_signed_in: "Dieser Mitarbeiter ist nicht mehr angemeldet.",
    reason_yours_already: "Diese Sitzung gehört Ihnen schon.",
    reason_nudged_recently: |secs| {
        format!("Der Kunde wurde gerade angestupst. Wieder in {secs} s.")
    },
    reason_files_waiting: "Bitte warten Sie, bis Ihre angebotenen Dateien beantwortet sind.",
    reason_file_too_large: |max_mb| format!("Die Datei ist größer als {max_mb} MB."),
    reason_session_full: |max_mb| {
        format!("Die Dateien dieser Sitzung dürfen zusammen höchstens {max_mb} MB groß sein.")
    },
    reason_answered_already: "Diese Datei wurde schon beantwortet.",
    reason_file_not_accepted: "Die Datei wurde nicht angenommen oder wird gerade hochgeladen.",
    reason_session_ended: "Die Sitzung ist beendet.",
    reason_share_requested: "Eine Bitte um Freigabe wartet auf die Antwort des Kunden.",
    reason_shared_already: "Der Bildschirm wird schon geteilt.",
    reason_not_sharing: "Die Bildschirmfreigabe ist nicht aktiv.",
    reason_no_share_request: "Es wartet keine Bitte um Freigabe.",
    reason_upload_broke_off: "Der Upload endete, bevor die ganze Datei ankam.",
    reason_larger_than_offered: "Die Datei hat sich beim Senden geändert.",
    reason_not_stored: "Der Server konnte die Datei nicht speichern.",
    reason_site_too_large: |max| {
        format!(
            "Texte und aktive Hinweise zusammen wären größer als die {max} KB, die jede Seite \
             erhält. Kürzen Sie sie oder deaktivieren Sie einen Hinweis."
        )
    },
    file_label: "Datei",
    nudge: "Anstupsen",
    nudge_too_soon: "Warten Sie ein paar Sekunden, bevor Sie erneut anstupsen",
    nudged_you: |name| format!("\u{2068}{name}\u{2069} hat Sie angestupst"),
    you_nudged: |name| format!("Sie haben \u{2068}{name}\u{2069} angestupst"),
    notify_nudged: |name| format!("\u{2068}{name}\u{2069} bittet um Ihre Aufmerksamkeit"),
    sent_a_link: |name| format!("\u{2068}{name}\u{2069} hat einen Link gesendet: "),
    you_sent_a_link: "Sie haben einen Link gesendet: ",
    link_to_send: "Zu sendender Link",
    send_link: "Link senden",
    link_invalid: "Geben Sie eine Webadresse ein, die mit http:// oder https:// beginnt.",
    taken_over: |name| format!("\u{2068}{name}\u{2069} hat den Chat übernommen"),
    larger_text: "Größere Schrift",
    smaller_text: "Kleinere Schrift",
    transfer: "Weitergeben",
    transfer_to: "Weitergeben an",
    transfer_note: "Notiz für den nächsten Mitarbeiter",
    hand_over: "Übergeben",
    cancel: "Abbrechen",
    no_other_reps: "Kein anderer Mitarbeiter ist angemeldet.",
    away_mark: "abwesend",
    handed_over_to: |name| format!("An \u{2068}{name}\u{2069} übergeben"),
    handover_from: |name, note| format!("Von \u{2068}{name}\u{2069}: {note}"),
    send_file: "Datei senden",
    drop_hint: "Sie können Dateien auch auf den Chat ziehen.",
    files_title: "Dateien",
    wants_to_send: |who, file, size| {
        format!("\u{2068}{who}\u{2069} möchte \u{2068}{file}\u{2069} senden ({size})")
    },
    accept_file: "Datei annehmen",
    decline_file: "Datei ablehnen",
    awaiting_answer: |file| {
        format!("Warten, bis der Support-Mitarbeiter \u{2068}{file}\u{2069} annimmt")
    },
    upload_of: |file| format!("Hochladen von \u{2068}{file}\u{2069}"),
    receiving: |file| format!("Empfang von \u{2068}{file}\u{2069}"),
    file_declined: |file| format!("\u{2068}{file}\u{2069} wurde abgelehnt."),
    file_failed: |file, reason| {
        format!("\u{2068}{file}\u{2069} konnte nicht gesendet werden: {reason}")
    },
    file_stored: |file| format!("\u{2068}{file}\u{2069} wurde gesendet."),
    you_sent_file: |file| format!("Sie haben \u{2068}{file}\u{2069} gesendet"),
    download_file: |file| format!("\u{2068}{file}\u{2069} herunterladen"),
    connection_failed: "die Verbindung ist abgebrochen",
    profile_title: "Profil",
    photo: "Foto",
    photo_hint: |kib| format!("Ein PNG-, JPEG- oder WebP-Bild mit höchstens {kib} KB."),
    photo_wrong_type: "Das Foto muss ein PNG-, JPEG- oder WebP-Bild sein.",
    photo_too_large: |kib| format!("Das Foto ist zu groß: höchstens {kib} KB."),
    profile_saved: "Profil gespeichert.",
    save_name: "Namen speichern",
    your_photo: "Ihr Foto",
    no_photo: "Noch kein Foto.",
    relay_only_label: "Bildschirme nur über das Relay senden",
    share_wants: |rep| format!("\u{2068}{rep}\u{2069} möchte Ihren Bildschirm sehen"),
    share_whole_explained: |rep| format!("\u{2068}{rep}\u{2069} sieht Ihren ganzen Bildschirm."),
    share_choose_explained: "Sie wählen ein Fenster, einen Tab oder einen Bildschirm und können die Auswahl jederzeit ändern.",
    share_resume_explained: "Die Freigabe wurde durch das Neuladen der Seite unterbrochen. Wählen Sie erneut, was Sie freigeben.",
    share_screen: "Bildschirm freigeben",
    share_visible_to: |rep| format!("Ihr Bildschirm ist für \u{2068}{rep}\u{2069} sichtbar"),
    share_connecting_to: |rep| format!("Ihr Bildschirm wird mit \u{2068}{rep}\u{2069} verbunden…"),
    stop_screen_sharing: "Bildschirmfreigabe beenden",
    change_sharing: "Freigabe ändern",
    stop_sharing: "Freigabe beenden",
    pop_out_controls: "Freigabe-Steuerung in eigenem Fenster",
    share_lost: |rep| format!("Die Verbindung zu \u{2068}{rep}\u{2069} ist abgebrochen"),
    share_retry: "Erneut versuchen",
    share_starting: "Bildschirmfreigabe wird gestartet…",
    screen_title: "Bildschirmfreigabe",
    what_to_share: "Was freigegeben wird",
    whole_screen: "Ganzer Bildschirm",
    customer_chooses: "Kunde wählt aus",
    request_sharing: "Bildschirmfreigabe anfragen",
    share_waiting_for: |customer| format!("Warten, bis \u{2068}{customer}\u{2069} zustimmt…"),
    share_declined_by: |customer| {
        format!("\u{2068}{customer}\u{2069} hat die Bildschirmfreigabe abgelehnt")
    },
    share_could_not_start: "Ihr Bildschirm konnte nicht freigegeben werden.",
    capture_failure: |failure| match failure {
        CaptureFailure::NothingToShare => "Es wurde nichts gefunden, das freigegeben werden kann.",
        CaptureFailure::Blocked => {
            "Ihr System oder ein anderes Programm hat das Lesen des Bildschirms verhindert."
        }
        CaptureFailure::Unsupported => "Dieser Browser kann keinen Bildschirm freigeben.",
        CaptureFailure::Other => "Der Browser konnte den Bildschirm nicht aufnehmen.",
    },
    share_could_not_start_for: |customer, failure| {
        let why = match failure {
            CaptureFailure::NothingToShare => "es wurde nichts zum Freigeben gefunden",
            CaptureFailure::Blocked => "das System hat die Aufnahme verhindert",
            CaptureFailure::Unsupported => "der Browser kann keinen Bildschirm freigeben",
            CaptureFailure::Other => "der Browser konnte den Bildschirm nicht aufnehmen",
        };
        format!("Die Bildschirmfreigabe von \u{2068}{customer}\u{2069} konnte nicht starten: {why}")
    },
    share_ended: "Bildschirmfreigabe beendet",
    share_interrupted: "Die Freigabe wurde unterbrochen; bitte erneut anfragen",
    share_connecting: "Verbindung zum freigegebenen Bildschirm wird aufgebaut…",
    share_connection_lost: "Verbindung abgebrochen",
    full_screen: "Vollbild",
    shared_screen_of: |customer| format!("Bildschirm von \u{2068}{customer}\u{2069}"),
    share_watermark: |session, rep| format!("Sitzung {session} · \u{2068}{rep}\u{2069}"),
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_query_wins_over_the_browser() {
        assert_eq!(choose("?lang=de", Some("en-US")), Lang::De);
        assert_eq!(choose("?x=1&lang=en", Some("de-DE")), Lang::En);
        assert_eq!(choose("?lang=DE-at", None), Lang::De);
    }

    #[test]
    fn the_browser_decides_without_a_query() {
        assert_eq!(choose("", Some("de-CH")), Lang::De);
        assert_eq!(choose("?lang=fr", Some("de")), Lang::De);
        assert_eq!(choose("?lang=fr", Some("en-GB")), Lang::En);
    }

    #[test]
    fn english_is_the_fallback() {
        assert_eq!(choose("", None), Lang::En);
        assert_eq!(choose("?lang=", Some("fr-FR")), Lang::En);
        assert_eq!(choose("?lang", Some("")), Lang::En);
    }

    #[test]
    fn the_queue_position_reads_as_tests_expect() {
        assert_eq!((EN.position_in_queue)(3), "Position in queue: 3");
        assert_eq!(
            (DE.position_in_queue)(3),
            "Position in der Warteschlange: 3"
        );
    }

    #[test]
    fn waiting_times_are_short_and_never_negative() {
        assert_eq!(EN.duration(-5_000), "0 s");
        assert_eq!(EN.duration(45_900), "45 s");
        assert_eq!(EN.duration(60_000), "1 min");
        assert_eq!(EN.duration(125_000), "2 min");
        assert_eq!(EN.duration(3_900_000), "1 h 5 min");
        assert_eq!(DE.duration(3_900_000), "1 Std. 5 min");
    }

    #[test]
    fn file_sizes_read_naturally_in_both_languages() {
        assert_eq!(EN.size(512), "512 B");
        assert_eq!(EN.size(3 * 1024 + 400), "3.4 KB");
        assert_eq!(EN.size(2 * 1024 * 1024), "2.0 MB");
        assert_eq!(DE.size(2 * 1024 * 1024 + 300_000), "2,3 MB");
        assert_eq!(
            (EN.wants_to_send)("Ada", "log.txt", &EN.size(2 << 20)),
            "\u{2068}Ada\u{2069} wants to send \u{2068}log.txt\u{2069} (2.0 MB)"
        );
    }

    #[test]
    fn every_name_in_a_sentence_is_isolated() {
        for t in [&EN, &DE] {
            let named = [
                t.chatting_with,
                t.peer_reconnecting,
                t.peer_back,
                t.notify_rep_joined,
                t.notify_new_message,
                t.signed_in_as,
                t.notice_for,
                t.nudged_you,
                t.you_nudged,
                t.notify_nudged,
                t.sent_a_link,
                t.taken_over,
                t.handed_over_to,
                t.awaiting_answer,
                t.upload_of,
                t.receiving,
                t.file_declined,
                t.file_stored,
                t.you_sent_file,
                t.download_file,
                t.share_wants,
                t.share_whole_explained,
                t.share_visible_to,
                t.share_connecting_to,
                t.share_lost,
                t.share_waiting_for,
                t.share_declined_by,
                t.shared_screen_of,
            ];
            for text in named {
                let said = text("\u{202E}Eve");
                assert!(said.contains("\u{2068}\u{202E}Eve\u{2069}"), "{said}");
            }
        }
    }

    #[test]
    fn the_names_tests_rely_on() {
        assert_eq!(EN.nudge, "Nudge");
        assert_eq!(EN.larger_text, "Larger text");
        assert_eq!(EN.smaller_text, "Smaller text");
        assert_eq!(EN.send_file, "Send file");
        assert_eq!(EN.transfer, "Transfer");
        assert!(EN.ended_by_customer.contains("left") && EN.ended_by_customer.contains("ended"));
    }

    #[test]
    fn a_refusal_is_worded_from_its_reason_never_from_the_servers_english() {
        let vague = RequestError::Server {
            code: ErrorCode::InvalidInput,
            reason: None,
            message: "name is empty".into(),
        };
        assert_eq!(DE.request_error(&vague), DE.error_invalid_input);
        let empty_name = RequestError::Server {
            code: ErrorCode::InvalidInput,
            reason: Some(Reason::Invalid(protocol::site::Invalid {
                field: "name".into(),
                problem: Problem::Empty,
            })),
            message: "the name is empty".into(),
        };
        assert_eq!(
            DE.request_error(&empty_name),
            "„Ihr Name“ darf nicht leer sein."
        );
        let too_large = RequestError::Server {
            code: ErrorCode::InvalidInput,
            reason: Some(Reason::FileTooLarge(10)),
            message: "the file is larger than the limit of 10 MB".into(),
        };
        assert_eq!(
            DE.request_error(&too_large),
            "Die Datei ist größer als 10 MB."
        );
        assert_eq!(
            DE.request_error(&RequestError::Disconnected),
            DE.error_disconnected
        );
    }
}
