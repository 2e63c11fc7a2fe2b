//! The app's state: one `Reducible` per concern, provided by a context and used through a hook
//! whose methods are the verbs the UI needs (`use_customer().end()`).
//!
//! The customer's, the rep's and the admin's states and their reducers are `client_core`'s,
//! where native `cargo test` covers them; here they are wrapped as Yew reducers, and the
//! providers turn connection events and replies into actions.

#[cfg(feature = "console")]
pub mod admin;
#[cfg(feature = "console")]
pub mod auth;
pub mod customer;
pub mod font_size;
#[cfg(feature = "console")]
pub mod rep;

use std::rc::Rc;

use protocol::{ChatMessage, SessionId};
use yew::prelude::*;

use crate::services::chat;
use crate::services::ws::{Connection, RequestError};

/// A state's next version after `apply`: the same `Rc` when nothing changed, so that nothing
/// renders again.
fn reduce_by<S: Clone + PartialEq>(state: Rc<S>, apply: impl FnOnce(&mut S)) -> Rc<S> {
    let mut next = (*state).clone();
    apply(&mut next);
    if next == *state { state } else { Rc::new(next) }
}

/// The actions a page's state takes for its chat: a session's stored history, or a request
/// that failed.
trait ChatActions {
    fn history(session: SessionId, messages: Vec<ChatMessage>) -> Self;
    fn failed(error: RequestError) -> Self;
}

/// Reads `session`'s stored history into the state behind `dispatch`.
fn fetch_history<S>(conn: &Connection, dispatch: &UseReducerDispatcher<S>, session: SessionId)
where
    S: Reducible + 'static,
    S::Action: ChatActions,
{
    fetch_page(conn.clone(), dispatch.clone(), session, 0);
}

/// One page of the history after `after_seq`, then the next while the server has more.
fn fetch_page<S>(
    conn: Connection,
    dispatch: UseReducerDispatcher<S>,
    session: SessionId,
    after_seq: u64,
) where
    S: Reducible + 'static,
    S::Action: ChatActions,
{
    let next = conn.clone();
    chat::history(&conn, session, after_seq, move |result| match result {
        Ok((messages, more)) => {
            let last = messages.last().map(|m| m.seq);
            dispatch.dispatch(S::Action::history(session, messages));
            if let (true, Some(last)) = (more, last) {
                fetch_page(next, dispatch, session, last);
            }
        }
        Err(error) => dispatch.dispatch(S::Action::failed(error)),
    });
}

/// The component's connection, made once, opened on mount and closed on unmount.
#[hook]
fn use_connection<F>(make: F) -> Connection
where
    F: FnOnce() -> Connection + 'static,
{
    let conn = (*use_memo((), move |_| make())).clone();
    {
        let conn = conn.clone();
        use_effect_with((), move |_| {
            conn.start();
            move || conn.stop()
        });
    }
    conn
}
