//! Commands that talk to the operator: the account (its token goes to the OS keychain only),
//! sync, the outbox, and opening a document from an e-mailed link.

use super::output::{megabytes, runtime, Out, Terminal};
use clap::{Args, Subcommand};
use qoltanba_core::app::sync::outbox as outbox_entries;
use qoltanba_core::app::App;
use qoltanba_core::operator::{self as op, OutboxReport, SendPolicy, SyncOptions, Token};
use qoltanba_core::{Error, Result};
use std::io::{IsTerminal, Read, Write};

#[derive(Subcommand, Debug)]
pub enum AccountCommand {
    /// Добавить учётную запись оператора: токен читается из стандартного ввода и хранится только в системном хранилище ключей
    Add {
        /// Адрес API оператора, например https://edo.example.kz/api/v1
        #[arg(long)]
        url: String,
        /// Прочитать токен из стандартного ввода (в командной строке токен не передаётся)
        #[arg(long)]
        token_stdin: bool,
        /// Имя учётной записи
        #[arg(long, default_value = op::DEFAULT_ACCOUNT)]
        name: String,
    },
    /// Показать текущую учётную запись
    Show,
}

#[derive(Args, Debug)]
pub struct SyncArgs {
    /// Сверить весь список входящих, а не только ленту изменений
    #[arg(long)]
    reconcile: bool,
}

#[derive(Args, Debug)]
pub struct OutboxArgs {
    /// Отправить то, что ждёт, и дождаться проверки оператором
    #[arg(long)]
    send: bool,
}

#[derive(Args, Debug)]
pub struct OpenLinkArgs {
    /// Ссылка из письма (целиком, с https://) или её токен
    link: String,
    /// Не используется: код читается из стандартного ввода (или запрашивается), чтобы он не
    /// остался в истории команд и в списке процессов
    #[arg(long, hide = true)]
    code: Option<String>,
    /// Адрес API оператора, если ссылка дана без него
    #[arg(long)]
    url: Option<String>,
}

/// A secret from standard input: one line after a prompt on a terminal, else what is piped
/// (at most 16 KiB, so a wrong redirect cannot fill memory).
pub(super) fn read_secret(prompt: &str) -> Result<op::Secret> {
    let mut text = String::new();
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprint!("{prompt}");
        let _ = std::io::stderr().flush();
        stdin.read_line(&mut text)?;
    } else {
        stdin.lock().take(16 * 1024).read_to_string(&mut text)?;
    }
    Ok(op::Secret::new(text.trim()))
}

pub fn account(app: &App, c: &AccountCommand, out: &Out) -> Result<()> {
    match c {
        AccountCommand::Add {
            url,
            token_stdin,
            name,
        } => {
            if !token_stdin {
                return Err(Error::invalid(
                    "Токен передаётся только через стандартный ввод, чтобы он не остался в истории команд: \
                     qoltanba account add --url АДРЕС --token-stdin < файл-с-токеном",
                ));
            }
            let text = read_secret("Вставьте токен оператора и нажмите Enter: ")?;
            let token = Token::new(text.reveal())?;
            let acc = runtime().block_on(app.add_account(name, url, token))?;
            out.show(&acc, || {
                format!(
                    "Учётная запись «{}» добавлена: {} ({} {}). Токен сохранён в системном хранилище ключей",
                    acc.name,
                    acc.seller_name.as_deref().unwrap_or("—"),
                    number_name(acc.seller_kind),
                    acc.seller_bin.as_deref().unwrap_or("—")
                )
            });
        }
        AccountCommand::Show => {
            let acc = app.read(op::current_account)?;
            out.show(&acc, || {
                format!(
                    "Учётная запись: {}\n  Адрес:        {}\n  Продавец:     {} ({} {})\n  Синхронизация: {}",
                    acc.name,
                    acc.url,
                    acc.seller_name.as_deref().unwrap_or("—"),
                    number_name(acc.seller_kind),
                    acc.seller_bin.as_deref().unwrap_or("—"),
                    acc.synced_at.as_deref().unwrap_or("ещё не было"),
                )
            });
        }
    }
    Ok(())
}

