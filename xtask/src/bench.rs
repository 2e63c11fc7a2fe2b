//! `cargo xtask bench`: the benchmarks, written to BENCHMARKS.md with the machine and the date.
//!
//! The load comes from the `bench` crate, which drives the real server binary (release build)
//! over loopback; every run is bounded in count and time.

use std::fmt::Write as _;

use anyhow::Context;
use serde_json::Value;
use xshell::{Shell, cmd};

use crate::size;

/// Waiting customers held open for the memory figure. The machine's limit on open files per
/// process (20,000 here, and not raisable in the container) bounds it.
const IDLE_SOCKETS: &str = "19000";
/// Waiting customers for the fan-out figure.
const FANOUT_WAITING: &str = "10000";

pub fn run(sh: &Shell) -> anyhow::Result<()> {
    crate::build(sh)?;
    cmd!(sh, "cargo build --release --offline -p bench").run()?;
    let server = "target/release/signaling-server";
    let dist = "dist";
    let figure = |what: &str, count: &str| -> anyhow::Result<Value> {
        let out = cmd!(sh, "target/release/bench {server} {dist} {what} {count}").read()?;
        let line = out
            .lines()
            .last()
            .context("the benchmark printed nothing")?;
        Ok(serde_json::from_str(line)?)
    };
    let idle = figure("idle", IDLE_SOCKETS)?;
    let fanout = figure("fanout", FANOUT_WAITING)?;
    let sharing = screen_sharing(sh)?;
    let weights = size::weigh(&crate::project_root().join(dist))?;
    let report = report(sh, &weights, &idle, &fanout, &sharing)?;
    std::fs::write(crate::project_root().join("BENCHMARKS.md"), &report)?;
    println!("{report}");
    Ok(())
}

/// Time to first frame in real Chromium (the `share-bench` binary of the tests crate), in a
/// loopback-only network namespace when root, as the browser tests run.
fn screen_sharing(sh: &Shell) -> anyhow::Result<Value> {
    crate::tools::ensure_chromium(sh)?;
    cmd!(sh, "cargo build --offline -p tests --bin share-bench").run()?;
    let _server = sh.push_env("SIGNALING_SERVER_BIN", "target/release/signaling-server");
    let out = if crate::tools::is_root(sh) {
        let script = "ip link set lo up && target/debug/share-bench";
        cmd!(sh, "unshare --net sh -c {script}").read()?
    } else {
        cmd!(sh, "target/debug/share-bench").read()?
    };
    let line = out.lines().last().context("share-bench printed nothing")?;
    Ok(serde_json::from_str(line)?)
}

fn report(
    sh: &Shell,
    weights: &[size::Weight],
    idle: &Value,
    fanout: &Value,
    sharing: &Value,
) -> anyhow::Result<String> {
    let date = cmd!(sh, "date -u +%Y-%m-%d").read()?;
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find_map(|l| l.strip_prefix("model name"))
                .map(|l| l.trim_start_matches([' ', '\t', ':']).to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let mut out = String::new();
    writeln!(out, "# Benchmarks\n")?;
    writeln!(
        out,
        "Measured by `cargo xtask bench` on {date}: {cores} cores ({cpu}), loopback only, the \
         release build of the server.\n"
    )?;
    writeln!(
        out,
        "## Widget weight (all a customer downloads before the chat works)\n"
    )?;
    writeln!(
        out,
        "| file | raw | gzip | brotli |\n| --- | ---: | ---: | ---: |"
    )?;
    for w in weights {
        writeln!(
            out,
            "| {} | {} | {} | {} |",
            w.name, w.raw, w.gzip, w.brotli
        )?;
    }
    let total = |f: fn(&size::Weight) -> usize| weights.iter().map(f).sum::<usize>();
    writeln!(
        out,
        "| **total** | {} | {} | **{}** |\n\nGoal: ≤ 90 KB brotli. Budget enforced in CI: {} \
         bytes brotli.\n",
        total(|w| w.raw),
        total(|w| w.gzip),
        total(|w| w.brotli),
        size::BUDGET_BROTLI_BYTES
    )?;
    writeln!(out, "## Memory per idle socket\n")?;
    writeln!(
        out,
        "{} waiting customers (handshake done, in the queue), sockets open: server RSS {} → {} \
         bytes, **{} bytes per socket**. Goal: ≤ 16 KiB (16384 bytes).\n",
        idle["sockets"],
        idle["rss_before_bytes"],
        idle["rss_after_bytes"],
        idle["bytes_per_socket"]
    )?;
    writeln!(out, "## Queue fan-out\n")?;
    writeln!(
        out,
        "{} waiting customers; a rep accepts the first: **{:.1} ms** until all {} others had \
         their new position (measured at the clients, on the same machine). Goal: ≤ 100 ms.\n",
        fanout["waiting"],
        fanout["all_told_ms"].as_f64().unwrap_or_default(),
        fanout["told"]
    )?;
    let ms = |what: &str, q: &str| sharing[what][q].as_f64().unwrap_or_default();
    writeln!(out, "## Time to first frame\n")?;
    writeln!(
        out,
        "Two headless Chromium browsers on this machine, {} runs each; the customer shares a tab \
         (headless Chromium has no screen). Milliseconds, median / p95:\n\n\
         | from → to | median | p95 | goal |\n| --- | ---: | ---: | --- |\n\
         | click \"Share screen\" → first frame on the rep's page | {:.0} | {:.0} | p95 ≤ 600 |\n\
         | click \"Change sharing\" → first frame of the new source | {:.0} | {:.0} | ≤ 300 |\n\
         | floor: capture → two peer connections in one page → first frame | {:.0} | {:.0} | |\n",
        sharing["runs"],
        ms("share_ms", "median"),
        ms("share_ms", "p95"),
        ms("change_ms", "median"),
        ms("change_ms", "p95"),
        ms("two_peers_in_one_page_ms", "median"),
        ms("two_peers_in_one_page_ms", "p95"),
    )?;
    writeln!(
        out,
        "## Not measured yet\n\nRelay throughput and latency against a bare WebSocket echo \
         baseline, and page start-up."
    )?;
    Ok(out)
}
