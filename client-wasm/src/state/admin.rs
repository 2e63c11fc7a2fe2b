//! The admin page's state: the view the server last sent, the settings and notices being edited,
//! the forms for a new rep and a new notice, and what the last save did; with `use_admin()` verbs.
//!
//! Edits live here rather than in the inputs, so a refused save keeps what the admin typed and
//! a successful one resets only the part it saved.

use std::collections::BTreeMap;
use std::future::Future;
use std::ops::Deref;
use std::rc::Rc;

use protocol::api::{AdminView, NewRep, RepChange, RepProblem, SurveyRow};
use protocol::site::{self, Invalid, NoticeDraft};
use protocol::{Lang, NoticeId, Reason, RepId, Settings};
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::i18n::Texts;
use crate::services::api::{self, ApiError};

/// One of the texts a customer reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextKind {
    Agreement,
    Greeting,
    Hold,
    Orphan,
}

impl TextKind {
    pub const ALL: [TextKind; 4] = [
        TextKind::Agreement,
        TextKind::Greeting,
        TextKind::Hold,
        TextKind::Orphan,
    ];

    /// The name `Settings::check` gives it.
    pub fn key(self) -> &'static str {
        match self {
            TextKind::Agreement => "agreement",
            TextKind::Greeting => "greeting",
            TextKind::Hold => "hold",
            TextKind::Orphan => "orphan",
        }
    }

    pub fn get(self, texts: &site::Texts) -> &String {
        match self {
            TextKind::Agreement => &texts.agreement,
            TextKind::Greeting => &texts.greeting,
            TextKind::Hold => &texts.hold,
            TextKind::Orphan => &texts.orphan,
        }
    }

    fn get_mut(self, texts: &mut site::Texts) -> &mut String {
        match self {
            TextKind::Agreement => &mut texts.agreement,
            TextKind::Greeting => &mut texts.greeting,
            TextKind::Hold => &mut texts.hold,
            TextKind::Orphan => &mut texts.orphan,
        }
    }

    /// Its visible label, such as "Greeting (German)".
    pub fn label(self, t: &Texts, lang: Lang) -> String {
        let name = match self {
            TextKind::Agreement => t.agreement_label,
            TextKind::Greeting => t.greeting_label,
            TextKind::Hold => t.hold_label,
            TextKind::Orphan => t.orphan_label,
        };
        format!("{name} ({})", t.lang_name(lang))
    }
}

/// A setting typed as a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberField {
    HoldInterval,
    LongestWait,
    FileLimit,
    DefaultWait,
}

impl NumberField {
    pub const ALL: [NumberField; 4] = [
        NumberField::HoldInterval,
        NumberField::LongestWait,
        NumberField::FileLimit,
        NumberField::DefaultWait,
    ];

    pub fn key(self) -> &'static str {
        match self {
            NumberField::HoldInterval => "hold_interval_secs",
            NumberField::LongestWait => "longest_wait_secs",
            NumberField::FileLimit => "file_limit_mb",
            NumberField::DefaultWait => "default_wait_secs",
        }
    }

    /// Its saved value.
    pub fn value(self, settings: &Settings) -> u32 {
        match self {
            NumberField::HoldInterval => settings.hold_interval_secs,
            NumberField::LongestWait => settings.longest_wait_secs,
            NumberField::FileLimit => settings.file_limit_mb,
            NumberField::DefaultWait => settings.default_wait_secs,
        }
    }

    fn get_mut(self, settings: &mut Settings) -> &mut u32 {
        match self {
            NumberField::HoldInterval => &mut settings.hold_interval_secs,
            NumberField::LongestWait => &mut settings.longest_wait_secs,
            NumberField::FileLimit => &mut settings.file_limit_mb,
            NumberField::DefaultWait => &mut settings.default_wait_secs,
        }
    }

    pub fn label(self, t: &Texts) -> &'static str {
        match self {
            NumberField::HoldInterval => t.hold_interval_label,
            NumberField::LongestWait => t.longest_wait_label,
            NumberField::FileLimit => t.file_limit_label,
            NumberField::DefaultWait => t.default_wait_label,
        }
    }
}

