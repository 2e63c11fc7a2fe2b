//! axe-core, the accessibility engine (the npm package, installed by `cargo xtask setup`), on
//! every screen of the customer's and the rep's way, in English and in German, each in windows
//! as narrow as phones (375×667 and 320×640). Any violation fails the test, named with its
//! screen, window and the elements it concerns.

use fantoccini::Locator;
use fantoccini::elements::Element;
use serde_json::json;
use tests::PATIENCE;
use tests::browser::Page;
use tests::scene::PASSWORD;
use tests::server::{ServerProcess, add_rep};
use tests::sharing::{SCREEN_TITLE, open_tab, screen_page, sharing_browsers};

/// The windows every screen is checked in: a common phone's and the smallest.
const WINDOWS: [(u32, u32); 2] = [(375, 667), (320, 640)];

/// The names of the controls the way takes, in the page's language.
struct Words {
    lang: &'static str,
    agree: &'static str,
    do_not_record: &'static str,
    your_name: &'static str,
    how_can_we_help: &'static str,
    start_chat: &'static str,
    message: &'static str,
    send: &'static str,
    username: &'static str,
    password: &'static str,
    sign_in: &'static str,
    accept: &'static str,
    what_to_share: &'static str,
    whole_screen: &'static str,
    request_sharing: &'static str,
    transfer: &'static str,
    cancel: &'static str,
    end_session: &'static str,
    submit: &'static str,
}

const EN: Words = Words {
    lang: "en",
    agree: "Accept",
    do_not_record: "Do not record",
    your_name: "Your name",
    how_can_we_help: "How can we help?",
    start_chat: "Start chat",
    message: "Message",
    send: "Send",
    username: "Username",
    password: "Password",
    sign_in: "Sign in",
    accept: "Accept",
    what_to_share: "What to share",
    whole_screen: "Whole screen",
    request_sharing: "Request screen sharing",
    transfer: "Transfer",
    cancel: "Cancel",
    end_session: "End session",
    submit: "Submit",
};

const DE: Words = Words {
    lang: "de",
    agree: "Akzeptieren",
    do_not_record: "Nicht aufzeichnen",
    your_name: "Ihr Name",
    how_can_we_help: "Wie können wir helfen?",
    start_chat: "Chat starten",
    message: "Nachricht",
    send: "Senden",
    username: "Benutzername",
    password: "Passwort",
    sign_in: "Anmelden",
    accept: "Annehmen",
    what_to_share: "Was freigegeben wird",
    whole_screen: "Ganzer Bildschirm",
    request_sharing: "Bildschirmfreigabe anfragen",
    transfer: "Weitergeben",
    cancel: "Abbrechen",
    end_session: "Sitzung beenden",
    submit: "Absenden",
};

/// Runs axe on the page as it is and resolves to its violations, each as one line, and how
/// many rules passed (none would mean axe checked nothing).
const RUN_AXE: &str = "
    const done = arguments[arguments.length - 1];
    axe.run(document).then(result => done({
        passed: result.passes.length,
        violations: result.violations.map(v =>
            `${v.id} (${v.impact}): ${v.help}: ` + v.nodes.map(n => n.target.join(' ') +
                (n.failureSummary ? ` [${n.failureSummary.replace(/\\s+/g, ' ')}]` : '')).join('; ')),
    }), error => done({ passed: 0, violations: [`axe failed: ${error}`] }));";

