//! Files from customers: `PUT /api/files/{file}` uploads one the rep accepted, `GET` lets the
//! session's rep download it, always as an attachment.
//!
//! The upload streams to `files/{file}.part` in the data folder, hashing as it goes, and is
//! renamed into place only when complete, so a broken upload never looks like a file. The
//! announced size bounds what is read: a body longer than announced is refused mid-stream, so
//! the site's limit (checked when the file was offered) holds whatever the page sends.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use axum::Json;
use axum::body::{Body, Bytes};
use axum::extract::{Path as UrlPath, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use protocol::{FileId, Reason, StoredFile};
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::session::blocking;
use super::signed_in::SignedIn;
use super::{AppError, AppState, ask_hub};
use crate::hub::Command;
use support_core::{Input, UploadPermit};

/// How often the rep hears how far an upload is.
const PROGRESS_EVERY: Duration = Duration::from_millis(100);

/// The folder of stored files inside the data folder.
pub fn files_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("files")
}

pub async fn upload(
    State(state): State<AppState>,
    UrlPath(file): UrlPath<FileId>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<StoredFile>, AppError> {
    let token = bearer(&headers).ok_or(AppError::NotSignedIn)?;
    let permit = ask_hub(&state, |done| Command::BeginUpload { file, token, done }).await?;
    match receive(&state, file, &permit, body).await {
        Ok(sha256) => {
            let stored = StoredFile {
                file,
                size: permit.size,
                sha256: sha256.clone(),
            };
            let done = ask_hub(&state, |done| Command::UploadDone { file, sha256, done }).await;
            if let Err(e) = done {
                let _ = tokio::fs::remove_file(stored_path(&state.data_dir, file)).await;
                return Err(e);
            }
            Ok(Json(stored))
        }
        Err(e) => {
            let _ = tokio::fs::remove_file(part_path(&state.data_dir, file)).await;
            // A disk that fails is the server's fault, and says so.
            let reason = e.reason().unwrap_or(Reason::NotStored);
            state
                .hub
                .send(Command::Input(Input::UploadFailed { file, reason }))
                .await;
            Err(e)
        }
    }
}

/// Writes the body to disk, telling the hub the progress; the checksum when complete.
async fn receive(
    state: &AppState,
    file: FileId,
    permit: &UploadPermit,
    body: Body,
) -> Result<String, AppError> {
    let dir = files_dir(&state.data_dir);
    tokio::fs::create_dir_all(&dir)
        .await
        .map_err(anyhow::Error::from)?;
    let part = part_path(&state.data_dir, file);
    let mut out = tokio::fs::File::create(&part)
        .await
        .map_err(anyhow::Error::from)?;
    let mut hasher = Sha256::new();
    let mut received: u64 = 0;
    let mut last_told = Instant::now();
    let mut stream = body.into_data_stream();
    while let Some(chunk) = stream.next().await {
        let chunk =
            chunk.map_err(|_| AppError::upload(Reason::UploadBrokeOff, "the upload broke off"))?;
        received += chunk.len() as u64;
        if received > permit.size {
            return Err(AppError::upload(
                Reason::LargerThanOffered,
                format!(
                    "the upload is larger than the {} bytes announced",
                    permit.size
                ),
            ));
        }
        hasher.update(&chunk);
        out.write_all(&chunk).await.map_err(anyhow::Error::from)?;
        if last_told.elapsed() >= PROGRESS_EVERY {
            last_told = Instant::now();
            state
                .hub
                .send(Command::Input(Input::UploadProgress { file, received }))
                .await;
        }
    }
    if received != permit.size {
        return Err(AppError::upload(
            Reason::UploadBrokeOff,
            format!(
                "the upload has {received} bytes, not the {} announced",
                permit.size
            ),
        ));
    }
    out.sync_all().await.map_err(anyhow::Error::from)?;
    drop(out);
    tokio::fs::rename(&part, stored_path(&state.data_dir, file))
        .await
        .map_err(anyhow::Error::from)?;
    state
        .hub
        .send(Command::Input(Input::UploadProgress { file, received }))
        .await;
    Ok(hex(&hasher.finalize()))
}

pub async fn download(
    State(state): State<AppState>,
    UrlPath(file): UrlPath<FileId>,
    SignedIn(rep): SignedIn,
) -> Result<Response, AppError> {
    let accounts = state.accounts.clone();
    let row = blocking(move || Ok(accounts.lock().expect("accounts lock").file(file)?)).await?;
    let row = row.ok_or_else(|| AppError::NotFound(format!("no file {file}")))?;
    if row.rep != Some(rep.id) {
        return Err(AppError::Forbidden(
            "only the rep serving the session may download its files".into(),
        ));
    }
    let content = tokio::fs::File::open(stored_path(&state.data_dir, file))
        .await
        .map_err(|_| AppError::NotFound(format!("file {file} is not on the server")))?;
    // The content in chunks, read as the response goes out.
    let stream = futures_util::stream::unfold(Some(content), |file| async move {
        let mut file = file?;
        let mut buffer = vec![0; 64 * 1024];
        match file.read(&mut buffer).await {
            Ok(0) => None,
            Ok(n) => {
                buffer.truncate(n);
                Some((Ok(Bytes::from(buffer)), Some(file)))
            }
            Err(e) => Some((Err(e), None)),
        }
    });
    let headers = [
        (
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/octet-stream"),
        ),
        (header::CONTENT_DISPOSITION, attachment(&row.name)),
        (header::CONTENT_LENGTH, HeaderValue::from(row.size)),
        (
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ),
        (
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'none'; sandbox"),
        ),
        (
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        ),
    ];
    Ok((headers, Body::from_stream(stream)).into_response())
}

/// `attachment` with the name as UTF-8 (RFC 6266 `filename*`) and an ASCII fallback.
fn attachment(name: &str) -> HeaderValue {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    HeaderValue::from_str(&format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("attachment"))
}

/// The session token from `Authorization: Bearer …`.
fn bearer(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let token = value.strip_prefix("Bearer ")?.trim();
    (!token.is_empty()).then(|| token.to_owned())
}

fn part_path(data_dir: &Path, file: FileId) -> PathBuf {
    files_dir(data_dir).join(format!("{file}.part"))
}

fn stored_path(data_dir: &Path, file: FileId) -> PathBuf {
    files_dir(data_dir).join(file.to_string())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_attachment_name_is_quoted_and_encoded() {
        let value = attachment("Bericht \"März\".pdf");
        assert_eq!(
            value.to_str().unwrap(),
            "attachment; filename=\"Bericht _M_rz_.pdf\"; filename*=UTF-8''Bericht%20%22M%C3%A4rz%22.pdf"
        );
    }

    #[test]
    fn the_token_comes_from_the_bearer_header() {
        let mut headers = HeaderMap::new();
        assert_eq!(bearer(&headers), None);
        headers.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Bearer abc"),
        );
        assert_eq!(bearer(&headers).as_deref(), Some("abc"));
        headers.insert(header::AUTHORIZATION, HeaderValue::from_static("Basic abc"));
        assert_eq!(bearer(&headers), None);
    }
}
