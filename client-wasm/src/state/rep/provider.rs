//! The component that owns the rep console's connection and state, and the hook that reads
//! them.

use super::*;

#[derive(Properties, PartialEq)]
pub struct RepProviderProps {
    pub children: Html,
    /// Called when the server no longer takes the connection for a rep.
    pub onexpired: Callback<()>,
}

/// Owns the rep's connection (opened after signing in) and the console state.
#[function_component]
pub fn RepProvider(props: &RepProviderProps) -> Html {
    let state = use_reducer(Rep::default);
    let away = (*use_memo((), |_| Rc::new(Cell::new(false)))).clone();
    let media = (*use_memo((), |_| Media::default())).clone();
    let (dispatch, onexpired) = (state.dispatcher(), props.onexpired.clone());
    let conn = {
        let (away, media) = (away.clone(), media.clone());
        use_connection(move || {
            // Reps are known by their cookie, never by a session token.
            Connection::new(Request::rep_hello, move |conn, event| {
                on_event(conn, &dispatch, &onexpired, &away, &media, event)
            })
        })
    };
    let handle = RepHandle {
        state,
        conn,
        away,
        media,
    };
    html! {
        <ContextProvider<RepHandle> context={handle}>
            { props.children.clone() }
        </ContextProvider<RepHandle>>
    }
}

/// The console state and verbs; only inside a [`RepProvider`].
#[hook]
pub fn use_rep() -> RepHandle {
    use_context::<RepHandle>().expect("use_rep needs a RepProvider")
}
