//! The server's check of a received signature against the recipient's number: an organisation
//! recipient needs its employee's key (BIN), an individual entrepreneur recipient its own
//! personal key (IIN). Real keys in NCA's profile from qoltanba-signer's `testkeys`, real CMS.

use qoltanba_operator::verification::{verify, Verdict};
use qoltanba_signer::keystore::Keystore;
use qoltanba_signer::testkeys::{self, Manifest, INDIVIDUAL_IIN, SELLER_BIN, SOLE_IIN};
use time::OffsetDateTime;

const DOC: &[u8] = "Акт сверки взаиморасчётов с ИП за октябрь 2026\n".as_bytes();

fn sign(m: &Manifest, role: &str) -> Vec<u8> {
    let key = Keystore::open(m.path(role), &m.password).unwrap();
    qoltanba_signer::cms::sign(&key, DOC, true).unwrap()
}

fn not_allowed(v: Verdict) -> String {
    match v {
        Verdict::SignerNotAllowed(text) => text,
        other => panic!("expected signer_not_allowed, got {other:?}"),
    }
}

#[test]
fn an_entrepreneur_recipient_signs_with_its_personal_key_and_no_one_elses() {
    let dir = tempfile::tempdir().unwrap();
    let m = testkeys::generate(dir.path(), testkeys::DEFAULT_PASSWORD).unwrap();
    let now = OffsetDateTime::now_utc();

    assert_eq!(
        verify(&sign(&m, "sole_sign"), DOC, SOLE_IIN, now),
        Verdict::Valid
    );

    let text = not_allowed(verify(&sign(&m, "individual_sign"), DOC, SOLE_IIN, now));
    assert!(
        text.contains(INDIVIDUAL_IIN) && text.contains(SOLE_IIN),
        "{text}"
    );
    let text = not_allowed(verify(&sign(&m, "employee_sign"), DOC, SOLE_IIN, now));
    assert!(
        text.contains(SELLER_BIN) && text.contains(SOLE_IIN),
        "{text}"
    );

    // An organisation recipient is checked by BIN as before: its employee signs, the
    // entrepreneur's personal key does not.
    assert_eq!(
        verify(&sign(&m, "employee_sign"), DOC, SELLER_BIN, now),
        Verdict::Valid
    );
    let text = not_allowed(verify(&sign(&m, "sole_sign"), DOC, SELLER_BIN, now));
    assert!(
        text.contains(SOLE_IIN) && text.contains(SELLER_BIN),
        "{text}"
    );
    // Nothing but the signed bytes passes.
    assert!(matches!(
        verify(&sign(&m, "sole_sign"), b"other bytes", SOLE_IIN, now),
        Verdict::Invalid(_)
    ));
}
