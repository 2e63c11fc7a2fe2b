//! The layout's rules, checked by tests rather than kept by habit (rust-analyzer's tidy): which
//! crate may depend on which, what a crate or folder must never name, and a `//!` header on
//! every file. The rules are read from ARCHITECTURE.md, so the document and the code cannot
//! drift apart without a test failing.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// One row of ARCHITECTURE.md's table of crates.
#[derive(Debug, Default)]
pub struct CrateRule {
    /// The workspace's crates it may depend on (normal, dev or build).
    pub may_use: BTreeSet<String>,
    /// Crates and names its manifest and sources must never mention.
    pub never: Vec<String>,
}

/// The rows of the markdown table under `heading` in `doc`: cells of each row, the header and
/// its rule line left out.
pub fn table_rows(doc: &str, heading: &str) -> Vec<Vec<String>> {
    let Some(start) = doc.find(heading) else {
        return Vec::new();
    };
    doc[start..]
        .lines()
        .skip(1)
        .skip_while(|line| !line.starts_with('|'))
        .take_while(|line| line.starts_with('|'))
        .skip(2)
        .map(|line| {
            line.trim_matches('|')
                .split('|')
                .map(|cell| cell.trim().to_owned())
                .collect()
        })
        .collect()
}

/// The names in a cell: comma-separated, backticks and a lone dash for "none" dropped.
fn names(cell: &str) -> Vec<String> {
    cell.split(',')
        .map(|name| name.trim().trim_matches('`').to_owned())
        .filter(|name| !name.is_empty() && name != "—" && name != "-")
        .collect()
}

/// The table of crates: crate → its rule.
pub fn crate_rules(doc: &str) -> BTreeMap<String, CrateRule> {
    table_rows(doc, "### The crates and what each may use")
        .into_iter()
        .filter(|row| row.len() == 3)
        .map(|row| {
            let rule = CrateRule {
                may_use: names(&row[1]).into_iter().collect(),
                never: names(&row[2]),
            };
            (row[0].trim_matches('`').to_owned(), rule)
        })
        .collect()
}

/// The table of folders: folder → the names its sources must never mention.
pub fn folder_rules(doc: &str) -> Vec<(String, Vec<String>)> {
    table_rows(doc, "### Folders and what they must never name")
        .into_iter()
        .filter(|row| row.len() == 2)
        .map(|row| (row[0].trim_matches('`').to_owned(), names(&row[1])))
        .collect()
}

/// Where `name` appears in `text` as code would name it: the crate as a path (`tokio::`,
/// `web_sys::`) or a dependency (`tokio =`), or the name as a whole word when it is a type.
pub fn mentions(text: &str, name: &str) -> bool {
    let as_path = name.replace('-', "_");
    let is_type = name.starts_with(|c: char| c.is_ascii_uppercase());
    text.lines().any(|line| {
        let code = line.trim_start();
        if code.starts_with("//") || code.starts_with('#') && !code.starts_with("#[") {
            return false;
        }
        if is_type {
            return words(code).any(|word| word == name);
        }
        code.contains(&format!("{as_path}::"))
            || code.starts_with(&format!("{name} ="))
            || code.starts_with(&format!("{name}."))
            || code.starts_with(&format!("use {as_path}"))
    })
}

fn words(line: &str) -> impl Iterator<Item = &str> {
    line.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
}

/// Every `.rs` file under `dir`, build output and installed tools left out.
pub fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return found;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        let skipped = [
            "target",
            "node_modules",
            "dist",
            ".git",
            "corpus",
            "artifacts",
        ];
        if path.is_dir() && !skipped.iter().any(|s| name == *s) {
            found.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
    found.sort();
    found
}

#[cfg(test)]
mod tests {
    use std::process::Command;

    use super::*;

    fn root() -> PathBuf {
        crate::project_root()
    }

    fn architecture() -> String {
        std::fs::read_to_string(root().join("ARCHITECTURE.md")).expect("ARCHITECTURE.md")
    }

