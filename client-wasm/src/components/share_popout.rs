//! "Pop out sharing controls": where the browser has Document Picture-in-Picture, a small
//! always-on-top window with the sharing state and "Stop screen sharing". Closed when sharing
//! stops (this component unmounts); where the browser lacks it, nothing is shown.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::i18n::use_texts;
use crate::services::popout;

#[derive(Properties, PartialEq)]
pub struct PopOutProps {
    /// The sharing state, as the banner says it.
    pub text: String,
    pub onstop: Callback<()>,
}

#[function_component]
pub fn PopOut(props: &PopOutProps) -> Html {
    let t = use_texts();
    let window = use_mut_ref(|| None::<popout::PopOut>);
    {
        // Sharing stopped: the floating window goes too.
        let window = window.clone();
        use_effect_with((), move |_| move || drop(window.borrow_mut().take()));
    }
    if !popout::available() {
        return Html::default();
    }
    let onclick = {
        let (window, text, onstop) = (window.clone(), props.text.clone(), props.onstop.clone());
        Callback::from(move |_| {
            let (window, text, onstop) = (window.clone(), text.clone(), onstop.clone());
            spawn_local(async move {
                // Not from inside the floating window's listener, which stopping drops.
                let stop = move || {
                    let onstop = onstop.clone();
                    spawn_local(async move { onstop.emit(()) });
                };
                let opened = popout::open(&text, t.stop_screen_sharing, stop);
                if let Ok(opened) = opened.await {
                    replace(&window, opened);
                }
            });
        })
    };
    html! {
        <button type="button" class="quiet" {onclick}>{ t.pop_out_controls }</button>
    }
}

fn replace(slot: &Rc<RefCell<Option<popout::PopOut>>>, opened: popout::PopOut) {
    let old = slot.borrow_mut().replace(opened);
    drop(old);
}
