//! What a support page knows and does, without a browser, a runtime or a clock: the
//! connection's session logic as a state machine ([`connection::Connection`]), a session's chat
//! log ([`chat_log`]), its file transfers ([`files`]), where screen sharing stands on each side
//! ([`share`]), and each page's state with its reducer ([`customer`], [`rep`], [`admin`]),
//! which changes only by `apply(action)`. The browser app (`client-wasm`) and native clients
//! are thin drivers around it that own the sockets, the timers and the words, as
//! `support-core` is for the server.

pub mod admin;
pub mod chat_log;
pub mod connection;
pub mod customer;
pub mod files;
pub mod page;
pub mod rep;
pub mod share;

#[cfg(test)]
mod tests;
