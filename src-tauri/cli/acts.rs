//! `qoltanba acts`: advertising acts for the register (ERIR) — list, prefill from a signed
//! document, check a JSON file against the register's rules, submit, statistics deadlines.

use super::output::{runtime, Out};
use clap::Subcommand;
use qoltanba_core::acts::{
    Act, ActDraft, ActId, AllocationDraft, ContractEntry, ContractKind, DeadlineState,
    StatisticsEntry,
};
use qoltanba_core::app::acts;
use qoltanba_core::app::App;
use qoltanba_core::{Error, Result, Store};
use std::path::PathBuf;
use std::time::Duration;

#[derive(Subcommand, Debug)]
pub enum ActsCommand {
    /// Список актов для ЕРИР
    List,
    /// Создать акт: с нуля (поля — флагами) или по подписанному закрывающему документу
    New(NewAct),
    /// Проверить акт из JSON-файла по правилам реестра; выход 1, если есть нарушения
    Check { file: PathBuf },
    /// Отправить акт в ЕРИР через ОРД и дождаться ответа реестра
    Submit {
        id: i64,
        /// Сколько секунд ждать ответа реестра
        #[arg(long, default_value_t = 30)]
        wait: u64,
    },
    /// Сроки регистрации статистики: что скоро истекает и что просрочено
    Deadlines,
    /// История изменений акта
    History { id: i64 },
    /// Известные договоры (где ищутся изначальные договоры)
    Contracts,
    /// Добавить договор или доп. соглашение в список известных (как «+ Добавить договор…» в окне)
    ContractAdd(NewContract),
    /// Добавить статистику креатива
    StatsAdd {
        /// Маркер креатива (erid)
        #[arg(long)]
        creative: String,
        #[arg(long)]
        platform: String,
        /// Число показов, например 15000 или «15 000»
        #[arg(long)]
        impressions: String,
        /// Сумма в рублях, как удобно: 1500.00 или «1 500,00»
        #[arg(long)]
        amount: String,
        /// Дата первого показа ГГГГ-ММ-ДД
        #[arg(long)]
        first_shown: String,
    },
    /// Привязать статистику к строке распределения акта (строки с 1)
    StatsLink {
        stat: String,
        #[arg(long)]
        act: i64,
        #[arg(long)]
        line: usize,
    },
    /// Отвязать статистику от акта
    StatsClear { stat: String },
    /// Реестр актов для бухгалтерии за период: XLSX или CSV (не выгрузка для ОРД)
    ExportList(super::register::RegisterArgs),
    /// Учётная запись ОРД (свой адрес и токен, отдельно от оператора документов)
    #[command(subcommand)]
    Account(super::acts_ord::OrdAccountCommand),
    /// Загрузить договоры и статистику из ОРД
    Sync,
    /// Загрузить договоры из CSV (колонки: number, date, kind, parent_id, customer_name,
    /// customer_inn, customer_role, executor_name, executor_inn, executor_role, id)
    ImportContracts { file: PathBuf },
    /// Загрузить статистику из CSV (колонки: id, creative_marker, platform, impressions, amount,
    /// first_impression_date, initial_contract_id)
    ImportStatistics { file: PathBuf },
    /// Выгрузить акты в JSON или CSV для загрузки в ОРД вручную
    Export {
        /// json или csv
        #[arg(long, default_value = "json")]
        format: String,
        /// Куда записать файл
        #[arg(long)]
        out: PathBuf,
    },
    /// Запросить удаление акта: ОРД удаляет акты только по письму в поддержку (info@ord.ozon.ru).
    /// Печатает готовое письмо и ссылку mailto и записывает запрос в историю акта; в сеть ничего не уходит
    RequestDeletion {
        id: i64,
        /// Причина удаления
        #[arg(long)]
        reason: String,
    },
}

/// `acts contract-add`: the fields of the window's «+ Добавить договор…».
#[derive(clap::Args, Debug)]
pub struct NewContract {
    #[arg(long)]
    number: String,
    /// Дата договора ГГГГ-ММ-ДД
    #[arg(long, default_value = "")]
    date: String,
    /// Заказчик по договору
    #[arg(long)]
    customer: String,
    /// Роль заказчика: advertiser, agency, distributor, ad_system_operator
    #[arg(long)]
    customer_role: String,
    /// Идентификатор договора в ОРД
    #[arg(long, default_value = "")]
    ord_id: String,
    /// ИНН заказчика
    #[arg(long, default_value = "")]
    inn: String,
    /// Дополнительное соглашение к договору с этим номером или идентификатором ОРД
    #[arg(long, default_value = "")]
    supplement_to: String,
}

