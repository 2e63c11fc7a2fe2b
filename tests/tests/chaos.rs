//! Chaos: customers and reps chat with numbered messages while every second an eighth of their
//! sockets is cut (right after sending a message, so its acknowledgement is lost), and the
//! server is killed with SIGKILL and started again mid-run. Afterwards every acknowledged
//! message is stored exactly once, in order per sender, every client is back in its session,
//! and the time each took to resume is reported (p50/p95).
//!
//! Bounded: 200 customers and 20 reps (10 sessions each), 12 s of chat, 30 s to settle; only
//! 127.0.0.1 is contacted. The clients are the page's own connection logic (`client-core`,
//! driven by `client-tokio`: resend by nonce, back-off), minus the page; the server is the real
//! binary.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use client_tokio::{Client, Event};
use futures_util::StreamExt;
use futures_util::stream::FuturesUnordered;
use protocol::{Reply, Request, SessionId};
use tests::scene::{PASSWORD, rusqlite_row};
use tests::server::{ServerProcess, add_rep};
use tokio::sync::watch;

const REPS: usize = 20;
const SESSIONS_PER_REP: usize = 10;
const CHAT_FOR: Duration = Duration::from_secs(12);
const SETTLE_WITHIN: Duration = Duration::from_secs(30);
/// Each client sends one message this often (a rep to each of its sessions in turn).
const PACE: Duration = Duration::from_millis(400);
/// Rep nonces start here, so they never meet the customer's in the same session.
const REP_NONCES: u64 = 1 << 40;

/// Who a client is to the server.
#[derive(Clone)]
enum Role {
    Customer {
        token: String,
        session: SessionId,
    },
    Rep {
        cookie: String,
        sessions: Vec<SessionId>,
    },
}

/// A message this client sent: its session, text and nonce.
struct Sent {
    session: SessionId,
    text: String,
    nonce: u64,
}

/// What one client reports at the end.
#[derive(Default)]
struct Report {
    /// (session, body, seq) of every acknowledged message.
    acked: Vec<(SessionId, String, u64)>,
    /// How long each comeback took, from losing the socket to the server's welcome.
    resumes: Vec<Duration>,
    refusals: Vec<String>,
}

#[tokio::test(flavor = "multi_thread")]
async fn acknowledged_messages_survive_cut_sockets_and_a_killed_server_exactly_once()
-> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    for r in 0..REPS {
        add_rep(
            data.path(),
            &format!("rep{r}"),
            &format!("Rep {r}"),
            PASSWORD,
        )
        .await?;
    }
    // Every client comes from 127.0.0.1: no cap per address.
    let uncapped = vec!["--max-connections-per-address".to_owned(), "0".to_owned()];
    let server = ServerProcess::start_with(data.path(), uncapped).await?;
    let base = server.url("");
    let roles = set_up(&base).await?;

    let (stop, stopped) = watch::channel(false);
    let cuts: Vec<_> = roles.iter().map(|_| watch::channel(0u32)).collect();
    let reports = Arc::new(Mutex::new(Vec::new()));
    let mut clients = Vec::new();
    for (role, (_, cut)) in roles.into_iter().zip(&cuts) {
        let (base, stopped, cut) = (base.clone(), stopped.clone(), cut.clone());
        let reports = reports.clone();
        clients.push(tokio::spawn(async move {
            let report = run_client(&base, role, stopped, cut).await;
            reports.lock().expect("not poisoned").push(report);
        }));
    }

    // Every second an eighth of the sockets is cut; halfway, the server is killed.
    let start = Instant::now();
    let mut server = Some(server);
    let mut second = 0usize;
    let mut crashed = false;
    while start.elapsed() < CHAT_FOR {
        tokio::time::sleep(Duration::from_secs(1)).await;
        second += 1;
        for (i, (cut, _)) in cuts.iter().enumerate() {
            if (i + second).is_multiple_of(8) {
                cut.send_modify(|n| *n += 1);
            }
        }
        if !crashed && start.elapsed() >= CHAT_FOR / 2 {
            crashed = true;
            let running = server.take().expect("the server runs");
            server = Some(running.crash_and_restart().await?);
        }
    }
    stop.send(true)?;
    for client in clients {
        tokio::time::timeout(SETTLE_WITHIN, client).await??;
    }
    let reports = std::mem::take(&mut *reports.lock().expect("not poisoned"));
    drop(server);
    check(data.path(), &reports)
}

