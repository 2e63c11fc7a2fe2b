//! Headless Chromium over WebDriver, with controls found as a person (or a screen reader) finds
//! them: by role and accessible name, as Chromium's own accessibility engine computes them.

use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use anyhow::Context;
use fantoccini::elements::Element;
use fantoccini::wd::{Capabilities, WebDriverCompatibleCommand};
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;
use url::Url;

use crate::eventually;

/// Chromium's flags for tests: headless as root, no network of its own, no first-run noise.
const FLAGS: &[&str] = &[
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1200,900",
    // `element.computedRole` and `computedName` in pages: chromedriver cannot compute them for
    // an element in another site's frame (a process of its own), Blink itself can.
    "--enable-blink-features=ComputedAccessibilityInfo",
];

/// The program `env` names, else `default`.
pub(crate) fn program(env: &str, default: &str) -> PathBuf {
    std::env::var_os(env)
        .map(PathBuf::from)
        .unwrap_or_else(|| default.into())
}

/// A chromedriver and the browsers it started. Dropping it kills them all, which is also how
/// browsers end: it works even when a test failed half-way.
pub struct Driver {
    url: String,
    process: Child,
    profiles: Vec<tempfile::TempDir>,
}

impl Driver {
    pub async fn start() -> anyhow::Result<Driver> {
        let chromedriver = program("CHROMEDRIVER", "/usr/bin/chromedriver");
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        let process = Command::new(&chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            // Its own process group, so that dropping the driver also ends every Chromium.
            .process_group(0)
            .spawn()
            .with_context(|| {
                format!(
                    "starting {} (is chromium-driver installed?)",
                    chromedriver.display()
                )
            })?;
        let addr = format!("127.0.0.1:{port}");
        eventually("chromedriver to listen", || async {
            Ok(tokio::net::TcpStream::connect(&addr).await.ok().map(drop))
        })
        .await?;
        let url = format!("http://{addr}");
        Ok(Driver {
            url,
            process,
            profiles: Vec::new(),
        })
    }

    /// A new browser with a fresh profile.
    pub async fn browser(&mut self) -> anyhow::Result<Page> {
        self.browser_with(&[]).await
    }

    /// A new browser with a fresh profile and more flags.
    pub async fn browser_with(&mut self, extra: &[&str]) -> anyhow::Result<Page> {
        let profile = tempfile::tempdir()?;
        let mut args: Vec<String> = FLAGS.iter().chain(extra).map(|f| f.to_string()).collect();
        args.push(format!("--user-data-dir={}", profile.path().display()));
        let mut capabilities = Capabilities::new();
        capabilities.insert(
            "goog:chromeOptions".into(),
            json!({ "binary": program("CHROMIUM", "/usr/bin/chromium"), "args": args }),
        );
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities)
            .connect(&self.url)
            .await
            .context("starting Chromium through chromedriver")?;
        self.profiles.push(profile);
        Ok(Page { client })
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        // The negative pid names the whole group: chromedriver and every browser it started.
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", self.process.id())])
            .status();
        let _ = self.process.wait();
    }
}

/// One browser tab.
#[derive(Clone)]
pub struct Page {
    pub client: Client,
}

/// Element roles, with the elements that can have them, to narrow the search.
fn candidates(role: &str) -> &'static str {
    match role {
        "button" => "button, [role=button], input[type=submit], input[type=button]",
        "textbox" => "input, textarea, [role=textbox]",
        "link" => "a, [role=link]",
        "listitem" => "li, [role=listitem]",
        "radio" => "input[type=radio], [role=radio]",
        "checkbox" => "input[type=checkbox], [role=checkbox]",
        "combobox" => "select, [role=combobox]",
        "spinbutton" => "input[type=number], [role=spinbutton]",
        "status" => "output, [role=status]",
        "progressbar" => "progress, [role=progressbar]",
        _ => "[role]",
    }
}

impl Page {
    pub async fn goto(&self, url: &str) -> anyhow::Result<()> {
        Ok(self.client.goto(url).await?)
    }

    /// The element with `role` whose accessible name is `name` (case-insensitive), once there.
    pub async fn by_role(&self, role: &str, name: &str) -> anyhow::Result<Element> {
        self.by_role_within(None, role, name).await
    }

