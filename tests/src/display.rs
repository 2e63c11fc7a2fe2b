//! What the browsers with a window need: an Xvfb display of their own, and a WebDriver server
//! on a free port. Both are killed with their whole process group when dropped.

use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use anyhow::Context;
use fantoccini::wd::Capabilities;
use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;

use crate::eventually;

/// A browser on a display of its own, with the driver that started it.
pub struct Windowed {
    display: Child,
    driver: Child,
}

impl Windowed {
    /// Starts Xvfb, then `driver` (a WebDriver server taking `--port=N`, and `driver_args`) on
    /// it, and opens a session with `capabilities`. `name` is for errors.
    pub async fn start(
        name: &str,
        driver: &std::path::Path,
        driver_args: &[String],
        capabilities: Capabilities,
    ) -> anyhow::Result<(Windowed, Client)> {
        // Xvfb takes a free display and writes its number on its output.
        let mut display = Command::new("Xvfb")
            .args([
                "-displayfd",
                "1",
                "-screen",
                "0",
                "1280x1024x24",
                "-nolisten",
                "tcp",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .context("starting Xvfb (is xvfb installed?)")?;
        let output = display.stdout.take().context("Xvfb's output")?;
        let number = tokio::task::spawn_blocking(move || {
            let mut line = String::new();
            BufReader::new(output).read_line(&mut line).map(|_| line)
        })
        .await??;
        let port = free_port()?;
        let driver = Command::new(driver)
            .arg(format!("--port={port}"))
            .args(driver_args)
            .env("DISPLAY", format!(":{}", number.trim()))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .with_context(|| format!("starting {}", driver.display()))?;
        let windowed = Windowed { display, driver };
        let addr = format!("127.0.0.1:{port}");
        eventually(&format!("{name}'s driver to listen"), || async {
            Ok(tokio::net::TcpStream::connect(&addr).await.ok().map(drop))
        })
        .await?;
        let mut builder = ClientBuilder::new(HttpConnector::new());
        builder.capabilities(capabilities);
        let url = format!("http://{addr}");
        // A browser that cannot start (no display, say) leaves the request hanging.
        let client = tokio::time::timeout(Duration::from_secs(30), builder.connect(&url))
            .await
            .with_context(|| format!("{name} did not start within 30 s"))?
            .with_context(|| format!("starting {name} through its driver"))?;
        Ok((windowed, client))
    }
}

impl Drop for Windowed {
    fn drop(&mut self) {
        // Each in a group of its own: the driver with its browser, and the display.
        for process in [&mut self.driver, &mut self.display] {
            let _ = Command::new("kill")
                .args(["-KILL", "--", &format!("-{}", process.id())])
                .status();
            let _ = process.wait();
        }
    }
}

/// A port nothing listens on now.
pub fn free_port() -> anyhow::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}
