//! The admin API: who may use it, what it refuses, and that a change reaches waiting customers
//! at once, without a restart.

use protocol::api::{AdminView, ApiError, NewRep, RepChange};
use protocol::site::{Localized, NoticeDraft, Problem};
use protocol::{Reason, Reply, Request, ServerMessage, Settings};
use serde::Serialize;

use crate::support::{REP_PASSWORD, TestServer};

struct Admin<'a> {
    server: &'a TestServer,
    cookie: String,
}

impl Admin<'_> {
    async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<&impl Serialize>,
    ) -> Result<AdminView, (u16, ApiError)> {
        let mut request = reqwest::Client::new()
            .request(method, self.server.url(path))
            .header("cookie", &self.cookie);
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        if status == 200 {
            Ok(response.json().await.unwrap())
        } else {
            Err((status, response.json().await.unwrap()))
        }
    }

    async fn view(&self) -> Result<AdminView, (u16, ApiError)> {
        self.call(reqwest::Method::GET, "/api/admin", None::<&()>)
            .await
    }

    async fn put<T: Serialize>(&self, path: &str, body: &T) -> Result<AdminView, (u16, ApiError)> {
        self.call(reqwest::Method::PUT, path, Some(body)).await
    }

    async fn post<T: Serialize>(&self, path: &str, body: &T) -> Result<AdminView, (u16, ApiError)> {
        self.call(reqwest::Method::POST, path, Some(body)).await
    }
}

#[tokio::test]
async fn only_a_signed_in_admin_may_read_or_change_anything() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let nobody = Admin {
        server: &server,
        cookie: String::new(),
    };
    assert_eq!(nobody.view().await.unwrap_err().0, 401);
    let rep = Admin {
        server: &server,
        cookie: server.rep_cookie("bo", "Bo").await,
    };
    assert_eq!(rep.view().await.unwrap_err().0, 403);
    let refused = rep
        .put("/api/admin/settings", &Settings::default())
        .await
        .unwrap_err();
    assert_eq!(refused.0, 403);
    server.stop().await;
}

#[tokio::test]
async fn bad_settings_are_refused_by_name_and_nothing_saved_is_lost() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let admin = Admin {
        server: &server,
        cookie: server.admin_cookie("root").await,
    };
    let mut good = Settings::default();
    good.texts.en.greeting = "Hi, you are #{position}".into();
    good.orphan_url = "https://help.example.com/".into();
    assert_eq!(
        admin
            .put("/api/admin/settings", &good)
            .await
            .unwrap()
            .settings,
        good
    );

    let mut bad = good.clone();
    bad.orphan_url = "javascript:alert(1)".into();
    bad.texts.en.greeting = "changed".into();
    let (status, error) = admin.put("/api/admin/settings", &bad).await.unwrap_err();
    assert_eq!(status, 400);
    let Some(Reason::Invalid(invalid)) = error.reason else {
        panic!("{error:?}")
    };
    assert_eq!(
        (invalid.field.as_str(), invalid.problem),
        ("orphan_url", Problem::NotAUrl)
    );
    let mut long = good.clone();
    long.texts.de.agreement = "x".repeat(protocol::site::MAX_TEXT_CHARS + 1);
    let (status, error) = admin.put("/api/admin/settings", &long).await.unwrap_err();
    assert_eq!(
        (status, error.error.as_str()),
        (400, "texts.de.agreement is longer than 4000 characters")
    );
    // A negative interval is not even a number of the right kind: refused, not stored.
    let mut raw = serde_json::to_value(&good).unwrap();
    raw["hold_interval_secs"] = (-5).into();
    let response = reqwest::Client::new()
        .put(server.url("/api/admin/settings"))
        .header("cookie", &admin.cookie)
        .json(&raw)
        .send()
        .await
        .unwrap();
    assert!(response.status().is_client_error());

    assert_eq!(admin.view().await.unwrap().settings, good);
    server.stop().await;
    // And it is on disk.
    let server = TestServer::start(dir.path()).await;
    let store = signaling_server::store::Store::open(dir.path()).unwrap();
    assert_eq!(store.settings().unwrap(), good);
    server.stop().await;
}

#[tokio::test]
async fn a_waiting_customer_sees_a_changed_text_and_a_new_notice_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let admin = Admin {
        server: &server,
        cookie: server.admin_cookie("root").await,
    };
    let (mut ada, _, _) = server.customer("Ada").await;

    let mut settings = Settings::default();
    settings.texts.de.greeting = "Neu: Sie sind Nummer {position}".into();
    admin.put("/api/admin/settings", &settings).await.unwrap();
    let site = ada
        .expect(|m| matches!(m, ServerMessage::Site { settings, .. } if settings.texts.de.greeting.starts_with("Neu")))
        .await;
    assert!(matches!(site, ServerMessage::Site { notices, .. } if notices.is_empty()));

    let draft = NoticeDraft {
        text: Localized {
            en: "Mail is down".into(),
            de: "E-Mail ist gestört".into(),
        },
        active: true,
        automatic: true,
    };
    let view = admin.post("/api/admin/notices", &draft).await.unwrap();
    let id = view.notices[0].id;
    ada.expect(|m| matches!(m, ServerMessage::Site { notices, .. } if notices.len() == 1))
        .await;
    let empty = NoticeDraft {
        text: Localized::default(),
        ..draft.clone()
    };
    let (status, error) = admin.post("/api/admin/notices", &empty).await.unwrap_err();
    let Some(Reason::Invalid(invalid)) = error.reason else {
        panic!("{error:?}")
    };
    assert_eq!((status, invalid.field.as_str()), (400, "text.en"));

    let off = NoticeDraft {
        active: false,
        ..draft
    };
    admin
        .put(&format!("/api/admin/notices/{id}"), &off)
        .await
        .unwrap();
    ada.expect(|m| matches!(m, ServerMessage::Site { notices, .. } if notices.is_empty()))
        .await;
    let deleted = admin
        .call(
            reqwest::Method::DELETE,
            &format!("/api/admin/notices/{id}"),
            None::<&()>,
        )
        .await
        .unwrap();
    assert!(deleted.notices.is_empty());
    let (status, _) = admin
        .put(&format!("/api/admin/notices/{id}"), &off)
        .await
        .unwrap_err();
    assert_eq!(status, 404);
    server.stop().await;
}

