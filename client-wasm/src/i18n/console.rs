//! The rep console's and admin pages' words, in the console's build only: a customer's download
//! carries none of them. `ConsoleTexts` dereferences to the shared [`Texts`], so a console
//! component reads both kinds of words from one value.

use std::ops::Deref;

use protocol::{CaptureFailure, SessionId};
use yew::prelude::*;

use super::{Lang, Texts, one_decimal};

/// The console's texts of `lang`.
pub fn console_texts(lang: Lang) -> &'static ConsoleTexts {
    match lang {
        Lang::En => &EN,
        Lang::De => &DE,
    }
}

/// The console's texts of the language the app provides; English outside the app (as in tests).
#[hook]
pub fn use_console_texts() -> &'static ConsoleTexts {
    console_texts(use_context::<Lang>().unwrap_or_default())
}

/// The words only the rep console and the admin pages show, in one language.
pub struct ConsoleTexts {
    /// The words the customer's build has too.
    shared: &'static Texts,
    pub not_found_title: &'static str,
    pub not_found_body: &'static str,
    pub go_to_chat: &'static str,
    pub ended_by_customer: &'static str,

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
    pub sessions_title: &'static str,
    pub no_sessions: &'static str,
    pub problem_label: &'static str,
    pub ended_mark: &'static str,
    pub unread: fn(u32) -> String,
    pub close_session: &'static str,

    pub admin_title: &'static str,
    pub not_admin: fn(&str) -> String,
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
    pub record_screens_label: &'static str,
    pub hold_interval_label: &'static str,
    pub hold_interval_hint: &'static str,
    pub longest_wait_label: &'static str,
    pub longest_wait_hint: &'static str,
    pub orphan_url_label: &'static str,
    pub orphan_url_hint: &'static str,
    pub embed_sites_label: &'static str,
    pub embed_sites_hint: &'static str,
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
    pub resolved_label: &'static str,
    pub time_label: &'static str,
    /// The average rating and how many surveys it is taken over.
    pub average_rating: fn(f64, usize) -> String,
    pub invalid_not_a_number: fn(&str) -> String,
    pub nudge: &'static str,
    pub nudge_too_soon: &'static str,
    pub send_link: &'static str,
    pub link_invalid: &'static str,
    pub transfer: &'static str,
    pub transfer_to: &'static str,
    pub hand_over: &'static str,
    pub cancel: &'static str,
    pub no_other_reps: &'static str,
    pub away_mark: &'static str,
    pub handed_over_to: fn(&str) -> String,
    pub handover_from: fn(&str, &str) -> String,
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
    pub screen_title: &'static str,
    pub what_to_share: &'static str,
    pub whole_screen: &'static str,
    pub customer_chooses: &'static str,
    pub request_sharing: &'static str,
    pub share_waiting_for: fn(&str) -> String,
    pub share_declined_by: fn(&str) -> String,
    /// (customer, why) → "Screen sharing could not start for Ada: …", to the rep.
    pub share_could_not_start_for: fn(&str, CaptureFailure) -> String,
    pub share_interrupted: &'static str,
    pub share_connecting: &'static str,
    pub share_connection_lost: &'static str,
    pub full_screen: &'static str,
    pub shared_screen_of: fn(&str) -> String,
    /// (session, rep) → "Session 7 · Bo Rep".
    pub share_watermark: fn(SessionId, &str) -> String,
}

impl Deref for ConsoleTexts {
    type Target = Texts;

    fn deref(&self) -> &Texts {
        self.shared
    }
}

