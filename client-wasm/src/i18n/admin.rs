//! The admin page's words for `client_core::admin`: the labels of the settings form's fields and
//! what a failed action says, named by the labels the admin sees.

use client_core::admin::{AdminError, Flag, FormError, NumberField, TextKind};
use protocol::Lang;
use protocol::api::{MIN_PASSWORD_CHARS, RepProblem};
use protocol::site::Invalid;

use super::ConsoleTexts;

impl ConsoleTexts {
    /// A customer text's visible label, such as "Greeting (German)".
    pub fn text_label(&self, kind: TextKind, lang: Lang) -> String {
        let name = match kind {
            TextKind::Agreement => self.agreement_label,
            TextKind::Greeting => self.greeting_label,
            TextKind::Hold => self.hold_label,
            TextKind::Orphan => self.orphan_label,
        };
        format!("{name} ({})", self.lang_name(lang))
    }

    pub fn number_label(&self, field: NumberField) -> &'static str {
        match field {
            NumberField::HoldInterval => self.hold_interval_label,
            NumberField::LongestWait => self.longest_wait_label,
            NumberField::FileLimit => self.file_limit_label,
            NumberField::DefaultWait => self.default_wait_label,
            NumberField::RecordingRetention => self.retention_label,
        }
    }

    pub fn flag_label(&self, flag: Flag) -> &'static str {
        match flag {
            Flag::RecordingPrompt => self.recording_prompt_label,
            Flag::RecordScreens => self.record_screens_label,
            Flag::KeepOrphanedQueued => self.keep_orphaned_label,
            Flag::Survey => self.survey_label,
            Flag::Watermark => self.watermark_label,
            Flag::RelayOnly => self.relay_only_label,
        }
    }

    /// The message for the admin. `notice` names the notice the error is about, as its fields
    /// are labelled ("Notice", "Notice 2").
    pub fn admin_error(&self, error: &AdminError, notice: &str) -> String {
        match error {
            AdminError::Form(FormError::NotANumber(field)) => {
                (self.invalid_not_a_number)(&self.field_label(field, notice))
            }
            AdminError::Form(FormError::Invalid(invalid)) => self.field_invalid(invalid, notice),
            AdminError::Rep(RepProblem::FieldsMissing) => self.rep_fields_required.to_owned(),
            AdminError::Rep(RepProblem::LoginChars) => self.login_chars.to_owned(),
            AdminError::Rep(RepProblem::PasswordTooShort) => {
                (self.password_too_short)(MIN_PASSWORD_CHARS)
            }
            AdminError::LoginTaken => self.login_taken.to_owned(),
            AdminError::Forbidden => self.error_forbidden.to_owned(),
            AdminError::SignedOut => self.sign_in_expired.to_owned(),
            AdminError::Refused(reason) => self.reason(reason),
            AdminError::Failed(detail) => format!("{}: {detail}", self.request_failed),
        }
    }

    /// What is wrong, naming the field by its visible label.
    fn field_invalid(&self, invalid: &Invalid, notice: &str) -> String {
        self.invalid(&self.field_label(&invalid.field, notice), &invalid.problem)
    }

    /// The visible label of a field the server or `check` names (`texts.de.greeting`,
    /// `orphan_url`, a notice's `text.en`, a new rep's `login`); the name itself if unknown.
    fn field_label(&self, field: &str, notice: &str) -> String {
        let lang = |code: &str| Lang::ALL.into_iter().find(|lang| lang.code() == code);
        if let Some((code, key)) = field.strip_prefix("texts.").and_then(|f| f.split_once('.')) {
            let kind = TextKind::ALL.into_iter().find(|kind| kind.key() == key);
            if let (Some(lang), Some(kind)) = (lang(code), kind) {
                return self.text_label(kind, lang);
            }
        }
        if let Some(lang) = field.strip_prefix("text.").and_then(lang) {
            return format!("{notice} ({})", self.lang_name(lang));
        }
        if let Some(number) = NumberField::ALL.into_iter().find(|n| n.key() == field) {
            return self.number_label(number).to_owned();
        }
        match field {
            "orphan_url" => self.orphan_url_label,
            "embed_origins" => self.embed_sites_label,
            "login" => self.login_label,
            "name" => self.display_name_label,
            "password" => self.password,
            other => other,
        }
        .to_owned()
    }
}

