//! The admin state's reducer, natively: what a save keeps and resets, and the checks made
//! before anything is sent.

use super::*;
use protocol::SessionId;
use protocol::Settings;

fn view() -> AdminView {
    AdminView {
        settings: Settings::default(),
        reps: vec![],
        notices: vec![protocol::Notice {
            id: NoticeId(3),
            draft: NoticeDraft::default(),
        }],
        surveys: vec![],
    }
}

fn reduce(mut state: AdminState, actions: impl IntoIterator<Item = Action>) -> AdminState {
    for action in actions {
        state.apply(action);
    }
    state
}

#[test]
fn a_refused_save_keeps_what_was_typed() {
    let typed = Edit::Number(NumberField::DefaultWait, "0".into());
    let state = reduce(
        AdminState::default(),
        [
            Action::Loaded(view()),
            Action::EditSettings(typed),
            Action::Busy(Section::Settings),
            Action::Failed(Section::Settings, AdminError::Failed("offline".into())),
        ],
    );
    assert_eq!(state.settings.number(NumberField::DefaultWait), "0");
    assert_eq!(state.busy, None);
    assert!(matches!(
        state.outcome_in(Section::Settings),
        Some(Outcome::Failed(_))
    ));
}

#[test]
fn a_save_resets_only_its_own_section() {
    let mut notice = NoticeDraft::default();
    notice.text.en = "Mail is down".into();
    let state = reduce(
        AdminState::default(),
        [
            Action::Loaded(view()),
            Action::EditSettings(Edit::OrphanUrl("https://kb".into())),
            Action::EditNotice(NoticeId(3), notice.clone()),
            Action::EditNewRep(NewRep {
                login: "bo".into(),
                ..empty_rep()
            }),
            Action::Busy(Section::Reps),
            Action::Done(Section::Reps, view()),
        ],
    );
    assert_eq!(state.settings.settings.orphan_url, "https://kb");
    assert_eq!(state.notice_edits.get(&NoticeId(3)), Some(&notice));
    assert_eq!(state.new_rep.login, "bo");
    assert_eq!(state.outcome_in(Section::Reps), Some(&Outcome::Saved));
    assert_eq!(state.outcome_in(Section::Settings), None);

    let state = reduce(
        state,
        [
            Action::Done(Section::Notice(NoticeId(3)), view()),
            Action::Done(Section::NewRep, view()),
            Action::Done(Section::Settings, view()),
        ],
    );
    assert!(state.notice_edits.is_empty());
    assert_eq!(state.new_rep, empty_rep());
    assert_eq!(state.settings, SettingsDraft::new(&Settings::default()));
}

#[test]
fn a_new_rep_is_checked_as_the_server_would() {
    let rep = |login: &str, name: &str, password: &str| NewRep {
        login: login.into(),
        name: name.into(),
        password: password.into(),
        admin: false,
    };
    assert_eq!(
        check_new_rep(&rep(" bo ", " Bo ", "long enough")),
        Ok(rep("bo", "Bo", "long enough"))
    );
    let refused = |r: NewRep| check_new_rep(&r).unwrap_err();
    assert_eq!(
        refused(rep("bo", " ", "long enough")),
        AdminError::Rep(RepProblem::FieldsMissing)
    );
    assert_eq!(
        refused(rep("bo bo", "Bo", "long enough")),
        AdminError::Rep(RepProblem::LoginChars)
    );
    assert_eq!(
        refused(rep("bo", "Bo", "short")),
        AdminError::Rep(RepProblem::PasswordTooShort)
    );
}

fn survey(rating: u8) -> SurveyRow {
    SurveyRow {
        session: SessionId(1),
        customer_name: "Ada".into(),
        rep_name: "Bo".into(),
        rating,
        resolved: true,
        comment: String::new(),
        at: 0,
    }
}

#[test]
fn the_average_rating() {
    assert_eq!(average_rating(&[]), None);
    assert_eq!(
        average_rating(&[survey(5), survey(4), survey(4)]),
        Some(13.0 / 3.0)
    );
}
