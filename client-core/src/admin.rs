//! The admin page's state: the view the server last sent, the settings and notices being edited,
//! the forms for a new rep and a new notice, and what the last save did. The state changes only
//! by [`AdminState::apply`]; the page's driver turns what the admin does and the server answers
//! into [`Action`]s.
//!
//! Edits live here rather than in the inputs, so a refused save keeps what the admin typed and
//! a successful one resets only the part it saved.

mod form;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::rc::Rc;

use protocol::NoticeId;
use protocol::Reason;
use protocol::api::{AdminView, NewRep, RepProblem, SurveyRow};
use protocol::site::NoticeDraft;

pub use form::{Edit, Flag, FormError, NumberField, SettingsDraft, TextKind};

/// Why an admin action failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AdminError {
    Form(FormError),
    /// A new rep the server would refuse.
    Rep(RepProblem),
    LoginTaken,
    /// The server does not take the signed-in rep for an admin.
    Forbidden,
    /// The sign-in expired.
    SignedOut,
    /// The server said what it refused (the texts would be too large for every page).
    Refused(Reason),
    /// The network or the server failed; the detail is for showing.
    Failed(String),
}

/// The new rep to send, trimmed, or what the server would refuse about it (the same rules,
/// checked here so the admin reads them in their language).
pub fn check_new_rep(rep: &NewRep) -> Result<NewRep, AdminError> {
    rep.check().map_err(AdminError::Rep)
}

/// The mean rating of the surveys, if there are any.
pub fn average_rating(surveys: &[SurveyRow]) -> Option<f64> {
    if surveys.is_empty() {
        return None;
    }
    let sum: u32 = surveys.iter().map(|s| u32::from(s.rating)).sum();
    Some(f64::from(sum) / surveys.len() as f64)
}

/// Which part of the page an action belongs to, so its outcome shows there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Settings,
    /// The reps table's buttons.
    Reps,
    NewRep,
    Notice(NoticeId),
    NewNotice,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Saved,
    Failed(AdminError),
}

#[derive(Debug, Clone, PartialEq)]
pub struct AdminState {
    /// What the server last sent; `None` until the page has loaded.
    pub view: Option<Rc<AdminView>>,
    /// Loading the page failed.
    pub load_error: Option<AdminError>,
    pub settings: SettingsDraft,
    pub new_rep: NewRep,
    /// Notices the admin changed and has not saved yet.
    pub notice_edits: BTreeMap<NoticeId, NoticeDraft>,
    pub new_notice: NoticeDraft,
    /// A request of this section is on its way.
    pub busy: Option<Section>,
    /// How the last action ended, shown in its section.
    pub outcome: Option<(Section, Outcome)>,
}

impl AdminState {
    /// The notice as the admin sees it: their unsaved edit, else the saved one.
    pub fn notice_draft<'a>(&'a self, id: NoticeId, saved: &'a NoticeDraft) -> &'a NoticeDraft {
        self.notice_edits.get(&id).unwrap_or(saved)
    }

    /// The outcome of the last action if it was in `section`.
    pub fn outcome_in(&self, section: Section) -> Option<&Outcome> {
        self.outcome
            .as_ref()
            .filter(|(s, _)| *s == section)
            .map(|(_, outcome)| outcome)
    }
}

impl Default for AdminState {
    fn default() -> Self {
        AdminState {
            view: None,
            load_error: None,
            settings: SettingsDraft::default(),
            new_rep: empty_rep(),
            notice_edits: BTreeMap::new(),
            new_notice: NoticeDraft::default(),
            busy: None,
            outcome: None,
        }
    }
}

/// The empty "Add rep" form (`NewRep` has no `Default`).
fn empty_rep() -> NewRep {
    NewRep {
        login: String::new(),
        name: String::new(),
        password: String::new(),
        admin: false,
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Loaded(AdminView),
    LoadFailed(AdminError),
    EditSettings(Edit),
    EditNewRep(NewRep),
    EditNotice(NoticeId, NoticeDraft),
    EditNewNotice(NoticeDraft),
    Busy(Section),
    Done(Section, AdminView),
    Failed(Section, AdminError),
}

impl AdminState {
    pub fn apply(&mut self, action: Action) {
        match action {
            Action::Loaded(view) => {
                self.settings = SettingsDraft::new(&view.settings);
                self.notice_edits.clear();
                self.view = Some(Rc::new(view));
                self.load_error = None;
            }
            Action::LoadFailed(error) => self.load_error = Some(error),
            Action::EditSettings(edit) => self.settings.apply(edit),
            Action::EditNewRep(rep) => self.new_rep = rep,
            Action::EditNotice(id, draft) => {
                self.notice_edits.insert(id, draft);
            }
            Action::EditNewNotice(draft) => self.new_notice = draft,
            Action::Busy(section) => {
                self.busy = Some(section);
                self.outcome = None;
            }
            Action::Done(section, view) => {
                // Only what was saved is reset; other unsaved edits stay.
                match section {
                    Section::Settings => self.settings = SettingsDraft::new(&view.settings),
                    Section::Reps => {}
                    Section::NewRep => self.new_rep = empty_rep(),
                    Section::Notice(id) => {
                        self.notice_edits.remove(&id);
                    }
                    Section::NewNotice => self.new_notice = NoticeDraft::default(),
                }
                let exists = |id: &NoticeId| view.notices.iter().any(|n| n.id == *id);
                self.notice_edits.retain(|id, _| exists(id));
                self.view = Some(Rc::new(view));
                self.busy = None;
                self.outcome = Some((section, Outcome::Saved));
            }
            Action::Failed(section, error) => {
                self.busy = None;
                self.outcome = Some((section, Outcome::Failed(error)));
            }
        }
    }
}
