//! What the admin sets: the texts customers read, in each language, and the site's policies.
//!
//! The server sends [`Settings`] and the automatic [`Notice`]s to every customer page
//! ([`crate::ServerMessage::Site`]) and again whenever the admin changes them, so waiting
//! customers see a new text at once. [`Settings::check`] is the one set of rules for what may be
//! saved; the admin page runs it before sending and the server again before storing.

use crate::NoticeId;
use serde::{Deserialize, Serialize};

/// The languages the product speaks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    #[default]
    En,
    De,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::De];

    /// The language of a tag such as `de`, `de-AT` or `en-GB`; `None` for others.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.split(['-', '_']).next()?.trim().to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Lang::En),
            "de" => Some(Lang::De),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::De => "de",
        }
    }
}

/// One value per language.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Localized<T> {
    pub en: T,
    pub de: T,
}

impl<T> Localized<T> {
    pub fn get(&self, lang: Lang) -> &T {
        match lang {
            Lang::En => &self.en,
            Lang::De => &self.de,
        }
    }

    pub fn get_mut(&mut self, lang: Lang) -> &mut T {
        match lang {
            Lang::En => &mut self.en,
            Lang::De => &mut self.de,
        }
    }
}

/// The texts a customer reads, in one language. `greeting` and `hold` may hold the
/// placeholders [`POSITION`] and [`WAIT`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Texts {
    /// Shown before anything else; the customer accepts or declines it.
    pub agreement: String,
    /// Shown while waiting.
    pub greeting: String,
    /// Posted in the chat every `hold_interval_secs` while waiting.
    pub hold: String,
    /// Shown when no rep is available.
    pub orphan: String,
}

/// Replaced by the customer's place in the queue.
pub const POSITION: &str = "{position}";
/// Replaced by the estimated wait, such as "3 min".
pub const WAIT: &str = "{wait}";

/// Fills in [`POSITION`] and [`WAIT`].
pub fn fill(template: &str, position: u32, wait: &str) -> String {
    template
        .replace(POSITION, &position.to_string())
        .replace(WAIT, wait)
}

/// The longest admin-set text, in characters.
pub const MAX_TEXT_CHARS: usize = 4000;
/// The longest redirect URL.
pub const MAX_URL_CHARS: usize = 2000;
/// The most sites that may embed the widget.
pub const MAX_EMBED_ORIGINS: usize = 50;
/// The largest file size limit an admin may set, in MB.
pub const MAX_FILE_LIMIT_MB: u32 = 1024;
/// The longest interval or wait an admin may set: a day.
pub const MAX_SECS: u32 = 86_400;
/// The longest a recording may be kept: ten years.
pub const MAX_RETENTION_DAYS: u32 = 3650;

/// Everything the admin sets apart from reps and notices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub texts: Localized<Texts>,
    /// Ask the customer whether the session may be recorded.
    pub recording_prompt: bool,
    /// Record shared screens of sessions whose customer allowed it: their media passes
    /// through the server, which stores it.
    pub record_screens: bool,
    /// Recordings are deleted this many days after they began; 0 keeps them.
    pub recording_retention_days: u32,
    /// Seconds between hold messages; 0 sends none.
    pub hold_interval_secs: u32,
    /// A waiting customer is orphaned after this many seconds; 0 never.
    pub longest_wait_secs: u32,
    /// Where an orphaned customer's browser goes; empty to stay on the page.
    pub orphan_url: String,
    /// Whether an orphaned customer stays in the queue.
    pub keep_orphaned_queued: bool,
    /// Ask for a rating after a served session.
    pub survey: bool,
    /// Show a watermark while the screen is shared.
    pub watermark: bool,
    /// Send shared screens only through the TURN relay, so neither side learns the other's
    /// network addresses.
    pub relay_only: bool,
    /// The largest file a customer may send, in MB.
    pub file_limit_mb: u32,
    /// The wait per customer ahead, in seconds, until there is history to estimate from.
    pub default_wait_secs: u32,
    /// The sites (origins such as `https://help.example.com`) whose pages may embed the chat
    /// widget; every other site's frame is refused by the browser.
    pub embed_origins: Vec<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            texts: Localized {
                en: Texts {
                    agreement: "By continuing you agree that a support technician may chat with \
                                you and, if you allow it, see your screen."
                        .into(),
                    greeting: "Welcome! You are number {position} in the queue. Estimated wait: \
                               {wait}."
                        .into(),
                    hold: "You are still in the queue: number {position}, about {wait} to go. \
                           Thank you for waiting."
                        .into(),
                    orphan: "Sorry, no support technician is available right now. Please try \
                             again later."
                        .into(),
                },
                de: Texts {
                    agreement: "Wenn Sie fortfahren, stimmen Sie zu, dass ein Support-Techniker \
                                mit Ihnen chattet und, wenn Sie es erlauben, Ihren Bildschirm \
                                sieht."
                        .into(),
                    greeting: "Willkommen! Sie sind Nummer {position} in der Warteschlange. \
                               Geschätzte Wartezeit: {wait}."
                        .into(),
                    hold: "Sie sind weiterhin in der Warteschlange: Nummer {position}, noch etwa \
                           {wait}. Danke für Ihre Geduld."
                        .into(),
                    orphan: "Leider ist gerade kein Support-Techniker erreichbar. Bitte versuchen \
                             Sie es später noch einmal."
                        .into(),
                },
            },
            recording_prompt: true,
            record_screens: false,
            recording_retention_days: 90,
            hold_interval_secs: 60,
            longest_wait_secs: 900,
            orphan_url: String::new(),
            keep_orphaned_queued: true,
            survey: true,
            watermark: true,
            relay_only: false,
            file_limit_mb: 25,
            default_wait_secs: 180,
            embed_origins: Vec::new(),
        }
    }
}

