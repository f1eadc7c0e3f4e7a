//! Commands on documents: import, list, show, accept, reject, edit, history, export, settings.

use super::output::Out;
use clap::Args;
use qoltanba_core::app::App;
use qoltanba_core::model::{user_actions, Document, DocumentKind, Lang, Money, Status};
use qoltanba_core::store::search::{Query, SortKey};
use qoltanba_core::store::{DocumentEdit, Settings};
use qoltanba_core::Store;
use qoltanba_core::{Error, ErrorCode, Result};
use std::path::{Path, PathBuf};

#[derive(Args, Debug)]
pub struct ListArgs {
    /// Статус: received, viewed, accepted, rejected, signed, queued, sent, delivered, send_failed, revoked
    #[arg(long)]
    status: Option<String>,
    /// Вид документа, например sales_report
    #[arg(long)]
    kind: Option<String>,
    /// Поиск по названию, номеру, контрагенту и тексту
    #[arg(long)]
    search: Option<String>,
    /// Дата документа не раньше (ГГГГ-ММ-ДД)
    #[arg(long)]
    from: Option<String>,
    /// Дата документа не позже (ГГГГ-ММ-ДД)
    #[arg(long)]
    to: Option<String>,
    /// БИН или часть названия контрагента
    #[arg(long)]
    counterparty: Option<String>,
    /// Номер документа
    #[arg(long)]
    number: Option<String>,
    /// Сумма от
    #[arg(long)]
    min_amount: Option<String>,
    /// Сумма до
    #[arg(long)]
    max_amount: Option<String>,
    /// Сортировка: received, date, amount, number
    #[arg(long, default_value = "received")]
    sort: String,
    /// По возрастанию
    #[arg(long)]
    asc: bool,
    #[arg(long, default_value_t = 50)]
    limit: u32,
    /// Курсор следующей страницы (из предыдущего вывода)
    #[arg(long)]
    cursor: Option<String>,
}

#[derive(Args, Debug)]
pub struct EditArgs {
    id: i64,
    #[arg(long)]
    kind: Option<String>,
    #[arg(long)]
    number: Option<String>,
    /// ГГГГ-ММ-ДД
    #[arg(long)]
    date: Option<String>,
    #[arg(long)]
    title: Option<String>,
}

fn parse_kind(k: &str) -> Result<DocumentKind> {
    DocumentKind::from_code(k).ok_or_else(|| {
        Error::invalid(format!(
            "Неизвестный вид документа «{k}». Доступны: {}",
            DocumentKind::ALL.map(|k| k.code()).join(", ")
        ))
    })
}

fn parse_status(s: &str) -> Result<Status> {
    Status::from_code(s).ok_or_else(|| {
        Error::invalid(format!(
            "Неизвестный статус «{s}». Доступны: {}",
            Status::ALL.map(|s| s.code()).join(", ")
        ))
    })
}

fn money(d: &Document) -> String {
    match d.fields.amount {
        Some(m) => format!("{m} {}", d.fields.currency),
        None => "—".into(),
    }
}

fn line(d: &Document) -> String {
    format!(
        "{:>6}  {:<16} {:<20} {:<10} {:>16}  {}",
        d.id,
        d.status.name_ru(),
        d.fields.number.as_deref().unwrap_or("—"),
        d.fields.date.as_deref().unwrap_or("—"),
        money(d),
        d.fields.title
    )
}