    /// As [`Page::by_role`], inside `scope`, where a name may also carry more words after
    /// `name` ("Accept" finds "Accept Carla Kunde", as the spec allows).
    pub async fn by_role_within(
        &self,
        scope: Option<&Element>,
        role: &str,
        name: &str,
    ) -> anyhow::Result<Element> {
        eventually(&format!("a {role} named {name:?}"), || async {
            let found = match scope {
                Some(scope) => scope.find_all(Locator::Css(candidates(role))).await?,
                None => self.client.find_all(Locator::Css(candidates(role))).await?,
            };
            // A name exactly as asked comes first. In a scope (a queue entry), a name may carry
            // more words after, as the spec allows; on the whole page that could find "Send
            // file" for "Send" while "Send" is not there yet.
            let mut longer = None;
            for element in found {
                if self.role(&element).await? != role || !element.is_displayed().await? {
                    continue;
                }
                let label = as_read(&self.computed(&element, "computedlabel").await?);
                if label.trim().eq_ignore_ascii_case(name) {
                    return Ok(Some(element));
                }
                if scope.is_some() && longer.is_none() && begins_with_words(&label, name) {
                    longer = Some(element);
                }
            }
            Ok(longer)
        })
        .await
    }

    /// The first element with `role` whose text contains `text`, once there.
    pub async fn role_with_text(&self, role: &str, text: &str) -> anyhow::Result<Element> {
        eventually(&format!("a {role} containing {text:?}"), || async {
            for element in self.client.find_all(Locator::Css(candidates(role))).await? {
                if self.role(&element).await? == role
                    && as_read(&element.text().await?).contains(text)
                {
                    return Ok(Some(element));
                }
            }
            Ok(None)
        })
        .await
    }

    /// Waits until the page's visible text contains `text`.
    pub async fn shows(&self, text: &str) -> anyhow::Result<()> {
        eventually(&format!("the page to show {text:?}"), || async {
            let body = self.client.find(Locator::Css("body")).await?.text().await?;
            Ok(as_read(&body).contains(text).then_some(()))
        })
        .await
    }

    /// Saves a PNG of the page as `NAME.png` in the folder `E2E_SCREENSHOTS` names, if set:
    /// for looking at what the test saw.
    pub async fn screenshot(&self, name: &str) -> anyhow::Result<()> {
        let Some(dir) = std::env::var_os("E2E_SCREENSHOTS") else {
            return Ok(());
        };
        let png = self.client.screenshot().await?;
        std::fs::create_dir_all(&dir)?;
        Ok(std::fs::write(
            PathBuf::from(dir).join(format!("{name}.png")),
            png,
        )?)
    }

    /// Types into the textbox named `name`.
    pub async fn fill(&self, name: &str, text: &str) -> anyhow::Result<()> {
        let field = self.by_role("textbox", name).await?;
        field.clear().await?;
        Ok(field.send_keys(text).await?)
    }

    /// The page's visible text, now.
    pub async fn text(&self) -> anyhow::Result<String> {
        let body = self.client.find(Locator::Css("body")).await?.text().await?;
        Ok(as_read(&body))
    }

    /// The address the tab shows now.
    pub async fn url(&self) -> anyhow::Result<String> {
        Ok(self.client.current_url().await?.to_string())
    }

    pub async fn click(&self, role: &str, name: &str) -> anyhow::Result<()> {
        Ok(self.by_role(role, name).await?.click().await?)
    }

    /// Runs `script` in the page (a function body; `arguments` holds `args`) and returns its
    /// result.
    pub async fn run(
        &self,
        script: &str,
        args: Vec<serde_json::Value>,
    ) -> anyhow::Result<serde_json::Value> {
        Ok(self.client.execute(script, args).await?)
    }

    /// Chooses `path` in the page's file input matching `css` (hidden ones too), as a person
    /// picking a file in the browser's dialog.
    pub async fn choose_file(&self, css: &str, path: &std::path::Path) -> anyhow::Result<()> {
        let input = self.client.find(Locator::Css(css)).await?;
        Ok(input.send_keys(&path.display().to_string()).await?)
    }

    /// Slows this tab's uploads to `bytes_per_sec` (chromedriver's network emulation), so that
    /// a transfer on loopback lasts long enough to watch.
    pub async fn throttle_uploads(&self, bytes_per_sec: u64) -> anyhow::Result<()> {
        let body = json!({ "network_conditions": {
            "offline": false,
            "latency": 0,
            "download_throughput": 100_000_000,
            "upload_throughput": bytes_per_sec,
        }});
        self.client
            .issue_cmd(SessionPost {
                path: "chromium/network_conditions",
                body,
            })
            .await?;
        Ok(())
    }