impl NewContract {
    fn entry(&self) -> ContractEntry {
        ContractEntry {
            number: self.number.clone(),
            date: self.date.clone(),
            customer_name: self.customer.clone(),
            customer_inn: self.inn.clone(),
            customer_role: self.customer_role.clone(),
            ord_id: self.ord_id.clone(),
            supplement_to: self.supplement_to.clone(),
        }
    }
}

/// `acts new`: every field of the ORD's «Добавить» form, or a signed document to prefill from.
#[derive(clap::Args, Debug)]
pub struct NewAct {
    /// Номер документа в списке (qoltanba list): заполнить акт по нему
    #[arg(long, conflicts_with_all = ["contract", "number", "date", "amount", "allocation"])]
    from_document: Option<i64>,
    /// Договор или доп. соглашение (номер или идентификатор ОРД; qoltanba acts contracts)
    #[arg(long, default_value = "")]
    contract: String,
    /// Номер акта
    #[arg(long, default_value = "")]
    number: String,
    /// Дата акта ГГГГ-ММ-ДД
    #[arg(long, default_value = "")]
    date: String,
    /// Роль заказчика: advertiser, agency, distributor, ad_system_operator
    #[arg(long, default_value = "")]
    customer_role: String,
    /// Роль исполнителя: advertiser, agency, distributor, ad_system_operator
    #[arg(long, default_value = "")]
    executor_role: String,
    /// Начало периода ГГГГ-ММ-ДД
    #[arg(long, default_value = "")]
    period_from: String,
    /// Конец периода ГГГГ-ММ-ДД
    #[arg(long, default_value = "")]
    period_to: String,
    /// Сумма в рублях, как удобно: «120 000,50» или 120000.50
    #[arg(long, default_value = "")]
    amount: String,
    /// Сумма включает НДС
    #[arg(long)]
    vat_included: bool,
    /// Акт включает и нерекламные услуги
    #[arg(long)]
    non_advertising_services: bool,
    /// Строка распределения: ИЗНАЧАЛЬНЫЙ_ДОГОВОР=СУММА[;ндс|;без ндс] (повторяется). Включает ли
    /// сумма строки НДС — как у акта, если не указано после «;»
    #[arg(long, value_parser = parse_allocation)]
    allocation: Vec<AllocationArg>,
}

/// One `--allocation`: the initial contract, the amount as typed, and the line's own «НДС
/// включён» when given (`;ндс` / `;без ндс`, or `;vat` / `;no-vat`); None: as the act's.
type AllocationArg = (String, String, Option<bool>);

fn parse_allocation(s: &str) -> std::result::Result<AllocationArg, String> {
    let usage = "укажите строку как ИЗНАЧАЛЬНЫЙ_ДОГОВОР=СУММА[;ндс|;без ндс], например ДР-1=120000,00;без ндс";
    let Some((contract, rest)) = s.rsplit_once('=') else {
        return Err(format!("«{s}»: {usage}"));
    };
    let (amount, vat) = match rest.split_once(';') {
        None => (rest, None),
        Some((amount, flag)) => {
            let flag = flag.trim().to_lowercase().replace(['-', '_'], " ");
            let vat = match flag.as_str() {
                "ндс" | "с ндс" | "vat" | "with vat" => true,
                "без ндс" | "no vat" | "without vat" => false,
                _ => {
                    return Err(format!(
                    "«{s}»: после «;» — «ндс» (сумма строки включает НДС) или «без ндс»; {usage}"
                ))
                }
            };
            (amount, Some(vat))
        }
    };
    if contract.trim().is_empty() || amount.trim().is_empty() {
        return Err(format!("«{s}»: {usage}"));
    }
    Ok((contract.trim().to_string(), amount.trim().to_string(), vat))
}

impl NewAct {
    fn draft(&self) -> ActDraft {
        ActDraft {
            contract: self.contract.clone(),
            number: self.number.clone(),
            date: self.date.clone(),
            customer_role: self.customer_role.clone(),
            executor_role: self.executor_role.clone(),
            period_from: self.period_from.clone(),
            period_to: self.period_to.clone(),
            amount: self.amount.clone(),
            vat_included: self.vat_included,
            non_advertising_services: self.non_advertising_services,
            allocations: self
                .allocation
                .iter()
                .map(|(c, a, vat)| AllocationDraft {
                    initial_contract: c.clone(),
                    amount: a.clone(),
                    vat_included: vat.unwrap_or(self.vat_included),
                    statistics: Vec::new(),
                })
                .collect(),
        }
    }
}