fn details(d: &Document) -> String {
    let mut s = String::new();
    let party = |p: &Option<qoltanba_core::model::Party>| {
        p.as_ref()
            .map(|p| format!("{} (БИН {})", p.name, p.bin))
            .unwrap_or_else(|| "—".into())
    };
    s += &format!("Документ №{}: {}\n", d.id, d.fields.title);
    s += &format!("  Вид:        {}\n", d.fields.kind.name(Lang::Ru));
    s += &format!(
        "  Номер:      {}\n",
        d.fields.number.as_deref().unwrap_or("—")
    );
    s += &format!(
        "  Дата:       {}\n",
        d.fields.date.as_deref().unwrap_or("—")
    );
    if d.fields.period_from.is_some() || d.fields.period_to.is_some() {
        s += &format!(
            "  Период:     {} — {}\n",
            d.fields.period_from.as_deref().unwrap_or("…"),
            d.fields.period_to.as_deref().unwrap_or("…")
        );
    }
    s += &format!("  Отправитель: {}\n", party(&d.fields.sender));
    s += &format!("  Получатель:  {}\n", party(&d.fields.recipient));
    s += &format!("  Сумма:      {}\n", money(d));
    if let Some(v) = d.fields.vat_amount {
        s += &format!("  НДС:        {v} {}\n", d.fields.currency);
    }
    if let Some(c) = d.correction_of {
        s += &format!("  Корректирует документ №{c}\n");
    } else if let Some(n) = &d.fields.correction_of_number {
        s += &format!("  Корректирует документ № {n} (его нет в базе)\n");
    }
    s += &format!("  Статус:     {}\n", d.status.name_ru());
    if let Some(r) = &d.reject_reason {
        s += &format!("  Причина отклонения: {r}\n");
    }
    for a in &d.attachments {
        let note = if a.role == qoltanba_core::model::AttachmentRole::Esf {
            " — уходит в ИС ЭСФ, здесь не подписывается"
        } else {
            ""
        };
        s += &format!(
            "  Файл ({}): {} {} байт, SHA-256 {}{note}\n",
            a.role.code(),
            a.file_name,
            a.size,
            a.sha256
        );
    }
    let actions: Vec<&str> = user_actions(d.status).iter().map(|a| a.name_ru()).collect();
    s += &format!(
        "  Доступные действия: {}",
        if actions.is_empty() {
            "нет".to_string()
        } else {
            actions.join(", ")
        }
    );
    s
}

/// Imports files and folders (the same use-case as the window's import).
pub fn import(app: &App, paths: &[PathBuf], out: &Out) -> Result<i32> {
    let outcomes = app.import(paths)?;
    let failed = outcomes.iter().filter(|o| o.error.is_some()).count();
    out.show(&outcomes, || {
        outcomes
            .iter()
            .map(|o| match (&o.imported, &o.error) {
                (Some(i), _) => format!(
                    "{}: {} документ №{} ({}{}){}",
                    o.path,
                    if i.new {
                        "добавлен"
                    } else {
                        "уже был в базе:"
                    },
                    i.id,
                    i.kind.name(Lang::Ru),
                    i.number
                        .as_ref()
                        .map(|n| format!(", № {n}"))
                        .unwrap_or_default(),
                    if i.kind_recognised {
                        ""
                    } else {
                        " — вид не распознан, укажите его: qoltanba edit ID --kind …"
                    }
                ),
                (_, Some(e)) => format!("{}: не импортирован: {}", o.path, e.message),
                _ => String::new(),
            })
            .collect::<Vec<_>>()
            .join("\n")
    });
    super::text_index::finish(app, out)?;
    if failed > 0 {
        return Err(Error::invalid(format!(
            "Не импортировано файлов: {failed} из {}",
            outcomes.len()
        )));
    }
    Ok(0)
}

pub fn list(store: &mut Store, a: &ListArgs, out: &Out) -> Result<i32> {
    if a.search.as_deref().is_some_and(|t| !t.trim().is_empty()) {
        super::text_index::before_search(store)?;
    }
    let q = Query {
        statuses: a
            .status
            .as_deref()
            .map(parse_status)
            .transpose()?
            .into_iter()
            .collect(),
        kind: a.kind.as_deref().map(parse_kind).transpose()?,
        from: a.from.clone(),
        to: a.to.clone(),
        counterparty: a.counterparty.clone(),
        number: a.number.clone(),
        amount_min: a.min_amount.as_deref().map(Money::parse).transpose()?,
        amount_max: a.max_amount.as_deref().map(Money::parse).transpose()?,
        text: a.search.clone(),
        sort: match a.sort.as_str() {
            "received" => SortKey::Received,
            "date" => SortKey::Date,
            "amount" => SortKey::Amount,
            "number" => SortKey::Number,
            other => {
                return Err(Error::invalid(format!(
                    "Неизвестная сортировка «{other}»: received, date, amount, number"
                )))
            }
        },
        ascending: a.asc,
        limit: Some(a.limit),
        cursor: a.cursor.clone(),
        ..Default::default()
    };
    let page = store.list(&q)?;
    out.show(&page, || {
        let mut s: Vec<String> = page.documents.iter().map(line).collect();
        if s.is_empty() {
            s.push("Документов не найдено".into());
        }
        if let Some(n) = &page.next {
            s.push(format!("Следующая страница: --cursor {n}"));
        }
        if let Some(n) = page.text_waiting {
            s.push(super::text_index::waiting_note(n, out.lang));
        }
        s.join("\n")
    });
    Ok(0)
}

