//! Secrets: rep passwords (argon2id) and the random tokens that prove a sign-in or a session.

use std::sync::LazyLock;

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

pub use protocol::api::MIN_PASSWORD_CHARS;
/// Sign-in tokens are hashed as the core hashes customers' session tokens.
pub use support_core::token_hash;

/// A new unguessable token: 256 random bits, URL-safe base64.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system's random source failed");
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The PHC string (algorithm, parameters, salt and hash) to store for `password`.
pub fn hash_password(password: &str) -> String {
    Argon2::default()
        .hash_password(password.as_bytes())
        .expect("argon2 with default parameters hashes any password")
        .to_string()
}

/// The threads that check sign-in passwords. Each check costs argon2's 19 MiB and tens of
/// milliseconds of a core, so only a few run at once, on threads kept for it (whose memory
/// the allocator then reuses), below every other thread and resting between checks; and only
/// a few more may wait: past that a sign-in is told to come back later instead of piling up
/// memory and starving the chat of CPU.
#[derive(Debug, Clone)]
pub struct PasswordChecks {
    waiting: std::sync::mpsc::SyncSender<Check>,
}

#[derive(Debug)]
struct Check {
    stored: Option<String>,
    password: String,
    done: tokio::sync::oneshot::Sender<bool>,
}

/// Every checking thread is busy and the queue is full.
#[derive(Debug, PartialEq, Eq)]
pub struct Busy;

impl PasswordChecks {
    /// Half the cores (at least one), so the other half keeps serving chats.
    pub fn default_threads() -> usize {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        (cores / 2).max(1)
    }

    /// `threads` check at once, and a few sign-ins per thread may wait.
    pub fn start(threads: usize) -> PasswordChecks {
        let threads = threads.max(1);
        PasswordChecks::with(threads, threads * 8)
    }

    /// `threads` check at once; `queue` more may wait. The threads end with the last clone.
    pub fn with(threads: usize, queue: usize) -> PasswordChecks {
        let (waiting, checks) = std::sync::mpsc::sync_channel::<Check>(queue);
        let checks = std::sync::Arc::new(std::sync::Mutex::new(checks));
        for n in 0..threads {
            let checks = checks.clone();
            std::thread::Builder::new()
                .name(format!("password-check-{n}"))
                .spawn(move || {
                    run_when_idle();
                    loop {
                        let next = checks.lock().unwrap_or_else(|e| e.into_inner()).recv();
                        let Ok(check) = next else { return };
                        let started = std::time::Instant::now();
                        let matches = verify_password(check.stored.as_deref(), &check.password);
                        let _ = check.done.send(matches);
                        // Rest as long as the check took, once its answer is out: a flood of
                        // sign-ins gets at most half of this thread's core, and argon2's
                        // 19 MiB leave the caches the chat uses half of the time.
                        std::thread::sleep(started.elapsed());
                    }
                })
                .expect("starting a password-check thread");
        }
        PasswordChecks { waiting }
    }

    /// Whether `password` matches `stored` (`None`: an unknown login, which never matches).
    pub async fn verify(&self, stored: Option<String>, password: String) -> Result<bool, Busy> {
        let (done, answer) = tokio::sync::oneshot::channel();
        self.waiting
            .try_send(Check {
                stored,
                password,
                done,
            })
            .map_err(|_| Busy)?;
        answer.await.map_err(|_| Busy)
    }
}

/// Puts the calling thread below every other (Linux's SCHED_IDLE): a sign-in may wait for a
/// core; a chat line should not wait for a sign-in, even in a flood of them.
fn run_when_idle() {
    use thread_priority::{
        NormalThreadSchedulePolicy, ThreadPriority, ThreadSchedulePolicy,
        set_thread_priority_and_policy, thread_native_id,
    };
    let idle = ThreadSchedulePolicy::Normal(NormalThreadSchedulePolicy::Idle);
    if let Err(error) =
        set_thread_priority_and_policy(thread_native_id(), ThreadPriority::Min, idle)
    {
        tracing::warn!(?error, "password checks run at normal priority");
    }
}

/// Whether `password` matches `stored`. Always does the full work, so that an unknown login
/// and a wrong password take the same time.
pub fn verify_password(stored: Option<&str>, password: &str) -> bool {
    static DUMMY: LazyLock<String> = LazyLock::new(|| hash_password("no such rep"));
    let matches = |phc: &str| {
        PasswordHash::new(phc).is_ok_and(|hash| {
            Argon2::default()
                .verify_password(password.as_bytes(), &hash)
                .is_ok()
        })
    };
    match stored {
        Some(phc) => matches(phc),
        None => {
            matches(&DUMMY);
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_verifies_against_its_own_hash_only() {
        let stored = hash_password("correct horse");
        assert!(stored.starts_with("$argon2id$"), "{stored}");
        assert!(verify_password(Some(&stored), "correct horse"));
        assert!(!verify_password(Some(&stored), "wrong horse"));
        assert!(!verify_password(None, "correct horse"));
        assert!(!verify_password(Some("not a hash"), "correct horse"));
    }

    #[tokio::test]
    async fn checks_past_the_queue_are_turned_away_not_piled_up() {
        let checks = PasswordChecks::with(1, 2);
        let stored = hash_password("correct horse");
        assert_eq!(
            checks
                .verify(Some(stored.clone()), "correct horse".into())
                .await,
            Ok(true)
        );
        let all = (0..10).map(|_| checks.verify(Some(stored.clone()), "wrong".into()));
        let answers = futures_util::future::join_all(all).await;
        let busy = answers.iter().filter(|a| **a == Err(Busy)).count();
        assert!(
            busy >= 6,
            "one checking, two waiting, the rest turned away: {answers:?}"
        );
        assert!(answers.iter().all(|a| *a != Ok(true)));
    }

    #[test]
    fn tokens_are_long_and_distinct() {
        let (a, b) = (new_token(), new_token());
        assert_eq!(a.len(), 43);
        assert_ne!(a, b);
        assert_ne!(token_hash(&a), token_hash(&b));
    }
}
