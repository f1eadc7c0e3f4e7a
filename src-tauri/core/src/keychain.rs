//! The per-installation key of the history chain. It lives in the OS keychain (Secret Service,
//! macOS Keychain, Windows Credential Manager) so that someone holding only the database file
//! cannot recompute the chain. Where no keychain exists the key falls back to a file beside the
//! database, and the store reports that plainly. The store records the fingerprint of a file it
//! made; a history.key without that record (planted beside the database, waiting for the
//! keychain to fail) is not used.

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

/// The SHA-256 of the key, hex: what the store records of a key file (the key itself stays out
/// of the database).
pub fn fingerprint(key: &SecretKey) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(key.0))
}

/// The key as found, and what the store must do about its record.
#[derive(Debug)]
pub struct Loaded {
    pub key: SecretKey,
    pub source: KeySource,
    /// A fingerprint to record: this installation has just made the key file (or adopts one).
    pub record: Option<String>,
    /// A key file with no record beside existing history: usable only if it verifies that
    /// history (a planted file cannot; the file of an older version can), checked by the store.
    pub unrecorded: bool,
}

impl Loaded {
    fn keychain(key: SecretKey) -> Loaded {
        Loaded {
            key,
            source: KeySource::OsKeychain,
            record: None,
            unrecorded: false,
        }
    }
}

/// Loads the installation's key, creating it on first use. `create` is false when the store
/// already holds history: a missing key then must not be silently replaced. `recorded` is the
/// fingerprint the store holds of its own key file, if it made one.
pub fn load_or_create(
    installation: &str,
    dir: &Path,
    mode: KeychainMode,
    create: bool,
    recorded: Option<&str>,
) -> Result<Loaded> {
    let file = dir.join("history.key");
    if mode == KeychainMode::Os {
        match os_key(installation, create) {
            Ok(Some(k)) => return Ok(Loaded::keychain(k)),
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
                    recorded,
                )
            }
        }
        // The keychain answered but holds no key; an older fallback file may.
        if file.exists() {
            return file_key(
                &file,
                false,
                "ключ был создан без системного хранилища".into(),
                recorded,
            );
        }
        return Err(missing_key());
    }
    file_key(
        &file,
        create,
        "выбрано хранение в файле (QOLTANBA_KEYCHAIN=file)".into(),
        recorded,
    )
}

fn not_ours() -> Error {
    Error::new(
        ErrorCode::Keychain,
        "Файл ключа истории history.key не создан этой установкой Qoltanba (его отпечаток не совпадает с записанным в базе): \
         он не используется. Если файл подложен, удалите его; если ключ в системном хранилище — запустите хранилище и повторите. Данные не изменены",
    )
}

fn missing_key() -> Error {
    Error::new(
        ErrorCode::Keychain,
        "Ключ истории не найден в системном хранилище ключей: история не может быть проверена на этом компьютере",
    )
}

/// The keychain entry of an installation's history key.
pub fn history_entry(installation: &str) -> String {
    format!("history-key:{installation}")
}

fn keychain_error(e: keyring::Error) -> Error {
    // keyring's messages name the backend, never the secret.
    Error::new(
        ErrorCode::Keychain,
        format!(
            "Системное хранилище ключей недоступно ({e}). Запустите хранилище (Secret Service / Keychain / Credential Manager) и повторите; ничего не изменено"
        ),
    )
}

/// Deletes one entry of ours (service "qoltanba") by its full name; a missing one is not an
/// error.
pub fn delete_entry(name: &str) -> Result<()> {
    let entry = keyring::Entry::new(SERVICE, name).map_err(keychain_error)?;
    match entry.delete_credential() {
        Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
        Err(e) => Err(keychain_error(e)),
    }
}

/// Whether the keychain holds an entry of ours by this full name (its secret is not read out).
pub fn entry_exists(name: &str) -> Result<bool> {
    let entry = keyring::Entry::new(SERVICE, name).map_err(keychain_error)?;
    match entry.get_password() {
        Ok(_) => Ok(true),
        Err(keyring::Error::NoEntry) => Ok(false),
        Err(e) => Err(keychain_error(e)),
    }
}

/// Ok(None) = the keychain works but has no key and we may not create one.
fn os_key(installation: &str, create: bool) -> std::result::Result<Option<SecretKey>, String> {
    let entry =
        keyring::Entry::new(SERVICE, &history_entry(installation)).map_err(|e| e.to_string())?;
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

fn file_key(
    file: &Path,
    create: bool,
    mut reason: String,
    recorded: Option<&str>,
) -> Result<Loaded> {
    let found = |key: SecretKey, reason: String, record: Option<String>, unrecorded| Loaded {
        key,
        source: KeySource::File { reason },
        record,
        unrecorded,
    };
    if let Ok(s) = std::fs::read_to_string(file) {
        match decode(&s) {
            Some(k) if recorded == Some(fingerprint(&k).as_str()) => {
                return Ok(found(k, reason, None, false))
            }
            Some(k) if !create && recorded.is_none() => {
                let fp = fingerprint(&k);
                return Ok(found(k, reason, Some(fp), true));
            }
            Some(_) if !create => return Err(not_ours()),
            // Not this installation's file and no history yet: nothing depends on it, so it is
            // put aside (not used, not deleted) and a key of our own is made.
            Some(_) => {
                let aside = file.with_extension(format!(
                    "key.unrecorded-{}",
                    crate::model::Timestamp::now().unix_seconds()
                ));
                std::fs::rename(file, &aside)?;
                reason.push_str(&format!(
                    "; посторонний файл history.key не использован и переименован в {}",
                    aside
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default()
                ));
            }
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
        // A file appeared between the look above and the write: the store holds its write lock
        // through this, so it is not another start of ours. Not used.
        return Err(not_ours());
    }
    let fp = fingerprint(&k);
    Ok(found(k, reason, Some(fp), false))
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
