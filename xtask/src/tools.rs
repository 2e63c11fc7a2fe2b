//! The tools the build needs, installed when missing or of the wrong version.
//!
//! Everything comes from package registries: Rust crates (Trunk, wasm-bindgen-cli, cargo-fuzz),
//! the npm packages `binaryen` for `wasm-opt` (Debian's is too old for current wasm-bindgen
//! output), `terser` for the JS glue (Trunk's own minifier fails on it) and `axe-core` for the
//! browser tests' accessibility checks, and Debian packages for the browsers. Nothing is
//! downloaded from anywhere else.

use std::path::PathBuf;

use anyhow::{Context, bail};
use xshell::{Shell, cmd};

/// Must match `trunk-version` in Trunk.toml.
const TRUNK_VERSION: &str = "0.21.14";
/// Must match `wasm_opt` in Trunk.toml.
const BINARYEN_VERSION: &str = "132";
/// Where the npm-installed wasm-opt lives, inside the ignored target folder.
const NODE_TOOLS: &str = "target/tools";
/// The accessibility engine the browser tests run on every screen (`tests/browser/axe.rs`).
const AXE_VERSION: &str = "4.14.1";
/// Where it is installed, in a folder of its own: npm prunes what it did not install itself.
const AXE_TOOLS: &str = "target/tools/axe";

/// The JS minifier of Trunk.toml's post-build hook.
const TERSER_VERSION: &str = "5.51.4";
/// In a folder of its own, as axe-core.
const TERSER_TOOLS: &str = "target/tools/terser";

/// The WebDriver server for Firefox in the browser tests.
const GECKODRIVER_VERSION: &str = "0.37.1";

/// twiggy, which tells where the wasm app's bytes go, for `cargo xtask bench`.
const TWIGGY_VERSION: &str = "0.8.0";

/// The cargo-fuzz that runs the fuzz targets in `fuzz/`.
const CARGO_FUZZ_VERSION: &str = "0.13.2";

/// Puts cargo's bin folder and the local npm tools first on PATH for every command.
pub fn put_tools_on_path(sh: &Shell) {
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")))
        .unwrap_or_default();
    let node_bin = |tools: &str| sh.current_dir().join(tools).join("node_modules/.bin");
    let mut paths = vec![
        node_bin(NODE_TOOLS),
        node_bin(TERSER_TOOLS),
        cargo_home.join("bin"),
    ];
    paths.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    sh.set_var(
        "PATH",
        std::env::join_paths(paths).expect("PATH entries without separators"),
    );
}

/// Installs whatever of the build's tools is missing.
pub fn setup(sh: &Shell) -> anyhow::Result<()> {
    // libwebm, which writes the recordings, is C++ built from source.
    ensure_packages(sh, "the build", &[("c++", "g++")])?;
    cmd!(sh, "rustup target add wasm32-unknown-unknown").run()?;
    cargo_install(sh, "trunk", TRUNK_VERSION)?;
    let bindgen = wasm_bindgen_version(sh)?;
    if !reports_version(sh, "wasm-bindgen", &bindgen) {
        // Not --locked: its lock file pins a crate version the registry no longer has.
        cmd!(sh, "cargo install wasm-bindgen-cli --version {bindgen}").run()?;
    }
    if !reports_version(sh, "wasm-opt", &format!("version {BINARYEN_VERSION}")) {
        npm_install(sh, NODE_TOOLS, &format!("binaryen@{BINARYEN_VERSION}"))?;
    }
    if !reports_version(sh, "terser", TERSER_VERSION) {
        npm_install(sh, TERSER_TOOLS, &format!("terser@{TERSER_VERSION}"))?;
    }
    let axe = sh
        .current_dir()
        .join(AXE_TOOLS)
        .join("node_modules/axe-core/package.json");
    let axe_version = std::fs::read_to_string(axe).unwrap_or_default();
    if !axe_version.contains(&format!("\"version\": \"{AXE_VERSION}\"")) {
        npm_install(sh, AXE_TOOLS, &format!("axe-core@{AXE_VERSION}"))?;
    }
    Ok(())
}

/// Installs the crate `program` at `version` with its lock file, unless that version is what
/// `program --version` reports already.
fn cargo_install(sh: &Shell, program: &str, version: &str) -> anyhow::Result<()> {
    if !reports_version(sh, program, version) {
        cmd!(sh, "cargo install --locked {program} --version {version}").run()?;
    }
    Ok(())
}

