//! The file transfers of one session as both sides see them: the server's `file` events and,
//! on the customer's page, how far its own upload has got.

use protocol::{FileEvent, FileId, FileState, Reason};

/// One file the customer offered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transfer {
    pub file: FileId,
    /// As the server keeps it; shown as text.
    pub name: String,
    pub size: u64,
    pub state: FileState,
    /// Customer: bytes this page has uploaded so far.
    pub sent: u64,
}

impl Transfer {
    /// Whether nothing more will happen to it.
    pub fn is_over(&self) -> bool {
        matches!(
            self.state,
            FileState::Stored | FileState::Declined | FileState::Failed { .. }
        )
    }
}

/// A session's transfers, in the order they were offered.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Transfers {
    items: Vec<Transfer>,
}

impl Transfers {
    pub fn items(&self) -> &[Transfer] {
        &self.items
    }

    pub fn get(&self, file: FileId) -> Option<&Transfer> {
        self.items.iter().find(|t| t.file == file)
    }

    fn get_mut(&mut self, file: FileId) -> Option<&mut Transfer> {
        self.items.iter_mut().find(|t| t.file == file)
    }

    /// The server's word on a transfer. A finished transfer stays finished: a late progress
    /// event does not bring it back.
    pub fn update(&mut self, event: FileEvent) {
        match self.get_mut(event.file) {
            Some(known) if known.is_over() => {}
            Some(known) => {
                known.name = event.name;
                known.size = event.size;
                known.state = event.state;
            }
            None => self.items.push(Transfer {
                file: event.file,
                name: event.name,
                size: event.size,
                state: event.state,
                sent: 0,
            }),
        }
    }

    /// The server took our offer (its reply may come before or after the `offered` event).
    pub fn offered(&mut self, file: FileId, name: String, size: u64) {
        if self.get(file).is_none() {
            self.items.push(Transfer {
                file,
                name,
                size,
                state: FileState::Offered,
                sent: 0,
            });
        }
    }

    /// Customer: the upload has sent this many bytes.
    pub fn progress(&mut self, file: FileId, sent: u64) {
        if let Some(known) = self.get_mut(file) {
            known.sent = known.sent.max(sent.min(known.size));
            if known.state == FileState::Accepted {
                known.state = FileState::Uploading { received: 0 };
            }
        }
    }

    /// Customer: the upload failed on this page: the server refused it for `reason`, or the
    /// connection failed (`None`).
    pub fn failed(&mut self, file: FileId, reason: Option<Reason>) {
        if let Some(known) = self.get_mut(file)
            && !known.is_over()
        {
            known.state = FileState::Failed { reason };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use protocol::SessionId;

    fn event(file: FileId, state: FileState) -> FileEvent {
        FileEvent {
            session: SessionId(7),
            file,
            name: "log.txt".into(),
            size: 2048,
            state,
        }
    }

    #[test]
    fn a_transfer_goes_from_offered_to_stored() {
        let mut files = Transfers::default();
        files.offered(FileId(4), "log.txt".into(), 2048);
        files.update(event(FileId(4), FileState::Offered));
        assert_eq!(files.items().len(), 1);
        files.update(event(FileId(4), FileState::Accepted));
        files.progress(FileId(4), 1024);
        assert_eq!(files.get(FileId(4)).unwrap().sent, 1024);
        assert_eq!(
            files.get(FileId(4)).unwrap().state,
            FileState::Uploading { received: 0 }
        );
        files.update(event(FileId(4), FileState::Uploading { received: 1024 }));
        files.update(event(FileId(4), FileState::Stored));
        // A late progress event changes nothing.
        files.update(event(FileId(4), FileState::Uploading { received: 2000 }));
        files.failed(FileId(4), None);
        assert_eq!(files.get(FileId(4)).unwrap().state, FileState::Stored);
        assert!(files.get(FileId(4)).unwrap().is_over());
    }

    #[test]
    fn several_files_are_kept_apart_and_a_failure_is_kept() {
        let mut files = Transfers::default();
        files.update(event(FileId(1), FileState::Offered));
        files.update(event(FileId(2), FileState::Offered));
        files.update(event(FileId(1), FileState::Declined));
        files.update(event(FileId(2), FileState::Accepted));
        files.failed(FileId(2), Some(Reason::LargerThanOffered));
        files.update(event(FileId(2), FileState::Uploading { received: 10 }));
        let states: Vec<_> = files.items().iter().map(|t| t.state.clone()).collect();
        assert_eq!(
            states,
            [
                FileState::Declined,
                FileState::Failed {
                    reason: Some(Reason::LargerThanOffered)
                }
            ]
        );
    }

    #[test]
    fn progress_never_goes_back_nor_past_the_size() {
        let mut files = Transfers::default();
        files.offered(FileId(1), "a".into(), 100);
        files.progress(FileId(1), 60);
        files.progress(FileId(1), 30);
        assert_eq!(files.get(FileId(1)).unwrap().sent, 60);
        files.progress(FileId(1), 500);
        assert_eq!(files.get(FileId(1)).unwrap().sent, 100);
    }
}
