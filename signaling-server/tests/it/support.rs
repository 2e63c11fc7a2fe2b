//! A test server on port 0, pages that connect to it as the browser app does (`client-tokio`),
//! and a socket written by hand for what no page sends.

use std::path::{Path, PathBuf};
use std::time::Duration;

use client_tokio::{Client, Event, RequestError};
use futures_util::{SinkExt, StreamExt};
use protocol::{ClientFrame, Identity, Reply, Request, ServerMessage, SessionId};
use signaling_server::{Config, Server, add_rep};
use tokio::net::TcpStream;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::{Message, Utf8Bytes};
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// How long a test waits for a message that should come.
const PATIENCE: Duration = Duration::from_secs(5);

pub const REP_PASSWORD: &str = "correct horse battery";

pub struct TestServer {
    pub addr: std::net::SocketAddr,
    pub data_dir: PathBuf,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<std::io::Result<()>>,
}

impl TestServer {
    /// A server on a fresh port, keeping its data in `data_dir`.
    pub async fn start(data_dir: &Path) -> TestServer {
        TestServer::start_with(data_dir, |_| {}).await
    }

    /// A server whose configuration `change` adjusts first.
    pub async fn start_with(data_dir: &Path, change: impl FnOnce(&mut Config)) -> TestServer {
        let mut config = Config::new(data_dir.to_owned(), data_dir.join("no-app-here"));
        change(&mut config);
        let server = Server::open(&config).expect("opening the server");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(server.run(listener, async {
            let _ = stopped.await;
        }));
        TestServer {
            addr,
            data_dir: data_dir.to_owned(),
            stop: Some(stop),
            task,
        }
    }

