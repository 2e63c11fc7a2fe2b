//! What people type, made safe to show: no control characters, and in names no bidirectional
//! overrides. A name with U+202E (right-to-left override) shows `fdp.exe` as `exe.pdf` and can
//! reorder the text after it; pages also isolate every name they show, but what is stored is
//! already clean, so reports, logs and any other reader are safe too.

use std::borrow::Cow;

/// Embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): they change the order in
/// which the text around them is shown. The plain marks (LRM, RLM, ALM) only nudge neutral
/// characters and stay, as right-to-left writers use them.
fn reorders(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// A name (a customer's, a rep's, a file's): on one line, without control characters or
/// characters that reorder text.
pub fn clean_name(name: &str) -> Cow<'_, str> {
    keep_only(name, |c| !c.is_control() && !reorders(c))
}

/// Free text (a problem, a chat line): line breaks and tabs stay; other control characters go,
/// and so do characters that reorder text beyond the line they are in.
pub fn clean_text(text: &str) -> Cow<'_, str> {
    keep_only(text, |c| {
        (c == '\n' || c == '\t' || !c.is_control()) && !reorders(c)
    })
}

/// `text` without the characters `keep` refuses; copied only when there are any, as almost
/// every chat line has none.
fn keep_only(text: &str, keep: impl Fn(char) -> bool) -> Cow<'_, str> {
    if text.chars().all(&keep) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.chars().filter(|&c| keep(c)).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_lose_controls_and_overrides_and_keep_every_script() {
        assert_eq!(clean_name("inv\u{202E}fdp.exe"), "invfdp.exe");
        assert_eq!(
            clean_name("Ada\u{0}\u{7}\u{1b}[31m\n Lovelace"),
            "Ada[31m Lovelace"
        );
        assert_eq!(clean_name("\u{2067}שלום\u{2069}"), "שלום");
        assert_eq!(clean_name("محمد\u{200F} 山田"), "محمد\u{200F} 山田");
    }

    #[test]
    fn free_text_keeps_its_lines() {
        assert_eq!(
            clean_text("line one\r\nline\u{202D} two\u{8}\tend"),
            "line one\nline two\tend"
        );
    }
}
