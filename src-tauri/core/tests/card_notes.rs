//! The verifier's notes on a card are in the card's language. The notes come from the real
//! verifier: documents signed by a test CA's signer arrive in a store that trusts the CA, while
//! the CA's CRL server on loopback answers with something that is not a CRL (revocation could
//! not be checked) or with a list past its next update. The Kazakh and English cards, read back
//! with pdftotext, say those notes in their own words, with no Russian sentence left.

mod crl_support;

use crl_support::*;
use qoltanba_core::card::card;
use qoltanba_core::model::{Lang, TimeDelta};
use qoltanba_core::Store;
use std::process::Command;

/// The card's text as pdftotext reads it, with wrapped lines joined again.
fn card_text(store: &Store, id: i64, lang: Lang) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("card.pdf");
    std::fs::write(&file, card(store, id, lang).unwrap()).unwrap();
    let out = Command::new("pdftotext")
        .arg(&file)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) runs");
    assert!(out.status.success());
    String::from_utf8(out.stdout)
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The id of the document imported last.
fn last_id(store: &Store) -> i64 {
    store
        .list(&Default::default())
        .unwrap()
        .documents
        .iter()
        .map(|d| d.id)
        .max()
        .unwrap()
}

#[test]
fn the_verifiers_notes_on_a_kazakh_and_an_english_card_are_in_their_language() {
    let dir = tempfile::tempdir().unwrap();
    let server = CrlServer::start();
    let ca = ca();
    let (mut store, _) = store_trusting(dir.path(), &ca, &[&server]);
    let url = server.url();

    // Revocation could not be checked: the server's answer is not a CRL.
    server.serve(b"<html>not a list</html>".to_vec());
    let v = import_signed(&mut store, &ca.signer(11, &url), "401");
    let unchecked = last_id(&store);
    let ru = warnings(&v);
    assert!(
        ru.contains(&"Отзыв не проверен: нет CRL для сертификата «ТЕСТОВ ТЕСТ»".to_string()),
        "{ru:?}"
    );

    // A list past its next update: used, and said to be out of date.
    let next = now() - TimeDelta::days(2);
    server.serve(ca.crl(&[], next));
    let v = import_signed(&mut store, &ca.signer(12, &url), "402");
    let stale = last_id(&store);
    assert!(
        warnings(&v).iter().any(|w| w.contains("устарел")),
        "{:?}",
        warnings(&v)
    );
    let day = next.day().to_string();

    let kk = card_text(&store, unchecked, Lang::Kk);
    for want in [
        "Ескерту: Кері қайтарып алу тексерілмеді: «ТЕСТОВ ТЕСТ» тіркеу куәлігі үшін CRL жоқ",
        &format!(
            "Ескерту: {url} мекенжайынан кері қайтарылған тіркеу куәліктерінің тізімін (CRL) алу \
             мүмкін болмады (жауап кері қайтарылған тіркеу куәліктерінің тізімі емес)"
        ),
    ] {
        assert!(kk.contains(want), "«{want}» is missing from:\n{kk}");
    }
    let en = card_text(&store, unchecked, Lang::En);
    for want in [
        "Note: Revocation not checked: no CRL for the certificate \"ТЕСТОВ ТЕСТ\"",
        &format!(
            "Note: The certificate revocation list (CRL) from {url} could not be had (the answer \
             is not a certificate revocation list)"
        ),
    ] {
        assert!(en.contains(want), "«{want}» is missing from:\n{en}");
    }
    let kk = card_text(&store, stale, Lang::Kk);
    let want = format!(
        "Ескерту: CRL ескірген (беруші: «ТЕСТОВЫЙ УЦ (CRL)», келесі жаңарту: {day}); соңғы кері \
         қайтарып алулар оған енбеуі мүмкін"
    );
    assert!(kk.contains(&want), "«{want}» is missing from:\n{kk}");
    let en = card_text(&store, stale, Lang::En);
    let want = format!(
        "Note: The CRL of issuer \"ТЕСТОВЫЙ УЦ (CRL)\" is out of date (next update {day}); a \
         recent revocation may be missing from it"
    );
    assert!(en.contains(&want), "«{want}» is missing from:\n{en}");

    // No Russian sentence of the verifier is left on those cards; the Russian card keeps them.
    for id in [unchecked, stale] {
        for lang in [Lang::Kk, Lang::En] {
            let text = card_text(&store, id, lang);
            for russian in [
                "Отзыв не проверен",
                "получить не удалось",
                "устарел",
                "издателя",
            ] {
                assert!(!text.contains(russian), "{lang:?}: «{russian}» in\n{text}");
            }
        }
    }
    let ru = card_text(&store, unchecked, Lang::Ru);
    assert!(
        ru.contains("Замечание: Отзыв не проверен: нет CRL для сертификата «ТЕСТОВ ТЕСТ»"),
        "{ru}"
    );
}
