//! The live session in real Chromium, customer and rep each in their own browser: the rep's
//! photo, chat with links and receipts, text size, nudge, files, handover, and closing the page.

use std::time::{Duration, Instant};

use serde_json::json;
use tests::eventually;
use tests::server::{ServerProcess, add_rep};

use tests::scene::{
    PASSWORD, Scene, accept, configure, log_font_size, say, scene, sign_in, until, way_in,
};

/// A 4×4 PNG: small, and a real image the browser decodes.
const PHOTO: [u8; 73] = [
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x04, 0x08, 0x02, 0x00, 0x00, 0x00, 0x26, 0x93, 0x09,
    0x29, 0x00, 0x00, 0x00, 0x10, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x38, 0x63, 0x9c, 0x06,
    0x47, 0x0c, 0xc4, 0x71, 0x00, 0x4a, 0xd2, 0x16, 0x51, 0xaa, 0x6d, 0x6a, 0x77, 0x00, 0x00, 0x00,
    0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

/// A customer served by Bo: pages are [customer, Bo, more reps…].
async fn served(data: tempfile::TempDir, reps: &[(&str, &str)]) -> anyhow::Result<Scene> {
    add_rep(data.path(), "bo", "Bo Rep", PASSWORD).await?;
    for (login, name) in reps {
        add_rep(data.path(), login, name, PASSWORD).await?;
    }
    let scene = scene(data, 2 + reps.len()).await?;
    let (customer, bo) = (&scene.pages[0], &scene.pages[1]);
    sign_in(bo, &scene.server, "/rep?lang=en", "bo").await?;
    for (page, (login, _)) in scene.pages[2..].iter().zip(reps) {
        sign_in(page, &scene.server, "/rep?lang=en", login).await?;
    }
    customer.goto(&scene.server.url("/chat?lang=en")).await?;
    way_in(customer, "Do not record", "Ada Customer").await?;
    accept(bo, "Ada Customer").await?;
    customer.shows("You are chatting with Bo Rep").await?;
    Ok(scene)
}

#[tokio::test(flavor = "multi_thread")]
async fn chat_shows_the_reps_photo_links_receipts_and_markup_as_text() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    add_rep(data.path(), "bo", "Bo Rep", PASSWORD).await?;
    let Scene {
        server,
        pages,
        data: _data,
        _driver,
    } = scene(data, 2).await?;
    let (customer, rep) = (&pages[0], &pages[1]);
    sign_in(rep, &server, "/rep?lang=en", "bo").await?;
    rep.shows("Profile").await?;
    let photo = tempfile::Builder::new().suffix(".png").tempfile()?;
    std::fs::write(photo.path(), PHOTO)?;
    rep.choose_file("input[type=file]", photo.path()).await?;
    until(
        rep,
        "the rep's photo to be saved",
        "return document.querySelector('img[src*=\"/api/reps/\"]')",
    )
    .await?;

    customer.goto(&server.url("/chat?lang=en")).await?;
    way_in(customer, "Do not record", "Ada Customer").await?;
    accept(rep, "Ada Customer").await?;
    customer.shows("You are chatting with Bo Rep").await?;

    say(rep, "<b>bold</b> see https://example.com/kb?a=1 now").await?;
    customer.shows("<b>bold</b> see").await?;
    until(
        customer,
        "the rep's photo beside the message, decoded",
        "const img = document.querySelector('[role=log] img.avatar');
         return img && img.complete && img.naturalWidth === 4",
    )
    .await?;
    let markup = customer
        .run(
            "const log = document.querySelector('[role=log]');
             const a = log.querySelector('a[href=\"https://example.com/kb?a=1\"]');
             return [log.querySelectorAll('b').length, a && a.textContent, a && a.rel]",
            vec![],
        )
        .await?;
    assert_eq!(
        markup,
        json!([0, "https://example.com/kb?a=1", "noopener noreferrer"]),
        "the link is a link, the markup is text"
    );

    say(customer, "Hi <img src=x onerror=\"window.pwned=1\">").await?;
    rep.shows("Hi <img src=x onerror=\"window.pwned=1\">")
        .await?;
    assert_eq!(
        rep.run("return window.pwned === undefined", vec![]).await?,
        json!(true)
    );
    customer.role_with_text("log", "Delivered").await?;

    rep.fill("Link to send", "https://example.com/reset")
        .await?;
    rep.click("button", "Send link").await?;
    let pushed = customer
        .by_role("link", "https://example.com/reset")
        .await?;
    assert_eq!(pushed.attr("target").await?.as_deref(), Some("_blank"));
    drop(server);
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn the_text_size_changes_within_bounds_and_survives_a_reload_with_the_history()
-> anyhow::Result<()> {
    let Scene {
        server,
        pages,
        data: _data,
        _driver,
    } = served(tempfile::tempdir()?, &[]).await?;
    let (customer, rep) = (&pages[0], &pages[1]);
    say(rep, "Hello Ada").await?;
    customer.shows("Hello Ada").await?;
    let normal = log_font_size(customer).await?;
    customer.click("button", "Larger text").await?;
    customer.click("button", "Larger text").await?;
    let larger = log_font_size(customer).await?;
    assert!(larger > normal, "{larger} > {normal}");

    customer.client.refresh().await?;
    customer.shows("Hello Ada").await?;
    customer.shows("You are chatting with Bo Rep").await?;
    assert_eq!(log_font_size(customer).await?, larger, "remembered");

    // Down to the smallest step, where the button stops.
    let smaller = customer.by_role("button", "Smaller text").await?;
    for _ in 0..10 {
        if !smaller.is_enabled().await? {
            break;
        }
        smaller.click().await?;
    }
    assert!(!smaller.is_enabled().await?, "a lower bound");
    assert!(log_font_size(customer).await? < normal);
    drop(server);
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_nudge_shakes_the_chat_plays_a_sound_and_a_second_one_waits() -> anyhow::Result<()> {
    let Scene {
        server,
        pages,
        data: _data,
        _driver,
    } = served(tempfile::tempdir()?, &[]).await?;
    let (customer, rep) = (&pages[0], &pages[1]);
    rep.click("button", "Nudge").await?;
    until(
        customer,
        "the chat window to shake",
        "return document.querySelector('.chat-window.shake')",
    )
    .await?;
    until(
        customer,
        "the alert sound to play",
        "return document.querySelector('.chat-window[data-nudge-sound=played]')",
    )
    .await?;
    customer.role_with_text("log", "nudged").await?;
    rep.role_with_text("log", "nudged").await?;

    rep.click("button", "Nudge").await?;
    rep.role_with_text("alert", "Wait a few seconds").await?;
    drop(server);
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_file_goes_to_the_rep_with_progress_and_an_oversized_one_is_refused() -> anyhow::Result<()>
{
    let data = tempfile::tempdir()?;
    configure(data.path(), |s| s.file_limit_mb = 4)?;
    let Scene {
        server,
        pages,
        data: _data,
        _driver,
    } = served(data, &[]).await?;
    let (customer, rep) = (&pages[0], &pages[1]);
    let files = tempfile::tempdir()?;
    let name = "report <i>3</i>.bin".replace('/', "");
    let path = files.path().join(&name);
    let content: Vec<u8> = (0..3_000_000u32).map(|i| (i * 7 % 253) as u8).collect();
    std::fs::write(&path, &content)?;

    // About three seconds on the wire, so both progress bars can be seen moving.
    customer.throttle_uploads(1_000_000).await?;
    customer.choose_file("input[type=file]", &path).await?;
    rep.shows(&format!("wants to send {name}")).await?;
    rep.click("button", "Accept file").await?;
    let receiving = rep
        .by_role("progressbar", &format!("Receiving {name}"))
        .await?;
    let uploading = customer
        .by_role("progressbar", &format!("Upload of {name}"))
        .await?;
    for bar in [&receiving, &uploading] {
        eventually("the transfer to be under way", || async {
            let value: f64 = bar.attr("value").await?.unwrap_or_default().parse()?;
            Ok((value > 0.0).then_some(()))
        })
        .await?;
    }
    let link = rep.by_role("link", &format!("Download {name}")).await?;
    assert!(link.attr("download").await?.is_some());
    let href = link.prop("href").await?.unwrap_or_default();
    // The rep's browser fetches it with its sign-in, as the download does, and hashes it.
    let digest = rep
        .client
        .execute_async(
            "const [href, done] = arguments;
             fetch(href).then(r => r.arrayBuffer()).then(b => crypto.subtle.digest('SHA-256', b))
               .then(d => done(Array.from(new Uint8Array(d)).map(x => x.toString(16).padStart(2, '0')).join('')))",
            vec![json!(href)],
        )
        .await?;
    let expected: String = sha256_hex(&content);
    assert_eq!(digest, json!(expected), "byte-identical");

    let big = files.path().join("big.iso");
    std::fs::write(&big, vec![1u8; 5 * 1024 * 1024])?;
    customer.throttle_uploads(100_000_000).await?;
    customer.choose_file("input[type=file]", &big).await?;
    // Worded by the page from the refusal's typed reason.
    customer.shows("The file is larger than 4 MB.").await?;
    drop(server);
    Ok(())
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_rep_hands_the_session_to_another_with_a_note() -> anyhow::Result<()> {
    let Scene {
        server,
        pages,
        data: _data,
        _driver,
    } = served(tempfile::tempdir()?, &[("cleo", "Cleo Rep")]).await?;
    let (customer, bo, cleo) = (&pages[0], &pages[1], &pages[2]);
    say(customer, "My printer prints only blank pages").await?;
    bo.shows("My printer prints only blank pages").await?;
    bo.click("button", "Transfer").await?;
    let to = bo.by_role("combobox", "Transfer to").await?;
    to.select_by_label("Cleo Rep").await?;
    bo.fill("Note for the next rep", "Needs the driver download")
        .await?;
    bo.click("button", "Hand over").await?;

    cleo.shows("Needs the driver download").await?;
    cleo.shows("My printer prints only blank pages").await?;
    customer.shows("You are chatting with Cleo Rep").await?;
    bo.shows("Handed over to Cleo Rep").await?;
    say(cleo, "Cleo here, let us fix it").await?;
    customer.shows("Cleo here, let us fix it").await?;
    let body = customer.text().await?;
    assert!(
        !body.contains("Needs the driver download"),
        "the note is for reps only"
    );
    drop(server);
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn closing_the_customers_page_ends_the_session_for_the_rep_within_two_seconds()
-> anyhow::Result<()> {
    let Scene {
        server,
        pages,
        data: _data,
        _driver,
    } = served(tempfile::tempdir()?, &[]).await?;
    let (customer, rep) = (&pages[0], &pages[1]);
    let closed = Instant::now();
    customer.client.clone().close_window().await?;
    rep.shows("left").await?;
    let took = closed.elapsed();
    assert!(
        took < Duration::from_secs(2),
        "the rep saw it after {took:?}"
    );
    drop::<ServerProcess>(server);
    Ok(())
}
