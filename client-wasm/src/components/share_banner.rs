//! The banner above the customer's chat while the screen is shared: "Your screen is visible
//! to Bo" once the media connection is up ("Connecting your screen to Bo…" before) with, to
//! its right, "Stop screen sharing" (unrestricted) or "Change sharing" and
//! "Stop sharing" (the customer chooses), the pop-out controls where the browser has them, and
//! "Retry" when the connection was lost.

use protocol::ShareMode;
use yew::prelude::*;

use crate::components::composer::MESSAGE_ID;
use crate::components::share_popout::PopOut;
use crate::i18n::use_texts;
use crate::services::announce;

const FIRST_ACTION_ID: &str = "share-first-action";
use client_core::share::MediaLink;

#[derive(Properties, PartialEq)]
pub struct ShareBannerProps {
    pub rep_name: AttrValue,
    pub mode: ShareMode,
    pub link: MediaLink,
    /// The server records the shared screen.
    pub recorded: bool,
    pub onstop: Callback<()>,
    pub onchange: Callback<()>,
    pub onretry: Callback<()>,
}

/// A link's click that stays on the page.
fn follow(callback: &Callback<()>) -> Callback<MouseEvent> {
    let callback = callback.clone();
    Callback::from(move |event: MouseEvent| {
        event.prevent_default();
        callback.emit(());
    })
}

#[function_component]
pub fn ShareBanner(props: &ShareBannerProps) -> Html {
    let t = use_texts();
    let visible = (t.share_visible_to)(&props.rep_name);
    let connected = props.link == MediaLink::Connected;
    // Focus on the banner's first action, since the button that started it is gone; when it
    // goes, the chat is what comes next.
    use_effect_with((), move |_| {
        announce::focus(FIRST_ACTION_ID);
        || {
            announce::announce(t.share_ended);
            announce::focus(MESSAGE_ID);
        }
    });
    {
        // Said once the media connection is up, not before: only then does the rep see it. (A
        // banner inserted already filled is not read, so it is said through the announcer.)
        let visible = visible.clone();
        let said = use_mut_ref(|| false);
        use_effect_with(connected, move |connected| {
            if *connected && !said.replace(true) {
                announce::announce(&visible);
            }
        });
    }
    // Inserted already filled, the notice would not be read: said through the announcer.
    use_effect_with(props.recorded, move |recorded| {
        if *recorded {
            announce::announce(t.session_recorded);
        }
    });
    let state = match connected {
        true => visible.clone(),
        false => (t.share_connecting_to)(&props.rep_name),
    };
    let actions = match props.mode {
        ShareMode::Unrestricted => html! {
            <a id={FIRST_ACTION_ID} href="#" class="danger-link" onclick={follow(&props.onstop)}>
                { t.stop_screen_sharing }
            </a>
        },
        ShareMode::CustomerChooses => html! {
            <>
                <a id={FIRST_ACTION_ID} href="#" onclick={follow(&props.onchange)}>
                    { t.change_sharing }
                </a>
                <button type="button" class="quiet danger" onclick={props.onstop.reform(|_| ())}>
                    { t.stop_sharing }
                </button>
            </>
        },
    };
    html! {
        <div class="share-banner">
            <p class="share-state" role="status">{ state }</p>
            if props.recorded {
                <p class="recorded">{ t.session_recorded }</p>
            }
            <div class="share-actions">
                { actions }
                <PopOut text={visible} onstop={props.onstop.clone()} />
            </div>
            if props.link == MediaLink::Failed {
                <p class="share-lost" role="alert">{ (t.share_lost)(&props.rep_name) }</p>
                <button type="button" class="quiet" onclick={props.onretry.reform(|_| ())}>
                    { t.share_retry }
                </button>
            }
        </div>
    }
}
