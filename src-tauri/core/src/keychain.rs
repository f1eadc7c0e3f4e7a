//! The per-installation key of the history chain. It lives in the OS keychain (Secret Service,
//! macOS Keychain, Windows Credential Manager) so that someone holding only the database file
//! cannot recompute the chain. Where no keychain exists the key falls back to a file beside the
//! database, and the store reports that plainly.

use crate::error::{Error, ErrorCode, Result};
use rand::RngCore;
use std::path::Path;

const SERVICE: &str = "qoltanba";

/// How the key may be kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum KeychainMode {
    /// The OS keychain, falling back to a file when none is available.
    #[default]
    Os,
    /// Always the file beside the database (set `QOLTANBA_KEYCHAIN=file`).
    File,
}

impl KeychainMode {
    pub fn from_env() -> KeychainMode {
        match std::env::var("QOLTANBA_KEYCHAIN").as_deref() {
            Ok("file") => KeychainMode::File,
            _ => KeychainMode::Os,
        }
    }
}

/// Where the key was found, for diagnostics.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum KeySource {
    OsKeychain,
    /// The fallback file, with why the keychain was not used.
    File {
        reason: String,
    },
}

impl KeySource {
    pub fn describe(&self) -> String {
        match self {
            KeySource::OsKeychain => "ключ истории хранится в системном хранилище ключей".into(),
            KeySource::File { reason } => format!(
                "ключ истории хранится в файле history.key рядом с базой, а не в системном хранилище ключей: {reason}"
            ),
        }
    }
}

/// A 32-byte secret. Debug never prints it.
#[derive(Clone)]
pub struct SecretKey(pub(crate) [u8; 32]);

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(…)")
    }
}

fn decode(hexed: &str) -> Option<SecretKey> {
    let v = hex::decode(hexed.trim()).ok()?;
    let arr: [u8; 32] = v.try_into().ok()?;
    Some(SecretKey(arr))
}

fn fresh() -> SecretKey {
    let mut k = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut k);
    SecretKey(k)
}

/// Loads the installation's key, creating it on first use. `create` is false when the store
/// already holds history: a missing key then must not be silently replaced.
pub fn load_or_create(
    installation: &str,
    dir: &Path,
    mode: KeychainMode,
    create: bool,
) -> Result<(SecretKey, KeySource)> {
    let file = dir.join("history.key");
    if mode == KeychainMode::Os {
        match os_key(installation, create) {
            Ok(Some(k)) => return Ok((k, KeySource::OsKeychain)),
            Ok(None) => {}
            // The key is in the keychain, which does not answer now: say that, not "missing".
            Err(reason) if !create && !file.exists() => {
                return Err(Error::new(
                    ErrorCode::Keychain,
                    format!(
                        "Системное хранилище ключей недоступно ({reason}); ключ истории хранится там. Запустите хранилище (Secret Service / Keychain / Credential Manager) и повторите; данные не изменены"
                    ),
                ))
            }
            Err(reason) => {
                return file_key(
                    &file,
                    create,
                    format!("системное хранилище недоступно ({reason})"),
                )
            }
        }
        // The keychain answered but holds no key; an older fallback file may.
        if file.exists() {
            return file_key(
                &file,
                false,
                "ключ был создан без системного хранилища".into(),
            );
        }
        return Err(missing_key());
    }
    file_key(
        &file,
        create,
        "выбрано хранение в файле (QOLTANBA_KEYCHAIN=file)".into(),
    )
}

fn missing_key() -> Error {
    Error::new(
        ErrorCode::Keychain,
        "Ключ истории не найден в системном хранилище ключей: история не может быть проверена на этом компьютере",
    )
}

/// Ok(None) = the keychain works but has no key and we may not create one.
fn os_key(installation: &str, create: bool) -> std::result::Result<Option<SecretKey>, String> {
    let entry = keyring::Entry::new(SERVICE, &format!("history-key:{installation}"))
        .map_err(|e| e.to_string())?;
    match entry.get_password() {
        Ok(s) => decode(&s)
            .map(Some)
            .ok_or_else(|| "ключ в хранилище повреждён".to_string()),
        Err(keyring::Error::NoEntry) if create => {
            let k = fresh();
            entry
                .set_password(&hex::encode(k.0))
                .map_err(|e| e.to_string())?;
            // Read back: some backends accept a write they cannot keep.
            match entry.get_password() {
                Ok(s) if decode(&s).is_some() => Ok(Some(k)),
                Ok(_) => Err("ключ не сохранился в хранилище".into()),
                Err(e) => Err(e.to_string()),
            }
        }
        Err(keyring::Error::NoEntry) => Ok(None),
        Err(e) => Err(e.to_string()),
    }
}

fn file_key(file: &Path, create: bool, reason: String) -> Result<(SecretKey, KeySource)> {
    if let Ok(s) = std::fs::read_to_string(file) {
        match decode(&s) {
            Some(k) => return Ok((k, KeySource::File { reason })),
            // No history depends on the key yet: a file cut short (a kill while an older version
            // wrote it in place) is made again rather than refusing every start from now on.
            None if create => {
                let _ = std::fs::remove_file(file);
            }
            None => {
                return Err(Error::new(
                    ErrorCode::Keychain,
                    "Файл ключа истории history.key повреждён",
                ))
            }
        }
    }
    if !create {
        return Err(missing_key());
    }
    let k = fresh();
    if !write_private(file, hex::encode(k.0).as_bytes())? {
        // Another process starting at the same moment made the key first: use its key.
        let s = std::fs::read_to_string(file)?;
        let k = decode(&s).ok_or_else(|| {
            Error::new(
                ErrorCode::Keychain,
                "Файл ключа истории history.key повреждён",
            )
        })?;
        return Ok((k, KeySource::File { reason }));
    }
    Ok((k, KeySource::File { reason }))
}

/// Writes the file whole or not at all: a temporary file beside it (mode 0600), synced, then
/// linked into place, so a kill at any point leaves either no key file or a complete one. The link
/// never replaces an existing file: false when one appeared meanwhile.
fn write_private(path: &Path, bytes: &[u8]) -> Result<bool> {
    use std::io::Write;
    let tmp = path.with_extension(format!("key.{}.tmp", std::process::id()));
    let _ = std::fs::remove_file(&tmp);
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(&tmp)?;
    f.write_all(bytes)?;
    f.sync_all()?;
    drop(f);
    let linked = std::fs::hard_link(&tmp, path);
    let _ = std::fs::remove_file(&tmp);
    match linked {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return Ok(false),
        Err(e) => return Err(e.into()),
    }
    if let Some(dir) = path.parent().and_then(|d| std::fs::File::open(d).ok()) {
        let _ = dir.sync_all();
    }
    Ok(true)
}
