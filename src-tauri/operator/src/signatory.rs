//! Test-grade signing identities: a certification authority that issues certificates shaped like
//! NCA's (subject OU "BIN…", signing or authentication EKU), and detached CMS signatures made with
//! them. The demo seed signs the marketplace's documents with one; tests sign decisions with others.
//! Keys live in memory only: nothing private is ever written to disk.

use cms::builder::{create_signing_time_attribute, SignedDataBuilder, SignerInfoBuilder};
use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use cms::signed_data::{EncapsulatedContentInfo, SignerIdentifier};
use der::{Decode, Encode};
use p256::pkcs8::DecodePrivateKey;
use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose, RsaKeySize, PKCS_ECDSA_P256_SHA256, PKCS_RSA_SHA256,
};
use sha2::{Digest, Sha256};
use spki::AlgorithmIdentifierOwned;
use time::OffsetDateTime;
use x509_cert::Certificate;

/// Signing EKU of NCA signing certificates (id-kp-emailProtection).
pub const EKU_SIGNING: &str = "1.3.6.1.5.5.7.3.4";
/// Client authentication EKU of NCA "AUTH" certificates: never valid for documents.
pub const EKU_AUTHENTICATION: &str = "1.3.6.1.5.5.7.3.2";

#[derive(Debug, thiserror::Error)]
#[error("signing identity: {0}")]
pub struct SignatoryError(String);

fn err(e: impl std::fmt::Display) -> SignatoryError {
    SignatoryError(e.to_string())
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Usage {
    Signing,
    Authentication,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Algorithm {
    EcdsaP256,
    Rsa2048,
}

/// What a certificate says about its holder.
#[derive(Clone, Debug)]
pub struct Profile {
    pub common_name: String,
    pub organization: String,
    /// 12 digits; written as subject OU "BIN<bin>" like NCA's legal-entity certificates.
    pub bin: String,
    pub usage: Usage,
    pub algorithm: Algorithm,
    pub not_before: OffsetDateTime,
    pub not_after: OffsetDateTime,
}

impl Profile {
    /// A signing certificate valid from a year ago for two years.
    pub fn signing(common_name: &str, organization: &str, bin: &str) -> Self {
        let now = OffsetDateTime::now_utc();
        Profile {
            common_name: common_name.to_owned(),
            organization: organization.to_owned(),
            bin: bin.to_owned(),
            usage: Usage::Signing,
            algorithm: Algorithm::EcdsaP256,
            not_before: now - time::Duration::days(365),
            not_after: now + time::Duration::days(365),
        }
    }
}

/// A certification authority that lives for one test or one seed run.
pub struct Authority {
    issuer: Issuer<'static, KeyPair>,
    certificate_pem: String,
}

impl Authority {
    pub fn generate(name: &str) -> Result<Self, SignatoryError> {
        let key = KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256).map_err(err)?;
        let mut params = CertificateParams::new(Vec::<String>::new()).map_err(err)?;
        params.distinguished_name.push(DnType::CommonName, name);
        params.distinguished_name.push(DnType::CountryName, "KZ");
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let now = OffsetDateTime::now_utc();
        params.not_before = now - time::Duration::days(3650);
        params.not_after = now + time::Duration::days(3650);
        let certificate = params.self_signed(&key).map_err(err)?;
        Ok(Authority {
            issuer: Issuer::new(params, key),
            certificate_pem: certificate.pem(),
        })
    }

    pub fn certificate_pem(&self) -> &str {
        &self.certificate_pem
    }

    /// Issues a certificate for `profile` and returns the holder able to sign with it.
    pub fn issue(&self, profile: &Profile) -> Result<Signatory, SignatoryError> {
        let key = match profile.algorithm {
            Algorithm::EcdsaP256 => KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256),
            Algorithm::Rsa2048 => KeyPair::generate_rsa_for(&PKCS_RSA_SHA256, RsaKeySize::_2048),
        }
        .map_err(err)?;
        let mut params = CertificateParams::new(Vec::<String>::new()).map_err(err)?;
        let dn = &mut params.distinguished_name;
        dn.push(DnType::CommonName, profile.common_name.as_str());
        dn.push(DnType::OrganizationName, profile.organization.as_str());
        dn.push(
            DnType::OrganizationalUnitName,
            format!("BIN{}", profile.bin),
        );
        dn.push(DnType::CountryName, "KZ");
        params.not_before = profile.not_before;
        params.not_after = profile.not_after;
        params.key_usages = vec![
            KeyUsagePurpose::DigitalSignature,
            KeyUsagePurpose::ContentCommitment,
        ];
        params.extended_key_usages = vec![match profile.usage {
            Usage::Signing => ExtendedKeyUsagePurpose::EmailProtection,
            Usage::Authentication => ExtendedKeyUsagePurpose::ClientAuth,
        }];
        let certificate = params.signed_by(&key, &self.issuer).map_err(err)?;
        Signatory::from_der(certificate.der(), &key.serialize_der())
    }
}

