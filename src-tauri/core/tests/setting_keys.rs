//! Settings keys are one enum: every user key reads back by its stored name, the names stores
//! already hold never change, and a key from outside that is unknown or the program's own is
//! refused with the list of known ones, changing nothing.

mod support;

use qoltanba_core::store::{SettingKey, Settings, USER_KEYS};
use qoltanba_core::ErrorCode;

#[test]
fn every_user_key_parses_from_its_stored_name_and_back() {
    for k in USER_KEYS {
        assert_eq!(k.as_str().parse::<SettingKey>().unwrap(), *k);
        assert!(k.is_user());
    }
    // The names existing stores hold: renaming one would lose a user's setting.
    let names: Vec<_> = USER_KEYS.iter().map(|k| k.as_str()).collect();
    assert_eq!(
        names,
        [
            "seller_bin",
            "seller_kind",
            "seller_name",
            "max_file_size",
            "max_attachments",
            "max_document_size",
            "signer_url",
            "signer_pin",
            "signer_ca_file",
            "signing_timeout_secs",
            "sign_chunk_size",
            "sign_filter",
            "language",
            "reason_language",
            "reminder_days",
            "crl_download",
            "profile",
            "send_after_signing",
            "desktop_alerts_off",
        ]
    );
    assert_eq!(SettingKey::HistoryHead.as_str(), "history_head");
    assert_eq!(SettingKey::InstallationId.as_str(), "installation_id");
    assert_eq!(SettingKey::HistoryKeyFile.as_str(), "history_key_file");
    assert_eq!(SettingKey::OperatorAccount.as_str(), "operator_account");
    assert_eq!(SettingKey::RuVatRates.as_str(), "ru_vat_rates");
    assert_eq!(SettingKey::WindowPlacement.as_str(), "window_placement");
    assert!(!SettingKey::WindowPlacement.is_user());
}

#[test]
fn an_unknown_or_program_key_from_outside_is_refused_with_the_known_ones() {
    for bad in [
        "seller",
        "SELLER_BIN",
        "",
        "history_head",
        "installation_id",
        "ru_vat_rates",
        "window_placement",
    ] {
        let e = bad.parse::<SettingKey>().unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidInput, "{bad}");
        assert!(e.message.contains("Неизвестная настройка"), "{}", e.message);
        assert!(e.message.contains("reminder_days"), "{}", e.message);
    }
    let e = "x".repeat(100_000).parse::<SettingKey>().unwrap_err();
    assert!(e.message.len() < 1000, "a long key is not echoed whole");
}

#[test]
fn the_program_s_keys_cannot_be_set_as_user_settings() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = support::open(dir.path());
    let head = store.setting(SettingKey::HistoryHead).unwrap();
    let e = store
        .set_setting(SettingKey::HistoryHead, "forged")
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput);
    assert_eq!(store.setting(SettingKey::HistoryHead).unwrap(), head);
    assert!(store.verify_history().unwrap().intact);

    store.set_setting(SettingKey::ReminderDays, "5").unwrap();
    assert_eq!(
        store.setting(SettingKey::ReminderDays).unwrap().as_deref(),
        Some("5")
    );
}
