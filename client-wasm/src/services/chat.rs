//! The chat requests both the customer's page and the rep console make, with their replies read.

use protocol::{ChatMessage, Millis, Reply, Request, SessionId, Signal};

use super::unexpected;
use super::ws::{Connection, RequestError};

/// Sends a chat message; `on_done` gets its sequence number and time once it is stored. A
/// connection that drops before the answer sends it again once back; its nonce makes the
/// server store it once.
pub fn send(
    conn: &Connection,
    session: SessionId,
    text: String,
    on_done: impl FnOnce(Result<(u64, Millis), RequestError>) + 'static,
) {
    conn.request_until_answered(
        Request::SendChat {
            session,
            text,
            nonce: Some(new_nonce()),
        },
        move |result| match result {
            Ok(Reply::Stored { seq, at }) => on_done(Ok((seq, at))),
            Ok(other) => unexpected(&other),
            Err(error) => on_done(Err(error)),
        },
    );
}

/// A random whole number below 2^53, so it survives JavaScript's numbers too.
fn new_nonce() -> u64 {
    (js_sys::Math::random() * 9_007_199_254_740_992.0) as u64
}

/// Fetches a page of the stored transcript of `session` after `after_seq`, and whether more
/// follow.
pub fn history(
    conn: &Connection,
    session: SessionId,
    after_seq: u64,
    on_done: impl FnOnce(Result<(Vec<ChatMessage>, bool), RequestError>) + 'static,
) {
    let request = Request::History { session, after_seq };
    conn.request(request, move |result| match result {
        Ok(Reply::History { messages, more }) => on_done(Ok((messages, more))),
        Ok(other) => unexpected(&other),
        Err(error) => on_done(Err(error)),
    });
}

/// Tells the other side that this page has shown `session`'s messages up to `seq`; a failure
/// is only logged, as the next mark says the same again.
pub fn mark_seen(conn: &Connection, session: SessionId, seq: u64) {
    conn.request(Request::Received { session, seq }, |result| {
        if result.is_err() {
            super::warn("the server did not take the received mark");
        }
    });
}

/// Sends screen sharing's signaling to the other side of `session`; a failure is only logged,
/// since the connection's own state shows what came of it.
pub fn send_signal(conn: &Connection, session: SessionId, signal: Signal) {
    conn.request(Request::Signal { session, signal }, |result| {
        if result.is_err() {
            super::warn("the server did not relay a signal");
        }
    });
}
