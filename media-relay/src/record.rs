//! The customer's video as WebM segments of about ten seconds, each a whole file starting on a
//! key frame, so that a crash loses at most the segment being written. The frames are stored
//! as they came (no transcoding); libwebm (the `webm` crate) writes the container.
//!
//! Timestamps run from the recording's first frame across all its segments, so the segments
//! played one after another (Media Source Extensions) make one video, and a change of the
//! shared screen (same track, same clock) continues it.

use std::collections::VecDeque;
use std::io::Cursor;
use std::time::{Duration, Instant};

use rtc::media::io::sample_builder::SampleBuilder;
use rtc::rtp;
use rtc::rtp::codec::vp8::Vp8Packet;
use webm::mux::{SegmentBuilder, SegmentMode, VideoCodecId, VideoTrack, Writer};

/// How long a segment runs before the next key frame starts another.
pub const SEGMENT: Duration = Duration::from_secs(10);
/// How long a frame waits for a packet that was lost before it is given up, and how many
/// packets may arrive meanwhile (a key frame of a sharp screen takes a few hundred).
const MOST_LATE: Duration = Duration::from_millis(500);
const MOST_LATE_PACKETS: u16 = 2000;
/// The video clock of VP8 over RTP (RFC 7741).
const CLOCK_HZ: u64 = 90_000;

/// A finished segment: a whole WebM file.
#[derive(Debug)]
pub struct Segment {
    /// 0, 1, 2… within the recording.
    pub index: u32,
    /// Its first and last frame, in milliseconds from the recording's first frame.
    pub start_ms: u64,
    pub end_ms: u64,
    pub webm: Vec<u8>,
}

/// The segment being written.
struct Open {
    segment: webm::mux::Segment<Cursor<Vec<u8>>>,
    track: VideoTrack,
    index: u32,
    size: (u16, u16),
    start_ns: u64,
    last_ns: u64,
    frames: u32,
}

/// Turns the customer's RTP packets into WebM segments.
pub struct Recorder {
    frames: SampleBuilder<Vp8Packet>,
    /// The RTP timestamp of the first frame, and the last one extended past wrapping.
    first_rtp: Option<u32>,
    last_ticks: u64,
    /// The first packet's RTP timestamp and arrival, to tell when the first frame came.
    first_packet: Option<(u32, Instant)>,
    /// When the first frame was recorded, and when the recording ended.
    began: Option<Instant>,
    ended: Option<Instant>,
    open: Option<Open>,
    next_index: u32,
    done: VecDeque<Segment>,
    /// Frames that came while no segment could take them (waiting for a key frame).
    key_frame_wanted: bool,
    failed: Option<webm::mux::Error>,
}

impl Default for Recorder {
    fn default() -> Self {
        Recorder::new()
    }
}

impl Recorder {
    pub fn new() -> Recorder {
        let frames = SampleBuilder::new(MOST_LATE_PACKETS, Vp8Packet::default(), CLOCK_HZ as u32)
            .with_max_time_delay(MOST_LATE);
        Recorder {
            frames,
            first_rtp: None,
            last_ticks: 0,
            first_packet: None,
            began: None,
            ended: None,
            open: None,
            next_index: 0,
            done: VecDeque::new(),
            key_frame_wanted: true,
            failed: None,
        }
    }

    /// One of the customer's video packets.
    pub fn push(&mut self, now: Instant, packet: rtp::Packet) {
        self.first_packet
            .get_or_insert((packet.header.timestamp, now));
        self.frames.push(now, packet);
        while let Some(frame) = self.frames.pop(now) {
            self.frame(&frame.data, frame.packet_timestamp);
            if self.began.is_none() && self.open.is_some() {
                self.began = self.first_packet.map(|(rtp, at)| {
                    // When its packets came, not when the next frame let it out.
                    let ticks = frame.packet_timestamp.wrapping_sub(rtp);
                    at + Duration::from_micros(u64::from(ticks) * 1_000_000 / CLOCK_HZ)
                });
            }
        }
    }

    /// Whether the recorder needs a key frame: to begin, or to end a segment that ran its
    /// length.
    pub fn wants_key_frame(&self) -> bool {
        self.key_frame_wanted
            || self
                .open
                .as_ref()
                .is_some_and(|open| open.last_ns - open.start_ns >= SEGMENT.as_nanos() as u64)
    }

    /// Ends the recording at `now`: the open segment is finished.
    pub fn finish(&mut self, now: Instant) {
        self.close_segment();
        self.ended = Some(now);
    }

    pub fn poll_segment(&mut self) -> Option<Segment> {
        self.done.pop_front()
    }

    /// The muxer's first failure, after which nothing more is recorded.
    pub fn failure(&self) -> Option<&webm::mux::Error> {
        self.failed.as_ref()
    }

