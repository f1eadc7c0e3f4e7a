//! XMLDSig enveloped signatures as NCALayer, Kalkan and NCANode write them: ds:Signature children
//! of the root element, Reference URI="" with the enveloped-signature and C14N transforms,
//! inclusive C14N 1.0 of SignedInfo, the certificate in ds:X509Certificate. RSA-SHA256 (W3C URIs)
//! and KZ GOST (pkigovkz URIs) are verified. Several signatures are verified last to first, each
//! removed before the previous one is checked: each signed the document with the earlier ones in
//! it. DOCTYPE (and with it every entity bomb) is refused.

use std::collections::BTreeMap;

use base64::Engine as _;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::algs::{self, Check};
use super::c14n::{self, Context};
use super::chain::{self, Validation};
use super::identity::SignerIdentity;
use super::oids;
use super::verdict::{Indication, SubIndication, Verdict};
use crate::{Error, ErrorCode, Result};

const DSIG: &str = "http://www.w3.org/2000/09/xmldsig#";
const C14N: &str = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315";
const C14N_COMMENTS: &str = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments";
const ENVELOPED: &str = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";
/// Signed XML larger than this is refused before parsing.
const MAX_XML: usize = 64 * 1024 * 1024;

/// (signature method URI, signature OID, name)
const SIGNATURE_METHODS: [(&str, const_oid::ObjectIdentifier, &str); 4] = [
    (
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
        oids::SHA256_WITH_RSA,
        "RSA (PKCS#1 v1.5), SHA-256",
    ),
    (
        "urn:ietf:params:xml:ns:pkigovkz:xmlsec:algorithms:gostr34102015-gostr34112015-512",
        oids::GOST2015_512_SIGNATURE,
        "ГОСТ 34.310-2015 (512), Стрибог-512",
    ),
    // UNVERIFIED (no GOST-2004 XML sample found): the URIs Kalkan's xmlsec names for 2004.
    (
        "urn:ietf:params:xml:ns:pkigovkz:xmlsec:algorithms:gostr34102001-gostr3411",
        oids::GOST2004_SIGNATURE,
        "ГОСТ 34.310-2004",
    ),
    (
        "http://www.w3.org/2001/04/xmldsig-more#gostr34102001-gostr3411",
        oids::GOST2004_SIGNATURE,
        "ГОСТ 34.310-2004",
    ),
];

const DIGEST_METHODS: [(&str, const_oid::ObjectIdentifier); 4] = [
    ("http://www.w3.org/2001/04/xmlenc#sha256", oids::SHA256),
    (
        "urn:ietf:params:xml:ns:pkigovkz:xmlsec:algorithms:gostr34112015-512",
        oids::STREEBOG_512,
    ),
    (
        "urn:ietf:params:xml:ns:pkigovkz:xmlsec:algorithms:gostr3411",
        oids::GOST_34_311_95,
    ),
    (
        "http://www.w3.org/2001/04/xmldsig-more#gostr3411",
        oids::GOST_34_311_95,
    ),
];

/// One ds:Signature child of the root: where it is and the namespaces in scope on it.
struct Located {
    start: usize,
    end: usize,
    scope: BTreeMap<String, String>,
    xml_attributes: Vec<(String, String)>,
}

/// Namespaces in scope and xml:* attributes in effect on an element.
type Scope = (BTreeMap<String, String>, Vec<(String, String)>);

/// What a ds:Signature says.
#[derive(Default)]
struct Parsed {
    signed_info: Option<(usize, usize)>,
    c14n_method: Option<String>,
    signature_method: Option<String>,
    references: Vec<Option<String>>,
    transforms: Vec<String>,
    digest_method: Option<String>,
    digest_value: String,
    signature_value: String,
    certificates: Vec<String>,
}

