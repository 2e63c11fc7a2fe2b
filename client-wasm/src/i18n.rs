//! Every text the app shows, in English and German, and the choice between them.
//!
//! The language comes from `?lang=en|de`, else the browser's language, else English. Both
//! tables fill the same struct, so a text missing in one language does not compile. What only
//! the rep console and the admin pages say is in `console.rs`, in the console's build alone; the
//! admin page's labels and messages for `client_core::admin` are in `admin.rs`.

#[cfg(feature = "console")]
mod admin;
#[cfg(feature = "console")]
mod console;

#[cfg(feature = "console")]
pub use console::{ConsoleTexts, console_texts, use_console_texts};

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
    /// What the site records, and for how many days it keeps it (0: for good).
    pub receipt_recorded: fn(u32) -> String,
    pub receipt_time_utc: &'static str,
    pub receipt_time_local: &'static str,
    /// The receipt's file name for a session.
    pub receipt_file: fn(SessionId) -> String,
    pub notify_rep_joined: fn(&str) -> String,
    pub notify_new_message: fn(&str) -> String,
    pub title_new_message: &'static str,
    pub hour_unit: &'static str,

    // Language names, and what is wrong with a field: the customer's form and the admin's alike.
    pub lang_en: &'static str,
    pub lang_de: &'static str,
    pub invalid_not_an_origin: fn(&str) -> String,
    pub invalid_too_many: fn(&str, u32) -> String,
    pub rating_label: &'static str,
    pub comment_label: &'static str,
    pub invalid_empty: fn(&str) -> String,
    pub invalid_too_long: fn(&str, u32) -> String,
    pub invalid_out_of_range: fn(&str, u32, u32) -> String,
    pub invalid_not_a_url: fn(&str) -> String,

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
    pub nudged_you: fn(&str) -> String,
    pub you_nudged: fn(&str) -> String,
    pub notify_nudged: fn(&str) -> String,
    pub sent_a_link: fn(&str) -> String,
    pub you_sent_a_link: &'static str,
    pub link_to_send: &'static str,
    pub taken_over: fn(&str) -> String,
    pub larger_text: &'static str,
    pub smaller_text: &'static str,
    pub transfer_note: &'static str,
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
    /// The customer's browser could not capture: said to the customer, then why.
    pub share_could_not_start: &'static str,
    pub capture_failure: fn(CaptureFailure) -> &'static str,
    pub share_ended: &'static str,
    /// While the server records the shared screen; on both pages.
    pub session_recorded: &'static str,
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
    receipt_recorded: |days| match days {
        0 => "Recorded: the screen you share".into(),
        days => format!("Recorded: the screen you share, kept for {days} days"),
    },
    receipt_time_utc: "Time (UTC)",
    receipt_time_local: "Time (local)",
    receipt_file: |session| format!("consent-receipt-session-{session}.txt"),
    notify_rep_joined: |name| format!("\u{2068}{name}\u{2069} joined the chat"),
    notify_new_message: |name| format!("New message from \u{2068}{name}\u{2069}"),
    title_new_message: "New message",
    hour_unit: "h",

    // Language names, and what is wrong with a field: the customer's form and the admin's alike.
    lang_en: "English",
    lang_de: "German",
    invalid_not_an_origin: |field| {
        format!(
            "“{field}” takes sites such as https://help.example.com, one per line, without a path."
        )
    },
    invalid_too_many: |field, max| format!("“{field}” can list at most {max} entries."),
    rating_label: "Rating",
    comment_label: "Comment",
    invalid_empty: |field| format!("“{field}” must not be empty."),
    invalid_too_long: |field, max| format!("“{field}” can be at most {max} characters long."),
    invalid_out_of_range: |field, min, max| format!("“{field}” must be between {min} and {max}."),
    invalid_not_a_url: |field| {
        format!("“{field}” must be a web address starting with http:// or https://.")
    },
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
    nudged_you: |name| format!("\u{2068}{name}\u{2069} nudged you"),
    you_nudged: |name| format!("You nudged \u{2068}{name}\u{2069}"),
    notify_nudged: |name| format!("\u{2068}{name}\u{2069} is asking for your attention"),
    sent_a_link: |name| format!("\u{2068}{name}\u{2069} sent a link: "),
    you_sent_a_link: "You sent a link: ",
    link_to_send: "Link to send",
    taken_over: |name| format!("\u{2068}{name}\u{2069} has taken over the chat"),
    larger_text: "Larger text",
    smaller_text: "Smaller text",
    transfer_note: "Note for the next rep",
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
    share_could_not_start: "Your screen could not be shared.",
    capture_failure: |failure| match failure {
        CaptureFailure::NothingToShare => "Nothing was found that could be shared.",
        CaptureFailure::Blocked => {
            "Your system or another program kept the screen from being read."
        }
        CaptureFailure::Unsupported => "This browser cannot share a screen.",
        CaptureFailure::Other => "The browser could not capture the screen.",
    },
    share_ended: "Screen sharing ended",
    session_recorded: "This session is being recorded",
};

