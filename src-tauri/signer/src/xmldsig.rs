//! Enveloped XMLDSig in the shape NCALayer's signXml makes: C14N 1.0, rsa-sha256 (ecdsa-sha256
//! for EC keys), Reference URI="" with enveloped-signature and C14N transforms, SHA-256 digest,
//! the signer certificate in KeyInfo. The signature becomes the root element's last child.
//! GOST keys use the pkigovkz URIs and Streebog-512 (2015) the way Kalkan does.

use base64::Engine;

use crate::c14n::{self, Context};
use crate::error::{Error, Result};
use crate::gost::oids as gost_oids;
use crate::keystore::{KeyAlgorithm, Keystore};

pub const DSIG_NS: &str = "http://www.w3.org/2000/09/xmldsig#";
const C14N: &str = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315";
const C14N_WITH_COMMENTS: &str = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments";
const ENVELOPED: &str = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";
const RSA_SHA256: &str = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
const ECDSA_SHA256: &str = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256";
const SHA256: &str = "http://www.w3.org/2001/04/xmlenc#sha256";

/// Signs the whole document and returns it with a `ds:Signature` as the root's last child.
/// Malformed XML gives [`Error::Xml`] with the line and column.
pub fn sign_enveloped(key: &Keystore, xml: &str) -> Result<String> {
    let xml = declare_utf8(&c14n::normalise_line_ends(xml));
    let document = c14n::canonicalize(&xml, &Context::default())?;
    let b64 = base64::engine::general_purpose::STANDARD;
    let algorithm = key.algorithm();
    let digest = b64.encode(algorithm.hash(document.text.as_bytes()));

    let (method, digest_method) = match algorithm {
        KeyAlgorithm::Rsa => (RSA_SHA256, SHA256),
        KeyAlgorithm::EcP256 => (ECDSA_SHA256, SHA256),
        KeyAlgorithm::Gost2015 => (gost_oids::XML_SIGN_2015, gost_oids::XML_DIGEST_2015),
        KeyAlgorithm::Gost2004 => (gost_oids::XML_SIGN_2004, gost_oids::XML_DIGEST_2004),
    };
    // URI="" selects the document without comments, so the with-comments transform that
    // NCALayer names yields the same bytes as plain C14N.
    let signed_info = format!(
        "<ds:SignedInfo>\
<ds:CanonicalizationMethod Algorithm=\"{C14N}\"/>\
<ds:SignatureMethod Algorithm=\"{method}\"/>\
<ds:Reference URI=\"\">\
<ds:Transforms>\
<ds:Transform Algorithm=\"{ENVELOPED}\"/>\
<ds:Transform Algorithm=\"{C14N_WITH_COMMENTS}\"/>\
</ds:Transforms>\
<ds:DigestMethod Algorithm=\"{digest_method}\"/>\
<ds:DigestValue>{digest}</ds:DigestValue>\
</ds:Reference>\
</ds:SignedInfo>"
    );

    // SignedInfo is canonicalised where it will stand: inside ds:Signature inside the root.
    let mut context = document.root_context.clone();
    match context.namespaces.get("ds") {
        Some(uri) if uri != DSIG_NS => {
            return Err(Error::Signing(
                "the document binds the prefix \"ds\" to another namespace".into(),
            ))
        }
        _ => {
            context.namespaces.insert("ds".into(), DSIG_NS.into());
        }
    }
    let signed_info_c14n = c14n::canonicalize(&signed_info, &context)?.text;
    let signature_value = b64.encode(key.sign_for_xml(signed_info_c14n.as_bytes())?);
    let certificate = b64.encode(key.certificate_der());

    let signature = format!(
        "<ds:Signature xmlns:ds=\"{DSIG_NS}\">{signed_info}\
<ds:SignatureValue>{signature_value}</ds:SignatureValue>\
<ds:KeyInfo><ds:X509Data><ds:X509Certificate>{certificate}</ds:X509Certificate></ds:X509Data></ds:KeyInfo>\
</ds:Signature>"
    );

    let at = document.root_end;
    let mut out = String::with_capacity(xml.len() + signature.len() + 64);
    if document.root_self_closing {
        // `<root .../>` becomes `<root ...>SIGNATURE</root>`.
        let name = root_name(&xml[..at]);
        out.push_str(xml[..at].trim_end());
        out.push('>');
        out.push_str(&signature);
        out.push_str("</");
        out.push_str(&name);
        out.push('>');
        out.push_str(&xml[at + 2..]);
    } else {
        out.push_str(&xml[..at]);
        out.push_str(&signature);
        out.push_str(&xml[at..]);
    }
    Ok(out)
}

/// The text is a Rust string, so whatever is written out is UTF-8: a declaration naming another
/// encoding (windows-1251 is common) would make verifiers read the Cyrillic wrongly.
fn declare_utf8(xml: &str) -> String {
    let Some(end) = xml.starts_with("<?xml").then(|| xml.find("?>")).flatten() else {
        return xml.to_string();
    };
    let decl = &xml[..end];
    let Some(at) = decl.find("encoding") else {
        return xml.to_string();
    };
    let rest = &decl[at..];
    let Some(open) = rest.find(['"', '\'']) else {
        return xml.to_string();
    };
    let q = rest.as_bytes()[open] as char;
    let Some(close) = rest[open + 1..].find(q) else {
        return xml.to_string();
    };
    let name = &rest[open + 1..open + 1 + close];
    if name.eq_ignore_ascii_case("utf-8") {
        return xml.to_string();
    }
    let start = at + open + 1;
    format!("{}UTF-8{}", &xml[..start], &xml[start + close..])
}

/// The name of the last start tag before `end` (the self-closing root).
fn root_name(head: &str) -> String {
    let start = head.rfind('<').map_or(0, |i| i + 1);
    head[start..]
        .split(|c: char| c.is_whitespace() || c == '/' || c == '>')
        .next()
        .unwrap_or_default()
        .to_string()
}