/// Verifies every enveloped ds:Signature of a signed XML document, last to first; the verdicts
/// come back in document order. Not XML, DOCTYPE, or no signature at all: an error (not a
/// signature file); a signature that cannot be checked: a verdict saying why.
pub fn verify_xml_with(xml: &[u8], validation: &Validation) -> Result<Vec<Verdict>> {
    if xml.len() > MAX_XML {
        return Err(not_signature("файл XML больше 64 МБ"));
    }
    let text = std::str::from_utf8(xml).map_err(|_| not_signature("XML не в UTF-8"))?;
    let mut doc = c14n::normalise_line_ends(text);
    let mut found = locate(&doc)?;
    if found.is_empty() {
        return Err(not_signature("в XML нет подписи ds:Signature"));
    }
    let mut verdicts = vec![];
    while let Some(sig) = found.pop() {
        let element = doc[sig.start..sig.end].to_string();
        let without = format!("{}{}", &doc[..sig.start], &doc[sig.end..]);
        verdicts.push(check_one(&element, &sig, &without, validation));
        doc = without;
    }
    verdicts.reverse();
    Ok(verdicts)
}

/// The certificates (ds:X509Certificate, DER) of every ds:Signature of a signed XML; empty when
/// it is not one.
pub fn xml_certificates(xml: &[u8]) -> Vec<Vec<u8>> {
    let Some(text) = std::str::from_utf8(xml)
        .ok()
        .filter(|_| xml.len() <= MAX_XML)
    else {
        return vec![];
    };
    let doc = c14n::normalise_line_ends(text);
    let Ok(found) = locate(&doc) else {
        return vec![];
    };
    found
        .iter()
        .filter_map(|sig| parse(&doc[sig.start..sig.end]).ok())
        .flat_map(|p| p.certificates.into_iter().filter_map(|c| b64(&c)))
        .collect()
}

fn not_signature(why: &str) -> Error {
    Error::new(
        ErrorCode::UnsupportedFile,
        format!("Файл не является подписанным XML: {why}"),
    )
}

fn local(qname: &[u8]) -> &[u8] {
    qname
        .iter()
        .rposition(|&b| b == b':')
        .map_or(qname, |i| &qname[i + 1..])
}

fn prefix(qname: &str) -> &str {
    qname.split_once(':').map_or("", |(p, _)| p)
}

fn attr(e: &BytesStart<'_>, name: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref().as_bytes() == name)
        .and_then(|a| c14n::unescape(&a.value).ok())
}

/// The ds:Signature children of the root element, with their namespace scope.
fn locate(doc: &str) -> Result<Vec<Located>> {
    let mut reader = Reader::from_str(doc);
    reader.config_mut().check_end_names = true;
    // Each open element: its scope and its xml:* attributes in effect.
    let mut stack: Vec<Scope> = vec![];
    let mut out = vec![];
    let mut open: Option<(usize, usize, Scope)> = None;
    loop {
        let before = reader.buffer_position() as usize;
        let event = reader
            .read_event()
            .map_err(|e| not_signature(&format!("XML не разобран: {e}")))?;
        let after = reader.buffer_position() as usize;
        match event {
            Event::DocType(_) => return Err(not_signature("DOCTYPE не допускается")),
            Event::Eof => break,
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(event, Event::Empty(_));
                let (mut scope, mut xml_attrs) = stack.last().cloned().unwrap_or_default();
                for a in e.attributes().flatten() {
                    let key = a.key.as_ref().to_string();
                    let value = a.value.into_owned();
                    let value = c14n::unescape(&value).unwrap_or(value);
                    if key == "xmlns" {
                        scope.insert(String::new(), value);
                    } else if let Some(p) = key.strip_prefix("xmlns:") {
                        scope.insert(p.to_string(), value);
                    } else if key.starts_with("xml:") {
                        xml_attrs.retain(|(k, _)| *k != key);
                        xml_attrs.push((key, value));
                    }
                }
                let qname = e.name().as_ref().to_string();
                let is_signature = stack.len() == 1
                    && local(qname.as_bytes()) == b"Signature"
                    && scope.get(prefix(&qname)).map(String::as_str) == Some(DSIG);
                if is_signature {
                    if empty {
                        out.push(Located {
                            start: before,
                            end: after,
                            scope: scope.clone(),
                            xml_attributes: xml_attrs.clone(),
                        });
                    } else {
                        open = Some((before, stack.len(), (scope.clone(), xml_attrs.clone())));
                    }
                }
                if !empty {
                    stack.push((scope, xml_attrs));
                }
            }
            Event::End(_) => {
                stack.pop();
                if open.as_ref().is_some_and(|o| o.1 == stack.len()) {
                    let (start, _, (scope, xml_attributes)) = open.take().expect("open");
                    out.push(Located {
                        start,
                        end: after,
                        scope,
                        xml_attributes,
                    });
                }
            }
            _ => {}
        }
    }
    Ok(out)
}