pub static EN: ConsoleTexts = ConsoleTexts {
    shared: &super::EN,
    not_found_title: "Page not found",
    not_found_body: "There is nothing at this address.",
    go_to_chat: "Go to the support chat",
    ended_by_customer: "The customer left. The session has ended.",

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
    record_screens_label: "Record shared screens",
    hold_interval_label: "Hold message interval (seconds)",
    hold_interval_hint: "0 sends no hold messages; otherwise at least 10.",
    longest_wait_label: "Longest wait before orphaning (seconds)",
    longest_wait_hint: "0 never orphans a waiting customer.",
    orphan_url_label: "Redirect URL for orphaned customers",
    orphan_url_hint: "An http:// or https:// address; empty keeps the customer on the page.",
    embed_sites_label: "Sites allowed to embed the chat",
    embed_sites_hint: "One per line, such as https://help.example.com (no path). Other sites cannot show the chat widget.",
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
    resolved_label: "Resolved",
    time_label: "Time",
    average_rating: |average, count| {
        let average = one_decimal(average, '.');
        format!("Average rating: {average} of 5 ({count} surveys)")
    },
    invalid_not_a_number: |field| format!("“{field}” must be a whole number, 0 or more."),
    nudge: "Nudge",
    nudge_too_soon: "Wait a few seconds before nudging again",
    send_link: "Send link",
    link_invalid: "Enter a web address starting with http:// or https://.",
    transfer: "Transfer",
    transfer_to: "Transfer to",
    hand_over: "Hand over",
    cancel: "Cancel",
    no_other_reps: "No other rep is signed in.",
    away_mark: "away",
    handed_over_to: |name| format!("Handed over to \u{2068}{name}\u{2069}"),
    handover_from: |name, note| format!("From \u{2068}{name}\u{2069}: {note}"),
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
    screen_title: "Screen sharing",
    what_to_share: "What to share",
    whole_screen: "Whole screen",
    customer_chooses: "Customer chooses",
    request_sharing: "Request screen sharing",
    share_waiting_for: |customer| format!("Waiting for \u{2068}{customer}\u{2069} to accept…"),
    share_declined_by: |customer| format!("\u{2068}{customer}\u{2069} declined screen sharing"),
    share_could_not_start_for: |customer, failure| {
        let why = match failure {
            CaptureFailure::NothingToShare => "nothing to share was found",
            CaptureFailure::Blocked => "their system blocked the capture",
            CaptureFailure::Unsupported => "their browser cannot share a screen",
            CaptureFailure::Other => "their browser could not capture the screen",
        };
        format!("Screen sharing could not start for \u{2068}{customer}\u{2069}: {why}")
    },
    share_interrupted: "Sharing was interrupted; request again",
    share_connecting: "Connecting to the shared screen…",
    share_connection_lost: "Connection lost",
    full_screen: "Full screen",
    shared_screen_of: |customer| format!("Screen of \u{2068}{customer}\u{2069}"),
    share_watermark: |session, rep| format!("Session {session} · \u{2068}{rep}\u{2069}"),
};

pub static DE: ConsoleTexts = ConsoleTexts {
    shared: &super::DE,
    not_found_title: "Seite nicht gefunden",
    not_found_body: "Unter dieser Adresse gibt es nichts.",
    go_to_chat: "Zum Support-Chat",
    ended_by_customer: "Der Kunde hat die Sitzung verlassen. Sie ist beendet.",

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
    record_screens_label: "Geteilte Bildschirme aufzeichnen",
    hold_interval_label: "Abstand der Wartenachrichten (Sekunden)",
    hold_interval_hint: "0 sendet keine Wartenachrichten, sonst mindestens 10.",
    longest_wait_label: "Längste Wartezeit, bis niemand mehr erwartet wird (Sekunden)",
    longest_wait_hint: "0 lässt wartende Kunden nie ohne Mitarbeiter zurück.",
    orphan_url_label: "Weiterleitungsadresse für Kunden ohne Mitarbeiter",
    orphan_url_hint: "Eine http://- oder https://-Adresse; leer lässt den Kunden auf der Seite.",
    embed_sites_label: "Websites, die den Chat einbetten dürfen",
    embed_sites_hint: "Eine pro Zeile, etwa https://hilfe.example.com (ohne Pfad). Andere Websites können das Chat-Widget nicht zeigen.",
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
    resolved_label: "Gelöst",
    time_label: "Zeit",
    average_rating: |average, count| {
        let average = one_decimal(average, ',');
        format!("Durchschnittliche Bewertung: {average} von 5 ({count} Umfragen)")
    },
    invalid_not_a_number: |field| format!("„{field}“ muss eine ganze Zahl ab 0 sein."),
    nudge: "Anstupsen",
    nudge_too_soon: "Warten Sie ein paar Sekunden, bevor Sie erneut anstupsen",
    send_link: "Link senden",
    link_invalid: "Geben Sie eine Webadresse ein, die mit http:// oder https:// beginnt.",
    transfer: "Weitergeben",
    transfer_to: "Weitergeben an",
    hand_over: "Übergeben",
    cancel: "Abbrechen",
    no_other_reps: "Kein anderer Mitarbeiter ist angemeldet.",
    away_mark: "abwesend",
    handed_over_to: |name| format!("An \u{2068}{name}\u{2069} übergeben"),
    handover_from: |name, note| format!("Von \u{2068}{name}\u{2069}: {note}"),
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
    screen_title: "Bildschirmfreigabe",
    what_to_share: "Was freigegeben wird",
    whole_screen: "Ganzer Bildschirm",
    customer_chooses: "Kunde wählt aus",
    request_sharing: "Bildschirmfreigabe anfragen",
    share_waiting_for: |customer| format!("Warten, bis \u{2068}{customer}\u{2069} zustimmt…"),
    share_declined_by: |customer| {
        format!("\u{2068}{customer}\u{2069} hat die Bildschirmfreigabe abgelehnt")
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
    fn every_name_in_a_sentence_is_isolated() {
        for t in [&EN, &DE] {
            let named = [
                t.signed_in_as,
                t.notice_for,
                t.handed_over_to,
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
        assert_eq!(EN.transfer, "Transfer");
        assert!(EN.ended_by_customer.contains("left") && EN.ended_by_customer.contains("ended"));
    }
}
