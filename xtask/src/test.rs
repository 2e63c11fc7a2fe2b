//! `cargo xtask test`: formatting, lints on native and wasm32, and every test.
//!
//! Browser tests run in a network namespace with only loopback up (when root), so no test
//! traffic can leave 127.0.0.1.

use std::io::{BufRead, BufReader};
use std::process::Stdio;

use anyhow::{Context, bail};
use xshell::{Cmd, Shell, cmd};

use crate::tools;

/// What the test runs printed, added up.
#[derive(Default)]
struct Tally {
    passed: u64,
    failed: u64,
}

impl Tally {
    /// Runs `command`, echoing its output and counting cargo's `test result:` lines.
    fn run(&mut self, command: Cmd<'_>) -> anyhow::Result<()> {
        let shown = command.to_string();
        println!("$ {shown}");
        let mut child = std::process::Command::from(command)
            .stdout(Stdio::piped())
            .spawn()
            .with_context(|| format!("starting {shown}"))?;
        let stdout = child.stdout.take().expect("piped stdout");
        for line in BufReader::new(stdout).lines() {
            let line = line?;
            println!("{line}");
            self.count(&line);
        }
        if !child.wait()?.success() {
            bail!("{shown} failed");
        }
        Ok(())
    }

    /// Reads `test result: ok. 3 passed; 0 failed; …` (cargo test and wasm-bindgen-test).
    fn count(&mut self, line: &str) {
        let Some(result) = line.strip_prefix("test result: ") else {
            return;
        };
        for part in result.split([';', '.']) {
            let mut words = part.split_whitespace();
            match (
                words.next().and_then(|n| n.parse::<u64>().ok()),
                words.next(),
            ) {
                (Some(n), Some("passed")) => self.passed += n,
                (Some(n), Some("failed")) => self.failed += n,
                _ => {}
            }
        }
    }
}

pub fn run(sh: &Shell) -> anyhow::Result<()> {
    let mut tally = Tally::default();
    tools::setup(sh)?;
    // Usually part of the toolchain already; a leaner installation gets them here.
    cmd!(sh, "rustup component add rustfmt clippy").run()?;
    tools::ensure_chromium(sh)?;
    cmd!(sh, "cargo fetch").run()?;

    cmd!(sh, "cargo fmt --all --check").run()?;
    cmd!(
        sh,
        "cargo clippy --offline --workspace --all-targets -- -D warnings"
    )
    .run()?;
    cmd!(sh, "cargo clippy --offline -p client-wasm --target wasm32-unknown-unknown --all-targets -- -D warnings").run()?;

    crate::build_app(sh)?;
    crate::size::check(&crate::project_root().join("dist"))?;
    cmd!(sh, "cargo build --offline -p signaling-server").run()?;
    tally.run(cmd!(sh, "cargo test --offline --workspace --exclude tests"))?;

    // In the browser: the component tests (wasm-bindgen-test) and the end-to-end tests.
    cmd!(sh, "cargo test --offline -p tests --no-run").run()?;
    cmd!(
        sh,
        "cargo test --offline -p client-wasm --target wasm32-unknown-unknown --no-run"
    )
    .run()?;
    let _runner = sh.push_env(
        "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER",
        "wasm-bindgen-test-runner",
    );
    let _driver = sh.push_env("CHROMEDRIVER", "/usr/bin/chromedriver");
    let _config = sh.push_env("WASM_BINDGEN_TEST_TIMEOUT", "120");
    let browser_tests = "cargo test --offline -p client-wasm --target wasm32-unknown-unknown \
                         && cargo test --offline -p tests";
    if tools::is_root(sh) {
        let script = format!("ip link set lo up && {browser_tests}");
        tally.run(cmd!(sh, "unshare --net sh -c {script}"))?;
    } else {
        eprintln!("not root: running the browser tests without a loopback-only network namespace");
        tally.run(cmd!(sh, "sh -c {browser_tests}"))?;
    }
    // One closing line for all the runs above.
    println!("{} passed, {} failed", tally.passed, tally.failed);
    Ok(())
}
