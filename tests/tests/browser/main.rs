//! End-to-end tests in real headless Chromium (and Firefox and WebKitGTK) against the real server binary.

mod a11y;
mod assets;
mod axe;
mod chat_flow;
mod embed;
mod firefox;
mod journey;
mod live;
mod recorded;
mod resume;
mod share;
mod webkit;