/// Installs the npm `package` into the folder `prefix`.
fn npm_install(sh: &Shell, prefix: &str, package: &str) -> anyhow::Result<()> {
    if cmd!(sh, "npm --version")
        .quiet()
        .ignore_stdout()
        .run()
        .is_err()
    {
        bail!("npm is needed to install {package}; install Node.js and npm");
    }
    sh.create_dir(prefix)?;
    cmd!(
        sh,
        "npm install --prefix {prefix} --no-audit --no-fund --no-save {package}"
    )
    .run()?;
    Ok(())
}

/// cargo-fuzz, for the short fuzz run of `cargo xtask test`.
pub fn ensure_cargo_fuzz(sh: &Shell) -> anyhow::Result<()> {
    cargo_install(sh, "cargo-fuzz", CARGO_FUZZ_VERSION)
}

/// twiggy, for the breakdown of the app's weight in `cargo xtask bench`.
pub fn ensure_twiggy(sh: &Shell) -> anyhow::Result<()> {
    cargo_install(sh, "twiggy", TWIGGY_VERSION)
}

/// Whether rustup has a nightly toolchain, which libFuzzer's sanitizers need. Listed rather
/// than run, so that rustup is never asked to install one.
pub fn has_nightly(sh: &Shell) -> bool {
    cmd!(sh, "rustup toolchain list")
        .quiet()
        .read()
        .is_ok_and(|list| list.lines().any(|line| line.starts_with("nightly")))
}

/// Whether `program --version` runs and mentions `version`.
fn reports_version(sh: &Shell, program: &str, version: &str) -> bool {
    cmd!(sh, "{program} --version")
        .quiet()
        .ignore_stderr()
        .read()
        .is_ok_and(|out| out.contains(version))
}

/// The `wasm-bindgen` version in Cargo.lock: the CLI must be exactly this one.
fn wasm_bindgen_version(sh: &Shell) -> anyhow::Result<String> {
    let lock = sh.read_file("Cargo.lock").context("reading Cargo.lock")?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == "name = \"wasm-bindgen\""
            && let Some(version) = lines.next().and_then(|l| l.strip_prefix("version = \""))
        {
            return Ok(version.trim_end_matches('"').to_owned());
        }
    }
    bail!("Cargo.lock has no wasm-bindgen package")
}

/// Chromium and chromedriver for the browser tests (and `unshare`, `ip` for their network
/// namespace, coturn for screen sharing through a relay, Firefox ESR, and WebKitGTK's driver
/// with Xvfb for the windowed browsers), from Debian's packages when missing; geckodriver, which
/// Debian does not package, from crates.io.
pub fn ensure_browsers(sh: &Shell) -> anyhow::Result<()> {
    cargo_install(sh, "geckodriver", GECKODRIVER_VERSION)?;
    let programs = [
        ("chromium", "chromium"),
        ("chromedriver", "chromium-driver"),
        ("firefox-esr", "firefox-esr"),
        ("unshare", "util-linux"),
        ("ip", "iproute2"),
        ("turnserver", "coturn"),
        ("WebKitWebDriver", "webkit2gtk-driver"),
        ("Xvfb", "xvfb"),
    ];
    ensure_packages(sh, "the browser tests", &programs)
}

/// Installs the Debian package of each `(program, package)` whose program is missing, as root;
/// otherwise says which `what` needs.
fn ensure_packages(sh: &Shell, what: &str, programs: &[(&str, &str)]) -> anyhow::Result<()> {
    let missing: Vec<&str> = programs
        .iter()
        .filter(|(program, _)| !installed(program))
        .map(|(_, package)| *package)
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    if !is_root(sh) {
        bail!(
            "{what} needs these Debian packages: {0}; install them (apt-get install {0})",
            missing.join(" ")
        );
    }
    let _env = sh.push_env("DEBIAN_FRONTEND", "noninteractive");
    cmd!(sh, "apt-get update -qq").run()?;
    cmd!(sh, "apt-get install -y -qq {missing...}").run()?;
    Ok(())
}

/// Whether `program` is on PATH or in the system folders a non-login PATH may lack.
fn installed(program: &str) -> bool {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(["/usr/sbin".into(), "/sbin".into()])
        .any(|dir| dir.join(program).is_file())
}

pub fn is_root(sh: &Shell) -> bool {
    cmd!(sh, "id -u")
        .quiet()
        .read()
        .is_ok_and(|uid| uid.trim() == "0")
}
