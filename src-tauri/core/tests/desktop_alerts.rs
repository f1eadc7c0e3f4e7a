//! Desktop notifications (issue #19): what is due after a real sync from qoltanba-operator,
//! each shown once, in the window's language, with kinds the user turned off passed over for
//! good; a register error and an ERIR deadline under the bell raise one too.

mod operator_common;

use operator_common::*;
use qoltanba_core::acts::NewStatistics;
use qoltanba_core::alerts::{Alert, AlertTarget};
use qoltanba_core::app::settings::{self, SettingsPatch};
use qoltanba_core::app::{App, Silent};
use qoltanba_core::model::{AlertKind, Origin, Status};
use qoltanba_core::store::{SettingKey, Settings};

fn app(server: &Server) -> (tempfile::TempDir, App) {
    let dir = tempfile::tempdir().unwrap();
    let app = App::new(open_store(dir.path())).unwrap();
    app.write(|s| {
        s.set_setting(SettingKey::SellerBin, SELLER_BIN)?;
        s.set_operator_account(ACCOUNT, &server.url(), None)
    })
    .unwrap();
    app.clients
        .use_operator(ACCOUNT, &server.url(), server.client());
    (dir, app)
}

fn kinds(alerts: &[Alert]) -> Vec<AlertKind> {
    alerts.iter().map(|a| a.kind).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sync_brings_one_notification_of_its_new_documents_once() {
    let server = Server::demo().await;
    let (_d, app) = app(&server);
    // The first look only notes where the store stands.
    assert_eq!(app.take_alerts().unwrap(), []);
    let report = app.sync_documents(&sync_options(), &Silent).await.unwrap();
    let docs = app.read(|s| s.list(&Default::default())).unwrap().documents;
    let n = docs
        .iter()
        .filter(|d| d.status == Status::Received && d.origin == Origin::Operator)
        .count();
    assert!(n > 1, "{report:?}");

    let alerts = app.take_alerts().unwrap();
    assert_eq!(kinds(&alerts), [AlertKind::NewDocuments], "{alerts:?}");
    assert!(alerts[0].title.contains("новых документ"), "{alerts:?}");
    assert!(alerts[0].title.starts_with(&n.to_string()), "{alerts:?}");
    assert_eq!(alerts[0].target, AlertTarget::Inbox);
    // Shown once: the next look has nothing new.
    assert_eq!(app.take_alerts().unwrap(), []);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn waiting_documents_notify_once_each_and_a_kind_turned_off_stays_quiet() {
    let server = Server::demo().await;
    let (dir, app) = app(&server);
    app.sync_documents(&sync_options(), &Silent).await.unwrap();
    let docs = app.read(|s| s.list(&Default::default())).unwrap().documents;
    // Waiting is off; every document waits longer than 0 days.
    app.write(|s| {
        s.set_setting(SettingKey::ReminderDays, "0")?;
        settings::apply(
            s,
            SettingsPatch {
                desktop_alerts_off: Some(vec![AlertKind::Waiting]),
                ..Default::default()
            },
        )
    })
    .unwrap();
    let first = app.take_alerts().unwrap();
    assert!(!kinds(&first).contains(&AlertKind::Waiting), "{first:?}");
    // Turned back on, the documents passed over are not brought back.
    app.write(|s| s.set_setting(SettingKey::DesktopAlertsOff, ""))
        .unwrap();
    assert_eq!(app.take_alerts().unwrap(), []);

    // One not yet looked at (as a document that starts waiting later) does notify, in English
    // here.
    let id = docs[0].id;
    rusqlite::Connection::open(dir.path().join(qoltanba_core::store::DB_FILE))
        .unwrap()
        .execute(
            "DELETE FROM alerts_shown WHERE key = ?1",
            [format!("waiting:{id}")],
        )
        .unwrap();
    app.write(|s| s.set_setting(SettingKey::Language, "en"))
        .unwrap();
    let again = app.take_alerts().unwrap();
    assert_eq!(kinds(&again), [AlertKind::Waiting], "{again:?}");
    assert!(
        again[0].title.starts_with("Waiting for a decision"),
        "{again:?}"
    );
    assert_eq!(again[0].target, AlertTarget::Document { id });
    assert_eq!(again[0].body, docs[0].fields.title);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_error_and_a_passed_erir_deadline_notify_in_kazakh() {
    let server = Server::demo().await;
    let (_d, app) = app(&server);
    assert_eq!(app.take_alerts().unwrap(), []);
    app.write(|s| {
        s.set_setting(SettingKey::Language, "kk")?;
        s.notify("error", None, "Реестр отклонил акт: поле amount")?;
        s.notify("reminder", None, "не уведомление на рабочем столе")?;
        s.add_statistics(&NewStatistics {
            creative: "erid-2Vtzqx".into(),
            platform: "ozon.kz".into(),
            impressions: 1000,
            amount: "100.00".into(),
            first_shown: "2025-01-10".into(),
        })?;
        Ok(())
    })
    .unwrap();
    let alerts = app.take_alerts().unwrap();
    let mut got = kinds(&alerts);
    got.sort_by_key(|k| k.code());
    assert_eq!(got, [AlertKind::Deadlines, AlertKind::Errors], "{alerts:?}");
    let deadline = alerts
        .iter()
        .find(|a| a.kind == AlertKind::Deadlines)
        .unwrap();
    assert_eq!(deadline.title, "ЕРИР-де тіркеу мерзімі өтті");
    assert!(deadline.body.contains("erid-2Vtzqx"), "{deadline:?}");
    let error = alerts.iter().find(|a| a.kind == AlertKind::Errors).unwrap();
    assert_eq!(error.title, "Қате");
    assert_eq!(error.target, AlertTarget::Notifications);
    assert_eq!(app.take_alerts().unwrap(), []);
}

#[test]
fn an_unknown_kind_is_refused_and_nothing_changes() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open_store(dir.path());
    store
        .set_setting(SettingKey::DesktopAlertsOff, "waiting")
        .unwrap();
    let e = store
        .set_setting(SettingKey::DesktopAlertsOff, "waiting,spam")
        .unwrap_err();
    assert!(e.message.contains("«spam»"), "{}", e.message);
    assert_eq!(
        store
            .setting(SettingKey::DesktopAlertsOff)
            .unwrap()
            .as_deref(),
        Some("waiting")
    );
}