    /// Stops the server and waits until its last write is done.
    pub async fn stop(mut self) {
        let _ = self.stop.take().unwrap().send(());
        (&mut self.task).await.unwrap().unwrap();
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Adds a rep and signs them in; returns the sign-in cookie.
    pub async fn rep_cookie(&self, login: &str, name: &str) -> String {
        self.signed_in(login, name, false).await
    }

    /// Adds an admin and signs them in; returns the sign-in cookie.
    pub async fn admin_cookie(&self, login: &str) -> String {
        self.signed_in(login, "Admin", true).await
    }

    async fn signed_in(&self, login: &str, name: &str, admin: bool) -> String {
        add_rep(&self.data_dir, login, name, REP_PASSWORD, admin).unwrap();
        let response = self.login(login, REP_PASSWORD).await;
        assert_eq!(response.status(), 200);
        let cookie = response.headers()["set-cookie"].to_str().unwrap();
        cookie.split(';').next().unwrap().to_owned()
    }

    pub async fn login(&self, login: &str, password: &str) -> reqwest::Response {
        reqwest::Client::new()
            .post(self.url("/api/login"))
            .json(&serde_json::json!({ "login": login, "password": password }))
            .send()
            .await
            .unwrap()
    }

    /// The status of `GET /api/me` with this cookie.
    pub async fn me(&self, cookie: &str) -> u16 {
        let response = reqwest::Client::new()
            .get(self.url("/api/me"))
            .header("cookie", cookie)
            .send();
        response.await.unwrap().status().as_u16()
    }

    /// The status of `POST /api/logout` with this cookie.
    pub async fn logout(&self, cookie: &str) -> u16 {
        let response = reqwest::Client::new()
            .post(self.url("/api/logout"))
            .header("cookie", cookie)
            .send();
        response.await.unwrap().status().as_u16()
    }

    /// A page that said `hello` and was welcomed: the page's own connection (`client-tokio`,
    /// which runs `client-core`'s session logic), with `cookie` for a rep's console.
    pub async fn page(&self, cookie: Option<&str>, hello: Request) -> (Page, Identity) {
        match self.try_page(cookie, hello).await {
            Ok(welcomed) => welcomed,
            Err(refused) => panic!("hello refused: {refused:?}"),
        }
    }

    /// As [`TestServer::page`], or why the server refused the `hello`.
    pub async fn try_page(
        &self,
        cookie: Option<&str>,
        hello: Request,
    ) -> Result<(Page, Identity), Refused> {
        let url = format!("ws://{}/ws", self.addr);
        let connecting = Client::connect(&url, cookie, move || hello.clone());
        match tokio::time::timeout(PATIENCE, connecting).await {
            Ok(Ok((client, me))) => Ok((Page { client }, me)),
            Ok(Err(error)) => Err(Refused::from(error)),
            Err(_) => panic!("no welcome within the time allowed"),
        }
    }

    /// A customer's page, welcomed with the session `token` (or none, for a new visitor).
    pub async fn customer_page(&self, token: Option<&str>) -> (Page, Identity) {
        let hello = Request::customer_hello(token.map(Into::into));
        self.page(None, hello).await
    }

    /// A rep's console signed in with `cookie`, welcomed; their first messages are unread.
    pub async fn console(&self, cookie: &str) -> Page {
        self.page(Some(cookie), Request::rep_hello()).await.0
    }

    /// A customer who said hello and entered the queue.
    pub async fn customer(&self, name: &str) -> (Page, SessionId, String) {
        let (mut page, _) = self.customer_page(None).await;
        match page.request(start_chat(name)).await {
            Ok(Reply::Queued { session, token, .. }) => (page, session, token),
            other => panic!("start_chat: {other:?}"),
        }
    }

    /// A signed-in rep's console, welcomed; their first messages (the queue) are read.
    pub async fn rep(&self, login: &str, name: &str) -> Page {
        let cookie = self.rep_cookie(login, name).await;
        let mut rep = self.console(&cookie).await;
        rep.expect(|m| matches!(m, ServerMessage::Queue { .. }))
            .await;
        rep
    }

    /// A customer who said hello and entered the queue on a socket written by hand.
    pub async fn raw_customer(&self, name: &str) -> (Socket, SessionId, String) {
        let mut socket = self.socket(None).await;
        socket.hello(None).await;
        match socket.request(start_chat(name)).await {
            Ok(Reply::Queued { session, token, .. }) => (socket, session, token),
            other => panic!("start_chat: {other:?}"),
        }
    }

    /// A socket written by hand, not yet past `hello`: for what no page sends.
    pub async fn socket(&self, cookie: Option<&str>) -> Socket {
        self.socket_with(cookie, Some(&format!("http://{}", self.addr)))
            .await
            .unwrap()
    }

    pub async fn socket_with(
        &self,
        cookie: Option<&str>,
        origin: Option<&str>,
    ) -> Result<Socket, tokio_tungstenite::tungstenite::Error> {
        let mut request = format!("ws://{}/ws", self.addr)
            .into_client_request()
            .unwrap();
        if let Some(origin) = origin {
            request
                .headers_mut()
                .insert("origin", HeaderValue::from_str(origin).unwrap());
        }
        if let Some(cookie) = cookie {
            request
                .headers_mut()
                .insert("cookie", HeaderValue::from_str(cookie).unwrap());
        }
        let (socket, _) = tokio_tungstenite::connect_async(request).await?;
        Ok(Socket { socket, next_id: 1 })
    }
}

pub fn start_chat(name: &str) -> Request {
    Request::StartChat {
        name: name.into(),
        problem: "My printer prints nothing".into(),
        lang: protocol::Lang::En,
        recording: None,
        key: None,
    }
}

pub fn chat(session: SessionId, text: &str) -> Request {
    Request::SendChat {
        session,
        text: text.into(),
        nonce: None,
    }
}

/// The error a request was refused with.
#[derive(Debug, PartialEq)]
pub struct Refused {
    pub code: protocol::ErrorCode,
    pub message: String,
}

impl From<RequestError> for Refused {
    fn from(error: RequestError) -> Refused {
        match error {
            RequestError::Server { code, message, .. } => Refused { code, message },
            RequestError::Disconnected => panic!("the connection dropped before the answer"),
        }
    }
}

/// A page's connection: what the server pushes is read in order; a dropped connection fails
/// the test (the page would come back by itself, hiding it).
pub struct Page {
    client: Client,
}

impl Page {
    /// Sends a request and waits for its answer.
    pub async fn request(&mut self, request: Request) -> Result<Reply, Refused> {
        let answer = tokio::time::timeout(PATIENCE, self.client.request(request))
            .await
            .expect("an answer within the time allowed");
        answer.map_err(Refused::from)
    }

