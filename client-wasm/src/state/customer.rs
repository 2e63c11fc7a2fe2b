//! The customer's side of a session in the page: the provider that owns the connection and
//! the state (`client_core::customer`), the verbs of `use_customer()`, and what the connection,
//! uploads, sharing and the host page of an embedded chat turn into actions.

mod embedded;
mod events;
mod handle;
mod provider;
mod sharing;
mod uploads;

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::ops::Deref;
use std::rc::Rc;

use gloo::events::EventListener;
use protocol::{
    CaptureFailure, FileId, ServerMessage, SessionId, SessionState, ShareAnswer, ShareState,
};
use protocol::{ChatMessage, ErrorCode, Identity, Lang, MessageKind, Party, Reply, Request};
use yew::prelude::*;

use super::{ChatActions, fetch_history, reduce_by, use_connection};
use crate::i18n::{Texts, use_texts};
use crate::services::embed::Embed;
use crate::services::storage;
use crate::services::ws::{Connection, Event, RequestError};
use crate::services::{api, attention, chat, notify, unexpected, warn, webrtc};
use client_core::chat_log::{Pending, next_local_id};
use client_core::customer::{Action, CustomerState, Phase, StoredConsent, Survey};
use events::Events;
pub use handle::{CustomerHandle, Entry, SurveyAnswers};
pub use provider::{CustomerProvider, CustomerProviderProps, use_customer};
use sharing::Screen;

/// The customer state as the page's reducer. A newtype, since Yew's `Reducible` may be
/// implemented here only for a type of this crate; the state and its logic are `client_core`'s.
#[derive(Clone, PartialEq)]
pub struct Customer(CustomerState);

impl Deref for Customer {
    type Target = CustomerState;

    fn deref(&self) -> &CustomerState {
        &self.0
    }
}

impl Reducible for Customer {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        reduce_by(self, |next| {
            if next.0.apply(action).is_err() {
                warn("the customer page ignores a message meant for others");
            }
        })
    }
}

/// Files chosen on this page, kept until their upload starts.
type Uploads = Rc<RefCell<HashMap<FileId, web_sys::File>>>;

type Dispatcher = UseReducerDispatcher<Customer>;