#[cfg(test)]
mod tests {
    use client_core::admin::{Edit, SettingsDraft, check_new_rep};
    use protocol::api::NewRep;
    use protocol::site::Problem;
    use protocol::{Reason, Settings};

    use super::*;
    use crate::i18n::console::{DE, EN};
    use crate::services::api::ApiError;

    /// What the admin reads when saving the default settings with `edit` is refused.
    fn refused(edit: Edit) -> String {
        let mut draft = SettingsDraft::new(&Settings::default());
        draft.apply(edit);
        let error = AdminError::Form(draft.to_settings().unwrap_err());
        EN.admin_error(&error, EN.notice_label)
    }

    #[test]
    fn a_site_too_large_for_every_page_is_worded_in_the_admins_language() {
        let refused = AdminError::from(ApiError::Refused(Reason::SiteTooLarge(128)));
        let said = DE.admin_error(&refused, DE.notice_label);
        assert!(
            said.contains("128 KB") && said.contains("Hinweis"),
            "{said}"
        );
    }

    #[test]
    fn a_number_that_is_not_one_is_named_by_its_label() {
        assert_eq!(
            refused(Edit::Number(NumberField::HoldInterval, "-5".into())),
            "“Hold message interval (seconds)” must be a whole number, 0 or more."
        );
    }

    #[test]
    fn an_embedding_site_with_a_path_is_named_by_its_label() {
        assert_eq!(
            refused(Edit::EmbedSites("https://help.example.com/kb".into())),
            "“Sites allowed to embed the chat” takes sites such as https://help.example.com, one \
             per line, without a path."
        );
    }

    #[test]
    fn invalid_settings_are_localized_with_their_labels() {
        assert_eq!(
            refused(Edit::Text(Lang::De, TextKind::Greeting, " ".into())),
            "“Greeting (German)” must not be empty."
        );
        let url = Invalid {
            field: "orphan_url".into(),
            problem: Problem::NotAUrl,
        };
        assert_eq!(
            DE.field_invalid(&url, DE.notice_label),
            "„Weiterleitungsadresse für Kunden ohne Mitarbeiter“ muss eine Webadresse sein, \
             die mit http:// oder https:// beginnt."
        );
        let interval = Invalid {
            field: "hold_interval_secs".into(),
            problem: Problem::OutOfRange { min: 10, max: 60 },
        };
        assert_eq!(
            EN.field_invalid(&interval, ""),
            "“Hold message interval (seconds)” must be between 10 and 60."
        );
        let agreement = Invalid {
            field: "texts.en.agreement".into(),
            problem: Problem::TooLong { max: 4000 },
        };
        assert_eq!(
            DE.field_invalid(&agreement, ""),
            "„Vereinbarung (Englisch)“ darf höchstens 4000 Zeichen lang sein."
        );
    }

    #[test]
    fn notice_and_rep_fields_have_labels_too() {
        assert_eq!(EN.field_label("text.de", "Notice 2"), "Notice 2 (German)");
        assert_eq!(EN.field_label("login", ""), "Login");
        assert_eq!(DE.field_label("name", ""), "Anzeigename");
        assert_eq!(EN.field_label("something_new", ""), "something_new");
    }

    #[test]
    fn a_refused_new_rep_is_told_why() {
        let refused = |login: &str, name: &str, password: &str| {
            let rep = NewRep {
                login: login.into(),
                name: name.into(),
                password: password.into(),
                admin: false,
            };
            EN.admin_error(&check_new_rep(&rep).unwrap_err(), "")
        };
        assert_eq!(refused("bo", " ", "long enough"), EN.rep_fields_required);
        assert_eq!(refused("bo bo", "Bo", "long enough"), EN.login_chars);
        assert_eq!(
            refused("bo", "Bo", "short"),
            "The password needs at least 8 characters."
        );
    }

    #[test]
    fn the_average_rating_in_words() {
        assert_eq!(
            (EN.average_rating)(13.0 / 3.0, 3),
            "Average rating: 4.3 of 5 (3 surveys)"
        );
        assert_eq!(
            (DE.average_rating)(13.0 / 3.0, 3),
            "Durchschnittliche Bewertung: 4,3 von 5 (3 Umfragen)"
        );
    }
}