    /// Each workspace crate with its folder and the workspace crates it depends on.
    fn workspace() -> Vec<(String, PathBuf, BTreeSet<String>)> {
        let output = Command::new(env!("CARGO"))
            .args([
                "metadata",
                "--format-version",
                "1",
                "--no-deps",
                "--offline",
            ])
            .current_dir(root())
            .output()
            .expect("running cargo metadata");
        assert!(output.status.success(), "cargo metadata failed");
        let metadata: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        let packages = metadata["packages"].as_array().unwrap();
        let members: BTreeSet<String> = packages
            .iter()
            .map(|p| p["name"].as_str().unwrap().to_owned())
            .collect();
        packages
            .iter()
            .map(|p| {
                let manifest = PathBuf::from(p["manifest_path"].as_str().unwrap());
                let uses = p["dependencies"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|d| d["name"].as_str().unwrap().to_owned())
                    .filter(|d| members.contains(d))
                    .collect();
                let name = p["name"].as_str().unwrap().to_owned();
                (name, manifest.parent().unwrap().to_owned(), uses)
            })
            .collect()
    }

    #[test]
    fn every_crate_is_in_the_table_and_depends_only_on_what_it_may() {
        let rules = crate_rules(&architecture());
        assert!(rules.len() >= 3, "ARCHITECTURE.md has no table of crates");
        for (name, _, uses) in workspace() {
            let rule = rules
                .get(&name)
                .unwrap_or_else(|| panic!("ARCHITECTURE.md's table of crates lacks `{name}`"));
            let forbidden: Vec<_> = uses.difference(&rule.may_use).collect();
            assert!(
                forbidden.is_empty(),
                "`{name}` depends on {forbidden:?}, which ARCHITECTURE.md does not allow it"
            );
        }
    }

    #[test]
    fn no_crate_names_what_it_must_never_name() {
        let rules = crate_rules(&architecture());
        for (name, dir, _) in workspace() {
            let rule = &rules[&name];
            let mut files = rust_files(&dir);
            files.push(dir.join("Cargo.toml"));
            for file in files {
                let text = std::fs::read_to_string(&file).unwrap();
                for never in &rule.never {
                    assert!(
                        !mentions(&text, never),
                        "{} names `{never}`, which `{name}` must never name",
                        file.display()
                    );
                }
            }
        }
    }

    #[test]
    fn no_folder_names_what_it_must_never_name() {
        let rules = folder_rules(&architecture());
        assert!(!rules.is_empty(), "ARCHITECTURE.md has no table of folders");
        for (folder, never) in rules {
            let files = rust_files(&root().join(&folder));
            assert!(!files.is_empty(), "`{folder}` has no Rust files");
            for file in files {
                let text = std::fs::read_to_string(&file).unwrap();
                for name in &never {
                    assert!(
                        !mentions(&text, name),
                        "{} names `{name}`, which `{folder}` must never name",
                        file.display()
                    );
                }
            }
        }
    }

    #[test]
    fn every_file_says_what_it_is_for() {
        for file in rust_files(&root()) {
            let text = std::fs::read_to_string(&file).unwrap();
            assert!(
                text.starts_with("//!"),
                "{} does not open with a `//!` line saying what it is for",
                file.display()
            );
        }
    }

    #[test]
    fn mentions_finds_code_and_skips_comments() {
        assert!(mentions("use tokio::sync::mpsc;", "tokio"));
        assert!(mentions("tokio = { version = \"1\" }", "tokio"));
        assert!(mentions("let e: web_sys::Event = e;", "web-sys"));
        assert!(mentions("let t = Instant::now();", "Instant"));
        assert!(!mentions("// no tokio:: here", "tokio"));
        assert!(!mentions("//! names no `SystemTime`", "SystemTime"));
        assert!(!mentions("let instantly = 1;", "Instant"));
        assert!(!mentions("tokio-tungstenite = \"0.29\"", "tokio"));
    }

    #[test]
    fn the_tables_are_read_as_written() {
        let doc = "### The crates and what each may use\n\n| crate | may use | never |\n\
                   | --- | --- | --- |\n| `a` | `b`, `c` | tokio, `Instant` |\n| `b` | — | |\n\n\
                   ### Folders and what they must never name\n\n| folder | never |\n| --- | --- |\n\
                   | `a/src/x` | yew |\n";
        let rules = crate_rules(doc);
        assert_eq!(rules["a"].may_use, ["b".into(), "c".into()].into());
        assert_eq!(rules["a"].never, ["tokio", "Instant"]);
        assert!(rules["b"].may_use.is_empty() && rules["b"].never.is_empty());
        assert_eq!(folder_rules(doc), [("a/src/x".into(), vec!["yew".into()])]);
    }
}
