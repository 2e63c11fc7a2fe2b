//! What the admin changes while customers wait: settings and notices, which take effect at once
//! for every connected page; and reps who are disabled, whose connections are closed.

use protocol::site::NoticeDraft;
use protocol::{NoticeId, RepId, ServerMessage, Settings};

use super::{ConnId, Core, Refusal, Who, refuse, refuse_for};
use crate::Change;
use protocol::{ErrorCode, Reason};

/// The most the `site` message (the settings and the active notices) may weigh.
pub const MAX_SITE_BYTES: usize = 128 * 1024;

/// An admin's change, already checked for valid values by the HTTP side.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AdminAction {
    /// Boxed: the settings weigh more than every other change together.
    SaveSettings(Box<Settings>),
    AddNotice(NoticeDraft),
    SaveNotice(NoticeId, NoticeDraft),
    DeleteNotice(NoticeId),
}

impl Core {
    /// The change an admin action amounts to.
    pub(crate) fn decide_admin(&self, action: AdminAction) -> Result<Change, Refusal> {
        let change = self.admin_change(action)?;
        self.check_site_size(&change)?;
        Ok(change)
    }

    /// Every page gets the settings and the active notices in one message: together they must
    /// stay far below what a socket takes in one (256 KiB), whatever the admin writes.
    fn check_site_size(&self, change: &Change) -> Result<(), Refusal> {
        let bytes = match change {
            Change::Settings(settings) => crate::wire::most_site_bytes(settings, &self.notices),
            Change::NoticeSaved(saved) => {
                let others = self.notices.iter().filter(|n| n.id != saved.id);
                crate::wire::most_site_bytes(&self.settings, others.chain([saved]))
            }
            _ => return Ok(()),
        };
        if bytes > MAX_SITE_BYTES {
            let max_kib = (MAX_SITE_BYTES / 1024) as u32;
            return refuse_for(
                ErrorCode::InvalidInput,
                Reason::SiteTooLarge(max_kib),
                format!(
                    "the texts and the active notices together would take up to {} KiB, and \
                     every page is sent them: at most {} KiB; shorten or deactivate some",
                    bytes / 1024,
                    MAX_SITE_BYTES / 1024
                ),
            );
        }
        Ok(())
    }

    fn admin_change(&self, action: AdminAction) -> Result<Change, Refusal> {
        let exists = |id: NoticeId| self.notices.iter().any(|n| n.id == id);
        match action {
            AdminAction::SaveSettings(settings) => Ok(Change::Settings(settings)),
            AdminAction::AddNotice(draft) => Ok(Change::NoticeSaved(protocol::Notice {
                id: self.next_notice,
                draft,
            })),
            AdminAction::SaveNotice(id, draft) if exists(id) => {
                Ok(Change::NoticeSaved(protocol::Notice { id, draft }))
            }
            AdminAction::DeleteNotice(id) if exists(id) => Ok(Change::NoticeDeleted(id)),
            AdminAction::SaveNotice(id, _) | AdminAction::DeleteNotice(id) => {
                refuse(ErrorCode::NoSuchNotice, format!("there is no notice {id}"))
            }
        }
    }

    /// Takes a stored admin change into the live state and shows it to every page.
    pub(super) fn apply_admin(&mut self, change: Change) {
        match change {
            Change::Settings(settings) => {
                self.settings = *settings;
                // The default wait and the longest wait change what customers are told.
                self.wake_now();
            }
            Change::NoticeSaved(notice) => {
                self.next_notice = self.next_notice.max(notice.id.next());
                match self.notices.iter_mut().find(|n| n.id == notice.id) {
                    Some(old) => *old = notice,
                    None => self.notices.push(notice),
                }
            }
            Change::NoticeDeleted(id) => self.notices.retain(|n| n.id != id),
            _ => return,
        }
        let to = self
            .conns
            .iter()
            .filter(|(_, who)| !matches!(who, Who::Greeting { .. }))
            .map(|(conn, _)| *conn)
            .collect();
        let site = self.site_message();
        self.send(to, site);
    }

    /// The settings and the active notices, as every page gets them.
    pub(super) fn site_message(&self) -> ServerMessage {
        ServerMessage::Site {
            settings: Box::new(self.settings.clone()),
            notices: self
                .notices
                .iter()
                .filter(|n| n.draft.active)
                .cloned()
                .collect(),
        }
    }

    /// A rep was disabled: their connections, which the driver closes.
    pub(crate) fn rep_connections(&self, rep: RepId) -> Vec<ConnId> {
        self.rep_conns.get(&rep).cloned().unwrap_or_default()
    }
}
