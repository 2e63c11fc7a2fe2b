//! A customer without a browser: a raw protocol client, to fill the queue around a browser.

use futures_util::{SinkExt, StreamExt};
use protocol::{ClientFrame, Reply, Request, ServerMessage, SessionId};
use tokio_tungstenite::tungstenite::Message;

use crate::PATIENCE;

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

pub struct SocketCustomer {
    socket: Socket,
    next_id: u64,
    pub session: SessionId,
}

impl SocketCustomer {
    /// Connects to the server at `base_url` (`http://host:port`) and joins the queue.
    pub async fn join(base_url: &str, name: &str, problem: &str) -> anyhow::Result<SocketCustomer> {
        let ws_url = format!(
            "{}{}",
            base_url.replacen("http://", "ws://", 1),
            protocol::WS_PATH
        );
        let (socket, _) = tokio_tungstenite::connect_async(ws_url).await?;
        let mut customer = SocketCustomer {
            socket,
            next_id: 1,
            session: 0,
        };
        customer.request(Request::customer_hello(None)).await?;
        let request = Request::StartChat {
            name: name.into(),
            problem: problem.into(),
            lang: protocol::Lang::En,
            recording: None,
            key: None,
        };
        match customer.request(request).await? {
            Reply::Queued { session, .. } => customer.session = session,
            other => anyhow::bail!("unexpected reply {other:?}"),
        }
        Ok(customer)
    }

    pub async fn end(&mut self) -> anyhow::Result<()> {
        self.request(Request::EndSession {
            after_notice: false,
            session: self.session,
        })
        .await
        .map(drop)
    }

    async fn request(&mut self, request: Request) -> anyhow::Result<Reply> {
        let id = self.next_id;
        self.next_id += 1;
        let text = serde_json::to_string(&ClientFrame { id, request })?;
        self.socket.send(Message::Text(text.into())).await?;
        loop {
            let message = tokio::time::timeout(PATIENCE, self.socket.next()).await?;
            let Some(Message::Text(text)) = message.transpose()? else {
                continue;
            };
            match serde_json::from_str(&text)? {
                ServerMessage::Ok { id: got, reply } if got == id => return Ok(reply),
                ServerMessage::Err {
                    id: Some(got),
                    message,
                    ..
                } if got == id => anyhow::bail!(message),
                _ => {}
            }
        }
    }
}