#[tokio::test]
async fn notices_too_large_for_every_page_are_refused_with_a_reason_the_page_words() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let admin = Admin {
        server: &server,
        cookie: server.admin_cookie("root").await,
    };
    let longest = "𝄞".repeat(protocol::site::MAX_TEXT_CHARS);
    let draft = NoticeDraft {
        text: Localized {
            en: longest.clone(),
            de: longest,
        },
        active: true,
        automatic: false,
    };
    let mut saved = 0;
    let (status, error) = loop {
        match admin.post("/api/admin/notices", &draft).await {
            Ok(_) => saved += 1,
            Err(refused) => break refused,
        }
        assert!(saved < 20, "never refused");
    };
    assert!(saved >= 2, "{saved} saved");
    assert_eq!(
        (status, error.reason),
        (400, Some(Reason::SiteTooLarge(128))),
        "{}",
        error.error
    );
    server.stop().await;
}

#[tokio::test]
async fn reps_are_added_disabled_and_made_admins_from_the_page() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let admin = Admin {
        server: &server,
        cookie: server.admin_cookie("root").await,
    };
    let bo = NewRep {
        login: "bo".into(),
        name: "Bo".into(),
        password: REP_PASSWORD.into(),
        admin: false,
    };
    let view = admin.post("/api/admin/reps", &bo).await.unwrap();
    let bo_id = view.reps.iter().find(|r| r.login == "bo").unwrap().id;
    assert_eq!(admin.post("/api/admin/reps", &bo).await.unwrap_err().0, 409);
    let short = NewRep {
        login: "cy".into(),
        password: "short".into(),
        ..bo.clone()
    };
    let (status, error) = admin.post("/api/admin/reps", &short).await.unwrap_err();
    assert_eq!(status, 400);
    assert!(error.error.contains("at least 8"), "{}", error.error);

    let login = server.login("bo", REP_PASSWORD).await;
    let cookie = login.headers()["set-cookie"].to_str().unwrap();
    let cookie = cookie.split(';').next().unwrap().to_owned();
    let mut console = server.console(&cookie).await;

    let disable = RepChange {
        admin: false,
        disabled: true,
    };
    let view = admin
        .put(&format!("/api/admin/reps/{bo_id}"), &disable)
        .await
        .unwrap();
    assert!(view.reps.iter().any(|r| r.login == "bo" && r.disabled));
    assert_eq!(server.me(&cookie).await, 401, "the sign-in ended");
    console.dropped().await;
    assert_eq!(server.login("bo", REP_PASSWORD).await.status(), 401);

    let promote = RepChange {
        admin: true,
        disabled: false,
    };
    let view = admin
        .put(&format!("/api/admin/reps/{bo_id}"), &promote)
        .await
        .unwrap();
    assert!(
        view.reps
            .iter()
            .any(|r| r.login == "bo" && r.admin && !r.disabled)
    );
    let root_id = view.reps.iter().find(|r| r.login == "root").unwrap().id;
    let demote_self = RepChange {
        admin: false,
        disabled: false,
    };
    let refused = admin
        .put(&format!("/api/admin/reps/{root_id}"), &demote_self)
        .await
        .unwrap_err();
    assert_eq!(refused.0, 400);
    server.stop().await;
}

#[tokio::test]
async fn a_served_customer_s_survey_reaches_the_admin() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let admin = Admin {
        server: &server,
        cookie: server.admin_cookie("root").await,
    };
    let mut rep = server.rep("bo", "Bo").await;
    let (mut ada, session, token) = server.customer("Ada").await;
    rep.request(Request::Accept { session }).await.unwrap();
    rep.request(Request::EndSession {
        session,
        after_notice: false,
    })
    .await
    .unwrap();
    ada.expect(|m| matches!(m, ServerMessage::SessionEnded { survey: true, .. }))
        .await;
    let survey = Request::Survey {
        session,
        token,
        rating: 4,
        resolved: true,
        comment: "<b>fast</b>".into(),
    };
    assert_eq!(ada.request(survey).await, Ok(Reply::Done));
    let view = admin.view().await.unwrap();
    let row = &view.surveys[0];
    assert_eq!(
        (
            row.session,
            row.rating,
            row.resolved,
            row.comment.as_str(),
            row.rep_name.as_str()
        ),
        (session, 4, true, "<b>fast</b>", "Bo")
    );
    server.stop().await;
}
