//! A customer without a browser, to fill the queue around a browser: the same connection logic
//! as the page's (`client_tokio`), minus the page.

use std::sync::{Arc, Mutex};

use client_tokio::Client;
use protocol::{Reply, Request, SessionId};

use crate::PATIENCE;

pub struct SocketCustomer {
    client: Client,
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
        // As the page keeps it: a reconnect says hello with the session's token.
        let token: Arc<Mutex<Option<String>>> = Arc::default();
        let saved = token.clone();
        let hello = move || Request::customer_hello(saved.lock().expect("token lock").clone());
        let connecting = Client::connect(&ws_url, None, hello);
        let (client, _) = tokio::time::timeout(PATIENCE, connecting).await??;
        let request = Request::StartChat {
            name: name.into(),
            problem: problem.into(),
            lang: protocol::Lang::En,
            recording: None,
            key: None,
        };
        match tokio::time::timeout(PATIENCE, client.request(request)).await?? {
            Reply::Queued {
                session,
                token: given,
                ..
            } => {
                *token.lock().expect("token lock") = Some(given);
                Ok(SocketCustomer { client, session })
            }
            other => anyhow::bail!("unexpected reply {other:?}"),
        }
    }

    pub async fn end(&mut self) -> anyhow::Result<()> {
        let end = Request::EndSession {
            after_notice: false,
            session: self.session,
        };
        tokio::time::timeout(PATIENCE, self.client.request(end)).await??;
        Ok(())
    }
}