enum Key {
    P256(p256::ecdsa::SigningKey),
    Rsa(Box<rsa::pkcs1v15::SigningKey<Sha256>>),
}

/// A certificate with its private key, able to make detached CMS signatures.
pub struct Signatory {
    certificate: Certificate,
    key: Key,
}

impl Signatory {
    /// From a DER certificate and a PKCS#8 DER private key (P-256 or RSA).
    pub fn from_der(certificate_der: &[u8], pkcs8_der: &[u8]) -> Result<Self, SignatoryError> {
        let certificate = Certificate::from_der(certificate_der).map_err(err)?;
        let key = match p256::ecdsa::SigningKey::from_pkcs8_der(pkcs8_der) {
            Ok(k) => Key::P256(k),
            Err(_) => Key::Rsa(Box::new(rsa::pkcs1v15::SigningKey::new(
                rsa::RsaPrivateKey::from_pkcs8_der(pkcs8_der).map_err(err)?,
            ))),
        };
        Ok(Signatory { certificate, key })
    }

    pub fn certificate_der(&self) -> Vec<u8> {
        self.certificate.to_der().unwrap_or_default()
    }

    /// A detached CMS SignedData (SHA-256, signed attributes with messageDigest and signingTime,
    /// the signer certificate included) over `data`, DER-encoded.
    pub fn sign_detached(&self, data: &[u8]) -> Result<Vec<u8>, SignatoryError> {
        let digest = Sha256::digest(data);
        let content = EncapsulatedContentInfo {
            econtent_type: const_oid::db::rfc5911::ID_DATA,
            econtent: None,
        };
        let tbs = &self.certificate.tbs_certificate;
        let sid = SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
            issuer: tbs.issuer.clone(),
            serial_number: tbs.serial_number.clone(),
        });
        let digest_alg = AlgorithmIdentifierOwned {
            oid: const_oid::db::rfc5912::ID_SHA_256,
            parameters: None,
        };
        let mut builder = SignedDataBuilder::new(&content);
        builder
            .add_digest_algorithm(digest_alg.clone())
            .map_err(err)?
            .add_certificate(CertificateChoices::Certificate(self.certificate.clone()))
            .map_err(err)?;
        let time = create_signing_time_attribute().map_err(err)?;
        match &self.key {
            Key::P256(k) => {
                let mut info =
                    SignerInfoBuilder::new(k, sid, digest_alg, &content, Some(digest.as_slice()))
                        .map_err(err)?;
                info.add_signed_attribute(time).map_err(err)?;
                builder
                    .add_signer_info::<_, p256::ecdsa::DerSignature>(info)
                    .map_err(err)?;
            }
            Key::Rsa(k) => {
                let mut info = SignerInfoBuilder::new(
                    k.as_ref(),
                    sid,
                    digest_alg,
                    &content,
                    Some(digest.as_slice()),
                )
                .map_err(err)?;
                info.add_signed_attribute(time).map_err(err)?;
                builder
                    .add_signer_info::<_, rsa::pkcs1v15::Signature>(info)
                    .map_err(err)?;
            }
        }
        builder.build().map_err(err)?.to_der().map_err(err)
    }
}
