//! A slow CRL server holds up only the import that waits for it: while the list downloads, the
//! store answers other reads and writes at once (the download runs with the store let go).

mod crl_support;

use crl_support::*;
use qoltanba_core::app::{documents, App};
use qoltanba_core::store::{SettingKey, Settings};
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

#[test]
fn the_store_answers_while_an_import_waits_for_a_crl() {
    let dir = tempfile::tempdir().unwrap();
    let server = CrlServer::start();
    let ca = ca();
    let signer = ca.signer(5151, &server.url());
    server.serve(ca.crl(&[], now() + qoltanba_core::model::TimeDelta::days(7)));
    server.delay_ms.store(1500, Ordering::SeqCst);
    let (store, _) = store_trusting(&dir.path().join("data"), &ca, &[&server]);
    let app = App::new(store).unwrap();
    let files = dir.path().join("in");
    std::fs::create_dir_all(&files).unwrap();
    let pdf = support::sales_report_pdf("601");
    std::fs::write(files.join("report.pdf.p7s"), sign(&signer, &pdf)).unwrap();
    std::fs::write(files.join("report.pdf"), pdf).unwrap();

    std::thread::scope(|s| {
        let import = s.spawn(|| app.import(std::slice::from_ref(&files)));
        // The download has started (the server counts the request) and is still waiting.
        let started = Instant::now();
        while server.requests() == 0 && started.elapsed() < Duration::from_secs(10) {
            std::thread::sleep(Duration::from_millis(10));
        }
        assert_eq!(server.requests(), 1, "the import never asked for the CRL");
        let t = Instant::now();
        app.write(|s| s.set_setting(SettingKey::ReminderDays, "4"))
            .unwrap();
        app.read(documents::tab_counts).unwrap();
        let took = t.elapsed();
        assert!(
            took < Duration::from_millis(100),
            "a write and a read waited {took:?} behind the CRL download"
        );
        assert!(
            !import.is_finished(),
            "the download should still be under way"
        );
        let outcomes = import.join().unwrap().unwrap();
        assert_eq!(outcomes.len(), 1, "{outcomes:?}");
        assert!(outcomes[0].error.is_none(), "{outcomes:?}");
    });
    assert_eq!(
        app.read(|s| s.setting(SettingKey::ReminderDays)).unwrap(),
        Some("4".into())
    );
}
