//! What the connection reports, turned into the console state's actions.

use super::*;

pub(super) fn send_presence(conn: &Connection, dispatch: &Dispatcher, available: bool) {
    let dispatch = dispatch.clone();
    conn.request(Request::SetPresence { available }, move |result| {
        if let Err(error) = result {
            dispatch.dispatch(Action::Failed(error));
        }
    });
}

pub(super) fn on_event(
    conn: &Connection,
    dispatch: &Dispatcher,
    onexpired: &Callback<()>,
    away: &Cell<bool>,
    media: &Media,
    event: Event,
) {
    match event {
        Event::Connecting => dispatch.dispatch(Action::Connecting),
        Event::Lost => dispatch.dispatch(Action::Lost),
        Event::Ready(Identity::Rep { rep, name, .. }) => {
            dispatch.dispatch(Action::Welcome { rep, name });
            // A new connection counts as available; a rep who chose "away" stays away.
            if away.get() {
                send_presence(conn, dispatch, false);
            }
        }
        Event::Ready(_) => warn("the server took the rep console for a customer"),
        // The cookie no longer names a rep: the sign-in has expired.
        Event::Refused(RequestError::Server {
            code: ErrorCode::NotSignedIn,
            ..
        }) => onexpired.emit(()),
        Event::Refused(error) => dispatch.dispatch(Action::Failed(error)),
        Event::Push(message) => {
            match &message {
                ServerMessage::SessionStarted(info) => fetch_history(conn, dispatch, info.session),
                ServerMessage::RepSessions { sessions, .. } => {
                    for info in sessions {
                        fetch_history(conn, dispatch, info.session);
                    }
                }
                _ => {}
            }
            if media.on_push(conn, dispatch, &message) {
                dispatch.dispatch(Action::Push(message));
            }
        }
    }
}

impl ChatActions for Action {
    fn history(session: SessionId, messages: Vec<ChatMessage>) -> Self {
        Action::History { session, messages }
    }

    fn failed(error: RequestError) -> Self {
        Action::Failed(error)
    }
}
