//! The browser app: the customer's chat, the rep console and the admin pages, as a Yew app
//! that speaks the `protocol` crate's messages over one WebSocket. It is built twice: the
//! customer's chat, and with the `console` feature the rep console and admin pages, so that a
//! customer downloads only what the chat needs.

pub mod app;
pub mod components;
pub mod i18n;
pub mod pages;
pub mod services;
pub mod state;
