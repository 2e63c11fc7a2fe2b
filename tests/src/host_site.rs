//! A support site of a customer's company, on a second loopback port: pages that embed the chat
//! with `/embed.js`, and a page of a third party. Reached as `http://localhost:PORT` it is
//! another site than the support server (`127.0.0.1`), as real host sites are; reached as
//! `http://127.0.0.1:PORT` it is yet another origin, one the admin did not allow.
//!
//! A few lines of HTTP/1.1 over a socket: every answer is a small page, then the connection
//! closes.

use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

pub struct HostSite {
    pub port: u16,
    support: Arc<Mutex<String>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for HostSite {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Records what the widget's loader reports to the host page, for the test to read.
const LISTENER: &str = "<script>window.widgetEvents = [];
window.addEventListener('support-widget', e => window.widgetEvents.push(e.detail.type));</script>";

/// A third party's page inside the host page (an advert, say), which forges the messages of
/// both sides: to the host page, as if from the chat, and to every frame, as if from the host.
const THIRD_PARTY: &str = "<!doctype html><title>Advert</title><script>
parent.postMessage({ type: 'support:unread', count: 7 }, '*');
for (let i = 0; i < parent.frames.length; i++) {
    parent.frames[i].postMessage({ type: 'support:prefill', name: 'Mallory', problem: 'forged' }, '*');
    parent.frames[i].postMessage({ type: 'support:close' }, '*');
}
document.title = 'forged';
</script>";

impl HostSite {
    /// Listens; pages load the loader from the support server [`HostSite::embed`] names.
    pub async fn start() -> anyhow::Result<HostSite> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let port = listener.local_addr()?.port();
        let support = Arc::new(Mutex::new(String::new()));
        let task = {
            let support = support.clone();
            tokio::spawn(async move {
                while let Ok((socket, _)) = listener.accept().await {
                    let support = support.lock().expect("not poisoned").clone();
                    tokio::spawn(answer(socket, support));
                }
            })
        };
        Ok(HostSite {
            port,
            support,
            task,
        })
    }

    /// From now on pages embed the chat of the server at `support` (`http://127.0.0.1:PORT`).
    pub fn embed(&self, support: &str) {
        *self.support.lock().expect("not poisoned") = support.to_owned();
    }

    /// The allowed site: `http://localhost:PORT`.
    pub fn origin(&self) -> String {
        format!("http://localhost:{}", self.port)
    }

    /// The same pages from an origin the admin did not allow.
    pub fn foreign_origin(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

/// One request, one page.
async fn answer(mut socket: tokio::net::TcpStream, support: String) {
    let mut request = vec![0u8; 4096];
    let Ok(read) = socket.read(&mut request).await else {
        return;
    };
    let head = String::from_utf8_lossy(&request[..read]);
    let path = head.split_whitespace().nth(1).unwrap_or("/");
    let loader = format!(
        "<script src=\"{support}/embed.js\" async data-lang=\"en\" data-colour=\"#225588\"></script>"
    );
    let (status, body) = match path.split('?').next().unwrap_or("/") {
        "/" => (
            "200 OK",
            format!(
                "<!doctype html><title>Help centre</title>{LISTENER}<h1>Help centre</h1>\
                 <a href=\"/billing\">Billing questions</a>{loader}"
            ),
        ),
        "/billing" => (
            "200 OK",
            format!(
                "<!doctype html><title>Billing</title>{LISTENER}<h1>Billing</h1>\
                 <a href=\"/\">Help centre</a>{loader}"
            ),
        ),
        "/third-party" => ("200 OK", THIRD_PARTY.to_owned()),
        _ => ("404 Not Found", "not found".to_owned()),
    };
    let answer = format!(
        "HTTP/1.1 {status}\r\ncontent-type: text/html; charset=utf-8\r\n\
         content-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = socket.write_all(answer.as_bytes()).await;
    let _ = socket.shutdown().await;
}
