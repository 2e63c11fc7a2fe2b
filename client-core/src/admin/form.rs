//! The settings form as the admin types it: which text, number or switch an edit changes, the
//! numbers kept as typed so a wrong one can be named, and the check before saving.

use protocol::Lang;
use protocol::Settings;
use protocol::site::{self, Invalid};

/// One of the texts a customer reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextKind {
    Agreement,
    Greeting,
    Hold,
    Orphan,
}

impl TextKind {
    pub const ALL: [TextKind; 4] = [
        TextKind::Agreement,
        TextKind::Greeting,
        TextKind::Hold,
        TextKind::Orphan,
    ];

    /// The name `Settings::check` gives it.
    pub fn key(self) -> &'static str {
        match self {
            TextKind::Agreement => "agreement",
            TextKind::Greeting => "greeting",
            TextKind::Hold => "hold",
            TextKind::Orphan => "orphan",
        }
    }

    pub fn get(self, texts: &site::Texts) -> &String {
        match self {
            TextKind::Agreement => &texts.agreement,
            TextKind::Greeting => &texts.greeting,
            TextKind::Hold => &texts.hold,
            TextKind::Orphan => &texts.orphan,
        }
    }

    fn get_mut(self, texts: &mut site::Texts) -> &mut String {
        match self {
            TextKind::Agreement => &mut texts.agreement,
            TextKind::Greeting => &mut texts.greeting,
            TextKind::Hold => &mut texts.hold,
            TextKind::Orphan => &mut texts.orphan,
        }
    }
}

/// A setting typed as a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberField {
    HoldInterval,
    LongestWait,
    FileLimit,
    DefaultWait,
    RecordingRetention,
}

impl NumberField {
    pub const ALL: [NumberField; 5] = [
        NumberField::HoldInterval,
        NumberField::LongestWait,
        NumberField::FileLimit,
        NumberField::DefaultWait,
        NumberField::RecordingRetention,
    ];

    pub fn key(self) -> &'static str {
        match self {
            NumberField::HoldInterval => "hold_interval_secs",
            NumberField::LongestWait => "longest_wait_secs",
            NumberField::FileLimit => "file_limit_mb",
            NumberField::DefaultWait => "default_wait_secs",
            NumberField::RecordingRetention => "recording_retention_days",
        }
    }

    /// Its saved value.
    pub fn value(self, settings: &Settings) -> u32 {
        match self {
            NumberField::HoldInterval => settings.hold_interval_secs,
            NumberField::LongestWait => settings.longest_wait_secs,
            NumberField::FileLimit => settings.file_limit_mb,
            NumberField::DefaultWait => settings.default_wait_secs,
            NumberField::RecordingRetention => settings.recording_retention_days,
        }
    }

    fn get_mut(self, settings: &mut Settings) -> &mut u32 {
        match self {
            NumberField::HoldInterval => &mut settings.hold_interval_secs,
            NumberField::LongestWait => &mut settings.longest_wait_secs,
            NumberField::FileLimit => &mut settings.file_limit_mb,
            NumberField::DefaultWait => &mut settings.default_wait_secs,
            NumberField::RecordingRetention => &mut settings.recording_retention_days,
        }
    }
}

/// A policy switched on or off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flag {
    RecordingPrompt,
    RecordScreens,
    KeepOrphanedQueued,
    Survey,
    Watermark,
    RelayOnly,
}

impl Flag {
    pub fn get(self, settings: &Settings) -> bool {
        match self {
            Flag::RecordingPrompt => settings.recording_prompt,
            Flag::RecordScreens => settings.record_screens,
            Flag::KeepOrphanedQueued => settings.keep_orphaned_queued,
            Flag::Survey => settings.survey,
            Flag::Watermark => settings.watermark,
            Flag::RelayOnly => settings.relay_only,
        }
    }

    fn get_mut(self, settings: &mut Settings) -> &mut bool {
        match self {
            Flag::RecordingPrompt => &mut settings.recording_prompt,
            Flag::RecordScreens => &mut settings.record_screens,
            Flag::KeepOrphanedQueued => &mut settings.keep_orphaned_queued,
            Flag::Survey => &mut settings.survey,
            Flag::Watermark => &mut settings.watermark,
            Flag::RelayOnly => &mut settings.relay_only,
        }
    }
}

/// One change the admin makes to the settings form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Edit {
    Text(Lang, TextKind, String),
    Number(NumberField, String),
    Flag(Flag, bool),
    OrphanUrl(String),
    /// The sites allowed to embed the chat, one per line.
    EmbedSites(String),
}

/// The settings as typed: the numbers as the text in their inputs, so a wrong one can be named.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SettingsDraft {
    /// Everything but the numbers, which are taken from `numbers` on saving.
    pub settings: Settings,
    numbers: [String; NumberField::ALL.len()],
    /// The sites allowed to embed the chat, as typed: one per line.
    pub embed_sites: String,
}

