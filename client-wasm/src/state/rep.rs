//! The rep console in the page: the provider that owns the connection and the state
//! (`client_core::rep`), the verbs of `use_rep()`, and what the connection and shared screens
//! turn into actions.

use std::cell::Cell;
use std::ops::Deref;
use std::rc::Rc;

use protocol::{ChatMessage, ErrorCode, Identity, Party, Reply, Request, ServerMessage};
use protocol::{FileId, NoticeId, RepId, SessionId};
use yew::prelude::*;

mod events;
mod handle;
mod provider;
mod sharing;

use super::{ChatActions, fetch_history, reduce_by, use_connection};
use crate::services::ws::{Connection, Event, RequestError};
use crate::services::{chat, unexpected, warn};
use client_core::chat_log::{Pending, next_local_id};
use client_core::rep::{Action, RepState, SessionKey};
use events::{on_event, send_presence};
pub use handle::RepHandle;
pub use provider::{RepProvider, RepProviderProps, use_rep};
use sharing::Media;

/// The console's state as its reducer. A newtype, since Yew's `Reducible` may be implemented
/// here only for a type of this crate; the state and its logic are `client_core`'s.
#[derive(Clone, PartialEq, Default)]
pub struct Rep(RepState);

impl Deref for Rep {
    type Target = RepState;

    fn deref(&self) -> &RepState {
        &self.0
    }
}

impl Reducible for Rep {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        reduce_by(self, |next| {
            if next.0.apply(action).is_err() {
                warn("the rep console ignores a message meant for customers");
            }
        })
    }
}

/// A time of day as the console shows it: "14:05".
pub fn clock(hours: u32, minutes: u32) -> String {
    format!("{hours:02}:{minutes:02}")
}

type Dispatcher = UseReducerDispatcher<Rep>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_valid_until_a_time_of_day() {
        assert_eq!(
            (crate::i18n::console_texts(protocol::Lang::En).key_valid_until)(
                "K7QX2M",
                &clock(14, 5)
            ),
            "Key: K7QX2M, valid until 14:05"
        );
    }
}