fn line(a: &Act) -> String {
    format!(
        "{:>4}  {:<16} {:<10} {:>14} ₽  {:<10} договор {}",
        a.id, a.draft.number, a.draft.date, a.draft.amount, a.register_status, a.draft.contract
    )
}

fn read_act(file: &PathBuf) -> Result<ActDraft> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| Error::invalid(format!("Не удалось прочитать {}: {e}", file.display())))?;
    serde_json::from_str(&text).map_err(|e| {
        Error::invalid(format!(
            "{}: не JSON акта ({e}); пример полей: contract, number, date, customerRole, executorRole, periodFrom, periodTo, amount, vatIncluded, allocations",
            file.display()
        ))
    })
}

/// Submits the act through the same use-case as the window's (the store free while the ORD
/// answers); exit code 1 when the register rejected it.
fn submit(app: &App, id: ActId, wait: u64, out: &Out) -> Result<i32> {
    let detail = runtime().block_on(app.submit_act(id, Duration::from_secs(wait)))?;
    let act = detail.act;
    out.show(&act, || {
        let mut s = format!("Акт №{id}: {}", act.register_status);
        for e in &act.register_errors {
            s.push_str(&format!("\n  {}: {}", e.field, e.message));
        }
        s
    });
    Ok(i32::from(act.register_status == "rejected"))
}

/// Records the request in the act's history and prints the e-mail for the ORD's support, with
/// its mailto link; no network call.
fn request_deletion(store: &mut Store, id: ActId, reason: &str, out: &Out) -> Result<()> {
    let outcome = acts::request_deletion(store, id, reason)?;
    let l = &outcome.letter;
    out.show(&outcome, || {
        format!(
            "Запрос на удаление акта №{id} записан в историю ({}). ОРД удаляет акты только по письму в поддержку — отправьте его:\n\nКому: {}\nТема: {}\n\n{}\nСсылка, открывающая письмо в почтовой программе:\n{}",
            outcome.request.created_at, l.to, l.subject, l.body, l.mailto
        )
    });
    Ok(())
}

