//! The gate before our own signature is kept and sent: it must verify against the document, be
//! made with a signing (not authentication) key that is valid now, and belong to the seller —
//! an employee certificate of the seller's organisation (BIN), or, for a sole proprietor (ИП),
//! the entrepreneur's own personal certificate (IIN).

use crate::model::Timestamp;
use serde::Serialize;

use super::identity::SignerIdentity;
use super::verdict::Verdict;
use super::verify::verify_detached;
use crate::{Error, ErrorCode, Result};
use ts_rs::TS;

/// What the seller's 12-digit number is. Both kinds share the format and the check digit, so the
/// number alone cannot say reliably; the settings (`seller_kind`) and the operator's `/me` do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum SellerKind {
    /// A legal entity: signers hold employee certificates with `OU=BIN…`.
    Bin,
    /// An individual entrepreneur: the taxpayer number is the IIN, and the signer is the
    /// entrepreneur with a personal certificate (`serialNumber=IIN…`, no BIN).
    Iin,
}

impl SellerKind {
    /// `bin` or `iin`, as the setting `seller_kind` spells it.
    pub fn parse(text: &str) -> Option<SellerKind> {
        match text.trim() {
            "bin" => Some(SellerKind::Bin),
            "iin" => Some(SellerKind::Iin),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            SellerKind::Bin => "bin",
            SellerKind::Iin => "iin",
        }
    }
}

/// Whose signatures count as the seller's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Seller {
    pub number: String,
    pub kind: SellerKind,
}

impl Seller {
    pub fn new(number: &str, kind: SellerKind) -> Seller {
        Seller {
            number: number.trim().to_string(),
            kind,
        }
    }

    /// «БИН 123456789021» or «ИИН 950620450121», for messages.
    fn label(&self) -> String {
        match self.kind {
            SellerKind::Bin => format!("БИН {}", self.number),
            SellerKind::Iin => format!("ИИН {}", self.number),
        }
    }
}

/// `check_seller` for a seller that is an organisation with BIN `seller_bin`.
pub fn check_own(
    cms_der: &[u8],
    content: &[u8],
    seller_bin: &str,
    at: Timestamp,
) -> Result<SignerIdentity> {
    check_seller(
        cms_der,
        content,
        &Seller::new(seller_bin, SellerKind::Bin),
        at,
    )
}

/// Returns who signed, or refuses with `SignatureInvalid` (does not verify — including a GOST
/// variant we cannot verify —, expired, not yet valid) or `WrongSigner` (authentication key, a
/// certificate of someone other than the seller). Every `WrongSigner` refusal names the
/// certificate's number and the seller's, so the user sees which key they picked.
pub fn check_seller(
    cms_der: &[u8],
    content: &[u8],
    seller: &Seller,
    at: Timestamp,
) -> Result<SignerIdentity> {
    check_seller_verdict(cms_der, content, seller, at).map(|(signer, _)| signer)
}

/// `check_seller`, also handing back the verdict it reached, so the caller keeping our fresh
/// signature stores that verdict instead of verifying the signature a second time.
pub fn check_seller_verdict(
    cms_der: &[u8],
    content: &[u8],
    seller: &Seller,
    at: Timestamp,
) -> Result<(SignerIdentity, Verdict)> {
    let (signer, verdict) = check_signing_key_verdict(cms_der, content, at)?;
    belongs_to(&signer, seller)?;
    Ok((signer, verdict))
}

/// The seller's number against the certificate's own: an employee certificate (it has a BIN)
/// speaks for its organisation only, whoever holds it; a personal certificate speaks for its
/// holder, the only kind of seller that is a person being an entrepreneur.
fn belongs_to(signer: &SignerIdentity, seller: &Seller) -> Result<()> {
    let wrong = |text: String| Err(Error::new(ErrorCode::WrongSigner, text));
    let want = seller.label();
    let iin = signer.iin.as_deref().unwrap_or("—");
    match (&signer.bin, seller.kind) {
        (Some(bin), SellerKind::Bin) if *bin == seller.number => Ok(()),
        (Some(bin), SellerKind::Bin) => wrong(format!(
            "Сертификат выдан другой организации (БИН {bin}), а не продавцу ({want})"
        )),
        (Some(bin), SellerKind::Iin) => wrong(format!(
            "Это ключ сотрудника организации (БИН {bin}), а продавец — индивидуальный \
             предприниматель ({want}): подпишите его личным ключом"
        )),
        (None, SellerKind::Iin) if signer.iin.as_deref() == Some(seller.number.as_str()) => Ok(()),
        (None, SellerKind::Iin) => wrong(format!(
            "Сертификат принадлежит другому человеку (ИИН {iin}), а не индивидуальному \
             предпринимателю — продавцу ({want})"
        )),
        (None, SellerKind::Bin) => wrong(format!(
            "Это личный сертификат (ИИН {iin}) без БИН организации; нужен ключ сотрудника \
             продавца ({want}). Если вы индивидуальный предприниматель, укажите в настройках \
             свой ИИН"
        )),
    }
}

/// Like `check_seller` when only the seller's number is known, not its kind (the reference
/// operator keeps a recipient's number alone): the certificate says which number it carries —
/// the BIN of an employee certificate, the IIN of a personal one — and that number must be the
/// seller's. BINs and IINs are issued from disjoint ranges, so one cannot pass for the other.
pub fn check_taxpayer(
    cms_der: &[u8],
    content: &[u8],
    number: &str,
    at: Timestamp,
) -> Result<SignerIdentity> {
    let signer = check_signing_key(cms_der, content, at)?;
    let kind = if signer.bin.is_some() {
        SellerKind::Bin
    } else {
        SellerKind::Iin
    };
    belongs_to(&signer, &Seller::new(number, kind))?;
    Ok(signer)
}

/// The part of `check_own` that needs no settings, for a signature made with no seller in
/// mind (`qoltanba sign-file` without a BIN): it must verify over `content` with a certificate
/// valid at `at`, and the key must be a signing key. An expired or authentication key never
/// makes a valid signature, whoever signs.
pub fn check_signing_key(cms_der: &[u8], content: &[u8], at: Timestamp) -> Result<SignerIdentity> {
    check_signing_key_verdict(cms_der, content, at).map(|(signer, _)| signer)
}

/// `check_signing_key`, also handing back the verdict, so a caller that shows or keeps it does
/// not verify the signature a second time.
pub fn check_signing_key_verdict(
    cms_der: &[u8],
    content: &[u8],
    at: Timestamp,
) -> Result<(SignerIdentity, Verdict)> {
    let verdict = verify_detached(cms_der, content, at);
    if !verdict.passed() {
        return Err(Error::new(ErrorCode::SignatureInvalid, verdict.reason));
    }
    let Some(signer) = verdict.signer.clone() else {
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
    Ok((signer, verdict))
}