/// Why a value cannot be saved, and which one: the admin page words it in its language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invalid {
    /// The setting, as named in [`Settings`] (`texts.de.greeting`, `orphan_url`, …).
    pub field: String,
    pub problem: Problem,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
// Externally tagged, as the server's messages are: a tag inside the object would make every
// page buffer the whole value before reading it.
#[serde(rename_all = "snake_case")]
pub enum Problem {
    Empty,
    TooLong {
        max: u32,
    },
    OutOfRange {
        min: u32,
        max: u32,
    },
    NotAUrl,
    /// Not a site's origin: `http(s)://host` with an optional port and nothing after it.
    NotAnOrigin,
    TooMany {
        max: u32,
    },
}

impl std::fmt::Display for Invalid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let field = &self.field;
        match &self.problem {
            Problem::Empty => write!(f, "{field} is empty"),
            Problem::TooLong { max } => write!(f, "{field} is longer than {max} characters"),
            Problem::OutOfRange { min, max } => {
                write!(f, "{field} must be between {min} and {max}")
            }
            Problem::NotAUrl => write!(f, "{field} is not an http(s) address"),
            Problem::NotAnOrigin => write!(
                f,
                "{field} is not a site such as https://help.example.com (no path)"
            ),
            Problem::TooMany { max } => write!(f, "{field} has more than {max} entries"),
        }
    }
}

fn invalid(field: impl Into<String>, problem: Problem) -> Result<(), Invalid> {
    Err(Invalid {
        field: field.into(),
        problem,
    })
}

/// A text that must not be empty nor longer than [`MAX_TEXT_CHARS`].
pub fn check_text(field: &str, text: &str) -> Result<(), Invalid> {
    if text.trim().is_empty() {
        return invalid(field, Problem::Empty);
    }
    if text.chars().count() > MAX_TEXT_CHARS {
        return invalid(
            field,
            Problem::TooLong {
                max: MAX_TEXT_CHARS as u32,
            },
        );
    }
    Ok(())
}

fn check_range(field: &str, value: u32, min: u32, max: u32) -> Result<(), Invalid> {
    if value < min || value > max {
        return invalid(field, Problem::OutOfRange { min, max });
    }
    Ok(())
}

/// An absolute http or https address with a host, without spaces.
pub fn is_web_url(url: &str) -> bool {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    let Some(rest) = rest else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    !host.is_empty()
        && !url.chars().any(|c| c.is_whitespace() || c.is_control())
        && !host.starts_with(':')
}

/// A site's origin as browsers send it: `http(s)://host` or `http(s)://host:port`, lower case,
/// with nothing after the host and port.
pub fn is_origin(origin: &str) -> bool {
    let Some(rest) = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"))
    else {
        return false;
    };
    // An IPv6 host is in brackets and has colons of its own.
    let port_at = match rest.rfind(']') {
        Some(end) => rest[end..].find(':').map(|i| end + i),
        None => rest.rfind(':'),
    };
    let (host, port) = match port_at {
        Some(i) => (&rest[..i], Some(&rest[i + 1..])),
        None => (rest, None),
    };
    let host_ok = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-.[]:".contains(c));
    let port_ok = port.is_none_or(|p| p.parse::<u16>().is_ok_and(|p| p > 0));
    host_ok && port_ok
}

