//! The way in and the queue: the handshake, a customer joining (with a rep's session key or
//! without), a rep taking a customer, a rep's presence, session keys and notices to waiting
//! customers. One function per request, each checking it against the state.

use protocol::site::Problem;
use protocol::{
    Consent, ErrorCode, Lang, MAX_NAME_CHARS, MAX_PROBLEM_CHARS, Millis, NoticeId,
    PROTOCOL_VERSION, Reason, SessionId,
};

use super::{Attach, Core, Decision, KEY_LIFETIME_MS, Refusal, Who, refuse, store};
use super::{refuse_field, refuse_for};
use crate::{Change, NewSession, SessionKey, clean_name, clean_text, token_hash};

/// The letters of a session key: no 0/O or 1/I/L to mix up when it is read out on the phone.
const KEY_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
const KEY_LEN: usize = 6;

/// What a customer's `start_chat` carries.
pub(super) struct Joining {
    pub name: String,
    pub problem: String,
    pub lang: Lang,
    pub recording: Option<bool>,
    pub key: Option<String>,
}

impl Core {
    /// `hello`: who this connection is, as its sign-in cookie and its token say.
    pub(super) fn decide_hello(
        &self,
        who: &Who,
        version: u32,
        token: Option<String>,
        as_rep: bool,
        page: Option<u64>,
    ) -> Result<Decision, Refusal> {
        let Who::Greeting { rep } = who else {
            return refuse(ErrorCode::HandshakeRequired, "hello was sent already");
        };
        if version != PROTOCOL_VERSION {
            return refuse(
                ErrorCode::UnsupportedVersion,
                format!(
                    "protocol version {version} is not supported; this server speaks {PROTOCOL_VERSION}"
                ),
            );
        }
        if as_rep {
            return match rep {
                Some(rep) => Ok(Decision::Attach(Attach::Rep(rep.clone()))),
                None => refuse(
                    ErrorCode::NotSignedIn,
                    "sign in first: no valid rep sign-in",
                ),
            };
        }
        let session = token.and_then(|t| self.tokens.get(&token_hash(&t)).copied());
        Ok(Decision::Attach(match session {
            Some(session) => Attach::Customer { session, page },
            None => Attach::Visitor { page },
        }))
    }

    /// `start_chat`: a visitor joins the queue, or a rep's own line with their key.
    pub(super) fn decide_start_chat(
        &self,
        now: Millis,
        who: &Who,
        joining: Joining,
        new_token: impl FnOnce() -> String,
    ) -> Result<Decision, Refusal> {
        match who {
            Who::Visitor => {}
            Who::Customer(_) => {
                return refuse_for(
                    ErrorCode::WrongState,
                    Reason::InSessionAlready,
                    "this connection has a session already",
                );
            }
            _ => return refuse(ErrorCode::Forbidden, "reps cannot join the queue"),
        }
        let name = checked_text("name", &clean_name(&joining.name), MAX_NAME_CHARS)?;
        let problem = checked_text("problem", &clean_text(&joining.problem), MAX_PROBLEM_CHARS)?;
        let key = match joining.key.as_deref().map(normalize_key) {
            None => None,
            Some(k) if k.is_empty() => None,
            Some(k) => match self.keys.get(&k) {
                Some(found) if found.expires_at > now => Some(found.clone()),
                _ => {
                    return refuse_for(
                        ErrorCode::InvalidInput,
                        Reason::UnknownKey,
                        "the session key is unknown or has expired",
                    );
                }
            },
        };
        let token = new_token();
        let change = Change::Queued(NewSession {
            id: self.next_session,
            token_hash: token_hash(&token),
            name,
            problem,
            queued_at: now,
            lang: joining.lang,
            recording: joining
                .recording
                .map(|allowed| Consent { allowed, at: now }),
            for_rep: key.as_ref().map(|k| k.rep),
            key: key.map(|k| k.key),
        });
        Ok(Decision::Store {
            change,
            token: Some(token),
        })
    }