/// A policy switched on or off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flag {
    RecordingPrompt,
    KeepOrphanedQueued,
    Survey,
    Watermark,
    RelayOnly,
}

impl Flag {
    pub fn get(self, settings: &Settings) -> bool {
        match self {
            Flag::RecordingPrompt => settings.recording_prompt,
            Flag::KeepOrphanedQueued => settings.keep_orphaned_queued,
            Flag::Survey => settings.survey,
            Flag::Watermark => settings.watermark,
            Flag::RelayOnly => settings.relay_only,
        }
    }

    fn get_mut(self, settings: &mut Settings) -> &mut bool {
        match self {
            Flag::RecordingPrompt => &mut settings.recording_prompt,
            Flag::KeepOrphanedQueued => &mut settings.keep_orphaned_queued,
            Flag::Survey => &mut settings.survey,
            Flag::Watermark => &mut settings.watermark,
            Flag::RelayOnly => &mut settings.relay_only,
        }
    }

    pub fn label(self, t: &Texts) -> &'static str {
        match self {
            Flag::RecordingPrompt => t.recording_prompt_label,
            Flag::KeepOrphanedQueued => t.keep_orphaned_label,
            Flag::Survey => t.survey_label,
            Flag::Watermark => t.watermark_label,
            Flag::RelayOnly => t.relay_only_label,
        }
    }
}

/// One change the admin makes to the settings form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Edit {
    Text(Lang, TextKind, String),
    Number(NumberField, String),
    Flag(Flag, bool),
    OrphanUrl(String),
    /// The sites allowed to embed the chat, one per line.
    EmbedSites(String),
}

/// The settings as typed: the numbers as the text in their inputs, so a wrong one can be named.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SettingsDraft {
    /// Everything but the numbers, which are taken from `numbers` on saving.
    pub settings: Settings,
    numbers: [String; 4],
    /// The sites allowed to embed the chat, as typed: one per line.
    pub embed_sites: String,
}

impl SettingsDraft {
    pub fn new(settings: &Settings) -> Self {
        SettingsDraft {
            settings: settings.clone(),
            numbers: NumberField::ALL.map(|field| field.value(settings).to_string()),
            embed_sites: settings.embed_origins.join("\n"),
        }
    }

    pub fn number(&self, field: NumberField) -> &str {
        &self.numbers[field as usize]
    }

    pub fn apply(&mut self, edit: Edit) {
        match edit {
            Edit::Text(lang, kind, text) => {
                *kind.get_mut(self.settings.texts.get_mut(lang)) = text;
            }
            Edit::Number(field, text) => self.numbers[field as usize] = text,
            Edit::Flag(flag, on) => *flag.get_mut(&mut self.settings) = on,
            Edit::OrphanUrl(url) => self.settings.orphan_url = url,
            Edit::EmbedSites(text) => self.embed_sites = text,
        }
    }

    /// The settings to save, or the first thing wrong with them.
    pub fn to_settings(&self) -> Result<Settings, FormError> {
        let mut settings = self.settings.clone();
        settings.orphan_url = settings.orphan_url.trim().to_owned();
        settings.embed_origins = embed_origins(&self.embed_sites);
        for field in NumberField::ALL {
            *field.get_mut(&mut settings) = parse_number(self.number(field))
                .ok_or_else(|| FormError::NotANumber(field.key().to_owned()))?;
        }
        settings.check().map_err(FormError::Invalid)?;
        Ok(settings)
    }
}

/// The sites in the admin's list, one per line; a trailing slash and capitals, as an address
/// bar shows them, are forgiven.
pub fn embed_origins(text: &str) -> Vec<String> {
    text.lines()
        .map(|line| line.trim().trim_end_matches('/').to_ascii_lowercase())
        .filter(|line| !line.is_empty())
        .collect()
}

