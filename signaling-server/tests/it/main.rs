//! Integration tests: the real server on port 0, driven by pages that connect as the browser app
//! does (`client-tokio`), and by sockets written by hand where a test sends what no page would.

mod admin;
mod authz;
mod embed;
mod errors;
mod flow;
mod hostile;
mod live;
mod sign_in;
mod support;
