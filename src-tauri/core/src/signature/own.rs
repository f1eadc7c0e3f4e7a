//! The gate before our own signature is kept and sent: it must verify against the document, be
//! made with a signing (not authentication) key that is valid now, and belong to the seller's BIN.

use time::OffsetDateTime;

use super::identity::SignerIdentity;
use super::verify::verify_detached;
use crate::{Error, ErrorCode, Result};

/// Returns who signed, or refuses with `SignatureInvalid` (does not verify — including a GOST
/// variant we cannot verify —, expired, not yet valid) or `WrongSigner` (authentication key,
/// another organisation's BIN, no BIN).
pub fn check_own(
    cms_der: &[u8],
    content: &[u8],
    seller_bin: &str,
    at: OffsetDateTime,
) -> Result<SignerIdentity> {
    let signer = check_signing_key(cms_der, content, at)?;
    let seller_bin = seller_bin.trim();
    match signer.bin.as_deref() {
        Some(bin) if bin == seller_bin => Ok(signer),
        Some(bin) => Err(Error::new(
            ErrorCode::WrongSigner,
            format!(
                "Сертификат выдан другой организации (БИН {bin}), а не продавцу (БИН {seller_bin})"
            ),
        )),
        None => Err(Error::new(
            ErrorCode::WrongSigner,
            format!(
                "Сертификат не содержит БИН организации; нужен ключ сотрудника продавца (БИН {seller_bin})"
            ),
        )),
    }
}

/// The part of `check_own` that needs no settings, for a signature made with no seller in
/// mind (`qoltanba sign-file` without a BIN): it must verify over `content` with a certificate
/// valid at `at`, and the key must be a signing key. An expired or authentication key never
/// makes a valid signature, whoever signs.
pub fn check_signing_key(
    cms_der: &[u8],
    content: &[u8],
    at: OffsetDateTime,
) -> Result<SignerIdentity> {
    let verdict = verify_detached(cms_der, content, at);
    if !verdict.passed() {
        return Err(Error::new(ErrorCode::SignatureInvalid, verdict.reason));
    }
    let Some(signer) = verdict.signer else {
        return Err(Error::new(
            ErrorCode::SignatureInvalid,
            "В подписи нет сертификата подписанта",
        ));
    };
    if !signer.is_signing_key() {
        return Err(Error::new(
            ErrorCode::WrongSigner,
            "Выбран ключ аутентификации (AUTH), а документы подписывают ключом для подписи (RSA/GOST)",
        ));
    }
    Ok(signer)
}