    /// Whether its first frame is in.
    pub fn began(&self) -> bool {
        self.began.is_some()
    }

    /// How long the recording runs so far: from its first frame to its last, and once it
    /// ended, to its end (a screen that stays still sends no frames, yet it was seen).
    pub fn duration_ms(&self) -> u64 {
        let frames = self.last_ticks * 1000 / CLOCK_HZ;
        let lasted = match (self.began, self.ended) {
            (Some(began), Some(ended)) => ended.duration_since(began).as_millis() as u64,
            _ => 0,
        };
        frames.max(lasted)
    }

    fn frame(&mut self, data: &[u8], rtp_timestamp: u32) {
        if self.failed.is_some() {
            return;
        }
        let first = *self.first_rtp.get_or_insert(rtp_timestamp);
        // RTP timestamps wrap at 2^32 (13 hours at 90 kHz); frames come in order.
        let offset = u64::from(rtp_timestamp.wrapping_sub(first));
        let lap = self.last_ticks & !0xFFFF_FFFF;
        let mut ticks = lap | offset;
        if ticks < self.last_ticks {
            ticks += 1 << 32;
        }
        self.last_ticks = ticks;
        let ns = ticks * 1_000_000_000 / CLOCK_HZ;
        let key_size = key_frame_size(data);
        if let Some(size) = key_size {
            let changed = self.open.as_ref().is_some_and(|open| open.size != size);
            if self.open.is_none() || changed || self.wants_key_frame() {
                self.close_segment();
                if let Err(e) = self.open_segment(size, ns) {
                    self.failed = Some(e);
                    return;
                }
            }
        }
        let Some(open) = &mut self.open else {
            self.key_frame_wanted = true;
            return;
        };
        // A frame at the same time as the last is nudged on: players mishandle repeats.
        let ns = match open.frames {
            0 => ns,
            _ => ns.max(open.last_ns + 1),
        };
        match open
            .segment
            .add_frame(open.track, data, ns, key_size.is_some())
        {
            Ok(()) => {
                open.last_ns = ns;
                open.frames += 1;
            }
            Err(e) => self.failed = Some(e),
        }
    }

    fn open_segment(&mut self, size: (u16, u16), ns: u64) -> Result<(), webm::mux::Error> {
        let writer = Writer::new(Cursor::new(Vec::new()));
        let (builder, track) = SegmentBuilder::new(writer)?
            .set_mode(SegmentMode::File)?
            .set_writing_app("remote-support")?
            .add_video_track(size.0.into(), size.1.into(), VideoCodecId::VP8, None)?;
        self.open = Some(Open {
            segment: builder.build(),
            track,
            index: self.next_index,
            size,
            start_ns: ns,
            last_ns: ns,
            frames: 0,
        });
        self.next_index += 1;
        self.key_frame_wanted = false;
        Ok(())
    }

    fn close_segment(&mut self) {
        let Some(open) = self.open.take() else {
            return;
        };
        match open.segment.finalize(None) {
            Ok(writer) => self.done.push_back(Segment {
                index: open.index,
                start_ms: open.start_ns / 1_000_000,
                end_ms: open.last_ns / 1_000_000,
                webm: writer.into_inner().into_inner(),
            }),
            Err(_) => self.failed = Some(webm::mux::Error::Unknown),
        }
    }
}

