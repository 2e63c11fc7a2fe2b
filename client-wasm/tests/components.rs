//! Components rendered into a real page in headless Chromium (`wasm-bindgen-test`); native
//! `cargo test` skips this file.
#![cfg(target_arch = "wasm32")]

use std::cell::Cell;
use std::rc::Rc;

use client_core::chat_log::{ChatLog, Pending};
use client_wasm::components::agreement::agreement;
use client_wasm::components::entry_form::{EntryForm, EntryFormProps};
use client_wasm::components::message_log::{MessageLog, MessageLogProps};
use client_wasm::components::notices::notices;
use client_wasm::components::survey::{ExitSurvey, SurveyProps};
use client_wasm::components::waiting::{Waiting, WaitingProps};
use client_wasm::i18n::{Texts, texts};
use client_wasm::state::customer::SurveyAnswers;
use protocol::site::{Localized, NoticeDraft};
use protocol::{
    ChatMessage, FileId, Lang, MessageKind, Notice, NoticeId, Party, SessionId, StoredFile,
};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlElement};
use yew::{BaseComponent, Callback, Html, Properties, function_component};

wasm_bindgen_test_configure!(run_in_browser);

/// Renders `props` into a fresh element of the page and waits until Yew is done.
async fn render<C: BaseComponent>(props: C::Properties) -> Element {
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<C>::with_root_and_props(root.clone(), props).render();
    yew::scheduler::flush().await;
    root
}

/// What a part of the page that is a plain function draws, as a component to render.
#[derive(Properties)]
struct ViewProps {
    view: Rc<dyn Fn() -> Html>,
}

impl PartialEq for ViewProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.view, &other.view)
    }
}

#[function_component]
fn View(props: &ViewProps) -> Html {
    (props.view)()
}

