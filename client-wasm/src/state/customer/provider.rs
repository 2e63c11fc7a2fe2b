//! The component that owns the customer page's connection and state, and the hook that reads
//! them.

use super::*;

#[derive(Properties, PartialEq)]
pub struct CustomerProviderProps {
    pub children: Html,
}

/// Owns the page's connection and the customer state for everything inside it.
#[function_component]
pub fn CustomerProvider(props: &CustomerProviderProps) -> Html {
    let lang = use_context::<Lang>().unwrap_or_default();
    let texts = use_texts();
    let state = use_reducer(move || Customer(CustomerState::new(lang)));
    let uploads: Uploads = (*use_memo((), |_| Uploads::default())).clone();
    let screen: Screen = (*use_memo((), |_| Screen::default())).clone();
    let events = Events {
        dispatch: state.dispatcher(),
        texts,
        lang,
        uploads: uploads.clone(),
        screen: screen.clone(),
        announced: Cell::new(None),
    };
    let embed = (*use_memo((), |_| Embed::detect())).clone();
    embedded::use_host_page(embed.clone(), &state);
    let conn = use_connection(move || {
        // A window the embedded chat opened for its session takes the session over.
        storage::adopt_token_from_address();
        let hello = || Request::customer_hello_from(api::page_number(), storage::load_token());
        Connection::new(hello, move |conn, event| events.on_event(conn, event))
    });
    {
        // Leaving the page stops the capture.
        let screen = screen.clone();
        use_effect_with((), move |_| move || screen.stop());
    }
    let embedded = embed.is_some();
    use_effect_with((), move |_| {
        let window = web_sys::window();
        let document = window.as_ref().and_then(|window| window.document());
        // The nudge's sound needs an audio context the customer's own gesture unlocked.
        let unlock = document.map(|document| {
            let on_key = EventListener::new(&document, "keydown", |_| attention::unlock_sound());
            let on_pointer =
                EventListener::new(&document, "pointerdown", |_| attention::unlock_sound());
            (on_key, on_pointer)
        });
        // Closing the page ends a live session (a reload takes it up again in time).
        let leave = window.map(|window| {
            EventListener::new(&window, "pagehide", move |_| {
                if let Some(token) = storage::load_token() {
                    api::leave_beacon(&token, embedded);
                }
            })
        });
        move || drop((unlock, leave))
    });
    let handle = CustomerHandle {
        state,
        conn,
        uploads,
        screen,
        embed,
    };
    html! {
        <ContextProvider<CustomerHandle> context={handle}>
            { props.children.clone() }
        </ContextProvider<CustomerHandle>>
    }
}

/// The customer state and verbs; only inside a [`CustomerProvider`].
#[hook]
pub fn use_customer() -> CustomerHandle {
    use_context::<CustomerHandle>().expect("use_customer needs a CustomerProvider")
}
