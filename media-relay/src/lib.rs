//! The server's side of a screen share that passes through it, without I/O: two WebRTC
//! connections, one answering the customer's page and one offering to the rep's, and the
//! customer's video packets forwarded from the first to the second as they came (no decoding,
//! no transcoding). The rep's requests for a new key frame go back to the customer. A relay
//! that records also turns the customer's packets into WebM segments ([`record`]), which the
//! runtime seals ([`seal`]) and stores.
//!
//! As the support core is, it is driven from outside on the caller's clock, in the manner of
//! webrtc-rs's own sans-I/O `rtc` crate that it wraps: [`Relay::handle_signal`],
//! [`Relay::handle_datagram`] and [`Relay::handle_timeout`] for what happened, then
//! [`Relay::poll_transmit`], [`Relay::poll_signal`] and [`Relay::poll_segment`] for what to do, and
//! [`Relay::poll_timeout`] for when to be woken. The runtime owns the sockets and the time.

pub mod record;
pub mod seal;

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::time::Instant;

use protocol::{Party, Signal};
use record::Recorder;
pub use record::Segment;
use rtc::interceptor::Registry;
use rtc::media_stream::{MediaStreamTrack, MediaStreamTrackId};
use rtc::peer_connection::RTCPeerConnection;
use rtc::peer_connection::RTCPeerConnectionBuilder;
use rtc::peer_connection::configuration::RTCConfigurationBuilder;
use rtc::peer_connection::configuration::interceptor_registry::register_default_interceptors;
use rtc::peer_connection::configuration::media_engine::{MIME_TYPE_VP8, MediaEngine};
use rtc::peer_connection::configuration::setting_engine::SettingEngineBuilder;
use rtc::peer_connection::event::{RTCPeerConnectionEvent, RTCTrackEvent};
use rtc::peer_connection::message::{RTCMessage, TaggedRTCMessage};
use rtc::peer_connection::sdp::RTCSessionDescription;
use rtc::peer_connection::state::RTCPeerConnectionState;
use rtc::peer_connection::transport::RTCDtlsRole;
use rtc::peer_connection::transport::{
    CandidateConfig, CandidateHostConfig, RTCIceCandidate, RTCIceCandidateInit,
};
use rtc::rtcp::payload_feedbacks::full_intra_request::FullIntraRequest;
use rtc::rtcp::payload_feedbacks::picture_loss_indication::PictureLossIndication;
use rtc::rtp;
use rtc::rtp::codec::vp8::Vp8Packet;
use rtc::rtp::packetizer::Depacketizer;
use rtc::rtp_transceiver::rtp_sender::{
    RTCRtpCodec, RTCRtpCodecParameters, RTCRtpCodingParameters, RTCRtpEncodingParameters,
    RtpCodecKind,
};
use rtc::rtp_transceiver::{RTCRtpReceiverId, RTCRtpSenderId};
use rtc::sansio::Protocol;
use rtc::shared::{TaggedBytesMut, TransportContext, TransportProtocol};

pub use rtc::shared::error::Error as RtcError;

