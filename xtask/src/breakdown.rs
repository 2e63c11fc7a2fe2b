//! Where the customer's wasm app's bytes go: the customer's build optimised as Trunk does it
//! (`wasm-opt -Oz`), but keeping its function names (`-g`), read by twiggy and summed by the
//! crate each function or data item comes from. Generic code counts for the crate that defines
//! it (`Vec<protocol::ChatMessage>`'s methods are `alloc`'s), and so does what serde's derive
//! writes into a crate (`protocol`'s decoders are `protocol`'s).

use std::collections::BTreeMap;

use anyhow::Context;
use serde_json::Value;
use xshell::{Shell, cmd};

/// Must match the wasm-opt features Trunk enables for wasm-bindgen's output.
const WASM_OPT_FEATURES: &[&str] = &[
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-reference-types",
    "--enable-multivalue",
];

/// One part of the app and its bytes in the optimised wasm (before compression).
pub struct Part {
    pub name: String,
    pub bytes: u64,
}

/// `parts` as a JSON object, part → bytes.
pub fn to_json(parts: &[Part]) -> Value {
    Value::Object(
        parts
            .iter()
            .map(|p| (p.name.clone(), Value::from(p.bytes)))
            .collect(),
    )
}

/// Parts from [`to_json`]'s output, largest first.
pub fn from_json(json: &Value) -> Vec<Part> {
    let mut parts: Vec<Part> = json
        .as_object()
        .into_iter()
        .flatten()
        .map(|(name, bytes)| Part {
            name: name.clone(),
            bytes: bytes.as_u64().unwrap_or_default(),
        })
        .collect();
    parts.sort_by_key(|p| std::cmp::Reverse(p.bytes));
    parts
}

/// The customer's build's parts, largest first.
pub fn customer_build(sh: &Shell) -> anyhow::Result<Vec<Part>> {
    cmd!(
        sh,
        "cargo build --offline -p client-wasm --target wasm32-unknown-unknown --profile wasm-release"
    )
    .run()?;
    let out = "target/weight";
    cmd!(sh, "wasm-bindgen --target web --no-typescript --out-dir {out} target/wasm32-unknown-unknown/wasm-release/client-wasm.wasm").run()?;
    let named = format!("{out}/named.wasm");
    cmd!(
        sh,
        "wasm-opt -Oz -g {WASM_OPT_FEATURES...} {out}/client-wasm_bg.wasm -o {named}"
    )
    .run()?;
    let items = cmd!(sh, "twiggy top -n 1000000 -f json {named}")
        .quiet()
        .read()?;
    let items: Vec<Value> = serde_json::from_str(&items).context("twiggy's JSON")?;
    let mut parts: BTreeMap<&'static str, u64> = BTreeMap::new();
    for item in &items {
        let name = item["name"].as_str().unwrap_or_default();
        let bytes = item["shallow_size"].as_u64().unwrap_or_default();
        if let Some(part) = part_of(name) {
            *parts.entry(part).or_default() += bytes;
        }
    }
    let mut parts: Vec<Part> = parts
        .into_iter()
        .map(|(name, bytes)| Part {
            name: name.to_owned(),
            bytes,
        })
        .collect();
    parts.sort_by_key(|p| std::cmp::Reverse(p.bytes));
    Ok(parts)
}

/// The part an item of twiggy's belongs to; none for the names kept only for this count.
fn part_of(item: &str) -> Option<&'static str> {
    if item.starts_with("custom section") || item.ends_with("names\" subsection") {
        return None;
    }
    if item.starts_with("data segment") {
        return Some("data (texts, tables, field names)");
    }
    if item.starts_with("import ") || item.starts_with("export ") {
        return Some("JS bindings");
    }
    let krate = owner(item);
    Some(match krate {
        "client_wasm" => "the app's pages and state (client-wasm)",
        "client_core" => "the client's session core (client-core)",
        "protocol" => "protocol types and their serde code",
        "serde_json" | "serde_wasm_bindgen" | "serde_core" | "serde" | "zmij" | "itoa" | "ryu" => {
            "serde and JSON (serde_json, serde-wasm-bindgen)"
        }
        "yew" | "implicit_clone" | "prokio" | "slab" | "indexmap" | "hashbrown" => {
            "Yew (and its maps)"
        }
        "wasm_bindgen" | "js_sys" | "web_sys" | "wasm_bindgen_futures" => "JS bindings",
        _ if krate.starts_with("gloo") => "JS bindings",
        "core" | "alloc" | "std" | "dlmalloc" | "__rustc" => "Rust's core, alloc, std",
        _ => "other (tables, unnamed code)",
    })
}

/// The crate an item's name starts from: `<protocol::X as serde::Y>::f` is `protocol`'s,
/// `core[abc]::fmt::write` is `core`'s; for a generic or built-in type it is the trait's
/// (`<T as serde_core::de::Expected>::fmt` is `serde_core`'s, `<u64>::_fmt` is `core`'s).
fn owner(item: &str) -> &str {
    let first = leading_crate(item);
    if first.len() > 1 && !BUILT_IN_TYPES.contains(&first) {
        return first;
    }
    match item.split_once(" as ") {
        Some((_, the_trait)) => leading_crate(the_trait),
        None => "core",
    }
}

/// The first name of `path`, without brackets, references and a crate's hash.
fn leading_crate(path: &str) -> &str {
    let path = path
        .trim_start_matches('<')
        .trim_start_matches("&mut ")
        .trim_start_matches('&')
        .trim_start_matches("dyn ");
    let first = path.split("::").next().unwrap_or_default();
    first.split(['[', '>', ' ']).next().unwrap_or_default()
}

/// Types named without a crate in twiggy's names.
const BUILT_IN_TYPES: &[&str] = &[
    "bool", "char", "str", "u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32", "i64",
    "i128", "isize", "f32", "f64",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_item_belongs_to_the_crate_its_name_starts_from() {
        assert_eq!(
            owner(
                "<protocol::_::<impl serde_core::de::Deserialize for protocol::Reply>::deserialize::__Visitor as serde_core::de::Visitor>::visit_enum::h1"
            ),
            "protocol"
        );
        assert_eq!(owner("core[c5930c85a12de822]::fmt::write"), "core");
        assert_eq!(
            owner(
                "<&mut serde_json::de::Deserializer<R> as serde_core::de::Deserializer>::deserialize_map::h2"
            ),
            "serde_json"
        );
        assert_eq!(
            owner("<T as serde_core::de::Expected>::fmt::h4"),
            "serde_core"
        );
        assert_eq!(owner("<u64>::_fmt::h5"), "core");
        assert_eq!(owner("<char>::escape_debug_ext"), "core");
        assert_eq!(part_of("\"function names\" subsection"), None);
        assert_eq!(
            part_of("client_wasm::services::ws::Connection::drive::h3"),
            Some("the app's pages and state (client-wasm)")
        );
    }
}