    /// Sends a Chrome DevTools Protocol command to this tab through chromedriver.
    pub async fn devtools(
        &self,
        command: &str,
        params: serde_json::Value,
    ) -> anyhow::Result<serde_json::Value> {
        let body = json!({ "cmd": command, "params": params });
        Ok(self
            .client
            .issue_cmd(SessionPost {
                path: "goog/cdp/execute",
                body,
            })
            .await?)
    }

    /// The element's role as the browser computes it. HTML-AAM gives a password field no ARIA
    /// role, and Firefox reports none; Chromium says "textbox", as screen readers do ("password
    /// text field"), so that is what an unnamed role on one means here.
    async fn role(&self, element: &Element) -> anyhow::Result<String> {
        let role = self.computed(element, "computedrole").await?;
        if role.is_empty() && element.attr("type").await?.as_deref() == Some("password") {
            return Ok("textbox".to_owned());
        }
        Ok(role)
    }

    /// The browser's computed role or label of `element` (WebDriver's computedrole/computedlabel,
    /// or, for an element in a frame of another site, Blink's own through the page).
    async fn computed(&self, element: &Element, what: &'static str) -> anyhow::Result<String> {
        let command = ElementQuery {
            element: element.element_id().as_ref().to_owned(),
            what,
        };
        let error = match self.client.issue_cmd(command).await {
            Ok(value) => return Ok(value.as_str().unwrap_or_default().to_owned()),
            Err(error) => error,
        };
        let property = match what {
            "computedrole" => "computedRole",
            _ => "computedName",
        };
        let script = format!("return arguments[0].{property} ?? null");
        let value = self
            .client
            .execute(&script, vec![serde_json::to_value(element)?])
            .await?;
        match value.as_str() {
            Some(value) => Ok(value.to_owned()),
            None => Err(error.into()),
        }
    }
}

/// `GET /session/{id}/element/{element}/{what}`: a WebDriver command fantoccini has no method for.
#[derive(Debug)]
struct ElementQuery {
    element: String,
    what: &'static str,
}

impl WebDriverCompatibleCommand for ElementQuery {
    fn endpoint(&self, base_url: &Url, session_id: Option<&str>) -> Result<Url, url::ParseError> {
        let session = session_id.unwrap_or_default();
        base_url.join(&format!(
            "session/{session}/element/{}/{}",
            self.element, self.what
        ))
    }

    fn method_and_body(&self, _request_url: &Url) -> (http::Method, Option<String>) {
        (http::Method::GET, None)
    }
}

/// `POST /session/{id}/{path}` with a JSON body: chromedriver's own commands.
#[derive(Debug)]
struct SessionPost {
    path: &'static str,
    body: serde_json::Value,
}

impl WebDriverCompatibleCommand for SessionPost {
    fn endpoint(&self, base_url: &Url, session_id: Option<&str>) -> Result<Url, url::ParseError> {
        let session = session_id.unwrap_or_default();
        base_url.join(&format!("session/{session}/{}", self.path))
    }

    fn method_and_body(&self, _request_url: &Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(self.body.to_string()))
    }
}

/// Text as a person reads it: without the invisible marks that isolate names (U+2068, U+2069),
/// so tests can name what the page shows.
pub fn as_read(text: &str) -> String {
    text.replace(['\u{2068}', '\u{2069}'], "")
}

/// Whether the accessible name `label` begins with the words `name`, case aside: "Accept Ada"
/// begins with "Accept", "Acceptable" does not.
fn begins_with_words(label: &str, name: &str) -> bool {
    let label = as_read(label).trim().to_lowercase();
    let name = name.trim().to_lowercase();
    label
        .strip_prefix(&name)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(char::is_whitespace))
}

#[cfg(test)]
mod tests {
    use super::begins_with_words;

    #[test]
    fn a_name_may_carry_more_words_after_the_ones_asked_for() {
        assert!(begins_with_words("Accept", "accept"));
        assert!(begins_with_words(
            "Accept \u{2068}Carla Kunde\u{2069}",
            "Accept"
        ));
        assert!(!begins_with_words("Acceptable", "Accept"));
        assert!(!begins_with_words("Send", "Send notice"));
    }
}