    /// The next message the server pushed.
    pub async fn next(&mut self) -> ServerMessage {
        loop {
            let event = tokio::time::timeout(PATIENCE, self.client.next_event())
                .await
                .expect("a message within the time allowed")
                .expect("the connection is running");
            match event {
                Event::Push(message) => return message,
                Event::Lost | Event::Refused(_) => panic!("the connection dropped: {event:?}"),
                Event::Connecting | Event::Ready(_) => {}
            }
        }
    }

    /// The first pushed message that matches, skipping others.
    pub async fn expect(&mut self, wanted: impl Fn(&ServerMessage) -> bool) -> ServerMessage {
        loop {
            let message = self.next().await;
            if wanted(&message) {
                return message;
            }
        }
    }

    /// Stays open for `time` as a page does, dropping what comes; fails if the connection
    /// drops meanwhile.
    pub async fn idle(&mut self, time: Duration) {
        let reading = async {
            loop {
                self.next().await;
            }
        };
        let _ = tokio::time::timeout(time, reading).await;
    }

    /// Waits until the connection drops, as when the server closes it.
    pub async fn dropped(&mut self) {
        loop {
            let event = tokio::time::timeout(PATIENCE, self.client.next_event())
                .await
                .expect("dropped in time");
            if matches!(event, None | Some(Event::Lost)) {
                return;
            }
        }
    }

    /// Closes the page.
    pub async fn close(self) {
        drop(self.client);
    }
}

/// A WebSocket written by hand, frame by frame.
pub struct Socket {
    socket: WebSocketStream<MaybeTlsStream<TcpStream>>,
    next_id: u64,
}

impl Socket {
    /// A customer page's hello.
    pub async fn hello(&mut self, token: Option<&str>) -> Reply {
        let hello = Request::customer_hello(token.map(Into::into));
        self.request(hello).await.expect("hello")
    }

    /// The rep console's hello.
    pub async fn rep_hello(&mut self) -> Result<Reply, Refused> {
        self.request(Request::rep_hello()).await
    }

    /// Sends a request and returns its reply, skipping events that come first.
    pub async fn request(&mut self, request: Request) -> Result<Reply, Refused> {
        let id = self.next_id;
        self.next_id += 1;
        let frame = serde_json::to_string(&ClientFrame { id, request }).unwrap();
        self.send_text(&frame).await;
        self.reply_to(Some(id)).await
    }

    pub async fn send_text(&mut self, text: &str) {
        self.socket
            .send(Message::Text(Utf8Bytes::from(text)))
            .await
            .unwrap();
    }

    /// Sends `text`; false once the server has closed the connection.
    pub async fn try_send_text(&mut self, text: &str) -> bool {
        self.socket
            .send(Message::Text(Utf8Bytes::from(text)))
            .await
            .is_ok()
    }

    pub async fn send_binary(&mut self, bytes: &[u8]) {
        self.socket
            .send(Message::Binary(bytes.to_vec().into()))
            .await
            .unwrap();
    }

    /// The reply to request `id` (None: an error about a frame without id).
    pub async fn reply_to(&mut self, id: Option<u64>) -> Result<Reply, Refused> {
        loop {
            match self.next().await {
                ServerMessage::Ok { id: got, reply } if Some(got) == id => return Ok(reply),
                ServerMessage::Err {
                    id: got,
                    code,
                    message,
                    ..
                } if got == id => {
                    return Err(Refused { code, message });
                }
                _ => {}
            }
        }
    }

    /// The next message from the server.
    pub async fn next(&mut self) -> ServerMessage {
        loop {
            let message = tokio::time::timeout(PATIENCE, self.socket.next())
                .await
                .expect("a message within the time allowed")
                .expect("the connection is open")
                .expect("a readable frame");
            match message {
                Message::Text(text) => return serde_json::from_str(&text).unwrap(),
                Message::Close(frame) => panic!("closed by the server: {frame:?}"),
                _ => {}
            }
        }
    }

    /// The close frame the server ends the connection with.
    pub async fn closed(&mut self) -> Option<CloseFrame> {
        loop {
            match tokio::time::timeout(PATIENCE, self.socket.next())
                .await
                .expect("closing in time")
            {
                Some(Ok(Message::Close(frame))) => return frame,
                Some(Ok(_)) => {}
                Some(Err(_)) | None => return None,
            }
        }
    }

    pub async fn close(mut self) {
        let _ = self.socket.close(None).await;
    }
}
