//! One component per route.

pub mod admin;
pub mod chat;
pub mod home;
pub mod not_found;
pub mod rep;
