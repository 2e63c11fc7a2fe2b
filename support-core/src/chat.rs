//! The chat itself: sending a line (once, however often a reconnecting page sends it), reading
//! the transcript, ending the session and the survey after it. One function per request.

use std::borrow::Cow;

use protocol::site::Problem;
use protocol::{
    ChatMessage, EndReason, ErrorCode, MAX_CHAT_CHARS, MAX_COMMENT_CHARS, MessageKind, Millis,
    Party, Reason, SessionId,
};

use super::{Core, Decision, Query, Refusal, SURVEY_WINDOW_MS, SurveyDue, Who, refuse, store};
use super::{refuse_field, refuse_for};
use crate::{Change, token_hash};

/// What a customer's `survey` carries.
pub(super) struct SurveyAnswer {
    pub token: String,
    pub rating: u8,
    pub resolved: bool,
    pub comment: String,
}

impl Core {
    /// `send_chat`: a line from either side; `nonce` makes sending it again harmless.
    pub(super) fn decide_send_chat(
        &self,
        now: Millis,
        who: &Who,
        session: SessionId,
        text: String,
        nonce: Option<u64>,
    ) -> Result<Decision, Refusal> {
        let (s, from, name) = self.member(who, session)?;
        if let Some(&(seq, at)) = nonce.and_then(|n| s.nonces.get(&n)) {
            // Sent again after a lost connection: it is stored already.
            return Ok(Decision::AlreadyStored { seq, at });
        }
        if s.rep.is_none() {
            return refuse_for(
                ErrorCode::WrongState,
                Reason::NoRepYet,
                "no rep has joined the session yet",
            );
        }
        // The line as sent, unless cleaning changed it.
        let cleaned = match crate::clean_text(&text) {
            Cow::Owned(cleaned) => Some(cleaned),
            Cow::Borrowed(_) => None,
        };
        let text = cleaned.unwrap_or(text);
        if text.trim().is_empty() {
            return refuse_field("text", Problem::Empty, "the message is empty");
        }
        if text.chars().count() > MAX_CHAT_CHARS {
            let problem = Problem::TooLong {
                max: MAX_CHAT_CHARS as u32,
            };
            let message = format!("the message is longer than {MAX_CHAT_CHARS} characters");
            return refuse_field("text", problem, message);
        }
        let message = ChatMessage {
            session,
            seq: s.last_seq + 1,
            from,
            name,
            text,
            at: now,
            kind: MessageKind::Text,
            file: None,
        };
        Ok(store(match nonce {
            Some(nonce) => Change::ChatOnce { message, nonce },
            None => Change::Chat(message),
        }))
    }

    /// `history`: the transcript after `after_seq`, for the session's two sides only.
    pub(super) fn decide_history(
        &self,
        who: &Who,
        session: SessionId,
        after_seq: u64,
    ) -> Result<Query, Refusal> {
        self.member(who, session)?;
        Ok(Query::History { session, after_seq })
    }

    /// `end_session`: either side ends it; a customer leaving after a notice skips the survey.
    pub(super) fn decide_end(
        &self,
        now: Millis,
        who: &Who,
        session: SessionId,
        after_notice: bool,
    ) -> Result<Decision, Refusal> {
        let (_, by, _) = self.member(who, session)?;
        let reason = match (by, after_notice) {
            (Party::Customer, true) => EndReason::Notice,
            _ => EndReason::Ended,
        };
        Ok(store(Change::Ended {
            session,
            by: Some(by),
            reason,
            at: now,
        }))
    }

    /// `survey`: once per served session, within its hour, from whoever holds its token.
    pub(super) fn decide_survey(
        &self,
        now: Millis,
        session: SessionId,
        answer: SurveyAnswer,
    ) -> Result<Decision, Refusal> {
        let due = self.surveys_due.get(&session);
        let open = |due: &SurveyDue| {
            due.token_hash == token_hash(&answer.token) && now - due.ended_at < SURVEY_WINDOW_MS
        };
        if !due.is_some_and(open) {
            return refuse(
                ErrorCode::NoSuchSession,
                format!("no survey is open for session {session}"),
            );
        }
        if !(1..=5).contains(&answer.rating) {
            let problem = Problem::OutOfRange { min: 1, max: 5 };
            return refuse_field("rating", problem, "the rating must be 1 to 5");
        }
        let comment = crate::clean_text(&answer.comment);
        let comment = comment.trim();
        if comment.chars().count() > MAX_COMMENT_CHARS {
            let problem = Problem::TooLong {
                max: MAX_COMMENT_CHARS as u32,
            };
            let message = format!("the comment is longer than {MAX_COMMENT_CHARS} characters");
            return refuse_field("comment", problem, message);
        }
        Ok(store(Change::Survey {
            session,
            rating: answer.rating,
            resolved: answer.resolved,
            comment: comment.to_owned(),
            at: now,
        }))
    }
}