pub fn sync(app: &App, a: &SyncArgs, out: &Out) -> Result<()> {
    let opts = SyncOptions {
        reconcile: a.reconcile,
        ..SyncOptions::default()
    };
    let terminal = Terminal::for_out(out);
    let started = std::time::Instant::now();
    let report = runtime().block_on(app.sync_documents(&opts, &terminal));
    let took = started.elapsed().as_secs_f64();
    terminal.done();
    let report = report?;
    out.show(&report, || {
        let mut s = if report.added.is_empty() && report.revoked.is_empty() {
            "Новых документов нет: всё актуально".to_string()
        } else {
            format!(
                "Получено новых документов: {} ({}) за {took:.1} с",
                report.added.len(),
                megabytes(report.progress.bytes)
            )
        };
        if !report.revoked.is_empty() {
            s += &format!("\nОтозвано отправителем: {}", report.revoked.len());
        }
        if !report.decided_elsewhere.is_empty() {
            s += &format!(
                "\nУже решены у оператора (не здесь): {}",
                report.decided_elsewhere.len()
            );
        }
        if !report.set_aside.is_empty() {
            s += &format!(
                "\nОтложено (не принято, будет запрошено снова при следующей синхронизации): {}",
                report.set_aside.len()
            );
            for l in &report.set_aside {
                s += &format!("\n  {}: {}", l.operator_id, l.reason);
            }
        }
        s
    });
    // What was stored is reported first; the rest of the new texts is indexed after.
    super::text_index::finish(app, out)
}

fn state_ru(state: &str) -> &'static str {
    match state {
        "pending" => "ждёт отправки",
        "sending" => "отправлено, ожидает проверки оператором",
        _ => "не принято оператором",
    }
}

fn waiting_list(app: &App, out: &Out) -> Result<()> {
    let items = app.read(outbox_entries)?;
    let lines: Vec<String> = items
        .iter()
        .map(|i| {
            let mut l = format!(
                "{:>6}  {}: {}",
                i.document_id,
                i.document_title,
                state_ru(i.state)
            );
            if let Some(e) = &i.last_error {
                l += &format!(" — {e}");
            }
            if let ("pending", Some(n)) = (i.state, &i.next_attempt_at) {
                l += &format!(" (следующая попытка после {n})");
            }
            l
        })
        .collect();
    out.show(&items, || {
        if lines.is_empty() {
            "Очередь отправки пуста".into()
        } else {
            lines.join("\n")
        }
    });
    Ok(())
}

/// Sends the queue (each item to the account or the link its document came from). Returns 0
/// when nothing is left waiting or refused, 1 otherwise.
pub fn outbox(app: &App, a: &OutboxArgs, out: &Out) -> Result<i32> {
    if !a.send {
        waiting_list(app, out)?;
        return Ok(0);
    }
    let report = runtime().block_on(app.send_outbox(&SendPolicy::default()))?;
    let code = if report.failed.is_empty() && report.waiting.is_empty() {
        0
    } else {
        1
    };
    out.show(&report, || {
        let s = report_lines(&report);
        if s.is_empty() {
            "Отправлять нечего".into()
        } else {
            s.join("\n")
        }
    });
    Ok(code)
}

/// One line per document of a send: delivered, sent (receipt not in yet), refused, waiting.
pub fn report_lines(report: &OutboxReport) -> Vec<String> {
    let groups = [
        (&report.delivered, "доставлено,"),
        (&report.sent, "отправлено:"),
        (&report.failed, "НЕ ПРИНЯТО:"),
        (&report.waiting, "ждёт:"),
    ];
    let mut s = Vec::new();
    for (lines, what) in groups {
        for l in lines {
            s.push(format!(
                "{:>6}  {}: {what} {}",
                l.document_id, l.title, l.message
            ));
        }
    }
    s
}

pub fn open_link(app: &App, a: &OpenLinkArgs, out: &Out) -> Result<()> {
    if a.code.is_some() {
        return Err(Error::invalid(
            "Код авторизации не передаётся в командной строке (его видно в истории команд и списке процессов): \
             qoltanba open-link ССЫЛКА, затем введите код, или echo КОД | qoltanba open-link ССЫЛКА",
        ));
    }
    // The link is checked before the code is asked for.
    app.link_target(&a.link, a.url.as_deref())?;
    let code = read_secret("Введите код авторизации из письма и нажмите Enter: ")?;
    let opened = app.open_shared_link(&a.link, code.reveal(), a.url.as_deref());
    let (id, new) = runtime().block_on(opened)?;
    let d = app.read(|s| s.document(id))?;
    out.show(&d, || {
        format!(
            "{} документ №{}: {}",
            if new {
                "Получен"
            } else {
                "Уже был получен"
            },
            d.id,
            d.fields.title
        )
    });
    Ok(())
}

/// What the seller's number is called: an entrepreneur's is an IIN.
fn number_name(kind: qoltanba_core::signature::SellerKind) -> &'static str {
    match kind {
        qoltanba_core::signature::SellerKind::Bin => "БИН",
        qoltanba_core::signature::SellerKind::Iin => "ИИН",
    }
}
