//! The entry points the fuzz targets (`fuzz/`) drive, one per parser that reads bytes from outside:
//! NCALayer's replies, CMS signatures, the operator's JSON, imported PDF and XML files, act
//! drafts and refusal notices. They live here, not in `fuzz/`, so that `tests/fuzz_corpus.rs`
//! replays every saved corpus file through exactly the same code on stable Rust, and so that
//! crate-private parsers can be reached without widening their visibility. Each one must return,
//! never panic, whatever the bytes; the results are dropped because only "no panic, no hang" is
//! being checked (the refusal notice also checks that what it reads writes back the same).

use crate::model::Timestamp;

/// A fixed instant, so that a corpus file replays the same way on any day.
fn at() -> Timestamp {
    Timestamp::parse("2026-11-01T12:00:00Z").expect("a valid instant")
}

/// One NCALayer reply frame, read the way the client reads a sign answer: the frame, its
/// result(s), then each CMS from PEM/base64 to DER.
pub fn ncalayer_reply(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(result) = crate::ncalayer::reply::parse(text) else {
        return;
    };
    let _ = crate::ncalayer::reply::single(result.clone());
    let _ = crate::ncalayer::KeyInfo::from_response(result.clone());
    if let Ok(items) = crate::ncalayer::reply::strings(result) {
        for item in items {
            let _ = crate::ncalayer::cms_to_der(&item);
        }
    }
}

/// A CMS signature: the first byte says how many of the following bytes are the signed content;
/// the rest is the CMS (detached and attached verification, the signer check against a BIN).
pub fn cms(data: &[u8]) -> (usize, usize) {
    let Some((&n, rest)) = data.split_first() else {
        return (0, 0);
    };
    let n = (n as usize).min(rest.len());
    let (content, der) = rest.split_at(n);
    let detached = crate::signature::verify_all_detached(der, content, at());
    let attached = crate::signature::verify_all_attached(der, at());
    let _ = crate::signature::attached_content(der);
    let _ = crate::signature::check_own(der, content, "123456789021", at());
    let _ = crate::import::signature_der(der);
    (detached.len(), attached.len())
}

/// A pool of certificates as a chain search meets it: the first byte says how many certificates
/// after the first are trust anchors; then DER certificates one after another, the first being
/// the signer's, the rest the CMS's. The search to the anchors (with its budget) and the choice
/// of certificates whose CRLs may be fetched. Returns the signature checks made, held to the
/// budget here so the fuzzer reports any input that escapes it.
pub fn chain(data: &[u8]) -> usize {
    let Some((&n, rest)) = data.split_first() else {
        return 0;
    };
    let certificates = der_sequence(rest);
    let Some((signer, others)) = certificates.split_first() else {
        return 0;
    };
    let anchors = (n as usize).min(others.len());
    let mut validation = crate::signature::Validation::new(at());
    validation.anchors = others[..anchors].to_vec();
    let embedded = &others[anchors..];
    let work = crate::signature::chain_work(signer, embedded, &validation);
    assert!(work.signature_checks <= crate::signature::MAX_SIGNATURE_CHECKS);
    let _ = crate::signature::check_certificate(signer, &validation);
    let _ = crate::signature::anchored(&certificates, &validation.anchors);
    work.signature_checks
}

/// The DER elements one after another at the start of `data`, as bytes.
fn der_sequence(data: &[u8]) -> Vec<Vec<u8>> {
    use der::{Decode, Reader};
    let mut out = vec![];
    let Ok(mut reader) = der::SliceReader::new(data) else {
        return out;
    };
    while !reader.is_finished() {
        let start = reader.position();
        if der::asn1::AnyRef::decode(&mut reader).is_err() {
            break;
        }
        let (Ok(start), Ok(end)) = (usize::try_from(start), usize::try_from(reader.position()))
        else {
            break;
        };
        out.push(data[start..end].to_vec());
    }
    out
}

/// A signed XML document, verified with no trusted roots.
pub fn xml_signature(data: &[u8]) {
    let validation = crate::signature::Validation::new(at());
    let _ = crate::signature::verify_xml_with(data, &validation);
}

/// Any of the operator API's JSON bodies, decoded into each model the client reads, and a
/// received document's metadata checked as sync checks it before downloading anything.
pub fn operator_json(data: &[u8]) {
    use crate::operator::*;
    let _ = serde_json::from_slice::<Me>(data);
    let _ = serde_json::from_slice::<EventPage>(data);
    let _ = serde_json::from_slice::<Accepted>(data);
    let _ = serde_json::from_slice::<Receipt>(data);
    let _ = serde_json::from_slice::<Problem>(data);
    let _ = serde_json::from_slice::<SharedAccess>(data);
    if let Ok(page) = serde_json::from_slice::<DocumentPage>(data) {
        for d in &page.documents {
            remote_document(d);
        }
    }
    if let Ok(d) = serde_json::from_slice::<RemoteDocument>(data) {
        remote_document(&d);
    }
}

fn remote_document(d: &crate::operator::RemoteDocument) {
    let limits = crate::store::AttachmentLimits {
        file: 100 * 1024 * 1024,
        count: 32,
        total: 400 * 1024 * 1024,
    };
    let _ = crate::operator::receive::check_metadata(d, &limits);
    for v in [&d.amount, &d.vat_amount].into_iter().flatten() {
        let _ = crate::model::Money::parse(v);
    }
}

/// A PDF file as import reads it: its text, then what the text says.
pub fn import_pdf(data: &[u8]) {
    if let Ok(text) = crate::import::pdf_text(data) {
        let _ = crate::import::recognise(&text);
    }
}

/// An XML file as import reads it: its text and fields, then what they say.
pub fn import_xml(data: &[u8]) {
    if let Ok(x) = crate::import::xml_text(data) {
        let _ = crate::import::recognise::recognise_xml(&x.fields, &x.text);
    }
}

/// An act draft as `acts check FILE.json` reads it, validated against the default VAT table,
/// with and without a (empty) contract book.
pub fn act(data: &[u8]) -> usize {
    let Ok(draft) = serde_json::from_slice::<crate::acts::ActDraft>(data) else {
        return 0;
    };
    let vat = crate::acts::VatTable::default();
    let book = crate::acts::ContractBook::default();
    let without = crate::acts::validate(
        &draft,
        crate::acts::RuleContext {
            vat: &vat,
            contracts: None,
        },
    );
    let with = crate::acts::validate(
        &draft,
        crate::acts::RuleContext {
            vat: &vat,
            contracts: Some(&book),
        },
    );
    without.len() + with.len()
}

/// A refusal notice as the operator server and `qoltanba verify` read it. One that is accepted
/// must write back to bytes that read as the same notice: a notice whose signed bytes could mean
/// two things would let a signature be shown as another rejection. Returns whether it was read.
pub fn refusal_notice(data: &[u8]) -> bool {
    let Ok(notice) = crate::refusal::RefusalNotice::parse(data) else {
        return false;
    };
    let again = crate::refusal::RefusalNotice::parse(&notice.to_bytes())
        .expect("a notice that was read writes back to one that reads");
    assert_eq!(again, notice, "a notice reads back as written");
    true
}
