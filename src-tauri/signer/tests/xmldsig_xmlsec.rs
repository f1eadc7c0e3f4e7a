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
    assert_digest_mismatch(&xmlsec_verify(&tampered), "a changed amount");
}

/// xmlsec1 refused the signature because the document's digest differs from the signed one: not
/// for an untrusted certificate, a missing key or a file it could not read (any non-zero exit
/// would pass a bare `!success()`).
fn assert_digest_mismatch(out: &std::process::Output, what: &str) {
    let err = stderr(out);
    assert!(!out.status.success(), "{what}: verified");
    assert!(
        err.contains("data and digest do not match")
            && err.contains("SignedInfo References (ok/all): 0/1"),
        "{what}: refused for another reason: {err}"
    );
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

/// Documents that exercise each C14N rule where a small canonicaliser could go wrong.
#[test]
fn tricky_documents_verify() {
    let documents = [
        // attributes sort by namespace URI, not by prefix; unqualified ones first
        r#"<r xmlns:z="urn:a" xmlns:a="urn:z" a:k="1" z:k="2" k="3" b="4"/>"#,
        // redeclared and undeclared default namespaces, nested prefixes
        r#"<r xmlns="urn:d"><a xmlns=""><b xmlns="urn:d"/></a><p:c xmlns:p="urn:p"><p:d xmlns:p="urn:p2"/></p:c></r>"#,
        // xml:lang and xml:space on the root are inherited by SignedInfo
        "<r xml:lang=\"kk\" xml:space=\"preserve\">  Қазақша мәтін  </r>",
        // character references, whitespace in attributes, > in text, tabs
        "<r a=\"x&#9;y&#10;z\" b=\"  spaced\tvalue \">&#x41;&#66; &gt; &lt; &amp; ]]&gt;\t</r>",
        // processing instructions inside and around the root, comments everywhere
        "<?pi-before data?><!--c--><r><?inner x?><!--c--><a/></r><!--c--><?pi-after?>",
        // the document already uses the ds prefix for XMLDSig
        r#"<r xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:Object>x</ds:Object></r>"#,
        // deep nesting and a long text
        &format!(
            "<r>{}{}{}</r>",
            "<n>".repeat(50),
            "текст ".repeat(2000),
            "</n>".repeat(50)
        ),
    ];
    for key in ["employee_sign", "employee_sign_ec"] {
        for xml in &documents {
            let signed = xmldsig::sign_enveloped(&keystore(key), xml).unwrap();
            let out = xmlsec_verify(&signed);
            assert!(
                out.status.success(),
                "{key}: {xml}\n{}\n{signed}",
                stderr(&out)
            );
        }
    }
}

/// Enveloped signatures over URI="" do not co-sign: a second one covers the first, and the
/// first, which covered the document without any signature, no longer verifies. NCALayer's
/// signXml behaves the same; co-signing needs CMS or separate files.
#[test]
fn a_second_signature_covers_the_first_and_breaks_it() {
    let once = xmldsig::sign_enveloped(&keystore("head_sign"), ACT).unwrap();
    let twice = xmldsig::sign_enveloped(&keystore("employee_sign"), &once).unwrap();
    assert_eq!(twice.matches("<ds:Signature ").count(), 2);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("twice.xml");
    std::fs::write(&path, &twice).unwrap();
    let ca = manifest().ca.to_str().unwrap().to_string();
    let check = |n: usize| {
        let xpath = format!("(//*[local-name()='Signature'])[{n}]");
        run(
            "xmlsec1",
            &[
                "--verify",
                "--trusted-pem",
                &ca,
                "--node-xpath",
                &xpath,
                path.to_str().unwrap(),
            ],
        )
    };
    let second = check(2);
    assert!(second.status.success(), "{}", stderr(&second));
    assert_digest_mismatch(&check(1), "the first signature under the second");
}