/// Why the relay refused what it was given.
#[derive(Debug, thiserror::Error)]
pub enum RelayError {
    #[error("WebRTC: {0}")]
    Rtc(#[from] RtcError),
    /// A page sent what its role never sends (the rep an offer, the customer an answer).
    #[error("unexpected {0} from the {1:?}")]
    Unexpected(&'static str, Party),
}

pub type Result<T> = std::result::Result<T, RelayError>;

/// A datagram to send from the socket at `from` to `to`.
#[derive(Debug)]
pub struct Transmit {
    pub from: SocketAddr,
    pub to: SocketAddr,
    pub bytes: Vec<u8>,
}

/// The most packets held back for a rep not yet connected: a key frame of a sharp screen and
/// a second or two after it.
const MOST_HELD_BACK: usize = 2000;

/// How often the recorder's wish for a key frame is repeated while none comes.
const KEY_FRAME_REPEAT: std::time::Duration = std::time::Duration::from_secs(1);

/// Only VP8: the customer's page prefers better codecs where both sides have them, and the
/// answer settles on the one the relay offers the rep, so both legs carry the same bits.
const PAYLOAD_TYPE: u8 = 96;

/// One page's connection with the relay.
struct Leg {
    pc: RTCPeerConnection,
    /// The relay's socket for this leg, offered as its only candidate.
    local: SocketAddr,
    /// Candidates that came before the page's description, added once it is set.
    early: Vec<RTCIceCandidateInit>,
    described: bool,
}

impl Leg {
    fn new(now: Instant, local: SocketAddr) -> Result<Leg> {
        let mut media = MediaEngine::default();
        media.register_codec(vp8(), RtpCodecKind::Video)?;
        // NACKs, key frame requests, receiver and sender reports, and congestion feedback to
        // the customer, whose browser lowers its rate without it.
        let registry = register_default_interceptors(Registry::new(), &mut media)?;
        // ICE-lite: the browsers, full agents, check and nominate; the relay, reachable at its
        // one address, only answers. As the controlling side it took a second and more to
        // settle on the rep's pair, while the rep's DTLS hello waited. For the same reason the
        // relay's answer takes the DTLS server's part: the browser's hello comes as soon as
        // its own checks succeed.
        let settings = SettingEngineBuilder::new()
            .with_lite(true)
            .with_answering_dtls_role(RTCDtlsRole::Server)
            .build();
        let mut pc = RTCPeerConnectionBuilder::new()
            .with_configuration(RTCConfigurationBuilder::new().build())
            .with_setting_engine(settings)
            .with_media_engine(media)
            .with_interceptor_registry(registry)
            .build(now)?;
        let host = CandidateHostConfig {
            base_config: CandidateConfig {
                network: "udp".to_owned(),
                address: local.ip().to_string(),
                port: local.port(),
                component: 1,
                ..Default::default()
            },
            ..Default::default()
        }
        .new_candidate_host()?;
        pc.add_local_candidate(RTCIceCandidate::from(&host).to_json()?)?;
        Ok(Leg {
            pc,
            local,
            early: Vec::new(),
            described: false,
        })
    }

    fn candidate(&mut self, candidate: RTCIceCandidateInit) -> Result<()> {
        match self.described {
            true => self.pc.add_remote_candidate(candidate)?,
            false => self.early.push(candidate),
        }
        Ok(())
    }

    fn described(&mut self, now: Instant, description: RTCSessionDescription) -> Result<()> {
        self.pc.set_remote_description(now, description)?;
        self.described = true;
        for candidate in std::mem::take(&mut self.early) {
            self.pc.add_remote_candidate(candidate)?;
        }
        Ok(())
    }
}

fn vp8() -> RTCRtpCodecParameters {
    RTCRtpCodecParameters {
        rtp_codec: RTCRtpCodec {
            mime_type: MIME_TYPE_VP8.to_owned(),
            clock_rate: 90_000,
            channels: 0,
            sdp_fmtp_line: String::new(),
            rtcp_feedback: vec![],
        },
        payload_type: PAYLOAD_TYPE,
    }
}

/// The server between a customer sharing their screen and the rep watching it.
pub struct Relay {
    customer: Leg,
    rep: Leg,
    /// The rep's track, carrying the customer's packets under its own SSRC.
    to_rep: RTCRtpSenderId,
    to_rep_ssrc: u32,
    /// The customer's screen track: its id, receiver and SSRC, once its first packet came.
    screen: Option<(MediaStreamTrackId, RTCRtpReceiverId, u32)>,
    signals: VecDeque<(Party, Signal)>,
    /// The rep's connection is up: packets go to it.
    rep_connected: bool,
    recorder: Option<Recorder>,
    /// The customer's packets from its latest key frame on, while the rep is not connected:
    /// sent as it connects, its first picture comes without waiting for a new key frame.
    held_back: Vec<rtp::Packet>,
    /// When the customer was last asked for a key frame.
    key_frame_asked: Option<Instant>,
}

impl Relay {
    /// A relay with its customer side on the socket at `customer` and its rep side at `rep`;
    /// its offer to the rep is the first signal to send. `ssrc` names the rep's track (random
    /// in the runtime, fixed in tests). With `record`, it records the customer's video.
    pub fn new(
        now: Instant,
        customer: SocketAddr,
        rep: SocketAddr,
        ssrc: u32,
        record: bool,
    ) -> Result<Relay> {
        let customer = Leg::new(now, customer)?;
        let mut rep = Leg::new(now, rep)?;
        let track = MediaStreamTrack::new(
            "screen".to_owned(),
            "screen-video".to_owned(),
            "screen".to_owned(),
            RtpCodecKind::Video,
            vec![RTCRtpEncodingParameters {
                rtp_coding_parameters: RTCRtpCodingParameters {
                    ssrc: Some(ssrc),
                    ..Default::default()
                },
                codec: vp8().rtp_codec,
                ..Default::default()
            }],
        );
        let to_rep = rep.pc.add_track(track)?;
        let offer = rep.pc.create_offer(None)?;
        rep.pc.set_local_description(now, offer.clone())?;
        let mut relay = Relay {
            customer,
            rep,
            to_rep,
            to_rep_ssrc: ssrc,
            screen: None,
            signals: VecDeque::new(),
            rep_connected: false,
            recorder: record.then(Recorder::new),
            held_back: Vec::new(),
            key_frame_asked: None,
        };
        relay
            .signals
            .push_back((Party::Rep, Signal::Offer { sdp: offer.sdp }));
        Ok(relay)
    }

    /// A page's signaling: the customer's offer (answered at once) and candidates, the rep's
    /// answer and candidates.
    pub fn handle_signal(&mut self, now: Instant, from: Party, signal: Signal) -> Result<()> {
        match (from, signal) {
            (Party::Customer, Signal::Offer { sdp }) => {
                self.customer
                    .described(now, RTCSessionDescription::offer(sdp)?)?;
                let answer = self.customer.pc.create_answer(None)?;
                self.customer
                    .pc
                    .set_local_description(now, answer.clone())?;
                let signal = Signal::Answer { sdp: answer.sdp };
                self.signals.push_back((Party::Customer, signal));
            }
            (Party::Rep, Signal::Answer { sdp }) => {
                self.rep
                    .described(now, RTCSessionDescription::answer(sdp)?)?;
            }
            (
                from,
                Signal::Candidate {
                    candidate,
                    sdp_mid,
                    sdp_m_line_index,
                },
            ) => {
                // The end of candidates: nothing to add.
                if candidate.is_empty() {
                    return Ok(());
                }
                let init = RTCIceCandidateInit {
                    candidate,
                    sdp_mid,
                    sdp_mline_index: sdp_m_line_index,
                    ..Default::default()
                };
                self.leg_of(from).candidate(init)?;
            }
            (from, Signal::Offer { .. }) => return Err(RelayError::Unexpected("offer", from)),
            (from, Signal::Answer { .. }) => return Err(RelayError::Unexpected("answer", from)),
        }
        self.pump(now)
    }

    /// A datagram that arrived at the relay's socket `local` from `from`.
    pub fn handle_datagram(
        &mut self,
        now: Instant,
        local: SocketAddr,
        from: SocketAddr,
        bytes: &[u8],
    ) -> Result<()> {
        let leg = match local == self.customer.local {
            true => &mut self.customer,
            false => &mut self.rep,
        };
        leg.pc.handle_read(TaggedBytesMut {
            now,
            transport: TransportContext {
                local_addr: local,
                peer_addr: from,
                ecn: None,
                transport_protocol: TransportProtocol::UDP,
            },
            message: bytes.into(),
        })?;
        self.pump(now)
    }

    pub fn handle_timeout(&mut self, now: Instant) -> Result<()> {
        for leg in [&mut self.customer, &mut self.rep] {
            if leg.pc.poll_timeout().is_some_and(|at| at <= now) {
                leg.pc.handle_timeout(now)?;
            }
        }
        self.pump(now)
    }

    /// When [`Relay::handle_timeout`] is next due.
    pub fn poll_timeout(&mut self) -> Option<Instant> {
        let customer = self.customer.pc.poll_timeout();
        let rep = self.rep.pc.poll_timeout();
        customer.into_iter().chain(rep).min()
    }

    pub fn poll_transmit(&mut self) -> Option<Transmit> {
        for leg in [&mut self.customer, &mut self.rep] {
            if let Some(out) = leg.pc.poll_write() {
                return Some(Transmit {
                    from: leg.local,
                    to: out.transport.peer_addr,
                    bytes: out.message.to_vec(),
                });
            }
        }
        None
    }

    /// Signaling for a page: to `Party::Customer` as the rep's, to `Party::Rep` as the
    /// customer's.
    pub fn poll_signal(&mut self) -> Option<(Party, Signal)> {
        self.signals.pop_front()
    }

    /// A finished segment of the recording.
    pub fn poll_segment(&mut self) -> Option<Segment> {
        self.recorder.as_mut()?.poll_segment()
    }

    /// Whether the recording's first frame is in.
    pub fn recording_began(&self) -> bool {
        self.recorder.as_ref().is_some_and(Recorder::began)
    }

    /// How long the recording runs so far, if the relay records.
    pub fn recorded_ms(&self) -> Option<u64> {
        self.recorder.as_ref().map(Recorder::duration_ms)
    }

    /// Ends the connections and, if it records, the recording: its last segment follows.
    pub fn close(&mut self, now: Instant) {
        if let Some(recorder) = &mut self.recorder {
            recorder.finish(now);
        }
        for leg in [&mut self.customer, &mut self.rep] {
            let _ = leg.pc.close();
        }
        self.rep_connected = false;
    }

    fn leg_of(&mut self, party: Party) -> &mut Leg {
        match party {
            Party::Customer => &mut self.customer,
            Party::Rep => &mut self.rep,
        }
    }

    /// Takes in what both connections made of the last input: the customer's packets go to
    /// the rep, the rep's key frame requests to the customer.
    fn pump(&mut self, now: Instant) -> Result<()> {
        while let Some(event) = self.customer.pc.poll_event() {
            if let RTCPeerConnectionEvent::OnTrack(RTCTrackEvent::OnOpen(init)) = event {
                self.screen = Some((init.track_id, init.receiver_id, init.ssrc));
            }
        }
        while let Some(event) = self.rep.pc.poll_event() {
            if let RTCPeerConnectionEvent::OnConnectionStateChangeEvent(state) = event {
                let was = self.rep_connected;
                self.rep_connected = match state {
                    RTCPeerConnectionState::Connected => true,
                    RTCPeerConnectionState::Disconnected
                    | RTCPeerConnectionState::Failed
                    | RTCPeerConnectionState::Closed => false,
                    _ => was,
                };
                // The rep's decoder starts from a key frame: the one held back if there is one,
                // else a new one.
                if !was && self.rep_connected {
                    match self.held_back.is_empty() {
                        true => self.ask_key_frame(now)?,
                        false => {
                            for packet in std::mem::take(&mut self.held_back) {
                                self.send_to_rep(now, packet)?;
                            }
                        }
                    }
                }
            }
        }
        while let Some(TaggedRTCMessage { message, .. }) = self.customer.pc.poll_read() {
            if let RTCMessage::RtpPacket(track, packet) = message
                && self
                    .screen
                    .as_ref()
                    .is_some_and(|(screen, ..)| *screen == track)
            {
                self.forward(now, packet)?;
            }
        }
        let mut key_frame_wanted = false;
        while let Some(TaggedRTCMessage { message, .. }) = self.rep.pc.poll_read() {
            if let RTCMessage::RtcpPacket(_, packets) = message {
                key_frame_wanted |= packets.iter().any(|packet| {
                    let any = packet.as_any();
                    any.is::<PictureLossIndication>() || any.is::<FullIntraRequest>()
                });
            }
        }
        // A recording begins on a key frame and cuts its segments on them: asked for once a
        // second until one comes.
        let recorder_waits = self
            .recorder
            .as_ref()
            .is_some_and(Recorder::wants_key_frame)
            && self
                .key_frame_asked
                .is_none_or(|at| now.duration_since(at) >= KEY_FRAME_REPEAT);
        if key_frame_wanted || recorder_waits {
            self.ask_key_frame(now)?;
        }
        Ok(())
    }

    /// Records the customer's packet and sends it on to the rep under the rep's track.
    fn forward(&mut self, now: Instant, packet: rtp::Packet) -> Result<()> {
        if let Some(recorder) = &mut self.recorder {
            recorder.push(now, packet.clone());
        }
        if self.rep_connected {
            return self.send_to_rep(now, packet);
        }
        // Until the rep is connected, the packets since the latest key frame are held back.
        if starts_key_frame(&packet) {
            self.held_back.clear();
        }
        let keyed = !self.held_back.is_empty() || starts_key_frame(&packet);
        if keyed && self.held_back.len() < MOST_HELD_BACK {
            self.held_back.push(packet);
        } else {
            self.held_back.clear();
        }
        Ok(())
    }

    fn send_to_rep(&mut self, now: Instant, mut packet: rtp::Packet) -> Result<()> {
        packet.header.ssrc = self.to_rep_ssrc;
        packet.header.payload_type = PAYLOAD_TYPE;
        // The extensions' numbers were agreed with the customer, not with the rep.
        packet.header.extension = false;
        packet.header.extensions.clear();
        if let Some(mut sender) = self.rep.pc.rtp_sender(self.to_rep) {
            sender.write_rtp(now, packet)?;
        }
        Ok(())
    }

    fn ask_key_frame(&mut self, now: Instant) -> Result<()> {
        let Some((_, receiver, media_ssrc)) = &self.screen else {
            return Ok(());
        };
        let (receiver, media_ssrc) = (*receiver, *media_ssrc);
        self.key_frame_asked = Some(now);
        if let Some(mut receiver) = self.customer.pc.rtp_receiver(receiver) {
            let pli = PictureLossIndication {
                sender_ssrc: 0,
                media_ssrc,
            };
            receiver.write_rtcp(now, vec![Box::new(pli)])?;
        }
        Ok(())
    }
}

/// Whether `packet` begins a VP8 key frame: the first packet of the frame's first partition
/// (RFC 7741), whose frame header's lowest bit is clear.
fn starts_key_frame(packet: &rtp::Packet) -> bool {
    let mut vp8 = Vp8Packet::default();
    match vp8.depacketize(&packet.payload) {
        Ok(frame) => vp8.s == 1 && vp8.pid == 0 && frame.first().is_some_and(|b| b & 1 == 0),
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn packet(payload: &[u8]) -> rtp::Packet {
        rtp::Packet {
            payload: payload.to_vec().into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_key_frame_is_told_by_its_first_packet_with_or_without_a_picture_id() {
        // Descriptor: start of partition 0; then the frame tag, lowest bit clear for a key.
        assert!(starts_key_frame(&packet(&[0x10, 0x10, 0x02, 0x00])));
        assert!(
            !starts_key_frame(&packet(&[0x10, 0x11, 0x02, 0x00])),
            "an inter frame"
        );
        assert!(
            !starts_key_frame(&packet(&[0x00, 0x10, 0x02, 0x00])),
            "a later packet"
        );
        // Extended: a 15-bit picture id, as browsers send.
        assert!(starts_key_frame(&packet(&[
            0x90, 0x80, 0x81, 0x23, 0x10, 0x02
        ])));
        assert!(!starts_key_frame(&packet(&[
            0x90, 0x80, 0x81, 0x23, 0x31, 0x02
        ])));
        assert!(!starts_key_frame(&packet(&[])), "nothing");
    }
}