/// Runs an `acts` command; returns the exit code.
pub fn run(app: &App, c: &ActsCommand, out: &Out) -> Result<i32> {
    match c {
        ActsCommand::Submit { id, wait } => return submit(app, *id, *wait, out),
        ActsCommand::ExportList(a) => return super::register::acts(app, a, out),
        ActsCommand::Account(c) => return super::acts_ord::account(app, c, out),
        ActsCommand::Sync => return super::acts_ord::sync(app, out),
        ActsCommand::ImportContracts { file } => {
            return super::acts_ord::import(app, file, false, out)
        }
        ActsCommand::ImportStatistics { file } => {
            return super::acts_ord::import(app, file, true, out)
        }
        ActsCommand::Export { format, out: file } => {
            return super::acts_ord::export(app, format, file, out)
        }
        _ => {}
    }
    let shared = app.store();
    let mut guard = shared.lock();
    let store: &mut Store = &mut guard;
    match c {
        ActsCommand::List => {
            let acts = store.acts()?;
            let awaiting = store.documents_without_act()?;
            out.show(&acts, || {
                let mut s = if acts.is_empty() {
                    "Актов нет".to_string()
                } else {
                    acts.iter().map(line).collect::<Vec<_>>().join("\n")
                };
                if !awaiting.is_empty() {
                    s.push_str(&format!(
                        "\n\nПодписанные документы без акта для ЕРИР ({}): qoltanba acts new --from-document N",
                        awaiting.len()
                    ));
                    for d in &awaiting {
                        s.push_str(&format!(
                            "\n  №{}  {} от {}",
                            d.document_id,
                            d.number.as_deref().unwrap_or("без номера"),
                            d.date.as_deref().unwrap_or("?")
                        ));
                    }
                }
                s
            });
        }
        ActsCommand::New(new) if new.from_document.is_none() => {
            // The window's «Добавить» use-case: saved even if incomplete, a wrongly typed field
            // refused; what is still missing is listed with the rule's words.
            let detail = acts::save(store, None, &new.draft())?;
            out.show(&detail, || {
                let mut s = format!("Создан акт №{}\n{}", detail.act.id, line(&detail.act));
                for v in &detail.violations {
                    s.push_str(&format!("\n  {}: {}", v.field, v.text(out.lang)));
                }
                s
            });
        }
        ActsCommand::New(new) => {
            let from_document = new.from_document.unwrap_or_default();
            let p = store.act_from_document(from_document)?;
            out.show(&p, || {
                let mut s = format!("Создан акт №{} по документу №{from_document}\n", p.act.id);
                s.push_str(&line(&p.act));
                for (field, why) in &p.to_fill {
                    s.push_str(&format!("\n  заполните {field}: {why}"));
                }
                s
            });
        }
        ActsCommand::Check { file } => {
            let act = read_act(file)?;
            let violations = store.check_act(&act)?;
            out.show(&violations, || {
                if violations.is_empty() {
                    "Акт соответствует правилам реестра".into()
                } else {
                    violations
                        .iter()
                        .map(|v| format!("{}: {}", v.field, v.text(out.lang)))
                        .collect::<Vec<_>>()
                        .join("\n")
                }
            });
            return Ok(i32::from(!violations.is_empty()));
        }
        ActsCommand::RequestDeletion { id, reason } => request_deletion(store, *id, reason, out)?,
        ActsCommand::Submit { .. }
        | ActsCommand::ExportList(_)
        | ActsCommand::Account(_)
        | ActsCommand::Sync
        | ActsCommand::ImportContracts { .. }
        | ActsCommand::ImportStatistics { .. }
        | ActsCommand::Export { .. } => {
            unreachable!("run above, with the store free")
        }
        ActsCommand::History { id } => {
            let h = store.act_history(*id)?;
            out.show(&h, || {
                h.iter()
                    .map(|e| {
                        let reason = e
                            .reason
                            .as_deref()
                            .map(|r| format!(" — {r}"))
                            .unwrap_or_default();
                        format!("{:>6}  {}  {}  {}{reason}", e.seq, e.at, e.actor, e.action)
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        ActsCommand::Contracts => {
            let book = store.contracts()?;
            let choices = book.choices();
            out.show(&choices, || {
                choices
                    .iter()
                    .map(|c| {
                        let indent = match c.kind {
                            ContractKind::SupplementaryAgreement => "    доп. соглашение ",
                            ContractKind::Contract => "",
                        };
                        format!(
                            "{indent}{}  {}  заказчик {} ({})",
                            c.number,
                            c.ord_id,
                            c.customer_name,
                            c.customer_role.name_ru()
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        ActsCommand::ContractAdd(entry) => {
            // The window's «+ Добавить договор…» use-case: every field checked, nothing stored
            // if one is wrong.
            let c = store.add_contract(&entry.entry())?;
            out.show(&c, || format!("Договор «{}» добавлен", c.number));
        }
        ActsCommand::StatsAdd {
            creative,
            platform,
            impressions,
            amount,
            first_shown,
        } => {
            // The window's «+ Добавить статистику…» use-case: every field checked at once.
            let r = store.enter_statistics(&StatisticsEntry {
                creative: creative.clone(),
                platform: platform.clone(),
                impressions: impressions.clone(),
                amount: amount.clone(),
                first_shown: first_shown.clone(),
            })?;
            out.show(&r, || format!("{}  срок регистрации {}", r.id, r.deadline));
        }
        ActsCommand::StatsLink { stat, act, line } => {
            if *line == 0 {
                return Err(Error::invalid("--line: строки нумеруются с 1"));
            }
            let r = store.link_statistics(stat, *act, line - 1)?;
            out.show(&r, || {
                format!("{stat} привязана к акту №{act}, строка {line}")
            });
        }
        ActsCommand::StatsClear { stat } => {
            let r = store.clear_statistics(stat)?;
            out.show(&r, || format!("{stat} отвязана"));
        }
        ActsCommand::Deadlines => {
            let lines = store.deadlines()?;
            out.show(&lines, || {
                if lines.is_empty() {
                    return "Статистики нет".into();
                }
                lines
                    .iter()
                    .map(|l| {
                        let mark = match l.state {
                            DeadlineState::Overdue => "!!",
                            DeadlineState::DueSoon => "! ",
                            _ => "  ",
                        };
                        format!(
                            "{mark} {}  срок {}  {} ({} дн.)  {} {}",
                            l.record.id,
                            l.record.deadline,
                            l.state.name_ru(),
                            l.days_left,
                            l.record.creative,
                            l.record.platform
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
    }
    Ok(0)
}