pub fn show(store: &Store, id: i64, out: &Out) -> Result<i32> {
    let d = store.document(id)?;
    let sigs = store.signatures(id)?;
    let v = serde_json::json!({"document": d, "allowedActions": user_actions(d.status), "signatures": sigs});
    out.show(&v, || {
        let mut s = details(&d);
        for sig in &sigs {
            s += &format!(
                "\n  Подпись ({}): {}",
                if sig.party == "own" {
                    "наша"
                } else {
                    "отправителя"
                },
                sig.verdict
                    .as_ref()
                    .map(|v| serde_json::to_string(v).unwrap_or_default())
                    .unwrap_or_else(|| "не проверена".into())
            );
        }
        s
    });
    Ok(0)
}

pub fn accept(store: &mut Store, id: i64, out: &Out) -> Result<i32> {
    let d = store.accept(id)?;
    out.show(&d, || {
        format!("Документ №{} принят. Следующий шаг — подписать его.", d.id)
    });
    Ok(0)
}

pub fn reject(store: &mut Store, id: i64, reason: Option<&str>, out: &Out) -> Result<i32> {
    let d = store.reject(id, reason.unwrap_or(""))?;
    out.show(&d, || {
        format!(
            "Документ №{} отклонён. Причина будет подписана и отправлена.",
            d.id
        )
    });
    Ok(0)
}

pub fn edit(store: &mut Store, a: &EditArgs, out: &Out) -> Result<i32> {
    let edit = DocumentEdit {
        kind: a.kind.as_deref().map(parse_kind).transpose()?,
        number: a.number.clone(),
        date: a.date.clone(),
        title: a.title.clone(),
    };
    let d = store.edit(a.id, edit)?;
    out.show(&d, || details(&d));
    Ok(0)
}

pub fn history(store: &Store, id: i64, out: &Out) -> Result<i32> {
    let h = store.history(id)?;
    out.show(&h, || {
        h.iter()
            .map(|e| {
                format!(
                    "{:>6}  {}  {:<12} {} → {}  {}{}",
                    e.seq,
                    e.at,
                    e.action,
                    e.from_status.as_deref().unwrap_or("—"),
                    e.to_status.as_deref().unwrap_or("—"),
                    e.actor,
                    e.reason
                        .as_ref()
                        .map(|r| format!("  причина: {r}"))
                        .unwrap_or_default()
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    });
    Ok(0)
}

pub fn verify_history(store: &Store, out: &Out) -> Result<i32> {
    let r = store.verify_history()?;
    let source = store.key_source().describe();
    let v = serde_json::json!({"report": r, "keySource": store.key_source()});
    out.show(&v, || match &r.first_broken {
        None => format!("История цела: {} записей проверено ({source})", r.entries),
        Some(_) => String::new(),
    });
    if let Some(b) = &r.first_broken {
        return Err(Error::new(
            ErrorCode::HistoryBroken,
            format!(
                "История нарушена в записи №{}{}: {}",
                b.seq,
                b.subject
                    .as_ref()
                    .map(|s| format!(" ({s})"))
                    .unwrap_or_default(),
                b.problem
            ),
        ));
    }
    Ok(0)
}

pub fn export(store: &Store, id: i64, dir: &Path, out: &Out) -> Result<i32> {
    let files = qoltanba_core::export::export_document(store, id, dir)?;
    out.show(&files, || {
        format!("Выгружено в {}:\n  {}", dir.display(), files.join("\n  "))
    });
    Ok(0)
}

/// Shows or changes a setting (all of them without a key).
pub fn settings(
    store: &mut Store,
    key: Option<&str>,
    value: Option<&str>,
    out: &Out,
) -> Result<i32> {
    match (key, value) {
        (Some(k), Some(v)) => {
            store.set_setting(k.parse()?, v)?;
            out.show(&serde_json::json!({k: v}), || format!("{k} = {v}"));
        }
        (Some(k), None) => {
            let v = store.setting(k.parse()?)?;
            out.show(&serde_json::json!({k: v}), || {
                v.clone().unwrap_or_else(|| "(не задано)".into())
            });
        }
        _ => {
            let mut m = serde_json::Map::new();
            for k in qoltanba_core::store::USER_KEYS {
                m.insert(k.to_string(), serde_json::json!(store.setting(*k)?));
            }
            out.show(&m, || {
                m.iter()
                    .map(|(k, v)| format!("{k} = {}", v.as_str().unwrap_or("(не задано)")))
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
    }
    Ok(0)
}