/// The picture size a VP8 key frame announces (RFC 6386, 9.1), or `None` for any other frame.
fn key_frame_size(frame: &[u8]) -> Option<(u16, u16)> {
    let is_key = frame.first().is_some_and(|tag| tag & 1 == 0);
    if !is_key || frame.len() < 10 || frame[3..6] != [0x9d, 0x01, 0x2a] {
        return None;
    }
    let width = u16::from_le_bytes([frame[6], frame[7]]) & 0x3fff;
    let height = u16::from_le_bytes([frame[8], frame[9]]) & 0x3fff;
    (width > 0 && height > 0).then_some((width, height))
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;

    use matroska_demuxer::{Frame, MatroskaFile};
    use rtc::rtp::header::Header;

    use super::*;

    /// A VP8 frame's first bytes as an encoder writes them, the rest filler: enough for the
    /// container, which never decodes. A key frame announces its size.
    fn vp8_frame(key: bool, (width, height): (u16, u16), len: usize) -> Vec<u8> {
        let mut frame = vec![0x55; len];
        frame[0] = if key { 0x10 } else { 0x11 };
        if key {
            frame[3..6].copy_from_slice(&[0x9d, 0x01, 0x2a]);
            frame[6..8].copy_from_slice(&width.to_le_bytes());
            frame[8..10].copy_from_slice(&height.to_le_bytes());
        }
        frame
    }

    /// A browser sending VP8 (RFC 7741): each frame split over packets of at most 1000 bytes of
    /// payload after a one-byte descriptor, the first marked as a partition's start, the last
    /// with the marker bit.
    struct Sender {
        sequence: u16,
        started: Instant,
    }

    impl Sender {
        fn send(&mut self, recorder: &mut Recorder, frame: &[u8], at: Duration) {
            let chunks: Vec<&[u8]> = frame.chunks(1000).collect();
            for (n, chunk) in chunks.iter().enumerate() {
                let descriptor = if n == 0 { 0x10 } else { 0x00 };
                let packet = rtp::Packet {
                    header: Header {
                        version: 2,
                        marker: n + 1 == chunks.len(),
                        payload_type: 96,
                        sequence_number: self.sequence,
                        // Starting near the wrap, as any random start may.
                        timestamp: (u32::MAX - 45_000).wrapping_add((at.as_millis() as u32) * 90),
                        ssrc: 1,
                        ..Default::default()
                    },
                    payload: [&[descriptor][..], chunk].concat().into(),
                };
                self.sequence = self.sequence.wrapping_add(1);
                recorder.push(self.started + at, packet);
            }
        }
    }

    fn frames_of(webm: &[u8]) -> (u64, Vec<Frame>) {
        let mut file = MatroskaFile::open(Cursor::new(webm)).expect("a WebM file");
        assert_eq!(file.tracks()[0].codec_id(), "V_VP8");
        let width = file.tracks()[0].video().unwrap().pixel_width().get();
        let mut frames = Vec::new();
        let mut frame = Frame::default();
        while file.next_frame(&mut frame).unwrap() {
            frames.push(frame.clone());
        }
        (width, frames)
    }

    #[test]
    fn frames_become_segments_of_ten_seconds_each_starting_on_a_key_frame() {
        let mut recorder = Recorder::new();
        let mut sender = Sender {
            sequence: 65_000,
            started: Instant::now(),
        };
        // 25 s at 10 frames a second; a key frame whenever the recorder asks (as the relay
        // asks the customer's browser), and a larger screen from 22 s on.
        for tenth in 0..250u64 {
            let size = if tenth < 220 {
                (1280, 720)
            } else {
                (1920, 1080)
            };
            let key = recorder.wants_key_frame() || tenth == 220;
            let len = if key { 3000 } else { 400 };
            let at = Duration::from_millis(tenth * 100);
            sender.send(&mut recorder, &vp8_frame(key, size, len), at);
        }
        recorder.finish(sender.started + Duration::from_secs(30));
        let segments: Vec<Segment> = std::iter::from_fn(|| recorder.poll_segment()).collect();
        assert!(recorder.failure().is_none());
        let starts: Vec<u64> = segments.iter().map(|s| s.start_ms).collect();
        // Ten seconds of frames; the recorder sees a frame once the next one begins, so it
        // asks one frame late and the key frame comes a frame after that. Then the new size.
        assert_eq!(starts, [0, 10_200, 20_400, 22_000]);
        let mut all = 0;
        for (n, segment) in segments.iter().enumerate() {
            assert_eq!(segment.index, n as u32);
            let (width, frames) = frames_of(&segment.webm);
            assert_eq!(width, if n < 3 { 1280 } else { 1920 });
            assert_eq!(
                frames[0].is_keyframe,
                Some(true),
                "segment {n} starts on a key frame"
            );
            // Times in the file run on from the recording's start (milliseconds).
            assert_eq!(frames[0].timestamp, segment.start_ms);
            assert_eq!(frames.last().unwrap().timestamp, segment.end_ms);
            all += frames.len();
        }
        // Every frame but the last, which waits for a packet after it, is kept.
        assert_eq!(all, 249);
        // To the end: five seconds after the last frame, which stood still.
        assert_eq!(recorder.duration_ms(), 30_000);
    }

    #[test]
    fn nothing_is_recorded_before_the_first_key_frame() {
        let mut recorder = Recorder::new();
        let mut sender = Sender {
            sequence: 1,
            started: Instant::now(),
        };
        for tenth in 0..5u64 {
            let key = tenth == 3;
            let at = Duration::from_millis(tenth * 100);
            sender.send(&mut recorder, &vp8_frame(key, (640, 480), 300), at);
        }
        assert!(!recorder.wants_key_frame());
        recorder.finish(sender.started + Duration::from_secs(1));
        let segment = recorder.poll_segment().expect("one segment");
        let (_, frames) = frames_of(&segment.webm);
        assert_eq!(
            frames.len(),
            1,
            "the key frame; the one after waits for its end"
        );
        assert_eq!(segment.start_ms, 300);
    }
}
