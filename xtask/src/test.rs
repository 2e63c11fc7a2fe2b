//! `cargo xtask test`: formatting, lints on native and wasm32, the docs, every test, and a short
//! fuzz run.
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

/// Brings up the loopback-only network namespace's one interface, with a route to 8.8.8.8 over
/// it: Firefox gathers ICE candidates on the address of its route to a public address (8.8.8.8
/// here), and without one its screen sharing fails as soon as the machine is busy. Not a
/// default route: that would send DNS lookups to `lo` too, where they hang until they time out
/// instead of failing at once, and Chromium's tests run three times slower.
pub const LOOPBACK_ONLY: &str = "ip link set lo up && ip route add 8.8.8.8/32 dev lo src 127.0.0.1";

pub fn run(sh: &Shell) -> anyhow::Result<()> {
    let mut tally = Tally::default();
    tools::setup(sh)?;
    // Usually part of the toolchain already; a leaner installation gets them here.
    cmd!(sh, "rustup component add rustfmt clippy").run()?;
    tools::ensure_browsers(sh)?;
    cmd!(sh, "cargo fetch").run()?;

    cmd!(sh, "cargo fmt --all --check").run()?;
    cmd!(sh, "cargo fmt --check --manifest-path fuzz/Cargo.toml").run()?;
    cmd!(
        sh,
        "cargo clippy --offline --workspace --all-targets -- -D warnings"
    )
    .run()?;
    // Both builds of the app: the customer's, and the console's.
    for features in ["", "console"] {
        cmd!(sh, "cargo clippy --offline -p client-wasm --target wasm32-unknown-unknown --all-targets --features={features} -- -D warnings").run()?;
    }
    {
        // A broken link or a link to a private item is a doc that no longer holds.
        let _deny = sh.push_env("RUSTDOCFLAGS", "-D warnings");
        cmd!(sh, "cargo doc --offline --no-deps --workspace").run()?;
    }

    crate::build_app(sh)?;
    crate::size::check(&crate::project_root().join("dist"))?;
    cmd!(sh, "cargo build --offline -p signaling-server").run()?;
    tally.run(cmd!(sh, "cargo test --offline --workspace --exclude tests"))?;
    // The console's own unit tests (its words, the admin form's messages) are in its build only.
    tally.run(cmd!(
        sh,
        "cargo test --offline -p client-wasm --lib --features console"
    ))?;
    fuzz(sh)?;

    // In the browser: the component tests (wasm-bindgen-test) and the end-to-end tests.
    cmd!(sh, "cargo test --offline -p tests --no-run").run()?;
    cmd!(
        sh,
        "cargo test --offline -p client-wasm --target wasm32-unknown-unknown --features console --no-run"
    )
    .run()?;
    let _runner = sh.push_env(
        "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER",
        "wasm-bindgen-test-runner",
    );
    let _driver = sh.push_env("CHROMEDRIVER", "/usr/bin/chromedriver");
    let _config = sh.push_env("WASM_BINDGEN_TEST_TIMEOUT", "120");
    let browser_tests = "cargo test --offline -p client-wasm --target wasm32-unknown-unknown \
                         --features console && cargo test --offline -p tests";
    if tools::is_root(sh) {
        let script = format!("{LOOPBACK_ONLY} && {browser_tests}");
        tally.run(cmd!(sh, "unshare --net sh -c {script}"))?;
    } else {
        eprintln!("not root: running the browser tests without a loopback-only network namespace");
        tally.run(cmd!(sh, "sh -c {browser_tests}"))?;
    }
    // One closing line for all the runs above.
    println!("{} passed, {} failed", tally.passed, tally.failed);
    Ok(())
}

/// How long each fuzz target runs in a test run.
const FUZZ_SECS: u32 = 20;

/// Runs each fuzz target of `fuzz/` for [`FUZZ_SECS`], starting from the committed seeds in
/// `fuzz/corpus/`. New inputs go to a temporary folder, the first corpus folder libFuzzer is
/// given, so the committed corpus does not grow; a crashing input is kept in `fuzz/artifacts/`.
/// libFuzzer's sanitizers need a nightly compiler; without one, the stable compiler builds the
/// targets with `RUSTC_BOOTSTRAP=1` and no sanitizer (a panic is still a crash).
fn fuzz(sh: &Shell) -> anyhow::Result<()> {
    tools::ensure_cargo_fuzz(sh)?;
    let nightly = tools::has_nightly(sh);
    let toolchain: &[&str] = if nightly { &["+nightly"] } else { &[] };
    let sanitizer: &[&str] = if nightly {
        &[]
    } else {
        &["--sanitizer", "none"]
    };
    let _bootstrap = (!nightly).then(|| sh.push_env("RUSTC_BOOTSTRAP", "1"));
    let scratch = sh.create_temp_dir()?;
    cmd!(sh, "cargo {toolchain...} fuzz build {sanitizer...}").run()?;
    let targets = cmd!(sh, "cargo {toolchain...} fuzz list").read()?;
    for target in targets.lines() {
        let corpus = scratch.path().join(target);
        sh.create_dir(&corpus)?;
        let seeds = format!("fuzz/corpus/{target}");
        let time = format!("-max_total_time={FUZZ_SECS}");
        let runs = run_fuzzer(cmd!(
            sh,
            "cargo {toolchain...} fuzz run {sanitizer...} {target} {corpus} {seeds}
             -- {time} -timeout=10 -dict=fuzz/dict/protocol.dict"
        ))?;
        println!("fuzz target {target}: {runs} inputs in {FUZZ_SECS} s, no crash");
    }
    Ok(())
}

/// Runs libFuzzer, echoing what it prints except its progress lines; returns how many inputs
/// it ran (its closing `Done N runs in S second(s)`).
fn run_fuzzer(command: Cmd<'_>) -> anyhow::Result<u64> {
    let shown = command.to_string();
    println!("$ {shown}");
    let mut child = std::process::Command::from(command)
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("starting {shown}"))?;
    let stderr = child.stderr.take().expect("piped stderr");
    let mut runs = None;
    for line in BufReader::new(stderr).split(b'\n') {
        let line = String::from_utf8_lossy(&line?).into_owned();
        if let Some(done) = line.strip_prefix("Done ") {
            runs = done.split_whitespace().next().and_then(|n| n.parse().ok());
        }
        // `#1234 NEW cov: …` and `NEW_FUNC[1/2]: …` under it, `#1234 pulse …`, and the
        // recommended dictionary's entries.
        let progress = line.starts_with('#') && !line.contains("DONE") && !line.contains("INITED");
        if !progress && !line.trim_start().starts_with("NEW_FUNC") && !line.contains(" # Uses: ") {
            eprintln!("{line}");
        }
    }
    if !child.wait()?.success() {
        bail!("{shown} failed; the input is in fuzz/artifacts/, to add as a test");
    }
    runs.with_context(|| format!("{shown} did not say how many inputs it ran"))
}
