//! Every text the app shows, in English and German, and the choice between them.
//!
//! The language comes from `?lang=en|de`, else the browser's language, else English. Both
//! tables fill the same struct, so a text missing in one language does not compile.

use protocol::{ErrorCode, Millis};
use yew::prelude::*;

use crate::services::ws::RequestError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    De,
}

impl Lang {
    /// The BCP 47 code, for `<html lang>`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::De => "de",
        }
    }

    pub fn texts(self) -> &'static Texts {
        match self {
            Lang::En => &EN,
            Lang::De => &DE,
        }
    }

    fn parse(tag: &str) -> Option<Lang> {
        let primary = tag.split(['-', '_']).next()?.trim().to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Lang::En),
            "de" => Some(Lang::De),
            _ => None,
        }
    }
}

/// The language for a page whose query string is `query` (`location.search`) in a browser
/// that prefers `navigator_language`.
pub fn choose(query: &str, navigator_language: Option<&str>) -> Lang {
    asked_lang(query)
        .or_else(|| navigator_language.and_then(Lang::parse))
        .unwrap_or_default()
}

/// The language a query string (`?lang=de`) asks for, if it names one we have.
pub fn asked_lang(query: &str) -> Option<Lang> {
    query
        .trim_start_matches('?')
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(key, _)| *key == "lang")
        .and_then(|(_, value)| Lang::parse(value))
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
    use_context::<Lang>().unwrap_or_default().texts()
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
    pub admin_later: &'static str,
}

impl Texts {
    /// What a failed request means for the user, with the server's own words when it gave any.
    pub fn request_error(&self, error: &RequestError) -> String {
        let RequestError::Server { code, message } = error else {
            return self.error_disconnected.to_string();
        };
        let general = match code {
            ErrorCode::BadFrame
            | ErrorCode::UnknownType
            | ErrorCode::FrameTooLarge
            | ErrorCode::HandshakeRequired => self.error_bad_request,
            ErrorCode::UnsupportedVersion => self.error_outdated,
            ErrorCode::NotSignedIn => self.error_not_signed_in,
            ErrorCode::Forbidden => self.error_forbidden,
            ErrorCode::NoSuchSession => self.error_no_such_session,
            ErrorCode::WrongState => self.error_wrong_state,
            ErrorCode::InvalidInput => self.error_invalid_input,
            ErrorCode::RateLimited => self.error_rate_limited,
            ErrorCode::Internal => self.error_internal,
        };
        if message.trim().is_empty() {
            general.to_string()
        } else {
            format!("{general} ({message})")
        }
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
    chatting_with: |name| format!("You are chatting with {name}"),
    chatting_with_support: "You are chatting with support",
    chat_log_label: "Chat messages",
    no_messages: "No messages yet.",
    message: "Message",
    message_too_long: |max| format!("A message can be at most {max} characters long."),
    send: "Send",
    end_session: "End session",
    sending: "sending…",
    not_sent: "not sent",
    ended_by_you: "You ended the session.",
    ended_by_rep: "The support technician ended the session.",
    ended_by_customer: "The customer ended the session.",
    ended: "The session has ended.",
    new_chat: "Start a new chat",

    rep_title: "Rep console",
    sign_in_title: "Sign in",
    username: "Username",
    password: "Password",
    sign_in: "Sign in",
    sign_out: "Sign out",
    signed_in_as: |name| format!("Signed in as {name}"),
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
    not_admin: |name| format!("You are signed in as {name}, but this page needs the admin role."),
    admin_later: "Settings for texts, policies and reps arrive in a later version.",
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
    chatting_with: |name| format!("Sie chatten mit {name}"),
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
    ended_by_customer: "Der Kunde hat die Sitzung beendet.",
    ended: "Die Sitzung ist beendet.",
    new_chat: "Neuen Chat beginnen",

    rep_title: "Support-Konsole",
    sign_in_title: "Anmelden",
    username: "Benutzername",
    password: "Passwort",
    sign_in: "Anmelden",
    sign_out: "Abmelden",
    signed_in_as: |name| format!("Angemeldet als {name}"),
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
    admin_later: "Einstellungen für Texte, Richtlinien und Mitarbeiter folgen in einer späteren Version.",
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
    fn server_errors_keep_the_server_words() {
        let error = RequestError::Server {
            code: ErrorCode::InvalidInput,
            message: "name is empty".into(),
        };
        assert_eq!(
            EN.request_error(&error),
            "Please check your input. (name is empty)"
        );
        assert_eq!(
            DE.request_error(&RequestError::Disconnected),
            DE.error_disconnected
        );
    }
}