/// A whole number of 0 or more, as typed (surrounding spaces allowed).
pub fn parse_number(text: &str) -> Option<u32> {
    let text = text.trim();
    // `u32::from_str` takes a leading "+"; a setting should be digits only.
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// Why something the admin typed cannot be saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormError {
    /// This setting (by its name in `Settings`) is not a whole number of 0 or more.
    NotANumber(String),
    /// `check` refused it, here or on the server.
    Invalid(Invalid),
}

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

impl From<ApiError> for AdminError {
    fn from(error: ApiError) -> Self {
        match error {
            ApiError::Unauthorized => AdminError::SignedOut,
            ApiError::Forbidden => AdminError::Forbidden,
            ApiError::Invalid(invalid) => AdminError::Form(FormError::Invalid(invalid)),
            ApiError::Refused(reason) => AdminError::Refused(reason),
            ApiError::Conflict(_) => AdminError::LoginTaken,
            ApiError::TooManyAttempts(_) => AdminError::Failed("HTTP 429".into()),
            ApiError::Failed(detail) => AdminError::Failed(detail),
        }
    }
}

impl AdminError {
    /// The message for the admin. `notice` names the notice the error is about, as its fields
    /// are labelled ("Notice", "Notice 2").
    pub fn describe(&self, t: &Texts, notice: &str) -> String {
        match self {
            AdminError::Form(FormError::NotANumber(field)) => {
                (t.invalid_not_a_number)(&field_label(t, field, notice))
            }
            AdminError::Form(FormError::Invalid(invalid)) => describe_invalid(t, invalid, notice),
            AdminError::Rep(RepProblem::FieldsMissing) => t.rep_fields_required.to_owned(),
            AdminError::Rep(RepProblem::LoginChars) => t.login_chars.to_owned(),
            AdminError::Rep(RepProblem::PasswordTooShort) => {
                (t.password_too_short)(MIN_PASSWORD_CHARS)
            }
            AdminError::LoginTaken => t.login_taken.to_owned(),
            AdminError::Forbidden => t.error_forbidden.to_owned(),
            AdminError::SignedOut => t.sign_in_expired.to_owned(),
            AdminError::Refused(reason) => t.reason(reason),
            AdminError::Failed(detail) => format!("{}: {detail}", t.request_failed),
        }
    }
}

/// What is wrong, naming the field by its visible label.
pub fn describe_invalid(t: &Texts, invalid: &Invalid, notice: &str) -> String {
    t.invalid(&field_label(t, &invalid.field, notice), &invalid.problem)
}

/// The visible label of a field the server or `check` names (`texts.de.greeting`,
/// `orphan_url`, a notice's `text.en`, a new rep's `login`); the name itself if unknown.
pub fn field_label(t: &Texts, field: &str, notice: &str) -> String {
    let lang = |code: &str| Lang::ALL.into_iter().find(|lang| lang.code() == code);
    if let Some((code, key)) = field.strip_prefix("texts.").and_then(|f| f.split_once('.')) {
        let kind = TextKind::ALL.into_iter().find(|kind| kind.key() == key);
        if let (Some(lang), Some(kind)) = (lang(code), kind) {
            return kind.label(t, lang);
        }
    }
    if let Some(lang) = field.strip_prefix("text.").and_then(lang) {
        return format!("{notice} ({})", t.lang_name(lang));
    }
    if let Some(number) = NumberField::ALL.into_iter().find(|n| n.key() == field) {
        return number.label(t).to_owned();
    }
    match field {
        "orphan_url" => t.orphan_url_label,
        "embed_origins" => t.embed_sites_label,
        "login" => t.login_label,
        "name" => t.display_name_label,
        "password" => t.password,
        other => other,
    }
    .to_owned()
}

pub use protocol::api::MIN_PASSWORD_CHARS;

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

