//! How many bytes a message can take on the wire, worked out without encoding it: lists and
//! history pages are cut by these bounds, so that no message comes near what a socket takes
//! in one (256 KiB), whatever people type.

use protocol::{ChatMessage, Lang, Notice, SessionInfo, Settings};

/// The most `message` can take as JSON: its texts as JSON escapes them, plus room for the
/// other fields. History pages are cut by it (and the fuzz targets hold it against serde).
pub fn most_json_bytes(message: &ChatMessage) -> usize {
    const FIELDS: usize = 320;
    FIELDS + json_str_bytes(&message.text) + json_str_bytes(&message.name)
}

/// The most a queue entry with `name` and `problem` can take as JSON.
pub(crate) fn most_entry_bytes(name: &str, problem: &str) -> usize {
    const FIELDS: usize = 160;
    FIELDS + json_str_bytes(name) + json_str_bytes(problem)
}

/// The most a session's description (`session_started`, `rep_sessions`) can take as JSON.
pub(crate) fn most_info_bytes(info: &SessionInfo) -> usize {
    const FIELDS: usize = 160;
    let photo = info.rep_photo.as_deref().map_or(0, json_str_bytes);
    let handover = info.handover.as_ref().map_or(0, |h| {
        FIELDS + json_str_bytes(&h.from_name) + json_str_bytes(&h.note)
    });
    FIELDS
        + json_str_bytes(&info.customer_name)
        + json_str_bytes(&info.problem)
        + json_str_bytes(&info.rep_name)
        + photo
        + handover
}

/// The most an entry of the reps' list with `name` can take as JSON.
pub(crate) fn most_rep_bytes(name: &str) -> usize {
    const FIELDS: usize = 64;
    FIELDS + json_str_bytes(name)
}

/// The most the `site` message with `settings` and the active ones of `notices` can take as
/// JSON.
pub(crate) fn most_site_bytes<'a>(
    settings: &Settings,
    notices: impl IntoIterator<Item = &'a Notice>,
) -> usize {
    const FIELDS: usize = 1024;
    const PER_ENTRY: usize = 96;
    let texts: usize = Lang::ALL
        .into_iter()
        .map(|lang| {
            let t = settings.texts.get(lang);
            [&t.agreement, &t.greeting, &t.hold, &t.orphan]
                .into_iter()
                .map(|text| json_str_bytes(text))
                .sum::<usize>()
        })
        .sum();
    let origins: usize = settings
        .embed_origins
        .iter()
        .map(|origin| PER_ENTRY + json_str_bytes(origin))
        .sum();
    let notices: usize = notices
        .into_iter()
        .filter(|n| n.draft.active)
        .map(|n| {
            PER_ENTRY
                + Lang::ALL
                    .into_iter()
                    .map(|lang| json_str_bytes(n.draft.text.get(lang)))
                    .sum::<usize>()
        })
        .sum();
    FIELDS + texts + json_str_bytes(&settings.orphan_url) + origins + notices
}

/// The most `text` takes in a JSON string: a quote or backslash takes two bytes, a control
/// character six (`\u001b`), anything else its UTF-8 bytes.
pub(crate) fn json_str_bytes(text: &str) -> usize {
    text.chars()
        .map(|c| match c {
            '"' | '\\' => 2,
            c if u32::from(c) < 0x20 => 6,
            c => c.len_utf8(),
        })
        .sum()
}
