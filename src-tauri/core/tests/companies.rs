//! The list of companies in a data folder: the first company is the store already there
//! (untouched), later ones get folders of their own; names are checked, found in any letter
//! case, and never become paths; the list file is read as hostile input and written whole;
//! adding or renaming a company never touches another's data; and each company's counts come
//! from its own store.

mod support;

use qoltanba_core::company::{Companies, FIRST, MAX_COMPANIES, REGISTRY_FILE};
use qoltanba_core::ErrorCode;
use std::path::Path;

fn import(dir: &Path, number: &str) {
    let mut s = support::open(dir);
    qoltanba_core::import::import_bytes(
        &mut s,
        &format!("{number}.pdf"),
        support::sales_report_pdf(number),
        vec![],
    )
    .unwrap();
}

/// Every file under `dir` (but the list and its lock) with its bytes: "nothing else changed".
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let name = p.strip_prefix(dir).unwrap().display().to_string();
                if !name.starts_with("companies.") {
                    out.push((name, std::fs::read(&p).unwrap()));
                }
            }
        }
    }
    out.sort();
    out
}

#[test]
fn the_store_already_there_is_the_first_company_and_others_get_their_own_folders() {
    let root = tempfile::tempdir().unwrap();
    import(root.path(), "A-1");
    let companies = Companies::at(root.path());

    // No list yet: the store in the data folder alone, nothing written to find that out.
    let list = companies.list().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].id, FIRST);
    assert_eq!(list[0].name, "Основная компания");
    assert!(!root.path().join(REGISTRY_FILE).exists());
    assert_eq!(companies.dir(&list[0]), root.path());

    let before = snapshot(root.path());
    let b = companies.add("  ИП Иванов  ").unwrap();
    assert_eq!(b.name, "ИП Иванов", "trimmed");
    assert_eq!(companies.dir(&b), root.path().join("companies").join(&b.id));
    assert!(companies.dir(&b).is_dir());
    // Adding touched no byte of the first company's store.
    assert_eq!(snapshot(root.path()), before);

    // Found by name in any letter case, or by id; the default is still the first company.
    assert_eq!(companies.pick(Some("ип иванов")).unwrap(), b);
    assert_eq!(companies.pick(Some(&b.id)).unwrap(), b);
    assert_eq!(companies.pick(None).unwrap().id, FIRST);

    // An unknown name: a clear refusal naming the companies there are.
    let e = companies.pick(Some("ТОО Нет такой")).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput);
    assert!(e.message.contains("«Основная компания»"), "{}", e.message);
    assert!(e.message.contains("«ИП Иванов»"), "{}", e.message);

    // A taken name (any case), an empty or overlong one: refused, the list unchanged.
    let list_file = std::fs::read(root.path().join(REGISTRY_FILE)).unwrap();
    for bad in [
        "ип ИВАНОВ",
        "основная компания",
        "   ",
        &"Ж".repeat(81),
        "a\tb",
    ] {
        let e = companies.add(bad).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidInput, "{bad}");
    }
    assert_eq!(
        std::fs::read(root.path().join(REGISTRY_FILE)).unwrap(),
        list_file
    );

    // A name is never a path: it becomes a generated folder name.
    let odd = companies.add("../../etc").unwrap();
    assert_eq!(
        companies.dir(&odd),
        root.path().join("companies").join(&odd.id)
    );
    assert!(!odd.id.contains('.'));

    // Each company's counts come from its own store.
    import(&companies.dir(&b), "B-1");
    import(&companies.dir(&b), "B-2");
    let lines = companies.overview().unwrap();
    let waiting: Vec<(String, u64, bool)> = lines
        .iter()
        .map(|l| (l.name.clone(), l.waiting.unwrap().decision, l.default))
        .collect();
    assert_eq!(
        waiting,
        [
            ("Основная компания".to_string(), 1, true),
            ("ИП Иванов".to_string(), 2, false),
            ("../../etc".to_string(), 0, false),
        ]
    );

    // The default is remembered; renaming keeps the folder.
    companies.set_default("ИП ИВАНОВ").unwrap();
    assert_eq!(companies.pick(None).unwrap(), b);
    let renamed = companies.rename(&b.id, "ИП Иванов А. А.").unwrap();
    assert_eq!(renamed.id, b.id);
    assert_eq!(companies.dir(&renamed), companies.dir(&b));
    assert_eq!(companies.pick(None).unwrap().name, "ИП Иванов А. А.");
}

#[test]
fn the_first_company_is_named_after_its_seller_until_renamed() {
    let root = tempfile::tempdir().unwrap();
    {
        use qoltanba_core::store::{SettingKey, Settings};
        let mut s = support::open(root.path());
        // The seller's name is the operator's to tell (the account's /me); no user key sets it.
        s.set_operator_account(
            "default",
            "https://edo.example.kz",
            Some((
                &qoltanba_core::signature::Seller::new(
                    "123456789021",
                    qoltanba_core::signature::SellerKind::Bin,
                ),
                "ТОО «Ромашка»",
            )),
        )
        .unwrap();
        assert_eq!(
            s.setting(SettingKey::SellerName).unwrap().as_deref(),
            Some("ТОО «Ромашка»")
        );
    }
    let companies = Companies::at(root.path());
    assert_eq!(companies.list().unwrap()[0].name, "ТОО «Ромашка»");
    companies.add("ИП Иванов").unwrap();
    companies.rename(FIRST, "Ромашка").unwrap();
    assert_eq!(companies.list().unwrap()[0].name, "Ромашка");
}