impl SettingsDraft {
    pub fn new(settings: &Settings) -> Self {
        SettingsDraft {
            settings: settings.clone(),
            numbers: NumberField::ALL.map(|field| field.value(settings).to_string()),
            embed_sites: settings.embed_origins.join("\n"),
        }
    }

    pub fn number(&self, field: NumberField) -> &str {
        &self.numbers[field as usize]
    }

    pub fn apply(&mut self, edit: Edit) {
        match edit {
            Edit::Text(lang, kind, text) => {
                *kind.get_mut(self.settings.texts.get_mut(lang)) = text;
            }
            Edit::Number(field, text) => self.numbers[field as usize] = text,
            Edit::Flag(flag, on) => *flag.get_mut(&mut self.settings) = on,
            Edit::OrphanUrl(url) => self.settings.orphan_url = url,
            Edit::EmbedSites(text) => self.embed_sites = text,
        }
    }

    /// The settings to save, or the first thing wrong with them.
    pub fn to_settings(&self) -> Result<Settings, FormError> {
        let mut settings = self.settings.clone();
        settings.orphan_url = settings.orphan_url.trim().to_owned();
        settings.embed_origins = embed_origins(&self.embed_sites);
        for field in NumberField::ALL {
            *field.get_mut(&mut settings) = parse_number(self.number(field))
                .ok_or_else(|| FormError::NotANumber(field.key().to_owned()))?;
        }
        settings.check().map_err(FormError::Invalid)?;
        Ok(settings)
    }
}

/// The sites in the admin's list, one per line; a trailing slash and capitals, as an address
/// bar shows them, are forgiven.
fn embed_origins(text: &str) -> Vec<String> {
    text.lines()
        .map(|line| line.trim().trim_end_matches('/').to_ascii_lowercase())
        .filter(|line| !line.is_empty())
        .collect()
}

/// A whole number of 0 or more, as typed (surrounding spaces allowed).
fn parse_number(text: &str) -> Option<u32> {
    let text = text.trim();
    // `u32::from_str` takes a leading "+"; a setting should be digits only.
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// Why something the admin typed cannot be saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormError {
    /// This setting (by its name in `Settings`) is not a whole number of 0 or more.
    NotANumber(String),
    /// `check` refused it, here or on the server.
    Invalid(Invalid),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edited(edits: impl IntoIterator<Item = Edit>) -> SettingsDraft {
        let mut draft = SettingsDraft::new(&Settings::default());
        for edit in edits {
            draft.apply(edit);
        }
        draft
    }

    #[test]
    fn numbers_are_whole_and_not_negative() {
        assert_eq!(parse_number(" 90 "), Some(90));
        assert_eq!(parse_number("0"), Some(0));
        for bad in ["-5", "abc", "", "1.5", "+3", "99999999999"] {
            assert_eq!(parse_number(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_unchanged_defaults_save_as_they_are() {
        assert_eq!(edited([]).to_settings(), Ok(Settings::default()));
    }

    #[test]
    fn a_number_that_is_not_one_is_named_by_its_setting() {
        let draft = edited([Edit::Number(NumberField::HoldInterval, "-5".into())]);
        assert_eq!(
            draft.to_settings(),
            Err(FormError::NotANumber("hold_interval_secs".into()))
        );
        let draft = edited([Edit::Number(NumberField::FileLimit, "abc".into())]);
        assert_eq!(
            draft.to_settings(),
            Err(FormError::NotANumber("file_limit_mb".into()))
        );
    }

    #[test]
    fn embedding_sites_are_one_per_line_and_a_path_is_refused() {
        let draft = edited([Edit::EmbedSites(
            " https://Help.example.com/ \n\nhttp://127.0.0.1:8081\n".into(),
        )]);
        assert_eq!(
            draft.to_settings().unwrap().embed_origins,
            ["https://help.example.com", "http://127.0.0.1:8081"]
        );
        let draft = edited([Edit::EmbedSites("https://help.example.com/kb".into())]);
        assert!(matches!(
            draft.to_settings(),
            Err(FormError::Invalid(Invalid { field, .. })) if field == "embed_origins"
        ));
    }

    #[test]
    fn edits_reach_the_settings() {
        let draft = edited([
            Edit::Text(Lang::De, TextKind::Hold, "Bitte warten".into()),
            Edit::Number(NumberField::LongestWait, "600".into()),
            Edit::Flag(Flag::Survey, false),
            Edit::OrphanUrl(" https://kb.example.com ".into()),
        ]);
        let settings = draft.to_settings().unwrap();
        assert_eq!(settings.texts.de.hold, "Bitte warten");
        assert_eq!(settings.longest_wait_secs, 600);
        assert!(!settings.survey);
        assert_eq!(settings.orphan_url, "https://kb.example.com");
    }
}
