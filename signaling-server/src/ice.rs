//! The STUN and TURN servers the browsers use for screen sharing, with TURN credentials by the
//! TURN REST scheme: the user name is `expiry:who`, the password the base64 HMAC-SHA1 of that
//! name under the secret shared with the TURN server (coturn's `use-auth-secret`). The TURN
//! server checks both without asking us, and refuses the name once its time has passed.

use base64::Engine;
use hmac::{Hmac, Mac};
use protocol::IceServer;
use sha1::Sha1;

/// The longest a TURN credential lives.
pub const MAX_TURN_TTL_SECS: u64 = 3600;

/// What the command line says about ICE servers.
#[derive(Debug, Clone, Default)]
pub struct IceConfig {
    /// `stun:` addresses.
    pub stun: Vec<String>,
    /// `turn:` or `turns:` addresses of one TURN service sharing `turn_secret`.
    pub turn: Vec<String>,
    pub turn_secret: Option<String>,
    /// How long a TURN credential lives; at most [`MAX_TURN_TTL_SECS`].
    pub turn_ttl_secs: u64,
}

impl IceConfig {
    /// The servers for `who` (a session or a rep) at `now_secs` since the epoch.
    pub fn servers(&self, who: &str, now_secs: u64) -> Vec<IceServer> {
        let mut servers = Vec::new();
        if !self.stun.is_empty() {
            servers.push(IceServer {
                urls: self.stun.clone(),
                username: None,
                credential: None,
            });
        }
        if let (false, Some(secret)) = (self.turn.is_empty(), &self.turn_secret) {
            let ttl = self.turn_ttl_secs.clamp(60, MAX_TURN_TTL_SECS);
            let username = format!("{}:{who}", now_secs + ttl);
            servers.push(IceServer {
                urls: self.turn.clone(),
                credential: Some(turn_password(secret, &username)),
                username: Some(username),
            });
        }
        servers
    }
}

/// base64(HMAC-SHA1(secret, username)), as coturn computes it.
pub fn turn_password(secret: &str, username: &str) -> String {
    let mut mac =
        Hmac::<Sha1>::new_from_slice(secret.as_bytes()).expect("HMAC takes a key of any length");
    mac.update(username.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_is_the_rfc_2104_hmac_sha1_in_base64() {
        // RFC 2202, test case 2.
        assert_eq!(
            turn_password("Jefe", "what do ya want for nothing?"),
            base64::engine::general_purpose::STANDARD
                .encode(hex("effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"))
        );
    }

    fn hex(text: &str) -> Vec<u8> {
        (0..text.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
            .collect()
    }

    #[test]
    fn credentials_expire_within_the_hour_and_name_who_has_them() {
        let config = IceConfig {
            stun: vec!["stun:127.0.0.1:3478".into()],
            turn: vec!["turn:127.0.0.1:3478".into()],
            turn_secret: Some("s3cret".into()),
            turn_ttl_secs: 86_400,
        };
        let servers = config.servers("s7", 1_000);
        assert_eq!(servers.len(), 2);
        let turn = &servers[1];
        assert_eq!(turn.username.as_deref(), Some("4600:s7"));
        assert_eq!(
            turn.credential.as_deref(),
            Some(turn_password("s3cret", "4600:s7").as_str())
        );
        let without_secret = IceConfig {
            turn_secret: None,
            ..config
        };
        assert_eq!(
            without_secret.servers("s7", 1_000).len(),
            1,
            "no TURN without its secret"
        );
    }
}
