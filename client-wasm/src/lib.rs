//! The browser app: the customer's chat, the rep console and the admin pages, as a Yew app
//! that speaks the `protocol` crate's messages over one WebSocket.

pub mod app;
pub mod components;
pub mod i18n;
pub mod pages;
pub mod services;
pub mod state;
