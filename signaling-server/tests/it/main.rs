//! Integration tests: the real server on port 0, driven by a client that speaks the protocol.

mod admin;
mod authz;
mod embed;
mod errors;
mod flow;
mod hostile;
mod live;
mod sign_in;
mod support;
