//! The customer's view while in the queue: the site's greeting, and the live position and
//! estimate in a polite `status` region, focused when the wait begins so that the first
//! position is read too.

use yew::prelude::*;

use crate::i18n::{Texts, use_texts};
use crate::services::announce;

#[derive(Properties, PartialEq)]
pub struct WaitingProps {
    /// The admin's greeting with position and estimate filled in; `None` until both are known.
    pub greeting: Option<AttrValue>,
    /// Unknown until the server has sent it (right after a reload).
    pub position: Option<u32>,
    pub wait_secs: Option<u32>,
}

/// The position's element, focused when the wait begins so that it is read out.
pub const POSITION_ID: &str = "queue-position";

#[function_component]
pub fn Waiting(props: &WaitingProps) -> Html {
    let t = use_texts();
    use_effect_with((), |_| announce::focus(POSITION_ID));
    html! {
        <section class="waiting">
            if let Some(greeting) = &props.greeting {
                <p class="greeting" style="white-space: pre-wrap">{ greeting }</p>
            }
            <p id={POSITION_ID} class="position" role="status" aria-live="polite" tabindex="-1">
                { status_text(t, props.position, props.wait_secs) }
            </p>
            <p>{ t.waiting_note }</p>
        </section>
    }
}

/// The estimate as the status shows it: "about 3 min" (rounded up), or "less than a minute".
pub fn estimate(t: &Texts, wait_secs: u32) -> String {
    if wait_secs < 60 {
        t.wait_less_than_minute.to_string()
    } else {
        (t.wait_about)(wait_secs.div_ceil(60))
    }
}

/// "Position in queue: 2 · Estimated wait: about 3 min", with what is known so far.
pub fn status_text(t: &Texts, position: Option<u32>, wait_secs: Option<u32>) -> String {
    let Some(position) = position else {
        return t.in_queue.to_string();
    };
    let position = (t.position_in_queue)(position);
    match wait_secs {
        Some(wait) => format!("{position} · {}", (t.estimated_wait)(&estimate(t, wait))),
        None => position,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{DE, EN};

    #[test]
    fn estimates_round_up_to_whole_minutes() {
        assert_eq!(estimate(&EN, 0), "less than a minute");
        assert_eq!(estimate(&EN, 59), "less than a minute");
        assert_eq!(estimate(&EN, 60), "about 1 min");
        assert_eq!(estimate(&EN, 121), "about 3 min");
        assert_eq!(estimate(&DE, 30), "weniger als eine Minute");
        assert_eq!(estimate(&DE, 180), "etwa 3 min");
    }

    #[test]
    fn the_status_carries_the_position_tests_look_for() {
        assert_eq!(
            status_text(&EN, Some(2), Some(150)),
            "Position in queue: 2 · Estimated wait: about 3 min"
        );
        assert_eq!(
            status_text(&DE, Some(1), Some(10)),
            "Position in der Warteschlange: 1 · Geschätzte Wartezeit: weniger als eine Minute"
        );
        assert_eq!(status_text(&EN, None, None), "You are in the queue.");
        assert_eq!(status_text(&EN, Some(4), None), "Position in queue: 4");
    }
}
