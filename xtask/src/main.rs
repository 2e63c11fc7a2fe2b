//! `cargo xtask`: set up, build, run and test the project on a fresh machine.
//!
//! - `setup`: installs what the build and the tests need (wasm target, Trunk, wasm-bindgen,
//!   wasm-opt, axe-core).
//! - `build`: builds the wasm app into `dist/` and the server in release mode.
//! - `run [--addr HOST:PORT] [--data-dir DIR]`: builds, then serves (data in `./data`).
//! - `test`: installs Chromium if missing, then formatting, lints, every test and the size check.
//! - `size`: the built app's weight, compressed, against its budget.
//! - `bench`: the benchmarks, into BENCHMARKS.md.
//! - `parts [CHECKOUT]`: where the customer's wasm app's bytes go, of this project or of another
//!   checkout of it, as JSON (`bench/parts-before.json` is one, for BENCHMARKS.md).

mod bench;
mod breakdown;
mod size;
mod test;
#[cfg(test)]
mod tidy;
mod tools;

use std::path::PathBuf;

use anyhow::bail;
use xshell::{Shell, cmd};

fn main() -> anyhow::Result<()> {
    let sh = Shell::new()?;
    sh.change_dir(project_root());
    tools::put_tools_on_path(&sh);
    let mut args = std::env::args().skip(1);
    let command = args.next().unwrap_or_default();
    let rest: Vec<String> = args.collect();
    match command.as_str() {
        "setup" => tools::setup(&sh),
        "build" => build(&sh),
        "run" => {
            build(&sh)?;
            let mut serve = vec!["serve".to_owned()];
            serve.extend(rest);
            if !serve.iter().any(|a| a == "--data-dir") {
                serve.extend(["--data-dir".to_owned(), "./data".to_owned()]);
            }
            cmd!(sh, "target/release/signaling-server {serve...}").run()?;
            Ok(())
        }
        "test" => test::run(&sh),
        "size" => size::check(&project_root().join("dist")),
        "bench" => bench::run(&sh),
        "parts" => {
            if let Some(checkout) = rest.first() {
                sh.change_dir(checkout);
            }
            let parts = breakdown::customer_build(&sh)?;
            println!("{}", breakdown::to_json(&parts));
            Ok(())
        }
        _ => bail!(
            "usage: cargo xtask setup | build | run [--addr HOST:PORT] [--data-dir DIR] | test | size | bench | parts [CHECKOUT]"
        ),
    }
}

/// The workspace root, whatever the current folder.
fn project_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask/ has a parent")
        .to_owned()
}

/// The app into `dist/` (size-tuned wasm) and the server binary in release mode.
fn build(sh: &Shell) -> anyhow::Result<()> {
    tools::setup(sh)?;
    build_app(sh)?;
    cmd!(sh, "cargo build --release --offline -p signaling-server").run()?;
    Ok(())
}

/// Trunk builds the wasm app twice, offline, with tools and crates already local: the
/// customer's chat into `dist/`, then the rep console and admin pages (the `console` feature)
/// into `dist/console/` (in this order: Trunk empties `dist/` first).
fn build_app(sh: &Shell) -> anyhow::Result<()> {
    cmd!(sh, "cargo fetch").run()?;
    cmd!(sh, "trunk build --release").run()?;
    cmd!(
        sh,
        "trunk build --release=true --dist dist/console --public-url /console/ static/console.html"
    )
    .run()?;
    let dist = project_root().join("dist");
    size::precompress(&dist)?;
    size::precompress(&dist.join("console"))?;
    Ok(())
}
