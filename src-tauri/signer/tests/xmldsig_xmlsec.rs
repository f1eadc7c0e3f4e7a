//! xmlsec1 --verify accepts the enveloped signatures we make, for RSA and EC keys and for
//! documents with namespaces, comments, entities and self-closing roots.

mod common;

use common::{keystore, manifest, run, stderr};
use qoltanba_signer::xmldsig;
use qoltanba_signer::Error;

fn xmlsec_verify(signed: &str) -> std::process::Output {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("signed.xml");
    std::fs::write(&path, signed).unwrap();
    run(
        "xmlsec1",
        &[
            "--verify",
            "--trusted-pem",
            manifest().ca.to_str().unwrap(),
            path.to_str().unwrap(),
        ],
    )
}

const ACT: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<!-- акт -->
<act xmlns="urn:ozon:act" xmlns:kz="urn:kz" xml:lang="ru" number="42">
  <seller bin="123456789021">ТОО "Сауда" &amp; K°</seller>
  <kz:amount currency="KZT">1000.00</kz:amount>
  <note><![CDATA[5 < 6]]></note><!-- inside -->
  <empty/>
</act>
"#;

#[test]
fn rsa_signed_document_verifies() {
    let signed = xmldsig::sign_enveloped(&keystore("employee_sign"), ACT).unwrap();
    assert!(signed.contains("xmldsig-more#rsa-sha256"));
    assert!(signed.contains("<ds:X509Certificate>"));
    let out = xmlsec_verify(&signed);
    assert!(out.status.success(), "{}\n{signed}", stderr(&out));
}

#[test]
fn ec_signed_document_verifies() {
    let signed = xmldsig::sign_enveloped(&keystore("employee_sign_ec"), ACT).unwrap();
    assert!(signed.contains("xmldsig-more#ecdsa-sha256"));
    let out = xmlsec_verify(&signed);
    assert!(out.status.success(), "{}\n{signed}", stderr(&out));
}

#[test]
fn tampered_document_fails_verification() {
    let signed = xmldsig::sign_enveloped(&keystore("employee_sign"), ACT).unwrap();
    let tampered = signed.replace("1000.00", "9000.00");
    assert_ne!(tampered, signed);
    assert!(!xmlsec_verify(&tampered).status.success());
}

#[test]
fn self_closing_root_and_crlf_documents_verify() {
    for xml in [
        "<doc id=\"1\"/>",
        "<r>\r\n<a>x</a>\r\n</r>\r\n",
        "<p:r xmlns:p=\"urn:p\"><p:a/></p:r>",
    ] {
        let signed = xmldsig::sign_enveloped(&keystore("employee_sign"), xml).unwrap();
        let out = xmlsec_verify(&signed);
        assert!(out.status.success(), "{xml}: {}\n{signed}", stderr(&out));
    }
}

#[test]
fn malformed_xml_is_refused_with_a_position() {
    let err = xmldsig::sign_enveloped(&keystore("employee_sign"), "<a><b></a>").unwrap_err();
    assert!(matches!(err, Error::Xml { line: 1, .. }), "{err:?}");
    assert!(err
        .to_string()
        .starts_with("org.xml.sax.SAXParseException; lineNumber: 1; columnNumber: "));
}

#[test]
fn non_utf8_declaration_is_rewritten_so_cyrillic_verifies() {
    let xml = "<?xml version=\"1.0\" encoding=\"windows-1251\"?>\n<акт номер=\"7\">Сумма: 1000 тенге</акт>";
    let signed = xmldsig::sign_enveloped(&keystore("employee_sign"), xml).unwrap();
    assert!(
        signed.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"),
        "{signed}"
    );
    let out = xmlsec_verify(&signed);
    assert!(out.status.success(), "{}\n{signed}", stderr(&out));
    // Kept as windows-1251, the same UTF-8 bytes would be read as other text and fail.
    let kept = signed.replacen("UTF-8", "windows-1251", 1);
    assert!(!xmlsec_verify(&kept).status.success());
}
