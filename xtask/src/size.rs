//! `cargo xtask size`: what a customer downloads before the chat is usable (the customer's build
//! in `dist/`: page, JS glue, wasm, CSS; the console's build in `dist/console/` is not theirs),
//! compressed as a server would send it, checked against the budget so that it cannot creep up
//! unnoticed.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, bail};

/// The most the customer's app may weigh, brotli-compressed. The goal is 90 KB; this is where
/// the app stands now, with a little room, and it only ever moves down.
pub const BUDGET_BROTLI_BYTES: usize = 194 * 1024;

/// One file's weight.
#[derive(Debug)]
pub struct Weight {
    pub name: String,
    pub raw: usize,
    pub gzip: usize,
    pub brotli: usize,
}

/// The weights of the files in `dist` (not in its folders), largest first.
pub fn weigh(dist: &Path) -> anyhow::Result<Vec<Weight>> {
    let mut weights = Vec::new();
    let entries = std::fs::read_dir(dist)
        .with_context(|| format!("reading {} (build the app first)", dist.display()))?;
    for entry in entries {
        let path = entry?.path();
        if !path.is_file() || is_precompressed(&path) {
            continue;
        }
        let bytes = std::fs::read(&path)?;
        weights.push(Weight {
            name: path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            raw: bytes.len(),
            gzip: gzip(&bytes)?.len(),
            brotli: brotli(&bytes)?.len(),
        });
    }
    weights.sort_by_key(|w| std::cmp::Reverse(w.raw));
    Ok(weights)
}

/// Writes `NAME.br` and `NAME.gz` beside every file in `dist`, which the server sends to
/// browsers that take them: compressed once at build time at the best settings, not per request.
pub fn precompress(dist: &Path) -> anyhow::Result<()> {
    for entry in std::fs::read_dir(dist)? {
        let path = entry?.path();
        if !path.is_file() || is_precompressed(&path) {
            continue;
        }
        let bytes = std::fs::read(&path)?;
        let mut name = path.clone().into_os_string();
        name.push(".br");
        std::fs::write(&name, brotli(&bytes)?)?;
        name = path.into_os_string();
        name.push(".gz");
        std::fs::write(&name, gzip(&bytes)?)?;
    }
    Ok(())
}

fn is_precompressed(path: &Path) -> bool {
    path.extension()
        .is_some_and(|ext| ext == "br" || ext == "gz")
}

fn gzip(bytes: &[u8]) -> anyhow::Result<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes)?;
    Ok(encoder.finish()?)
}

fn brotli(bytes: &[u8]) -> anyhow::Result<Vec<u8>> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params)?;
    Ok(out)
}

/// Prints the table and fails when the brotli total is over the budget.
pub fn check(dist: &Path) -> anyhow::Result<()> {
    let weights = weigh(dist)?;
    println!(
        "{:<44} {:>10} {:>10} {:>10}",
        "file", "raw", "gzip", "brotli"
    );
    for w in &weights {
        println!(
            "{:<44} {:>10} {:>10} {:>10}",
            w.name, w.raw, w.gzip, w.brotli
        );
    }
    let total = |f: fn(&Weight) -> usize| weights.iter().map(f).sum::<usize>();
    let (raw, gzip, brotli) = (total(|w| w.raw), total(|w| w.gzip), total(|w| w.brotli));
    println!("{:<44} {raw:>10} {gzip:>10} {brotli:>10}", "total");
    if brotli > BUDGET_BROTLI_BYTES {
        bail!(
            "the app weighs {brotli} bytes with brotli, over the budget of {BUDGET_BROTLI_BYTES}"
        );
    }
    println!("within the budget of {BUDGET_BROTLI_BYTES} bytes (brotli)");
    Ok(())
}
