//! The rep's view of one session: customer, problem, a handed-over note, chat, files and the
//! session's controls (message, "Nudge", "Send link", "Transfer", "End session") and screen
//! sharing.

use protocol::{FileId, Party, RepId, RepOnline, SessionId, ShareMode};
use web_sys::MediaStream;
use yew::prelude::*;

use crate::components::composer::Composer;
use crate::components::file_transfers::FileTransfers;
use crate::components::message_log::MessageLog;
use crate::components::peer_link::peer_link_note;
use crate::components::screen_share::ScreenShare;
use crate::components::send_link::SendLink;
use crate::components::transfer_form::TransferForm;
use crate::i18n::use_console_texts;
use client_core::rep::{Ending, RepSession};

#[derive(Properties, PartialEq)]
pub struct SessionPanelProps {
    pub session: RepSession,
    /// The other signed-in reps, who may take the session over.
    #[prop_or_default]
    pub reps: Vec<RepOnline>,
    pub onsend: Callback<String>,
    pub onend: Callback<SessionId>,
    /// Removes an ended session from the list.
    pub onclose: Callback<SessionId>,
    #[prop_or_default]
    pub onnudge: Callback<SessionId>,
    #[prop_or_default]
    pub onlink: Callback<(SessionId, String)>,
    #[prop_or_default]
    pub ontransfer: Callback<(SessionId, RepId, String)>,
    #[prop_or_default]
    pub onanswer: Callback<(SessionId, FileId, bool)>,
    /// The customer's messages up to this `seq` are shown.
    #[prop_or_default]
    pub onseen: Callback<(SessionId, u64)>,
    /// The customer's shared screen, once it arrived.
    #[prop_or_default]
    pub screen: Option<MediaStream>,
    /// The watermark over the shared screen, when the site wants one.
    #[prop_or_default]
    pub watermark: Option<AttrValue>,
    #[prop_or_default]
    pub onrequestshare: Callback<(SessionId, ShareMode)>,
    #[prop_or_default]
    pub onstopshare: Callback<SessionId>,
    #[prop_or_default]
    pub onretryshare: Callback<SessionId>,
}

#[function_component]
pub fn SessionPanel(props: &SessionPanelProps) -> Html {
    let t = use_console_texts();
    let info = &props.session.info;
    let session = info.session;
    let live = props.session.ending.is_none();
    let controls = match &props.session.ending {
        None => html! {
            <>
                <Composer onsend={props.onsend.clone()} />
                <div class="session-actions">
                    <button type="button" onclick={props.onnudge.reform(move |_| session)}>
                        { t.nudge }
                    </button>
                    <TransferForm reps={props.reps.clone()}
                        ontransfer={props.ontransfer.reform(move |(to, note)| (session, to, note))} />
                    <button type="button" class="danger" onclick={props.onend.reform(move |_| session)}>
                        { t.end_session }
                    </button>
                </div>
                <p class="nudge-status" role="alert">
                    if props.session.nudge_refused { { t.nudge_too_soon } }
                </p>
                <SendLink onsend={props.onlink.reform(move |url| (session, url))} />
            </>
        },
        Some(ending) => {
            let ended = match ending {
                Ending::By(Party::Customer) => t.ended_by_customer.to_string(),
                Ending::By(Party::Rep) => t.ended_by_you.to_string(),
                Ending::TransferredTo(name) => (t.handed_over_to)(name),
                Ending::ByServer | Ending::WhileAway => t.ended.to_string(),
                Ending::ConnectionLost => t.ended_connection_lost.to_string(),
            };
            html! {
                <>
                    <p class="ended" role="status">{ ended }</p>
                    <button type="button" onclick={props.onclose.reform(move |_| session)}>
                        { t.close_session }
                    </button>
                </>
            }
        }
    };
    let handover = info.handover.as_ref().map(|handover| {
        html! {
            <p class="handover-note">{ (t.handover_from)(&handover.from_name, &handover.note) }</p>
        }
    });
    // Only a live session's messages count as seen by this rep.
    let onseen = live.then(|| props.onseen.reform(move |seq| (session, seq)));
    let onanswer = props
        .onanswer
        .reform(move |(file, accept)| (session, file, accept));
    html! {
        <section class="panel" aria-labelledby="panel-title">
            <h3 id="panel-title">{ &info.customer_name }</h3>
            <p class="problem"><strong>{ t.problem_label }{ ": " }</strong>{ &info.problem }</p>
            { handover }
            if live {
                { peer_link_note(t, props.session.customer_link, &info.customer_name) }
            }
            <ScreenShare customer_name={info.customer_name.clone()}
                share={props.session.share.clone()} recorded={props.session.recorded}
                stream={props.screen.clone()}
                watermark={props.watermark.clone()} {live}
                onrequest={props.onrequestshare.reform(move |mode| (session, mode))}
                onstop={props.onstopshare.reform(move |_| session)}
                onretry={props.onretryshare.reform(move |_| session)} />
            <MessageLog log={props.session.log.clone()} me={Party::Rep}
                peer={info.customer_name.clone()} {onseen} />
            <FileTransfers transfers={props.session.files.clone()} me={Party::Rep}
                customer_name={info.customer_name.clone()} onanswer={live.then_some(onanswer)} />
            { controls }
        </section>
    }
}