/// Reads the parts of one ds:Signature (its own text, offsets relative to it).
fn parse(element: &str) -> std::result::Result<Parsed, String> {
    let mut reader = Reader::from_str(element);
    let mut p = Parsed::default();
    let mut path: Vec<Vec<u8>> = vec![];
    let mut signed_info_start = None;
    loop {
        let before = reader.buffer_position() as usize;
        let event = reader.read_event().map_err(|e| e.to_string())?;
        let after = reader.buffer_position() as usize;
        match event {
            Event::Eof => break,
            Event::Start(ref e) | Event::Empty(ref e) => {
                let name = local(e.name().as_ref().as_bytes()).to_vec();
                match name.as_slice() {
                    b"SignedInfo" if path.len() == 1 => signed_info_start = Some(before),
                    b"CanonicalizationMethod" => p.c14n_method = attr(e, b"Algorithm"),
                    b"SignatureMethod" => p.signature_method = attr(e, b"Algorithm"),
                    b"Reference" => p.references.push(attr(e, b"URI")),
                    b"Transform" => p.transforms.extend(attr(e, b"Algorithm")),
                    b"DigestMethod" => p.digest_method = attr(e, b"Algorithm"),
                    b"X509Certificate" => p.certificates.push(String::new()),
                    _ => {}
                }
                if matches!(event, Event::Start(_)) {
                    path.push(name);
                }
            }
            Event::End(ref e) => {
                if local(e.name().as_ref().as_bytes()) == b"SignedInfo" && path.len() == 2 {
                    p.signed_info = signed_info_start.map(|s| (s, after));
                }
                path.pop();
            }
            Event::Text(ref t) => {
                let text = c14n::unescape(t)?;
                match path.last().map(Vec::as_slice) {
                    Some(b"DigestValue") => p.digest_value += &text,
                    Some(b"SignatureValue") => p.signature_value += &text,
                    Some(b"X509Certificate") => {
                        if let Some(c) = p.certificates.last_mut() {
                            *c += &text;
                        }
                    }
                    _ => {}
                }
            }
            Event::GeneralRef(ref r) => {
                // quick-xml reports character references (&#13;) apart from the text.
                let raw = format!("&{};", &**r);
                let text = c14n::unescape(&raw)?;
                match path.last().map(Vec::as_slice) {
                    Some(b"DigestValue") => p.digest_value += &text,
                    Some(b"SignatureValue") => p.signature_value += &text,
                    Some(b"X509Certificate") => {
                        if let Some(c) = p.certificates.last_mut() {
                            *c += &text;
                        }
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
    Ok(p)
}

fn b64(text: &str) -> Option<Vec<u8>> {
    let clean: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    base64::engine::general_purpose::STANDARD.decode(clean).ok()
}

fn check_one(element: &str, sig: &Located, without: &str, validation: &Validation) -> Verdict {
    let format = |why: &str| {
        Verdict::failed(
            SubIndication::FormatFailure,
            format!("Подпись XML повреждена: {why}"),
        )
    };
    let p = match parse(element) {
        Ok(p) => p,
        Err(e) => return format(&e),
    };
    let Some((si_start, si_end)) = p.signed_info else {
        return format("нет ds:SignedInfo");
    };
    let Some(cert_der) = p.certificates.first().and_then(|c| b64(c)) else {
        return Verdict::indeterminate(
            SubIndication::NoSigningCertificateFound,
            "В подписи XML нет сертификата подписанта (ds:X509Certificate)",
        );
    };
    let Ok(cert) = <x509_cert::Certificate as der::Decode>::from_der(&cert_der) else {
        return format("ds:X509Certificate не является сертификатом");
    };
    let signer = SignerIdentity::from_certificate(&cert);
    let method = p.signature_method.clone().unwrap_or_default();
    let known = SIGNATURE_METHODS.iter().find(|(uri, _, _)| *uri == method);
    let with = |mut v: Verdict| {
        v.signer = Some(signer.clone());
        v.algorithm = Some(known.map_or(method.clone(), |k| k.2.to_string()));
        v.algorithm_id = Some(known.map_or_else(
            || format!("uri:{method}"),
            |k| oids::algorithm_id(&k.1, &k.1),
        ));
        v
    };
    let Some(&(_, sig_oid, _)) = known else {
        return with(Verdict::indeterminate(
            SubIndication::AlgorithmNotSupported,
            format!("Алгоритм подписи XML {method} не поддерживается"),
        ));
    };
    let c14n_ok = matches!(p.c14n_method.as_deref(), Some(C14N) | Some(C14N_COMMENTS));
    let transforms_ok = p
        .transforms
        .iter()
        .all(|t| t == ENVELOPED || t == C14N || t == C14N_COMMENTS);
    if !c14n_ok || !transforms_ok || p.references.len() != 1 {
        return with(Verdict::indeterminate(
            SubIndication::AlgorithmNotSupported,
            "Подпись XML этого вида (канонизация, преобразования или несколько ссылок) \
             Qoltanba проверить не может",
        ));
    }
    if p.references[0].as_deref() != Some("") {
        return with(Verdict::indeterminate(
            SubIndication::AlgorithmNotSupported,
            "Подпись XML не всего документа (Reference URI не пустой) Qoltanba проверить не может",
        ));
    }
    let digest_uri = p.digest_method.clone().unwrap_or_default();
    let Some(&(_, digest_oid)) = DIGEST_METHODS.iter().find(|(u, _)| *u == digest_uri) else {
        return with(Verdict::indeterminate(
            SubIndication::AlgorithmNotSupported,
            format!("Алгоритм хеширования XML {digest_uri} не поддерживается"),
        ));
    };
    // The document without this signature, canonicalised as the transforms say.
    let doc_context = Context {
        comments: p.transforms.iter().any(|t| t == C14N_COMMENTS),
        ..Context::default()
    };
    let canonical = match c14n::canonicalize(without, &doc_context) {
        Ok(c) => c.text,
        Err(e) => return with(format(&e.to_string())),
    };
    let digest = super::digest::of(&digest_oid, canonical.as_bytes()).unwrap_or_default();
    if b64(&p.digest_value) != Some(digest) {
        return with(Verdict::failed(
            SubIndication::HashFailure,
            "Подпись недействительна: документ изменён после подписания",
        ));
    }
    let si_context = Context {
        namespaces: sig.scope.clone(),
        xml_attributes: sig.xml_attributes.clone(),
        comments: p.c14n_method.as_deref() == Some(C14N_COMMENTS),
    };
    let signed_info = match c14n::canonicalize(&element[si_start..si_end], &si_context) {
        Ok(c) => c.text,
        Err(e) => return with(format(&e.to_string())),
    };
    let Some(value) = b64(&p.signature_value) else {
        return with(format("SignatureValue не base64"));
    };
    let key = &cert.tbs_certificate.subject_public_key_info;
    match algs::verify(key, &sig_oid, signed_info.as_bytes(), &value) {
        Check::Valid => {}
        Check::Invalid => {
            return with(Verdict::failed(
                SubIndication::SigCryptoFailure,
                "Подпись недействительна: значение подписи не соответствует ключу сертификата",
            ))
        }
        Check::Unsupported(what) => {
            return with(Verdict::indeterminate(
                SubIndication::AlgorithmNotSupported,
                format!("Алгоритм подписи {what} не поддерживается"),
            ))
        }
    }
    let outcome = chain::validate(&cert_der, &[], validation);
    let mut v = with(Verdict::new(
        outcome.indication,
        outcome.sub,
        outcome.reason,
    ));
    v.intact = true;
    v.warnings = outcome.warnings;
    v.chain = outcome.chain;
    if v.indication == Indication::TotalPassed {
        v.reason = "Подпись XML действительна: документ не изменён, подпись соответствует \
                    сертификату, цепочка до доверенного сертификата проверена"
            .into();
    }
    v
}
