//! What a support page knows and does, without a browser, a runtime or a clock: the
//! connection's session logic as a state machine ([`connection::Connection`]), a session's chat
//! log ([`chat_log`]), its file transfers ([`files`]) and where screen sharing stands on each
//! side ([`share`]). The browser app (`client-wasm`) and native clients are thin drivers around
//! it that own the sockets and the timers, as `support-core` is for the server.

pub mod chat_log;
pub mod connection;
pub mod files;
pub mod share;

#[cfg(test)]
mod tests;
