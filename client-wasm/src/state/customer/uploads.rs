//! The customer's files: offering each chosen file to the rep, and uploading it once the rep
//! accepted, with the progress reported into the state.

use protocol::{FileEvent, FileState, Reply, Request};
use web_sys::File;

use super::{Action, CustomerHandle, Dispatcher, Phase, Uploads};
use crate::services::storage;
use crate::services::unexpected;
use crate::services::upload::{self, UploadError};

impl CustomerHandle {
    /// Offers each file to the rep; each is uploaded once the rep accepts it.
    pub fn send_files(&self, files: Vec<File>) {
        let Phase::Chatting { session, .. } = self.phase else {
            return;
        };
        for file in files {
            let name = file.name();
            let size = file.size() as u64;
            let dispatch = self.state.dispatcher();
            let uploads = self.uploads.clone();
            let request = Request::OfferFile {
                session,
                name: name.clone(),
                size,
            };
            self.conn.request(request, move |result| match result {
                Ok(Reply::FileOffered { file: id }) => {
                    uploads.borrow_mut().insert(id, file);
                    dispatch.dispatch(Action::FileOffered {
                        file: id,
                        name,
                        size,
                    });
                }
                Ok(other) => unexpected(&other),
                // Refused at once, for instance over the size limit: the server says why.
                Err(error) => dispatch.dispatch(Action::Failed(error)),
            });
        }
    }
}

/// Starts the upload of a file the rep accepted; forgets a file the rep declined.
pub(super) fn on_file_event(uploads: &Uploads, dispatch: &Dispatcher, event: &FileEvent) {
    match event.state {
        FileState::Accepted => {
            let Some(file) = uploads.borrow_mut().remove(&event.file) else {
                // Another tab's file, or this page was reloaded since it was chosen.
                return;
            };
            let Some(token) = storage::load_token() else {
                return;
            };
            let id = event.file;
            let progress = dispatch.clone();
            let done = dispatch.clone();
            upload::put_file(
                id,
                &token,
                &file,
                move |sent| progress.dispatch(Action::UploadProgress { file: id, sent }),
                move |result| {
                    let reason = match result {
                        Ok(()) => return,
                        Err(UploadError::Refused(reason)) => Some(reason),
                        Err(UploadError::Network) => None,
                    };
                    done.dispatch(Action::UploadFailed { file: id, reason });
                },
            );
        }
        FileState::Declined | FileState::Failed { .. } => {
            uploads.borrow_mut().remove(&event.file);
        }
        FileState::Offered | FileState::Uploading { .. } | FileState::Stored => {}
    }
}
