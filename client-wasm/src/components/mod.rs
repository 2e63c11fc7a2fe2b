//! Small function components the pages are built from; each takes its data as props and
//! reports what the user did through `on…` callbacks.

pub mod admin;
pub mod agreement;
pub mod alert;
pub mod auth_gate;
pub mod composer;
pub mod consent;
pub mod entry_form;
pub mod file_picker;
pub mod file_transfers;
pub mod font_size;
pub mod link_status;
pub mod message_log;
pub mod notices;
pub mod orphaned;
pub mod peer_link;
pub mod profile;
pub mod queue_list;
pub mod rich_text;
pub mod screen_share;
pub mod send_link;
pub mod session_panel;
pub mod session_tabs;
pub mod share_banner;
pub mod share_popout;
pub mod share_prompt;
pub mod sign_in_form;
pub mod survey;
pub mod transfer_form;
pub mod waiting;
