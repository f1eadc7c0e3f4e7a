//! The bell as a user meets it: documents left unsigned longer than the reminder setting are
//! listed oldest first and drop off once signed work moves them on; read marks survive a restart.

mod support;

use qoltanba_core::import::import_bytes;
use qoltanba_core::model::Action;
use qoltanba_core::model::TimeDelta as Duration;
use qoltanba_core::store::{SettingKey, Settings};
use qoltanba_core::Store;
use std::sync::Arc;

fn import(store: &mut Store, number: &str) -> i64 {
    import_bytes(
        store,
        &format!("{number}.pdf"),
        support::sales_report_pdf(number),
        vec![],
    )
    .unwrap()
    .id
}

#[test]
fn documents_waiting_longer_than_the_setting_are_listed_oldest_first() {
    let dir = tempfile::tempdir().unwrap();
    let clock = support::fixed_clock();
    let mut store = Store::open(dir.path(), support::options(clock.clone())).unwrap();
    let old = import(&mut store, "OLD-1");
    clock.advance(Duration::days(2));
    let middle = import(&mut store, "MID-2");
    clock.advance(Duration::days(2));
    let fresh = import(&mut store, "NEW-3");

    // Four days after the first arrived: only it has waited longer than the default 3 days.
    let w = store.waiting_too_long(None).unwrap();
    let listed: Vec<(i64, i64)> = w.iter().map(|d| (d.document.id, d.days)).collect();
    assert_eq!(listed, vec![(old, 4)]);

    // A shorter setting lists the middle one too, oldest first; the fresh one never.
    store.set_setting(SettingKey::ReminderDays, "1").unwrap();
    let w = store.waiting_too_long(None).unwrap();
    let listed: Vec<i64> = w.iter().map(|d| d.document.id).collect();
    assert_eq!(listed, vec![old, middle]);
    assert!(!listed.contains(&fresh));

    // Deciding is not enough (it still waits for the signature) …
    store.accept(old).unwrap();
    assert_eq!(store.waiting_too_long(Some(1)).unwrap().len(), 2);
    // … a revoked document no longer waits for anything.
    store
        .apply(middle, Action::Revoke, Some("Отправитель отозвал документ"))
        .unwrap();
    let after: Vec<i64> = store
        .waiting_too_long(Some(1))
        .unwrap()
        .iter()
        .map(|d| d.document.id)
        .collect();
    assert_eq!(after, vec![old]);
}

#[test]
fn read_marks_are_kept_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let clock = support::fixed_clock();
    {
        let mut store = Store::open(dir.path(), support::options(Arc::clone(&clock))).unwrap();
        let a = store.notify("error", None, "Отправка не удалась").unwrap();
        let b = store
            .notify("reminder", None, "Документ ждёт подписи")
            .unwrap();
        assert_eq!(store.mark_notifications_read(&[a]).unwrap(), 1);
        // Marking again changes nothing and says so.
        assert_eq!(store.mark_notifications_read(&[a, 999]).unwrap(), 0);
        let unread: Vec<i64> = store
            .notifications(true)
            .unwrap()
            .iter()
            .map(|n| n.id)
            .collect();
        assert_eq!(unread, vec![b]);
    }
    let store = Store::open(dir.path(), support::options(clock)).unwrap();
    let all = store.notifications(false).unwrap();
    assert_eq!(all.len(), 2);
    let read: Vec<bool> = all.iter().map(|n| n.read_at.is_some()).collect();
    assert_eq!(read, vec![false, true], "newest first: b unread, a read");
}