/// The customers join, and each rep takes their sessions.
async fn set_up(base: &str) -> anyhow::Result<Vec<Role>> {
    let url = ws_url(base);
    let mut roles = Vec::new();
    let mut reps = Vec::new();
    for r in 0..REPS {
        let cookie = sign_in(base, &format!("rep{r}")).await?;
        let (rep, _) = Client::connect(&url, Some(&cookie), Request::rep_hello).await?;
        let mut sessions = Vec::new();
        for c in 0..SESSIONS_PER_REP {
            let (customer, _) =
                Client::connect(&url, None, || Request::customer_hello(None)).await?;
            let start = Request::StartChat {
                name: format!("Customer {r}.{c}"),
                problem: "Chaos".into(),
                lang: protocol::Lang::En,
                recording: None,
                key: None,
            };
            let Reply::Queued { session, token, .. } = customer.request(start).await? else {
                anyhow::bail!("not queued");
            };
            rep.request(Request::Accept { session }).await?;
            sessions.push(session);
            roles.push(Role::Customer { token, session });
        }
        reps.push(Role::Rep { cookie, sessions });
    }
    roles.extend(reps);
    Ok(roles)
}

/// One client, with the page's own connection logic (`client_tokio`): chats at its pace; when
/// its socket is cut or lost the connection comes back by itself and sends again what was not
/// acknowledged; at the stop it finishes once all it sent is acknowledged.
async fn run_client(
    base: &str,
    role: Role,
    mut stopped: watch::Receiver<bool>,
    mut cut: watch::Receiver<u32>,
) -> Report {
    let mut report = Report::default();
    let (cookie, hello) = match &role {
        Role::Customer { token, .. } => (None, Request::customer_hello(Some(token.clone()))),
        Role::Rep { cookie, .. } => (Some(cookie.as_str()), Request::rep_hello()),
    };
    let mut client = Client::start(&ws_url(base), cookie, move || hello.clone());
    let mut unanswered = FuturesUnordered::new();
    let mut next_n: HashMap<SessionId, u64> = HashMap::new();
    let mut turn = 0usize;
    let mut lost_at: Option<Instant> = None;
    let mut pace = tokio::time::interval(PACE);
    let mut send = |client: &Client, role: &Role| {
        let sent = next_message(role, &mut turn, &mut next_n);
        let request = Request::SendChat {
            session: sent.session,
            text: sent.text.clone(),
            nonce: Some(sent.nonce),
        };
        let answered = client.request_until_answered(request);
        async move { (sent, answered.await) }
    };
    loop {
        tokio::select! {
            _ = cut.changed() => if !*stopped.borrow() {
                // Cut right after sending: the message arrives, its acknowledgement is lost.
                unanswered.push(send(&client, &role));
                client.cut();
            },
            _ = pace.tick(), if !*stopped.borrow() => unanswered.push(send(&client, &role)),
            _ = stopped.changed() => if unanswered.is_empty() {
                return report;
            },
            Some((sent, answer)) = unanswered.next() => {
                match answer {
                    Ok(Ok(Reply::Stored { seq, .. })) => {
                        report.acked.push((sent.session, sent.text, seq));
                    }
                    other => report.refusals.push(format!("{}: {other:?}", sent.text)),
                }
                if *stopped.borrow() && unanswered.is_empty() {
                    return report;
                }
            }
            event = client.next_event() => match event {
                Some(Event::Lost) => {
                    lost_at.get_or_insert_with(Instant::now);
                }
                Some(Event::Ready(me)) => {
                    if matches!(me, protocol::Identity::Visitor) {
                        report.refusals.push("not taken back into the session".into());
                    }
                    if let Some(at) = lost_at.take() {
                        report.resumes.push(at.elapsed());
                    }
                }
                Some(Event::Refused(error)) => report.refusals.push(format!("hello: {error}")),
                Some(_) => {}
                None => {
                    report.refusals.push("the connection's task ended".into());
                    return report;
                }
            },
        }
    }
}

