//! Updates of the program itself, checked against a signed manifest (issue #19).
//!
//! A release's `latest.json` names each system's installer with its minisign signature, made by
//! the release workflow with the secret TAURI_SIGNING_PRIVATE_KEY and bound to the release's
//! version. tauri-plugin-updater downloads an installer only when the user agrees, and installs
//! it only when its signature verifies against the public key built into this program and was
//! made for the version the manifest announces (so a changed manifest can pair neither other
//! bytes nor an older release with a new version number).
//!
//! The public key and the manifest's address are given at build time (QOLTANBA_UPDATER_PUBKEY,
//! QOLTANBA_UPDATER_ENDPOINT; the release workflow takes them from the repository's variables).
//! A build without them has no updater at all, and Settings says updates are off in this build.
//! Nothing is checked until the user asks.

use qoltanba_core::{Error, ErrorCode};
use serde::Serialize;
use std::sync::Mutex;
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_updater::{Update, UpdaterExt};
use ts_rs::TS;

/// Where updates come from and the key their installers must be signed with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdateSource {
    /// The minisign public key as `tauri signer generate` prints it (base64 of the key file).
    pub public_key: String,
    /// The address of `latest.json`.
    pub endpoint: String,
}

impl UpdateSource {
    /// The source this program was built with, if any.
    pub fn built_in() -> Option<UpdateSource> {
        Self::from_build(
            option_env!("QOLTANBA_UPDATER_PUBKEY"),
            option_env!("QOLTANBA_UPDATER_ENDPOINT"),
        )
    }

    /// Both given, and the manifest over HTTPS: a build missing either has no updater rather
    /// than one that trusts nothing or fetches its manifest in the clear.
    pub fn from_build(public_key: Option<&str>, endpoint: Option<&str>) -> Option<UpdateSource> {
        let public_key = public_key.map(str::trim).filter(|k| !k.is_empty())?;
        let endpoint = endpoint
            .map(str::trim)
            .filter(|e| e.starts_with("https://"))?;
        Some(UpdateSource {
            public_key: public_key.to_string(),
            endpoint: endpoint.to_string(),
        })
    }

    /// The plugin's configuration (what tauri.conf.json's `plugins.updater` would hold).
    fn config(&self) -> serde_json::Value {
        serde_json::json!({
            "pubkey": self.public_key,
            "endpoints": [self.endpoint],
            // Signatures made by `tauri build` (CLI 2.12.6 and later) carry the version.
            "requireSignedVersion": true,
            "windows": { "installMode": "passive" }
        })
    }
}

/// Adds the updater for `source` to the window's builder; the plugin reads its configuration
/// from the context, which this fills in.
pub fn with_updater<R: Runtime>(
    builder: tauri::Builder<R>,
    context: &mut tauri::Context<R>,
    source: &UpdateSource,
) -> tauri::Builder<R> {
    context
        .config_mut()
        .plugins
        .0
        .insert("updater".into(), source.config());
    builder
        .plugin(tauri_plugin_updater::Builder::new().build())
        .manage(PendingUpdate::default())
}

/// The update the last check found, kept until the user agrees to install it.
#[derive(Default)]
pub struct PendingUpdate(Mutex<Option<Update>>);

/// Whether this build can update itself, and its version.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UpdateSupport {
    pub enabled: bool,
    pub current_version: String,
}

/// A newer release the manifest announces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FoundUpdate {
    pub version: String,
    /// RFC 3339, as the manifest gives it.
    pub date: Option<String>,
    pub notes: Option<String>,
}

pub fn support<R: Runtime>(app: &AppHandle<R>) -> UpdateSupport {
    UpdateSupport {
        enabled: app.try_state::<PendingUpdate>().is_some(),
        current_version: app.package_info().version.to_string(),
    }
}

fn off() -> Error {
    Error::new(
        ErrorCode::InvalidInput,
        "Обновления в этой сборке отключены: в неё не встроен ключ проверки обновлений",
    )
}

/// Asks the manifest for a newer release; it is kept for `install`.
pub async fn check<R: Runtime>(app: &AppHandle<R>) -> Result<Option<FoundUpdate>, Error> {
    let pending = app.try_state::<PendingUpdate>().ok_or_else(off)?;
    let updater = app.updater().map_err(problem)?;
    let update = updater.check().await.map_err(problem)?;
    let found = update.as_ref().map(|u| FoundUpdate {
        version: u.version.clone(),
        date: u
            .raw_json
            .get("pub_date")
            .and_then(|d| d.as_str())
            .map(String::from),
        notes: u.body.clone(),
    });
    *pending.0.lock().unwrap_or_else(|p| p.into_inner()) = update;
    Ok(found)
}

/// The update the last check found, with its installer downloaded and verified (signed by the
/// built-in key, for the version announced); an error, and nothing kept, when it does not verify.
pub async fn fetch<R: Runtime>(app: &AppHandle<R>) -> Result<(Update, Vec<u8>), Error> {
    let pending = app.try_state::<PendingUpdate>().ok_or_else(off)?;
    let update = pending
        .0
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .take()
        .ok_or_else(|| Error::not_found("Сначала проверьте обновления: новой версии не найдено"))?;
    let bytes = update.download(|_, _| {}, || {}).await.map_err(problem)?;
    Ok((update, bytes))
}

/// Installs the update the last check found, after the user agreed, and starts the new version.
pub async fn install<R: Runtime>(app: &AppHandle<R>) -> Result<(), Error> {
    let (update, bytes) = fetch(app).await?;
    update.install(bytes).map_err(problem)?;
    // Windows' installer ends this process itself; elsewhere the new version starts here.
    app.restart()
}

/// The plugin's error as one a person reads: a signature that does not verify is refused as
/// such; the rest is the network or the system.
fn problem(e: tauri_plugin_updater::Error) -> Error {
    use tauri_plugin_updater::Error as E;
    match e {
        E::Minisign(_)
        | E::SignatureUtf8(_)
        | E::Base64(_)
        | E::MissingSignedVersion
        | E::SignedVersionMismatch { .. } => Error::new(
            ErrorCode::SignatureInvalid,
            format!("Подпись обновления не прошла проверку, оно не установлено ({e})"),
        ),
        E::Reqwest(_) | E::Network(_) => Error::new(
            ErrorCode::Io,
            format!("Не удалось связаться с сервером обновлений: {e}"),
        ),
        e => Error::new(ErrorCode::Io, format!("Обновление не удалось: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_build_without_a_key_or_an_https_manifest_has_no_updater() {
        let url = "https://github.com/o/r/releases/latest/download/latest.json";
        assert!(UpdateSource::from_build(Some("dW50cnVzdGVk"), Some(url)).is_some());
        assert_eq!(UpdateSource::from_build(None, Some(url)), None);
        assert_eq!(UpdateSource::from_build(Some("  "), Some(url)), None);
        assert_eq!(UpdateSource::from_build(Some("k"), None), None);
        assert_eq!(
            UpdateSource::from_build(Some("k"), Some("http://example.kz/latest.json")),
            None
        );
    }
}