    /// `accept`: a rep takes a waiting customer.
    pub(super) fn decide_accept(
        &self,
        now: Millis,
        who: &Who,
        session: SessionId,
    ) -> Result<Decision, Refusal> {
        let rep = self.rep(who, "accept a customer")?;
        let Some(s) = self.sessions.get(&session) else {
            return refuse(
                ErrorCode::NoSuchSession,
                format!("session {session} is not waiting"),
            );
        };
        if s.rep.is_some() {
            return refuse_for(
                ErrorCode::WrongState,
                Reason::TakenByAnother,
                "another rep has taken this customer",
            );
        }
        if s.new.for_rep.is_some_and(|r| r != rep.id) {
            return refuse_for(
                ErrorCode::Forbidden,
                Reason::AnotherRepsKey,
                "this customer came with another rep's session key",
            );
        }
        Ok(store(Change::Accepted {
            session,
            rep: rep.id,
            rep_name: rep.name.clone(),
            at: now,
        }))
    }

    /// `create_key`: a rep's one-time key for a customer to reach them.
    pub(super) fn decide_create_key(
        &self,
        now: Millis,
        who: &Who,
        new_token: impl FnOnce() -> String,
    ) -> Result<Decision, Refusal> {
        let rep = self.rep(who, "create a session key")?;
        let key = short_key(&new_token());
        if self.keys.contains_key(&key) {
            return refuse(ErrorCode::Internal, "key collision; try again");
        }
        Ok(store(Change::KeyIssued(SessionKey {
            key,
            rep: rep.id,
            created_at: now,
            expires_at: now + KEY_LIFETIME_MS,
        })))
    }

    /// `set_presence`: a rep is available or away.
    pub(super) fn decide_presence(&self, who: &Who, available: bool) -> Result<Decision, Refusal> {
        let rep = self.rep(who, "set a presence")?;
        Ok(Decision::Presence {
            rep: rep.id,
            available,
        })
    }

    /// `send_notice`: a rep shows a waiting customer one of the admin's notices.
    pub(super) fn decide_send_notice(
        &self,
        who: &Who,
        session: SessionId,
        notice: NoticeId,
    ) -> Result<Decision, Refusal> {
        let rep = self.rep(who, "send a notice")?;
        let waiting = self.queue.contains(&session)
            && self.sessions[&session]
                .new
                .for_rep
                .is_none_or(|r| r == rep.id);
        if !waiting {
            return refuse(
                ErrorCode::NoSuchSession,
                format!("session {session} is not waiting in your queue"),
            );
        }
        match self.notices.iter().find(|n| n.id == notice) {
            Some(n) if n.draft.active => Ok(Decision::SendNotice {
                session,
                notice: n.clone(),
            }),
            _ => refuse(
                ErrorCode::NoSuchNotice,
                format!("there is no active notice {notice}"),
            ),
        }
    }
}

/// A key as typed: without spaces or dashes, in capitals.
fn normalize_key(key: &str) -> String {
    key.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// A short key from a random token: each of its base64 characters (six random bits) picks a
/// letter. The picks are not quite even (64 over 31 letters), which costs under a bit of the
/// key's 29: enough, as a key lives minutes and only routes to a rep.
fn short_key(token: &str) -> String {
    token
        .bytes()
        .take(KEY_LEN)
        .map(|b| KEY_ALPHABET[usize::from(b) % KEY_ALPHABET.len()] as char)
        .collect()
}

/// `text` trimmed, if it is not empty and not longer than `max` characters.
fn checked_text(field: &str, text: &str, max: usize) -> Result<String, Refusal> {
    let text = text.trim();
    if text.is_empty() {
        return refuse_field(field, Problem::Empty, format!("the {field} is empty"));
    }
    if text.chars().count() > max {
        let problem = Problem::TooLong { max: max as u32 };
        let message = format!("the {field} is longer than {max} characters");
        return refuse_field(field, problem, message);
    }
    Ok(text.to_owned())
}