impl Reducible for AdminState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        next.apply(action);
        Rc::new(next)
    }
}

impl AdminState {
    fn apply(&mut self, action: Action) {
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

/// What `use_admin()` returns: the state plus the verbs.
#[derive(Clone, PartialEq)]
pub struct AdminHandle {
    state: UseReducerHandle<AdminState>,
    /// Called when the server no longer takes the cookie for a rep.
    onexpired: Callback<()>,
}

impl Deref for AdminHandle {
    type Target = AdminState;

    fn deref(&self) -> &AdminState {
        &self.state
    }
}

impl AdminHandle {
    pub fn reload(&self) {
        load(self.state.dispatcher(), self.onexpired.clone());
    }

    pub fn edit_settings(&self, edit: Edit) {
        self.state.dispatch(Action::EditSettings(edit));
    }

    /// Saves texts and policies, after the same check the server makes.
    pub fn save_settings(&self) {
        match self.settings.to_settings() {
            Ok(settings) => self.call(Section::Settings, async move {
                api::save_settings(&settings).await
            }),
            Err(error) => self.fail(Section::Settings, AdminError::Form(error)),
        }
    }

    pub fn edit_new_rep(&self, rep: NewRep) {
        self.state.dispatch(Action::EditNewRep(rep));
    }

    pub fn add_rep(&self) {
        match check_new_rep(&self.new_rep) {
            Ok(rep) => self.call(Section::NewRep, async move { api::add_rep(&rep).await }),
            Err(error) => self.fail(Section::NewRep, error),
        }
    }

    pub fn change_rep(&self, (rep, change): (RepId, RepChange)) {
        self.call(
            Section::Reps,
            async move { api::change_rep(rep, &change).await },
        );
    }

    pub fn edit_notice(&self, (id, draft): (NoticeId, NoticeDraft)) {
        self.state.dispatch(Action::EditNotice(id, draft));
    }

    pub fn save_notice(&self, (id, draft): (NoticeId, NoticeDraft)) {
        let section = Section::Notice(id);
        match draft.check() {
            Ok(()) => self.call(section, async move { api::save_notice(id, &draft).await }),
            Err(invalid) => self.fail(section, AdminError::Form(FormError::Invalid(invalid))),
        }
    }

    pub fn delete_notice(&self, id: NoticeId) {
        self.call(
            Section::Notice(id),
            async move { api::delete_notice(id).await },
        );
    }

    pub fn edit_new_notice(&self, draft: NoticeDraft) {
        self.state.dispatch(Action::EditNewNotice(draft));
    }

    pub fn add_notice(&self) {
        let draft = self.new_notice.clone();
        match draft.check() {
            Ok(()) => self.call(
                Section::NewNotice,
                async move { api::add_notice(&draft).await },
            ),
            Err(invalid) => self.fail(
                Section::NewNotice,
                AdminError::Form(FormError::Invalid(invalid)),
            ),
        }
    }

    fn fail(&self, section: Section, error: AdminError) {
        self.state.dispatch(Action::Failed(section, error));
    }

    /// Runs an admin call; its answer, the whole view, replaces what the page shows.
    fn call(
        &self,
        section: Section,
        request: impl Future<Output = Result<AdminView, ApiError>> + 'static,
    ) {
        self.state.dispatch(Action::Busy(section));
        let (dispatch, onexpired) = (self.state.dispatcher(), self.onexpired.clone());
        spawn_local(async move {
            match request.await {
                Ok(view) => dispatch.dispatch(Action::Done(section, view)),
                Err(ApiError::Unauthorized) => onexpired.emit(()),
                Err(error) => dispatch.dispatch(Action::Failed(section, error.into())),
            }
        });
    }
}

fn load(dispatch: UseReducerDispatcher<AdminState>, onexpired: Callback<()>) {
    spawn_local(async move {
        match api::admin_view().await {
            Ok(view) => dispatch.dispatch(Action::Loaded(view)),
            Err(ApiError::Unauthorized) => onexpired.emit(()),
            Err(error) => dispatch.dispatch(Action::LoadFailed(error.into())),
        }
    });
}

#[derive(Properties, PartialEq)]
pub struct AdminProviderProps {
    pub children: Html,
    pub onexpired: Callback<()>,
}

/// Loads the admin view and keeps the page's state for everything inside it.
#[function_component]
pub fn AdminProvider(props: &AdminProviderProps) -> Html {
    let state = use_reducer(AdminState::default);
    {
        let (dispatch, onexpired) = (state.dispatcher(), props.onexpired.clone());
        use_effect_with((), move |_| load(dispatch, onexpired));
    }
    let handle = AdminHandle {
        state,
        onexpired: props.onexpired.clone(),
    };
    html! {
        <ContextProvider<AdminHandle> context={handle}>
            { props.children.clone() }
        </ContextProvider<AdminHandle>>
    }
}

/// The admin page's state and verbs; only inside an [`AdminProvider`].
#[hook]
pub fn use_admin() -> AdminHandle {
    use_context::<AdminHandle>().expect("use_admin needs an AdminProvider")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{DE, EN};
    use protocol::site::Problem;

    fn draft() -> SettingsDraft {
        SettingsDraft::new(&Settings::default())
    }

    fn edited(edits: impl IntoIterator<Item = Edit>) -> SettingsDraft {
        let mut draft = draft();
        for edit in edits {
            draft.apply(edit);
        }
        draft
    }

    fn message(result: Result<Settings, FormError>) -> String {
        AdminError::Form(result.unwrap_err()).describe(&EN, EN.notice_label)
    }

    #[test]
    fn numbers_are_whole_and_not_negative() {
        assert_eq!(parse_number(" 90 "), Some(90));
        assert_eq!(parse_number("0"), Some(0));
        for bad in ["-5", "abc", "", "1.5", "+3", "99999999999"] {
            assert_eq!(parse_number(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_site_too_large_for_every_page_is_worded_in_the_admins_language() {
        let refused = AdminError::from(ApiError::Refused(Reason::SiteTooLarge(128)));
        let said = refused.describe(&DE, DE.notice_label);
        assert!(
            said.contains("128 KB") && said.contains("Hinweis"),
            "{said}"
        );
    }

    #[test]
    fn the_unchanged_defaults_save_as_they_are() {
        assert_eq!(draft().to_settings(), Ok(Settings::default()));
    }

    #[test]
    fn a_number_that_is_not_one_is_named_by_its_label() {
        let draft = edited([Edit::Number(NumberField::HoldInterval, "-5".into())]);
        assert_eq!(
            message(draft.to_settings()),
            "“Hold message interval (seconds)” must be a whole number, 0 or more."
        );
        let draft = edited([Edit::Number(NumberField::FileLimit, "abc".into())]);
        assert_eq!(
            draft.to_settings(),
            Err(FormError::NotANumber("file_limit_mb".into()))
        );
    }

    #[test]
    fn embedding_sites_are_one_per_line_and_a_path_is_named() {
        let draft = edited([Edit::EmbedSites(
            " https://Help.example.com/ \n\nhttp://127.0.0.1:8081\n".into(),
        )]);
        assert_eq!(
            draft.to_settings().unwrap().embed_origins,
            ["https://help.example.com", "http://127.0.0.1:8081"]
        );
        let draft = edited([Edit::EmbedSites("https://help.example.com/kb".into())]);
        assert_eq!(
            message(draft.to_settings()),
            "“Sites allowed to embed the chat” takes sites such as https://help.example.com, one \
             per line, without a path."
        );
    }

    #[test]
    fn edits_reach_the_settings() {
        let draft = edited([
            Edit::Text(Lang::De, TextKind::Hold, "Bitte warten".into()),
            Edit::Number(NumberField::LongestWait, "600".into()),
            Edit::Flag(Flag::Survey, false),
            Edit::OrphanUrl(" https://kb.example.com ".into()),
        ]);
        let settings = draft.to_settings().unwrap();
        assert_eq!(settings.texts.de.hold, "Bitte warten");
        assert_eq!(settings.longest_wait_secs, 600);
        assert!(!settings.survey);
        assert_eq!(settings.orphan_url, "https://kb.example.com");
    }

    #[test]
    fn invalid_settings_are_localized_with_their_labels() {
        let draft = edited([Edit::Text(Lang::De, TextKind::Greeting, " ".into())]);
        assert_eq!(
            message(draft.to_settings()),
            "“Greeting (German)” must not be empty."
        );
        let url = Invalid {
            field: "orphan_url".into(),
            problem: Problem::NotAUrl,
        };
        assert_eq!(
            describe_invalid(&DE, &url, DE.notice_label),
            "„Weiterleitungsadresse für Kunden ohne Mitarbeiter“ muss eine Webadresse sein, \
             die mit http:// oder https:// beginnt."
        );
        let interval = Invalid {
            field: "hold_interval_secs".into(),
            problem: Problem::OutOfRange { min: 10, max: 60 },
        };
        assert_eq!(
            describe_invalid(&EN, &interval, ""),
            "“Hold message interval (seconds)” must be between 10 and 60."
        );
        let agreement = Invalid {
            field: "texts.en.agreement".into(),
            problem: Problem::TooLong { max: 4000 },
        };
        assert_eq!(
            describe_invalid(&DE, &agreement, ""),
            "„Vereinbarung (Englisch)“ darf höchstens 4000 Zeichen lang sein."
        );
    }

    #[test]
    fn notice_and_rep_fields_have_labels_too() {
        assert_eq!(field_label(&EN, "text.de", "Notice 2"), "Notice 2 (German)");
        assert_eq!(field_label(&EN, "login", ""), "Login");
        assert_eq!(field_label(&DE, "name", ""), "Anzeigename");
        assert_eq!(field_label(&EN, "something_new", ""), "something_new");
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
        let refused = |r: NewRep| check_new_rep(&r).unwrap_err().describe(&EN, "");
        assert_eq!(
            refused(rep("bo", " ", "long enough")),
            EN.rep_fields_required
        );
        assert_eq!(refused(rep("bo bo", "Bo", "long enough")), EN.login_chars);
        assert_eq!(
            refused(rep("bo", "Bo", "short")),
            "The password needs at least 8 characters."
        );
    }

    fn survey(rating: u8) -> SurveyRow {
        SurveyRow {
            session: protocol::SessionId(1),
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
        assert_eq!(
            (EN.average_rating)(13.0 / 3.0, 3),
            "Average rating: 4.3 of 5 (3 surveys)"
        );
        assert_eq!(
            (DE.average_rating)(13.0 / 3.0, 3),
            "Durchschnittliche Bewertung: 4,3 von 5 (3 Umfragen)"
        );
    }

    fn view() -> AdminView {
        AdminView {
            settings: Settings::default(),
            reps: vec![],
            notices: vec![protocol::Notice {
                id: protocol::NoticeId(3),
                draft: NoticeDraft::default(),
            }],
            surveys: vec![],
        }
    }

    fn reduce(state: AdminState, actions: impl IntoIterator<Item = Action>) -> AdminState {
        let mut state = Rc::new(state);
        for action in actions {
            state = state.reduce(action);
        }
        (*state).clone()
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
                Action::EditNotice(protocol::NoticeId(3), notice.clone()),
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
                Action::Done(Section::Notice(protocol::NoticeId(3)), view()),
                Action::Done(Section::NewRep, view()),
                Action::Done(Section::Settings, view()),
            ],
        );
        assert!(state.notice_edits.is_empty());
        assert_eq!(state.new_rep, empty_rep());
        assert_eq!(state.settings, draft());
    }
}
