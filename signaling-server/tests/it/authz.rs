//! Who may call which HTTP route: every route that acts for a rep or an admin, tried by nobody,
//! by a rep who signed out, by a rep who is no admin, and by an admin. A route whose check is
//! removed fails here.

use protocol::api;

use crate::support::TestServer;

/// Who calls.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Caller {
    Nobody,
    SignedOut,
    Rep,
    Admin,
}

/// Who a route is for.
#[derive(Debug, Clone, Copy)]
enum For {
    /// Any signed-in rep.
    Reps,
    Admins,
    /// The rep serving the file's session (download); no one else.
    ServingRep,
}

/// A body: its content type and bytes.
type Body = (&'static str, Vec<u8>);

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";

#[tokio::test]
async fn every_rep_and_admin_route_refuses_who_it_is_not_for() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let admin = server.admin_cookie("ada").await;
    let rep = server.rep_cookie("bo", "Bo").await;
    let signed_out = server.rep_cookie("cy", "Cy").await;
    assert_eq!(server.logout(&signed_out).await, 204);

    let json = |value: serde_json::Value| ("application/json", value.to_string().into_bytes());
    let settings = json(serde_json::to_value(protocol::Settings::default()).unwrap());
    let notice = json(serde_json::json!({
        "text": { "en": "Mail is down", "de": "E-Mail gestört" }, "active": true, "automatic": false
    }));
    let new_rep = json(serde_json::json!({
        "login": "dee", "name": "Dee", "password": "a long password", "admin": false
    }));
    let routes: Vec<(&str, String, Option<Body>, For)> = vec![
        ("GET", api::ME_PATH.into(), None, For::Reps),
        (
            "PUT",
            api::ME_PATH.into(),
            Some(json(serde_json::json!({ "name": "Renamed" }))),
            For::Reps,
        ),
        (
            "PUT",
            api::PHOTO_PATH.into(),
            Some(("image/png", PNG.to_vec())),
            For::Reps,
        ),
        ("DELETE", api::PHOTO_PATH.into(), None, For::Reps),
        ("GET", api::ADMIN_PATH.into(), None, For::Admins),
        (
            "PUT",
            api::ADMIN_SETTINGS_PATH.into(),
            Some(settings),
            For::Admins,
        ),
        (
            "POST",
            api::ADMIN_REPS_PATH.into(),
            Some(new_rep),
            For::Admins,
        ),
        (
            "PUT",
            format!("{}/2", api::ADMIN_REPS_PATH),
            Some(json(
                serde_json::json!({ "admin": false, "disabled": false }),
            )),
            For::Admins,
        ),
        (
            "POST",
            api::ADMIN_NOTICES_PATH.into(),
            Some(notice.clone()),
            For::Admins,
        ),
        (
            "PUT",
            format!("{}/1", api::ADMIN_NOTICES_PATH),
            Some(notice),
            For::Admins,
        ),
        (
            "DELETE",
            format!("{}/1", api::ADMIN_NOTICES_PATH),
            None,
            For::Admins,
        ),
        (
            "GET",
            format!("{}/1", api::FILES_PATH),
            None,
            For::ServingRep,
        ),
    ];
    let cookies = [
        (Caller::Nobody, None),
        (Caller::SignedOut, Some(signed_out.as_str())),
        (Caller::Rep, Some(rep.as_str())),
        (Caller::Admin, Some(admin.as_str())),
    ];
    let client = reqwest::Client::new();
    for (method, path, body, audience) in &routes {
        for (caller, cookie) in cookies {
            let mut request = client.request(method.parse().unwrap(), server.url(path));
            if let Some(cookie) = cookie {
                request = request.header("cookie", cookie);
            }
            if let Some((kind, bytes)) = body {
                request = request.header("content-type", *kind).body(bytes.clone());
            }
            let status = request.send().await.unwrap().status().as_u16();
            let expected: &[u16] = match (audience, caller) {
                (_, Caller::Nobody | Caller::SignedOut) => &[401],
                (For::Admins, Caller::Rep) => &[403],
                // No such file: what matters is that the sign-in was checked first.
                (For::ServingRep, _) => &[403, 404],
                _ => &[],
            };
            if expected.is_empty() {
                assert!(
                    status != 401 && status != 403,
                    "{method} {path} refused {caller:?}: {status}"
                );
            } else {
                assert!(
                    expected.contains(&status),
                    "{method} {path} by {caller:?}: {status}, wanted {expected:?}"
                );
            }
        }
    }
    server.stop().await;
}