/// The client's next numbered message (a rep's goes to each of their sessions in turn).
fn next_message(role: &Role, turn: &mut usize, next_n: &mut HashMap<SessionId, u64>) -> Sent {
    let session = match role {
        Role::Customer { session, .. } => *session,
        Role::Rep { sessions, .. } => {
            *turn += 1;
            sessions[*turn % sessions.len()]
        }
    };
    let n = next_n.entry(session).or_insert(0);
    *n += 1;
    let (text, nonce) = match role {
        Role::Customer { .. } => (format!("customer {n}"), *n),
        Role::Rep { .. } => (format!("rep {n}"), REP_NONCES + *n),
    };
    Sent {
        session,
        text,
        nonce,
    }
}

/// Afterwards, in the database: every acknowledged message once, at the seq it was acknowledged
/// with, each sender's numbers rising with the seq; every session still open.
fn check(data: &std::path::Path, reports: &[Report]) -> anyhow::Result<()> {
    let db = rusqlite_row(data)?;
    let mut stored: HashMap<(SessionId, String), Vec<u64>> = HashMap::new();
    let mut statement =
        db.prepare("SELECT session_id, body, seq FROM messages ORDER BY session_id, seq")?;
    let rows = statement.query_map([], |row| {
        Ok((SessionId(row.get(0)?), row.get(1)?, row.get(2)?))
    })?;
    let mut last_n: HashMap<(SessionId, bool), u64> = HashMap::new();
    for row in rows {
        let (session, body, seq): (SessionId, String, u64) = row?;
        let (who, n) = body.split_once(' ').expect("numbered");
        let n: u64 = n.parse()?;
        let last = last_n.entry((session, who == "rep")).or_insert(0);
        assert!(n > *last, "session {session}: {body} after {who} {last}");
        *last = n;
        stored.entry((session, body)).or_default().push(seq);
    }
    let mut acked = 0;
    for report in reports {
        assert!(report.refusals.is_empty(), "refused: {:?}", report.refusals);
        // At least after the server's restart, every client came back.
        assert!(!report.resumes.is_empty(), "a client never resumed");
        for (session, body, seq) in &report.acked {
            let seqs = &stored[&(*session, body.clone())];
            assert_eq!(seqs, &[*seq], "session {session}: {body} stored {seqs:?}");
            acked += 1;
        }
    }
    let open: i64 = db.query_row(
        "SELECT count(*) FROM sessions WHERE ended_at IS NULL",
        [],
        |r| r.get(0),
    )?;
    assert_eq!(
        open as usize,
        REPS * SESSIONS_PER_REP,
        "every session goes on"
    );
    let mut resumes: Vec<Duration> = reports.iter().flat_map(|r| r.resumes.clone()).collect();
    resumes.sort();
    assert!(!resumes.is_empty());
    let at = |q: f64| resumes[((resumes.len() - 1) as f64 * q).round() as usize];
    eprintln!(
        "chaos: {} clients, {acked} acknowledged messages stored exactly once; {} resumes, \
         p50 {:.0} ms, p95 {:.0} ms, slowest {:.0} ms",
        reports.len(),
        resumes.len(),
        at(0.5).as_secs_f64() * 1000.0,
        at(0.95).as_secs_f64() * 1000.0,
        at(1.0).as_secs_f64() * 1000.0,
    );
    Ok(())
}

fn ws_url(base: &str) -> String {
    format!(
        "{}{}",
        base.replacen("http://", "ws://", 1),
        protocol::WS_PATH
    )
}

/// `POST /api/login` over a bare HTTP/1.1 connection; the cookie it sets.
async fn sign_in(base: &str, login: &str) -> anyhow::Result<String> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = base.trim_start_matches("http://");
    let body = serde_json::json!({ "login": login, "password": PASSWORD }).to_string();
    let mut stream = tokio::net::TcpStream::connect(addr).await?;
    let head = format!(
        "POST {} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        protocol::api::LOGIN_PATH,
        body.len()
    );
    stream.write_all(head.as_bytes()).await?;
    let mut response = String::new();
    stream.read_to_string(&mut response).await?;
    response
        .lines()
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("set-cookie").then(|| {
                value
                    .trim()
                    .split(';')
                    .next()
                    .unwrap_or_default()
                    .to_owned()
            })
        })
        .ok_or_else(|| anyhow::anyhow!("the sign-in set no cookie"))
}
