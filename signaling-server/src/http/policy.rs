//! What the browser is told to allow: which sites may frame the chat, what a page may load, and
//! how long assets may be cached.
//!
//! The chat page may be framed by the sites the admin allows ([`EmbedSites`]); the rep console
//! and the admin page by no one. Pages may run only their own scripts: Trunk's inline start-up
//! script is allowed by its SHA-256 hash, worked out from the page served.

use std::sync::{Arc, RwLock};

use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use base64::Engine as _;
use sha2::{Digest, Sha256};

/// The sites whose pages may embed the chat widget, as the admin last saved them. Read on every
/// page load and WebSocket upgrade, written when the settings change.
#[derive(Clone, Default)]
pub struct EmbedSites(Arc<RwLock<Arc<[String]>>>);

impl EmbedSites {
    pub fn new(origins: Vec<String>) -> EmbedSites {
        EmbedSites(Arc::new(RwLock::new(origins.into())))
    }

    pub fn set(&self, origins: Vec<String>) {
        *self.0.write().unwrap_or_else(|e| e.into_inner()) = origins.into();
    }

    pub fn list(&self) -> Arc<[String]> {
        self.0.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub fn allows(&self, origin: &str) -> bool {
        self.list().iter().any(|allowed| allowed == origin)
    }
}

/// Who may show a page in a frame.
pub enum Framing<'a> {
    /// This server's own pages and the listed sites (the customer's chat).
    Sites(&'a [String]),
    /// No one (the rep console and the admin page).
    Nobody,
}

/// The Content-Security-Policy of an app page whose HTML is `html`.
pub fn page_csp(html: &str, framing: Framing<'_>) -> String {
    let scripts: String = inline_scripts(html)
        .map(|script| {
            let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(script));
            format!(" 'sha256-{hash}'")
        })
        .collect();
    let ancestors = match framing {
        Framing::Sites(sites) => std::iter::once("'self'")
            .chain(sites.iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join(" "),
        Framing::Nobody => "'none'".to_owned(),
    };
    // Styles: Yew writes `style` attributes (text size, progress bars). Media and images: the
    // shared screen and downloads are blob: URLs, the receipt a data: URL.
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{scripts}; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; media-src 'self' blob:; \
         connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
         frame-ancestors {ancestors}"
    )
}

/// The text of every `<script>` without a `src` in `html`.
fn inline_scripts(html: &str) -> impl Iterator<Item = &str> {
    html.split("<script").skip(1).filter_map(|rest| {
        let (attributes, rest) = rest.split_once('>')?;
        let (body, _) = rest.split_once("</script>")?;
        (!attributes.contains("src=")).then_some(body)
    })
}

/// The usual headers on every response, unless a route set its own: no MIME sniffing, no
/// referrer to other sites, nothing to frame or run in an API answer; and a year's caching for
/// Trunk's assets, whose names change with their content.
pub async fn headers(request: Request, next: Next) -> Response {
    let caching = caching(request.uri().path());
    let is_loader = request.uri().path() == EMBED_LOADER_PATH;
    let mut response = next.run(request).await;
    let success = response.status().is_success();
    let headers = response.headers_mut();
    let set = |headers: &mut axum::http::HeaderMap, name: HeaderName, value| {
        headers
            .entry(name)
            .or_insert(HeaderValue::from_static(value));
    };
    set(headers, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(headers, header::REFERRER_POLICY, "no-referrer");
    set(
        headers,
        header::CONTENT_SECURITY_POLICY,
        "default-src 'none'; frame-ancestors 'none'",
    );
    if let Some(caching) = caching
        && success
    {
        set(headers, header::CACHE_CONTROL, caching);
    }
    if is_loader && success {
        // Host sites may measure what the loader costs their pages.
        set(headers, HeaderName::from_static("timing-allow-origin"), "*");
    }
    response
}

/// How long an asset may be kept: Trunk's for good; the embed loader, whose address host sites
/// keep, only while it is unchanged.
fn caching(path: &str) -> Option<&'static str> {
    if path == EMBED_LOADER_PATH {
        Some("no-cache")
    } else if is_hashed_asset(path) {
        Some("public, max-age=31536000, immutable")
    } else {
        None
    }
}

/// The loader a host site includes with a `<script>`.
pub const EMBED_LOADER_PATH: &str = "/embed.js";

/// `/client-wasm-5bfba7039e28e6fb_bg.wasm`, `/app-cce605a88f3d45bb.css`: Trunk's hashed names.
fn is_hashed_asset(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    let stem = name
        .strip_suffix("_bg.wasm")
        .or_else(|| name.strip_suffix(".js"))
        .or_else(|| name.strip_suffix(".css"));
    stem.and_then(|stem| stem.rsplit_once('-'))
        .is_some_and(|(_, hash)| hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "<html><script type=module>import init from '/a.js';</script>\
                        <link href=/a.css><script src=/b.js></script></html>";

    #[test]
    fn inline_scripts_are_allowed_by_hash_and_nothing_else() {
        let scripts: Vec<_> = inline_scripts(PAGE).collect();
        assert_eq!(scripts, ["import init from '/a.js';"]);
        let csp = page_csp(PAGE, Framing::Nobody);
        let hash = base64::engine::general_purpose::STANDARD
            .encode(Sha256::digest("import init from '/a.js';"));
        assert!(csp.contains(&format!(
            "script-src 'self' 'wasm-unsafe-eval' 'sha256-{hash}';"
        )));
        let script_src = csp.split(';').find(|d| d.trim().starts_with("script-src"));
        assert!(!script_src.unwrap().contains("unsafe-inline"));
        assert!(csp.ends_with("frame-ancestors 'none'"));
    }

    #[test]
    fn the_chat_may_be_framed_by_the_listed_sites_only() {
        let sites = ["https://help.example.com".to_owned()];
        let csp = page_csp(PAGE, Framing::Sites(&sites));
        assert!(csp.ends_with("frame-ancestors 'self' https://help.example.com"));
        let embed = EmbedSites::new(sites.to_vec());
        assert!(embed.allows("https://help.example.com"));
        assert!(!embed.allows("https://help.example.com.evil.example"));
        embed.set(Vec::new());
        assert!(!embed.allows("https://help.example.com"));
    }

    #[test]
    fn only_trunks_hashed_names_are_cached_for_good() {
        assert!(is_hashed_asset("/client-wasm-5bfba7039e28e6fb_bg.wasm"));
        assert!(is_hashed_asset("/client-wasm-5bfba7039e28e6fb.js"));
        assert!(is_hashed_asset("/app-cce605a88f3d45bb.css"));
        assert!(!is_hashed_asset("/embed.js"));
        assert!(!is_hashed_asset("/index.html"));
        assert!(!is_hashed_asset("/app-cce605a88f3d45bz.css"));
        assert_eq!(caching("/embed.js"), Some("no-cache"));
        assert_eq!(caching("/api/me"), None);
    }
}
