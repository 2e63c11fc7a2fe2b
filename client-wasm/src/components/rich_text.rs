//! A chat message's text with its web addresses as links. The text is split into text nodes
//! and `<a>` elements; nothing is ever parsed as HTML, so markup shows as typed.

use yew::prelude::*;

/// A piece of a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Segment<'a> {
    Text(&'a str),
    /// An `http://` or `https://` address.
    Link(&'a str),
}

/// Splits `text` into plain text and web addresses. An address runs to the next white space
/// (or a character no address holds unescaped: `"`, `<`, `>`);
/// punctuation that ends a sentence (and a closing bracket without its opening one) is not
/// part of it.
pub fn segments(text: &str) -> Vec<Segment<'_>> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = next_link_start(rest) {
        let candidate = &rest[start..];
        let end = candidate
            .find(|c: char| c.is_whitespace() || matches!(c, '"' | '<' | '>'))
            .unwrap_or(candidate.len());
        let link = trim_trailing(&candidate[..end]);
        let scheme_only = link.ends_with("//");
        if scheme_only {
            // "http://" alone is no address: keep it as text and look further on.
            let skip = start + link.len();
            push_text(&mut out, &rest[..skip]);
            rest = &rest[skip..];
            continue;
        }
        push_text(&mut out, &rest[..start]);
        out.push(Segment::Link(link));
        rest = &candidate[link.len()..];
    }
    push_text(&mut out, rest);
    out
}

fn push_text<'a>(out: &mut Vec<Segment<'a>>, text: &'a str) {
    if !text.is_empty() {
        out.push(Segment::Text(text));
    }
}

/// Where the next `http://` or `https://` starts, at the start of the text or after a
/// character that cannot be part of a word.
fn next_link_start(text: &str) -> Option<usize> {
    let lower = text.to_ascii_lowercase();
    let mut from = 0;
    while let Some(found) = lower[from..].find("http") {
        let at = from + found;
        let tail = &lower[at..];
        let is_scheme = tail.starts_with("http://") || tail.starts_with("https://");
        let boundary = text[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        if is_scheme && boundary {
            return Some(at);
        }
        from = at + 4;
    }
    None
}

fn trim_trailing(link: &str) -> &str {
    let mut link = link;
    loop {
        let Some(last) = link.chars().next_back() else {
            return link;
        };
        let unbalanced_close = match last {
            ')' => link.matches('(').count() < link.matches(')').count(),
            ']' => link.matches('[').count() < link.matches(']').count(),
            _ => false,
        };
        if matches!(
            last,
            '.' | ',' | ';' | ':' | '!' | '?' | '"' | '\'' | '>' | '<'
        ) || unbalanced_close
        {
            link = &link[..link.len() - last.len_utf8()];
        } else {
            return link;
        }
    }
}

/// An address as a link that opens in a new tab and tells the other site nothing.
pub fn external_link(url: &str) -> Html {
    html! {
        <a href={url.to_string()} target="_blank" rel="noopener noreferrer">{ url }</a>
    }
}

#[derive(Properties, PartialEq)]
pub struct RichTextProps {
    pub text: AttrValue,
}

#[function_component]
pub fn RichText(props: &RichTextProps) -> Html {
    let parts = segments(&props.text)
        .into_iter()
        .map(|segment| match segment {
            Segment::Text(text) => html! { { text } },
            Segment::Link(url) => external_link(url),
        });
    html! { <>{ for parts }</> }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Segment::{Link, Text};

    #[test]
    fn plain_text_stays_one_piece() {
        assert_eq!(segments("hello <b>world</b>"), [Text("hello <b>world</b>")]);
        assert_eq!(segments(""), []);
    }

    #[test]
    fn addresses_become_links_and_punctuation_stays_outside() {
        assert_eq!(
            segments("See https://example.com/a?b=1. Or (http://x.org/y)!"),
            [
                Text("See "),
                Link("https://example.com/a?b=1"),
                Text(". Or ("),
                Link("http://x.org/y"),
                Text(")!"),
            ]
        );
        assert_eq!(
            segments("https://en.wikipedia.org/wiki/Rust_(language)"),
            [Link("https://en.wikipedia.org/wiki/Rust_(language)")]
        );
    }

    #[test]
    fn only_web_schemes_inside_words_boundaries_count() {
        assert_eq!(
            segments("javascript:alert(1) xhttp://a.b HTTPS://A.B"),
            [
                Text("javascript:alert(1) xhttp://a.b "),
                Link("HTTPS://A.B")
            ]
        );
        assert_eq!(
            segments("just http:// here"),
            [Text("just http://"), Text(" here")]
        );
    }

    #[test]
    fn markup_around_a_link_is_text() {
        assert_eq!(
            segments("<a href=\"https://evil.example\">x</a>"),
            [
                Text("<a href=\""),
                Link("https://evil.example"),
                Text("\">x</a>"),
            ]
        );
    }
}