pub static DE: Texts = Texts {
    loading: "Wird geladen…",
    connecting: "Verbindung wird hergestellt…",
    reconnecting: "Verbindung unterbrochen. Neuer Versuch…",
    dismiss: "Ausblenden",

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
    receipt_recorded: |days| match days {
        0 => "Aufgezeichnet: der Bildschirm, den Sie freigeben".into(),
        days => format!("Aufgezeichnet: der Bildschirm, den Sie freigeben, {days} Tage aufbewahrt"),
    },
    receipt_time_utc: "Zeit (UTC)",
    receipt_time_local: "Zeit (lokal)",
    receipt_file: |session| format!("einwilligungsbeleg-sitzung-{session}.txt"),
    notify_rep_joined: |name| format!("\u{2068}{name}\u{2069} ist dem Chat beigetreten"),
    notify_new_message: |name| format!("Neue Nachricht von \u{2068}{name}\u{2069}"),
    title_new_message: "Neue Nachricht",
    hour_unit: "Std.",

    // Language names, and what is wrong with a field: the customer's form and the admin's alike.
    lang_en: "Englisch",
    lang_de: "Deutsch",
    invalid_not_an_origin: |field| {
        format!(
            "„{field}“ nimmt Websites wie https://hilfe.example.com, eine pro Zeile, ohne Pfad."
        )
    },
    invalid_too_many: |field, max| format!("„{field}“ darf höchstens {max} Einträge haben."),
    rating_label: "Bewertung",
    comment_label: "Kommentar",
    invalid_empty: |field| format!("„{field}“ darf nicht leer sein."),
    invalid_too_long: |field, max| format!("„{field}“ darf höchstens {max} Zeichen lang sein."),
    invalid_out_of_range: |field, min, max| {
        format!("„{field}“ muss zwischen {min} und {max} liegen.")
    },
    invalid_not_a_url: |field| {
        format!("„{field}“ muss eine Webadresse sein, die mit http:// oder https:// beginnt.")
    },
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
    nudged_you: |name| format!("\u{2068}{name}\u{2069} hat Sie angestupst"),
    you_nudged: |name| format!("Sie haben \u{2068}{name}\u{2069} angestupst"),
    notify_nudged: |name| format!("\u{2068}{name}\u{2069} bittet um Ihre Aufmerksamkeit"),
    sent_a_link: |name| format!("\u{2068}{name}\u{2069} hat einen Link gesendet: "),
    you_sent_a_link: "Sie haben einen Link gesendet: ",
    link_to_send: "Zu sendender Link",
    taken_over: |name| format!("\u{2068}{name}\u{2069} hat den Chat übernommen"),
    larger_text: "Größere Schrift",
    smaller_text: "Kleinere Schrift",
    transfer_note: "Notiz für den nächsten Mitarbeiter",
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
    share_could_not_start: "Ihr Bildschirm konnte nicht freigegeben werden.",
    capture_failure: |failure| match failure {
        CaptureFailure::NothingToShare => "Es wurde nichts gefunden, das freigegeben werden kann.",
        CaptureFailure::Blocked => {
            "Ihr System oder ein anderes Programm hat das Lesen des Bildschirms verhindert."
        }
        CaptureFailure::Unsupported => "Dieser Browser kann keinen Bildschirm freigeben.",
        CaptureFailure::Other => "Der Browser konnte den Bildschirm nicht aufnehmen.",
    },
    share_ended: "Bildschirmfreigabe beendet",
    session_recorded: "Diese Sitzung wird aufgezeichnet",
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
                t.nudged_you,
                t.you_nudged,
                t.notify_nudged,
                t.sent_a_link,
                t.taken_over,
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
            ];
            for text in named {
                let said = text("\u{202E}Eve");
                assert!(said.contains("\u{2068}\u{202E}Eve\u{2069}"), "{said}");
            }
        }
    }

    #[test]
    fn the_names_tests_rely_on() {
        assert_eq!(EN.larger_text, "Larger text");
        assert_eq!(EN.smaller_text, "Smaller text");
        assert_eq!(EN.send_file, "Send file");
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