/// Where the sharing watermark lies over the chat, axe cannot tell the text's contrast (it
/// reports the chat as overlapped). This works it out the same way for the worst place: each
/// text of the chat window where a letter of the watermark covers both it and its background.
/// Returns the texts below WCAG's 4.5:1 (3:1 for large text).
const UNDER_THE_WATERMARK: &str = "
    const rgba = c => { const v = c.match(/[\\d.]+/g).map(Number); return v.length < 4 ? [...v, 1] : v; };
    const over = (top, below) => below.map((v, i) => i < 3 ? top[i] * top[3] + v * (1 - top[3]) : 1);
    const lum = ([r, g, b]) => {
        const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
        return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const contrast = (a, b) => { const [x, y] = [lum(a), lum(b)]; return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
    const background = element => {
        const layers = [];
        for (let e = element; e; e = e.parentElement) {
            const c = rgba(getComputedStyle(e).backgroundColor);
            if (c[3] > 0) layers.push(c);
            if (c[3] === 1) break;
        }
        return layers.reduceRight((below, top) => over(top, below), [255, 255, 255, 1]);
    };
    const window_ = document.querySelector('.chat-window');
    const mark = window_.querySelector(':scope > .watermark');
    if (!mark) return ['no watermark over the chat'];
    const ink = rgba(getComputedStyle(mark).color);
    const failing = [];
    for (const element of window_.querySelectorAll('*')) {
        if (mark.contains(element) || !element.getClientRects().length) continue;
        const own = [...element.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
        if (!own) continue;
        const style = getComputedStyle(element);
        const size = parseFloat(style.fontSize), bold = parseInt(style.fontWeight) >= 700;
        const needed = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
        const bg = background(element);
        const fg = over(rgba(style.color), bg);
        const ratio = contrast(over(ink, fg), over(ink, bg));
        if (ratio < needed) failing.push(`${element.tagName.toLowerCase()}.${element.className} \"${element.textContent.trim().slice(0, 30)}\": ${ratio.toFixed(2)}:1`);
    }
    return failing;";

/// The violations axe finds on `page` in each of [`WINDOWS`], each named with `screen`.
async fn audit(page: &Page, screen: &str, found: &mut Vec<String>) -> anyhow::Result<()> {
    let loaded = page
        .run("return typeof axe !== 'undefined'", vec![])
        .await?;
    if loaded != json!(true) {
        let path =
            tests::workspace_root().join("target/tools/axe/node_modules/axe-core/axe.min.js");
        let source = std::fs::read_to_string(&path)
            .map_err(|e| anyhow::anyhow!("{}: {e}; run `cargo xtask setup`", path.display()))?;
        page.run(&source, vec![]).await?;
    }
    for (width, height) in WINDOWS {
        let window =
            json!({ "width": width, "height": height, "deviceScaleFactor": 1, "mobile": false });
        page.devtools("Emulation.setDeviceMetricsOverride", window)
            .await?;
        let result = page.client.execute_async(RUN_AXE, vec![]).await?;
        let passed = result["passed"].as_u64().unwrap_or(0);
        anyhow::ensure!(passed > 0, "axe checked nothing on {screen}: {result}");
        for violation in result["violations"].as_array().into_iter().flatten() {
            let violation = violation.as_str().unwrap_or_default();
            found.push(format!("{screen} at {width}×{height}: {violation}"));
        }
    }
    page.devtools("Emulation.clearDeviceMetricsOverride", json!({}))
        .await?;
    Ok(())
}

/// The element matching `css`, once the page shows it.
async fn shown(page: &Page, css: &str) -> anyhow::Result<Element> {
    let found = page
        .client
        .wait()
        .at_most(PATIENCE)
        .for_element(Locator::Css(css))
        .await;
    found.map_err(|e| anyhow::anyhow!("waiting for {css}: {e}"))
}

#[tokio::test(flavor = "multi_thread")]
async fn axe_finds_nothing_on_any_screen_in_english() -> anyhow::Result<()> {
    every_screen(&EN).await
}

#[tokio::test(flavor = "multi_thread")]
async fn axe_finds_nothing_on_any_screen_in_german() -> anyhow::Result<()> {
    every_screen(&DE).await
}

/// The whole way of a customer and the rep who serves them, in `words`' language, with axe run
/// on each screen; fails listing every violation found.
async fn every_screen(words: &Words) -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    add_rep(data.path(), "bo", "Bo Rep", PASSWORD).await?;
    let server = ServerProcess::start(data.path()).await?;
    let mut driver = tests::browser::Driver::start().await?;
    let (customer, rep) = sharing_browsers(&mut driver).await?;
    let lang = words.lang;
    let mut found = Vec::new();

    rep.goto(&server.url(&format!("/rep?lang={lang}"))).await?;
    audit(&rep, "the rep's sign-in", &mut found).await?;
    rep.fill(words.username, "bo").await?;
    rep.fill(words.password, PASSWORD).await?;
    rep.click("button", words.sign_in).await?;
    shown(&rep, "#signed-in-as").await?;
    audit(&rep, "the rep's empty console", &mut found).await?;

    customer
        .goto(&server.url(&format!("/chat?lang={lang}")))
        .await?;
    customer.by_role("button", words.agree).await?;
    audit(&customer, "the agreement", &mut found).await?;
    // A screen reader reads the page in the language the page declares.
    for page in [&customer, &rep] {
        let declared = page
            .run("return document.documentElement.lang", vec![])
            .await?;
        assert_eq!(declared, json!(lang), "the page's declared language");
    }
    customer.click("button", words.agree).await?;
    customer.by_role("button", words.do_not_record).await?;
    audit(&customer, "the recording question", &mut found).await?;
    customer.click("button", words.do_not_record).await?;
    customer.fill(words.your_name, "Ada Customer").await?;
    audit(&customer, "the form", &mut found).await?;
    customer
        .fill(words.how_can_we_help, "The printer is offline")
        .await?;
    customer.click("button", words.start_chat).await?;
    shown(&customer, "#queue-position").await?;
    audit(&customer, "the queue", &mut found).await?;

    let waiting = rep.role_with_text("listitem", "Ada Customer").await?;
    audit(&rep, "the console with a customer waiting", &mut found).await?;
    rep.by_role_within(Some(&waiting), "button", words.accept)
        .await?
        .click()
        .await?;
    rep.fill(words.message, "Hello Ada").await?;
    rep.click("button", words.send).await?;
    customer.shows("Hello Ada").await?;
    customer.fill(words.message, "Hello Bo").await?;
    customer.click("button", words.send).await?;
    rep.shows("Hello Bo").await?;
    audit(&customer, "the chat", &mut found).await?;
    audit(&rep, "the rep's session", &mut found).await?;

    open_tab(&customer, &screen_page(SCREEN_TITLE, "red")).await?;
    rep.by_role("combobox", words.what_to_share)
        .await?
        .select_by_label(words.whole_screen)
        .await?;
    rep.click("button", words.request_sharing).await?;
    let share = shown(&customer, "#share-screen").await?;
    audit(&customer, "the request to share", &mut found).await?;
    share.click().await?;
    shown(&customer, ".chat-window .watermark").await?;
    shown(&rep, "video").await?;
    audit(&customer, "sharing", &mut found).await?;
    let under_the_watermark = customer.run(UNDER_THE_WATERMARK, vec![]).await?;
    for text in under_the_watermark.as_array().into_iter().flatten() {
        found.push(format!(
            "under the watermark: {}",
            text.as_str().unwrap_or_default()
        ));
    }
    audit(&rep, "the rep watching", &mut found).await?;
    shown(&customer, "#share-first-action")
        .await?
        .click()
        .await?;

    rep.click("button", words.transfer).await?;
    shown(&rep, "#transfer-to, #transfer-note").await?;
    audit(&rep, "the handover form", &mut found).await?;
    rep.click("button", words.cancel).await?;

    rep.click("button", words.end_session).await?;
    shown(&customer, "#survey-heading").await?;
    audit(&customer, "the survey", &mut found).await?;
    customer
        .run(
            "document.querySelector('input[name=survey-rating][value=\"4\"]').click()",
            vec![],
        )
        .await?;
    customer.click("button", words.submit).await?;
    shown(&customer, "#new-chat").await?;
    audit(&customer, "the thanks", &mut found).await?;
    audit(&rep, "the console after the session", &mut found).await?;

    assert!(
        found.is_empty(),
        "axe found {} violations:\n{}",
        found.len(),
        found.join("\n")
    );
    drop(server);
    Ok(())
}