#[test]
fn a_hostile_list_file_is_refused_whole_and_left_as_it_is() {
    let root = tempfile::tempdir().unwrap();
    let companies = Companies::at(root.path());
    let file = root.path().join(REGISTRY_FILE);
    let ok_b = "0123456789ab";
    let cases: Vec<(String, &str)> = vec![
        ("{not json".into(), "повреждён"),
        (
            format!(r#"{{"default":"main","companies":[{{"id":"main","name":"A"}}],"pad":"{}"}}"#, "x".repeat(70 * 1024)),
            "КБ",
        ),
        // An id that would be a path outside companies/.
        (
            r#"{"default":"main","companies":[{"id":"main","name":"A"},{"id":"../../x","name":"B"}]}"#.into(),
            "код",
        ),
        (
            format!(r#"{{"default":"main","companies":[{{"id":"main","name":"A"}},{{"id":"{ok_b}","name":"a"}}]}}"#),
            "дважды",
        ),
        (
            r#"{"default":"zzz","companies":[{"id":"main","name":"A"}]}"#.into(),
            "по умолчанию",
        ),
        (r#"{"default":"main","companies":[]}"#.into(), "от 1 до"),
        (
            format!(
                r#"{{"default":"main","companies":[{}]}}"#,
                (0..=MAX_COMPANIES)
                    .map(|i| format!(r#"{{"id":"{:012x}","name":"C{i}"}}"#, i))
                    .collect::<Vec<_>>()
                    .join(",")
            ),
            "от 1 до",
        ),
        (
            format!(r#"{{"default":"main","companies":[{{"id":"main","name":"{}"}}]}}"#, "Ж".repeat(81)),
            "символов",
        ),
        (r#"{"version":7,"default":"main","companies":[{"id":"main","name":"A"}]}"#.into(), "версия"),
    ];
    for (text, says) in cases {
        std::fs::write(&file, &text).unwrap();
        for e in [
            companies.list().unwrap_err(),
            companies.pick(None).unwrap_err(),
            companies.add("Новая").unwrap_err(),
        ] {
            assert_eq!(e.code, ErrorCode::Storage, "{text:.80}");
            assert!(e.message.contains(REGISTRY_FILE), "{}", e.message);
            assert!(e.message.contains(says), "{says}: {}", e.message);
        }
        assert_eq!(
            std::fs::read_to_string(&file).unwrap(),
            text,
            "left as it is"
        );
        assert!(!root.path().join("companies").exists(), "nothing added");
    }
}

#[test]
fn companies_added_at_the_same_moment_are_all_kept_and_the_list_is_never_half_written() {
    let root = tempfile::tempdir().unwrap();
    let threads: Vec<_> = (0..8)
        .map(|i| {
            let root = root.path().to_path_buf();
            std::thread::spawn(move || Companies::at(&root).add(&format!("Клиент {i}")).unwrap())
        })
        .collect();
    let added: Vec<_> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    let list = Companies::at(root.path()).list().unwrap();
    assert_eq!(list.len(), 9, "{list:?}");
    for a in &added {
        assert!(list.contains(a), "{a:?} kept");
    }
    // No temporary file is left beside the list.
    let names: Vec<String> = std::fs::read_dir(root.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("companies.json"))
        .collect();
    assert_eq!(names, [REGISTRY_FILE]);
    assert!(
        Companies::at(root.path()).add("Клиент 100").is_ok(),
        "under the budget"
    );
}

#[test]
fn the_budget_of_companies_is_kept() {
    let root = tempfile::tempdir().unwrap();
    let companies = Companies::at(root.path());
    for i in 1..MAX_COMPANIES {
        companies.add(&format!("К{i}")).unwrap();
    }
    let e = companies.add("Лишняя").unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput);
    assert!(
        e.message.contains(&MAX_COMPANIES.to_string()),
        "{}",
        e.message
    );
    assert_eq!(companies.list().unwrap().len(), MAX_COMPANIES);
}

#[test]
fn a_company_in_use_elsewhere_is_not_removed() {
    let root = tempfile::tempdir().unwrap();
    let companies = Companies::at(root.path());
    let b = companies.add("B").unwrap();
    import(&companies.dir(&b), "B-1");
    // Another process (the window, a command) works in B: it holds it.
    let held = qoltanba_core::company::hold(&companies.dir(&b)).unwrap();
    let e = companies.remove("B", None).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput);
    assert!(e.message.contains("сейчас открыта"), "{}", e.message);
    assert_eq!(companies.list().unwrap().len(), 2, "still listed");
    assert!(
        companies.dir(&b).join("qoltanba.db").exists(),
        "nothing deleted"
    );
    drop(held);
    // Its keychain entries need the keychain: only where the test runs with one.
    if std::env::var("QOLTANBA_EXPECT_OS_KEYCHAIN").as_deref() == Ok("1") {
        companies.remove("B", None).unwrap();
        assert!(!companies.dir(&b).exists());
    }
}