impl Settings {
    /// The first thing that may not be saved, if any.
    pub fn check(&self) -> Result<(), Invalid> {
        for lang in Lang::ALL {
            let texts = self.texts.get(lang);
            let code = lang.code();
            check_text(&format!("texts.{code}.agreement"), &texts.agreement)?;
            check_text(&format!("texts.{code}.greeting"), &texts.greeting)?;
            check_text(&format!("texts.{code}.hold"), &texts.hold)?;
            check_text(&format!("texts.{code}.orphan"), &texts.orphan)?;
        }
        check_range("hold_interval_secs", self.hold_interval_secs, 0, MAX_SECS)?;
        if self.hold_interval_secs != 0 {
            check_range("hold_interval_secs", self.hold_interval_secs, 10, MAX_SECS)?;
        }
        check_range("longest_wait_secs", self.longest_wait_secs, 0, MAX_SECS)?;
        check_range("default_wait_secs", self.default_wait_secs, 1, MAX_SECS)?;
        check_range("file_limit_mb", self.file_limit_mb, 1, MAX_FILE_LIMIT_MB)?;
        check_range(
            "recording_retention_days",
            self.recording_retention_days,
            0,
            MAX_RETENTION_DAYS,
        )?;
        if self.orphan_url.chars().count() > MAX_URL_CHARS {
            return invalid(
                "orphan_url",
                Problem::TooLong {
                    max: MAX_URL_CHARS as u32,
                },
            );
        }
        if !self.orphan_url.is_empty() && !is_web_url(&self.orphan_url) {
            return invalid("orphan_url", Problem::NotAUrl);
        }
        if self.embed_origins.len() > MAX_EMBED_ORIGINS {
            return invalid(
                "embed_origins",
                Problem::TooMany {
                    max: MAX_EMBED_ORIGINS as u32,
                },
            );
        }
        if self.embed_origins.iter().any(|o| !is_origin(o)) {
            return invalid("embed_origins", Problem::NotAnOrigin);
        }
        Ok(())
    }
}

/// An admin-written notice about a known problem, such as an outage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    pub id: NoticeId,
    #[serde(flatten)]
    pub draft: NoticeDraft,
}

/// A notice as the admin writes it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeDraft {
    pub text: Localized<String>,
    /// Only active notices are shown or may be sent.
    pub active: bool,
    /// Shown to every waiting customer by itself; otherwise a rep sends it.
    pub automatic: bool,
}

impl NoticeDraft {
    pub fn check(&self) -> Result<(), Invalid> {
        for lang in Lang::ALL {
            check_text(&format!("text.{}", lang.code()), self.text.get(lang))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_can_be_saved() {
        Settings::default().check().unwrap();
    }

    #[test]
    fn bad_values_are_named() {
        let mut s = Settings {
            orphan_url: "javascript:alert(1)".into(),
            ..Settings::default()
        };
        assert_eq!(s.check().unwrap_err().field, "orphan_url");
        s.orphan_url = "https://help.example.com/kb?q=1".into();
        s.check().unwrap();
        s.hold_interval_secs = 5;
        assert_eq!(
            s.check().unwrap_err().problem,
            Problem::OutOfRange {
                min: 10,
                max: MAX_SECS
            }
        );
        s.hold_interval_secs = 0;
        s.texts.de.greeting = "x".repeat(MAX_TEXT_CHARS + 1);
        let err = s.check().unwrap_err();
        assert_eq!(err.field, "texts.de.greeting");
        assert_eq!(
            err.to_string(),
            "texts.de.greeting is longer than 4000 characters"
        );
    }

    #[test]
    fn urls() {
        assert!(is_web_url("http://kb.example.com"));
        assert!(!is_web_url("https://"));
        assert!(!is_web_url("https://a b.com"));
        assert!(!is_web_url("ftp://example.com"));
        assert!(!is_web_url("//example.com"));
    }

    #[test]
    fn embedding_sites_are_bare_origins() {
        for good in [
            "https://help.example.com",
            "http://127.0.0.1:8081",
            "http://localhost:3000",
            "http://[::1]:8080",
            "http://[::1]",
        ] {
            assert!(is_origin(good), "{good}");
        }
        for bad in [
            "https://help.example.com/",
            "https://help.example.com/page",
            "https://Help.example.com",
            "help.example.com",
            "https://",
            "https://a.com:0",
            "https://a.com:99999",
            "https://a.com?x",
            "https://a.com 'unsafe-inline'",
            "*",
        ] {
            assert!(!is_origin(bad), "{bad}");
        }
        let mut s = Settings {
            embed_origins: vec!["https://help.example.com".into()],
            ..Settings::default()
        };
        s.check().unwrap();
        s.embed_origins.push("https://x.com/path".into());
        assert_eq!(s.check().unwrap_err().problem, Problem::NotAnOrigin);
        s.embed_origins = vec!["https://a.com".into(); MAX_EMBED_ORIGINS + 1];
        assert_eq!(
            s.check().unwrap_err().problem,
            Problem::TooMany {
                max: MAX_EMBED_ORIGINS as u32
            }
        );
    }

    #[test]
    fn placeholders_and_tags() {
        assert_eq!(
            fill("#{position}, {wait}", 3, "2 min"),
            "#3, 2 min".to_owned()
        );
        assert_eq!(Lang::from_tag("de-AT"), Some(Lang::De));
        assert_eq!(Lang::from_tag("fr"), None);
    }
}