/// Renders what `view` draws, in English.
async fn render_view(view: impl Fn(&'static Texts) -> Html + 'static) -> Element {
    let view = Rc::new(move || view(texts(Lang::En)));
    render::<View>(ViewProps { view }).await
}

fn find(root: &Element, selector: &str) -> Option<Element> {
    root.query_selector(selector).unwrap()
}

fn text(element: &Element) -> String {
    element.text_content().unwrap_or_default()
}

#[wasm_bindgen_test]
async fn the_chat_log_shows_markup_as_text() {
    let mut log = ChatLog::default();
    log.insert(ChatMessage {
        session: SessionId(1),
        seq: 1,
        from: Party::Customer,
        name: "Ada".into(),
        text: "<b>bold</b> & <script>x()</script>".into(),
        at: 0,
        kind: MessageKind::Text,
        file: None,
    });
    log.insert(ChatMessage {
        session: SessionId(1),
        seq: 2,
        from: Party::Rep,
        name: "Rita".into(),
        text: "How can I help? See https://example.com/kb.".into(),
        at: 1000,
        kind: MessageKind::Text,
        file: None,
    });
    log.add_pending(Pending {
        local_id: 1,
        from: Party::Customer,
        name: "Ada".into(),
        text: "on its way".into(),
        failed: false,
    });
    let props = MessageLogProps {
        log: Rc::new(log),
        me: Some(Party::Customer),
        peer: "Rita".into(),
        rep: None,
        onseen: None,
    };
    let root = render::<MessageLog>(props).await;

    let log = find(&root, "[role=log]").expect("a role=log element");
    assert_eq!(log.get_attribute("aria-live").as_deref(), Some("polite"));
    assert!(
        find(&log, "b").is_none(),
        "markup in a message must not become elements"
    );
    assert!(find(&log, "script").is_none());
    let items: Vec<String> = {
        let list = log.query_selector_all("li").unwrap();
        (0..list.length())
            .map(|i| list.item(i).unwrap().text_content().unwrap_or_default())
            .collect()
    };
    assert_eq!(items.len(), 3);
    assert!(items[0].contains("Ada"));
    assert!(items[0].contains("<b>bold</b> & <script>x()</script>"));
    assert!(items[1].contains("Rita") && items[1].contains("How can I help?"));
    assert!(items[0].contains("Sent"), "our own stored message");
    assert!(items[2].contains("on its way") && items[2].contains("Sending…"));
    let link = find(&log, "a").expect("the address is a link");
    assert_eq!(
        link.get_attribute("href").as_deref(),
        Some("https://example.com/kb")
    );
    assert_eq!(
        link.get_attribute("rel").as_deref(),
        Some("noopener noreferrer")
    );
    assert!(find(&log, ".avatar").is_some(), "the rep's initial");
}

#[wasm_bindgen_test]
async fn nudges_handovers_and_files_read_for_each_side() {
    let line = |seq, from, kind, text: &str, file| ChatMessage {
        session: SessionId(1),
        seq,
        from,
        name: if from == Party::Rep { "Bo" } else { "Ada" }.into(),
        text: text.into(),
        at: 0,
        kind,
        file,
    };
    let mut log = ChatLog::default();
    log.insert(line(1, Party::Rep, MessageKind::Nudge, "", None));
    log.insert(line(2, Party::Rep, MessageKind::Handover, "Cy", None));
    let stored = StoredFile {
        file: FileId(4),
        size: 2048,
        sha256: "ab".into(),
    };
    log.insert(line(
        3,
        Party::Customer,
        MessageKind::File,
        "<i>log</i>.txt",
        Some(stored),
    ));
    let log = Rc::new(log);
    let rep = render::<MessageLog>(MessageLogProps {
        log: log.clone(),
        me: Some(Party::Rep),
        peer: "Ada".into(),
        rep: None,
        onseen: None,
    })
    .await;
    let text_of_rep = text(&rep);
    // Names are isolated, so one written right to left cannot reorder the sentence.
    assert!(text_of_rep.contains("You nudged \u{2068}Ada\u{2069}"));
    assert!(text_of_rep.contains("\u{2068}Cy\u{2069} has taken over the chat"));
    let download = find(&rep, "a[download]").expect("a download link");
    assert_eq!(
        download.get_attribute("href").as_deref(),
        Some("/api/files/4")
    );
    assert_eq!(text(&download), "Download \u{2068}<i>log</i>.txt\u{2069}");
    assert!(find(&rep, "i").is_none());

    let customer = render::<MessageLog>(MessageLogProps {
        log,
        me: Some(Party::Customer),
        peer: "Bo".into(),
        rep: None,
        onseen: None,
    })
    .await;
    let text_of_customer = text(&customer);
    assert!(text_of_customer.contains("\u{2068}Bo\u{2069} nudged you"));
    assert!(text_of_customer.contains("You sent \u{2068}<i>log</i>.txt\u{2069}"));
    assert!(find(&customer, "a[download]").is_none());
}

#[wasm_bindgen_test]
async fn the_queue_position_is_a_polite_status() {
    let props = WaitingProps {
        greeting: Some("You are number 3.".into()),
        position: Some(3),
        wait_secs: Some(150),
    };
    let root = render::<Waiting>(props).await;
    let status = find(&root, "[role=status]").expect("a role=status element");
    assert_eq!(status.get_attribute("aria-live").as_deref(), Some("polite"));
    assert!(text(&status).contains("Position in queue: 3"));
    assert!(text(&status).contains("Estimated wait: about 3 min"));
    assert!(text(&root).contains("You are number 3."));
}

#[wasm_bindgen_test]
async fn a_notice_offers_to_leave() {
    let left = Rc::new(Cell::new(false));
    let onleave = {
        let left = left.clone();
        Callback::from(move |()| left.set(true))
    };
    let notice = Notice {
        id: NoticeId(3),
        draft: NoticeDraft {
            text: Localized {
                en: "<b>Mail</b> is down".into(),
                de: "E-Mail gestört".into(),
            },
            active: true,
            automatic: true,
        },
    };
    let root =
        render_view(move |t| notices(t, std::slice::from_ref(&notice), Lang::En, &onleave)).await;
    let section = find(&root, "section").expect("a notice box");
    let heading = section.get_attribute("aria-labelledby").unwrap();
    assert_eq!(
        text(&find(&root, &format!("#{heading}")).unwrap()),
        "Notice"
    );
    assert!(
        find(&section, "b").is_none(),
        "the admin's text is not markup"
    );
    assert!(text(&section).contains("<b>Mail</b> is down"));
    let button = find(&section, "button").unwrap();
    assert_eq!(text(&button), "Leave session");
    button.unchecked_into::<HtmlElement>().click();
    assert!(left.get());
}

#[wasm_bindgen_test]
async fn the_survey_needs_a_rating_and_names_each_one() {
    let sent = Rc::new(Cell::new(None::<u8>));
    let onsubmit = {
        let sent = sent.clone();
        Callback::from(move |answers: SurveyAnswers| sent.set(Some(answers.rating)))
    };
    let props = SurveyProps {
        onsubmit,
        onskip: Callback::noop(),
        busy: false,
    };
    let root = render::<ExitSurvey>(props).await;
    let group = find(&root, "[role=radiogroup]").expect("a radio group");
    let label = group.get_attribute("aria-labelledby").unwrap();
    assert_eq!(text(&find(&root, &format!("#{label}")).unwrap()), "Rating");
    let labels = group.query_selector_all("label").unwrap();
    assert_eq!(labels.length(), 5);
    assert_eq!(text(&labels.item(4).unwrap().unchecked_into()), "5 stars");

    let submit = find(&root, "button[type=submit]").unwrap();
    assert_eq!(text(&submit), "Submit");
    submit.clone().unchecked_into::<HtmlElement>().click();
    yew::scheduler::flush().await;
    let alert = find(&root, "[role=alert]").expect("an alert without a rating");
    assert_eq!(text(&alert), "Please choose a rating.");
    assert_eq!(sent.get(), None);

    let five = find(&root, "input[type=radio][value='5']").unwrap();
    five.unchecked_into::<HtmlElement>().click();
    yew::scheduler::flush().await;
    submit.unchecked_into::<HtmlElement>().click();
    yew::scheduler::flush().await;
    assert_eq!(sent.get(), Some(5));
    assert!(find(&root, "[role=alert]").is_none());
}

#[wasm_bindgen_test]
async fn the_agreement_is_accepted_or_declined() {
    let root = render_view(|t| agreement(t, "Terms", Callback::noop(), Callback::noop())).await;
    let buttons = root.query_selector_all("button").unwrap();
    let names: Vec<String> = (0..buttons.length())
        .map(|i| buttons.item(i).unwrap().text_content().unwrap_or_default())
        .collect();
    assert_eq!(names, ["Accept", "Decline"]);
    assert!(text(&root).contains("Terms"));
}

#[wasm_bindgen_test]
async fn the_embedding_page_fills_in_the_entry_form() {
    let props = EntryFormProps {
        onstart: Callback::noop(),
        busy: false,
        prefill: Some(("Ada".into(), "The printer jams".into())),
    };
    let root = render::<EntryForm>(props).await;
    let value = |id: &str| {
        let field = find(&root, &format!("#{id}")).expect("the field");
        js_sys::Reflect::get(&field, &"value".into())
            .unwrap()
            .as_string()
            .unwrap()
    };
    assert_eq!(value("entry-name"), "Ada");
    assert_eq!(value("entry-problem"), "The printer jams");
}

#[wasm_bindgen_test]
async fn an_empty_entry_form_says_what_is_missing() {
    let props = EntryFormProps {
        onstart: Callback::from(|_| panic!("an empty form must not start a chat")),
        busy: false,
        prefill: None,
    };
    let root = render::<EntryForm>(props).await;
    let label = |id: &str| {
        let label = find(&root, &format!("label[for={id}]")).expect("a label");
        text(&label)
    };
    assert_eq!(label("entry-name"), "Your name");
    assert_eq!(label("entry-problem"), "How can we help?");
    assert_eq!(label("entry-key"), "Session key");
    assert!(find(&root, "[role=alert]").is_none());
    // The fields take no more than the server does.
    let maxlength = |id: &str| {
        find(&root, &format!("#{id}"))
            .unwrap()
            .get_attribute("maxlength")
    };
    assert_eq!(maxlength("entry-name").as_deref(), Some("80"));
    assert_eq!(maxlength("entry-problem").as_deref(), Some("1000"));

    let button = find(&root, "button[type=submit]").unwrap();
    assert_eq!(text(&button), "Start chat");
    button.unchecked_into::<HtmlElement>().click();
    yew::scheduler::flush().await;

    let alert = find(&root, "[role=alert]").expect("an alert after submitting nothing");
    assert_eq!(text(&alert), "Please enter your name.");
    let name = find(&root, "#entry-name").unwrap();
    assert_eq!(name.get_attribute("aria-invalid").as_deref(), Some("true"));
}
