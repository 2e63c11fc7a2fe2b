//! Customers' session tokens, which the core knows only by their hash.

use sha2::{Digest, Sha256};

/// What the database keeps of a token: its SHA-256, so a stolen database proves nothing.
pub type TokenHash = [u8; 32];

pub fn token_hash(token: &str) -> TokenHash {
    Sha256::digest(token.as_bytes()).into()
}
