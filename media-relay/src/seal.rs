//! Recordings encrypted at rest: each recording has a key of its own (AES-256-GCM) that seals
//! its segments, and is itself kept only wrapped by the server's master key (AES-256-GCM
//! again, a fresh nonce each time). Deleting a recording's wrapped key destroys the recording,
//! even in backups of its segments. ring does the cryptography.

use ring::aead::{AES_256_GCM, Aad, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use ring::rand::{SecureRandom, SystemRandom};

/// The bytes of a key.
pub const KEY_LEN: usize = 32;

/// Something could not be opened: the wrong key, or bytes changed.
#[derive(Debug, thiserror::Error)]
#[error("cannot be opened with this key, or was changed")]
pub struct Unopenable;

/// The server's key, which wraps every recording's key.
pub struct MasterKey(LessSafeKey);

impl std::fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MasterKey(…)")
    }
}

impl MasterKey {
    pub fn new(bytes: &[u8; KEY_LEN]) -> MasterKey {
        MasterKey(aes_key(bytes))
    }

    /// `key` wrapped for the recording named `recording`: a random nonce and the sealed key.
    pub fn wrap(&self, key: &RecordingKey, recording: &str) -> Vec<u8> {
        let mut nonce = [0; NONCE_LEN];
        SystemRandom::new()
            .fill(&mut nonce)
            .expect("the system's random source");
        let mut sealed = key.bytes.to_vec();
        self.0
            .seal_in_place_append_tag(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(recording.as_bytes()),
                &mut sealed,
            )
            .expect("a key is far below AES-GCM's limit");
        [nonce.as_slice(), &sealed].concat()
    }

    /// The recording's key from what [`MasterKey::wrap`] gave for the same recording.
    pub fn unwrap(&self, wrapped: &[u8], recording: &str) -> Result<RecordingKey, Unopenable> {
        let (nonce, sealed) = wrapped.split_at_checked(NONCE_LEN).ok_or(Unopenable)?;
        let nonce = Nonce::try_assume_unique_for_key(nonce).map_err(|_| Unopenable)?;
        let mut sealed = sealed.to_vec();
        let opened = self
            .0
            .open_in_place(nonce, Aad::from(recording.as_bytes()), &mut sealed)
            .map_err(|_| Unopenable)?;
        let bytes: [u8; KEY_LEN] = opened.try_into().map_err(|_| Unopenable)?;
        Ok(RecordingKey::from_bytes(bytes))
    }
}

/// One recording's key. Segment `n` is sealed with the nonce `n`: each key seals one
/// recording's segments, each once.
pub struct RecordingKey {
    bytes: [u8; KEY_LEN],
    key: LessSafeKey,
}

impl RecordingKey {
    pub fn random() -> RecordingKey {
        let mut bytes = [0; KEY_LEN];
        SystemRandom::new()
            .fill(&mut bytes)
            .expect("the system's random source");
        RecordingKey::from_bytes(bytes)
    }

    fn from_bytes(bytes: [u8; KEY_LEN]) -> RecordingKey {
        RecordingKey {
            key: aes_key(&bytes),
            bytes,
        }
    }

    /// Segment `index`, sealed; its index is bound in, so segments cannot be swapped.
    pub fn seal(&self, index: u32, mut segment: Vec<u8>) -> Vec<u8> {
        self.key
            .seal_in_place_append_tag(segment_nonce(index), segment_aad(index), &mut segment)
            .expect("a segment is far below AES-GCM's limit");
        segment
    }

    pub fn open(&self, index: u32, mut sealed: Vec<u8>) -> Result<Vec<u8>, Unopenable> {
        let len = self
            .key
            .open_in_place(segment_nonce(index), segment_aad(index), &mut sealed)
            .map_err(|_| Unopenable)?
            .len();
        sealed.truncate(len);
        Ok(sealed)
    }
}

fn aes_key(bytes: &[u8; KEY_LEN]) -> LessSafeKey {
    LessSafeKey::new(UnboundKey::new(&AES_256_GCM, bytes).expect("a 256-bit key"))
}

fn segment_nonce(index: u32) -> Nonce {
    let mut nonce = [0; NONCE_LEN];
    nonce[NONCE_LEN - 4..].copy_from_slice(&index.to_be_bytes());
    Nonce::assume_unique_for_key(nonce)
}

fn segment_aad(index: u32) -> Aad<[u8; 4]> {
    Aad::from(index.to_be_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wrapped_key_opens_its_own_segments_only_under_the_master_key_that_wrapped_it() {
        let master = MasterKey::new(&[7; KEY_LEN]);
        let key = RecordingKey::random();
        let wrapped = master.wrap(&key, "rec-1");
        let sealed = key.seal(3, b"webm bytes".to_vec());
        assert!(!sealed.windows(4).any(|w| w == b"webm"), "sealed in clear");

        let again = master.unwrap(&wrapped, "rec-1").unwrap();
        assert_eq!(again.open(3, sealed.clone()).unwrap(), b"webm bytes");
        assert!(again.open(4, sealed.clone()).is_err(), "another index");
        assert!(
            master.unwrap(&wrapped, "rec-2").is_err(),
            "another recording"
        );
        let other = MasterKey::new(&[8; KEY_LEN]);
        assert!(
            other.unwrap(&wrapped, "rec-1").is_err(),
            "another master key"
        );
        let mut changed = sealed;
        changed[0] ^= 1;
        assert!(again.open(3, changed).is_err(), "a changed byte");
    }
}
