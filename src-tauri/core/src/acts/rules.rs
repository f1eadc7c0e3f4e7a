//! The rules an act must meet before it goes to the register. Each broken rule is a
//! [`Violation`] with the path of its field (`allocations[1].amount`), a stable code and a precise
//! message in Russian, Kazakh and English. The client runs them before saving and submitting; the
//! reference operator runs the same function on what it receives.

use super::act::{ActDraft, Role};
use super::amount::{parse_roubles, AmountRefusal};
use super::contracts::ContractBook;
use super::vat::{gross, VatTable};
use crate::model::Day;
use crate::model::{Lang, Money};
use serde::Serialize;
use std::collections::HashMap;
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Violation {
    /// The field's path, as the register names it: `amount`, `allocations[1].amount`.
    pub field: String,
    pub code: &'static str,
    /// Russian.
    pub message: String,
    pub message_kk: String,
    pub message_en: String,
}

impl Violation {
    pub fn text(&self, lang: Lang) -> &str {
        match lang {
            Lang::Ru => &self.message,
            Lang::Kk => &self.message_kk,
            Lang::En => &self.message_en,
        }
    }
}

/// What the rules look at besides the act.
#[derive(Debug, Clone, Copy)]
pub struct RuleContext<'a> {
    pub vat: &'a VatTable,
    /// Known contracts; `None` where they are not known (the operator's side): then the rules
    /// that need a contract's customer check only what the act itself says.
    pub contracts: Option<&'a ContractBook>,
}

struct Report(Vec<Violation>);

impl Report {
    fn add(
        &mut self,
        field: impl Into<String>,
        code: &'static str,
        ru: String,
        kk: String,
        en: String,
    ) {
        self.0.push(Violation {
            field: field.into(),
            code,
            message: ru,
            message_kk: kk,
            message_en: en,
        });
    }
}

fn required(
    r: &mut Report,
    field: &str,
    value: &str,
    what_ru: &str,
    what_kk: &str,
    what_en: &str,
) -> bool {
    if value.trim().is_empty() {
        r.add(
            field,
            "required",
            format!("Заполните поле «{what_ru}»"),
            format!("«{what_kk}» өрісін толтырыңыз"),
            format!("Fill in “{what_en}”"),
        );
        return false;
    }
    true
}

fn date(r: &mut Report, field: &str, value: &str, ru: &str, kk: &str, en: &str) -> Option<Day> {
    if !required(r, field, value, ru, kk, en) {
        return None;
    }
    let d = Day::parse(value.trim()).ok();
    if d.is_none() {
        r.add(
            field,
            "date_invalid",
            format!("«{value}» — не дата: укажите существующую дату в виде ГГГГ-ММ-ДД, например 2026-01-31"),
            format!("«{value}» — күн емес: бар күнді ЖЖЖЖ-АА-КК түрінде көрсетіңіз, мысалы 2026-01-31"),
            format!("“{value}” is not a date: give a real date as YYYY-MM-DD, e.g. 2026-01-31"),
        );
    }
    d
}

/// A positive amount in roubles, read as people type it (amount.rs): each refusal says why.
fn amount(r: &mut Report, field: &str, value: &str) -> Option<Money> {
    if !required(r, field, value, "Сумма", "Сомасы", "Amount") {
        return None;
    }
    let example = "120 000,50";
    let (code, ru, kk, en) = match parse_roubles(value) {
        Ok(m) if m.0 > 0 => return Some(m),
        Ok(_) | Err(AmountRefusal::Negative) => (
            "amount_not_positive",
            format!("Сумма должна быть больше нуля, указано «{value}»"),
            format!("Сома нөлден үлкен болуы керек, көрсетілгені «{value}»"),
            format!("The amount must be above zero, given “{value}”"),
        ),
        Err(AmountRefusal::SeveralSeparators) => (
            "amount_invalid",
            format!("«{value}» — не сумма: запятая или точка ставится один раз, перед копейками, например {example}"),
            format!("«{value}» — сома емес: үтір немесе нүкте тек бір рет, тиыннан бұрын қойылады, мысалы {example}"),
            format!("“{value}” is not an amount: one comma or point, before the kopecks, e.g. {example}"),
        ),
        Err(AmountRefusal::TooManyDecimals) => (
            "amount_invalid",
            format!("«{value}» — не сумма: после запятой не больше двух цифр (копейки), например {example}"),
            format!("«{value}» — сома емес: үтірден кейін екі цифрдан аспауы керек (тиын), мысалы {example}"),
            format!("“{value}” is not an amount: at most two digits after the comma (kopecks), e.g. {example}"),
        ),
        Err(AmountRefusal::TooLarge) => (
            "amount_invalid",
            format!("«{value}» — слишком большая сумма: не больше 1 000 000 000 000 ₽"),
            format!("«{value}» — сома тым үлкен: 1 000 000 000 000 ₽-ден аспауы керек"),
            format!("“{value}” is too large: at most 1 000 000 000 000 RUB"),
        ),
        Err(_) => (
            "amount_invalid",
            format!("«{value}» — не сумма: укажите рубли цифрами, копейки через запятую или точку, например {example}"),
            format!("«{value}» — сома емес: рубльді цифрмен, тиынды үтір немесе нүкте арқылы көрсетіңіз, мысалы {example}"),
            format!("“{value}” is not an amount: give roubles in digits, kopecks after a comma or point, e.g. {example}"),
        ),
    };
    r.add(field, code, ru, kk, en);
    None
}

fn role(r: &mut Report, field: &str, value: &str, ru: &str, kk: &str, en: &str) -> Option<Role> {
    if !required(r, field, value, ru, kk, en) {
        return None;
    }
    let role = Role::from_code(value);
    if role.is_none() {
        let known = Role::ALL.map(|x| x.code()).join(", ");
        r.add(
            field,
            "role_unknown",
            format!("«{value}» — неизвестная роль; допустимы: {known}"),
            format!("«{value}» — белгісіз рөл; рұқсат етілгендер: {known}"),
            format!("“{value}” is not a role; allowed: {known}"),
        );
    }
    role
}

/// Every rule broken by `act`; empty when it may go to the register.
pub fn validate(act: &ActDraft, ctx: RuleContext<'_>) -> Vec<Violation> {
    let mut r = Report(Vec::new());
    required(
        &mut r,
        "contract",
        &act.contract,
        "Договор",
        "Шарт",
        "Contract",
    );
    required(
        &mut r,
        "number",
        &act.number,
        "Номер акта",
        "Акт нөмірі",
        "Act number",
    );
    let act_date = date(
        &mut r,
        "date",
        &act.date,
        "Дата акта",
        "Акт күні",
        "Act date",
    );
    let customer = role(
        &mut r,
        "customerRole",
        &act.customer_role,
        "Роль заказчика",
        "Тапсырыс берушінің рөлі",
        "Customer's role",
    );
    // Any of the four roles may be the executor's, the advertiser's too: the ORD's page allows it.
    role(
        &mut r,
        "executorRole",
        &act.executor_role,
        "Роль исполнителя",
        "Орындаушының рөлі",
        "Executor's role",
    );
    let from = date(
        &mut r,
        "periodFrom",
        &act.period_from,
        "Период с",
        "Кезең басы",
        "Period from",
    );
    let to = date(
        &mut r,
        "periodTo",
        &act.period_to,
        "Период по",
        "Кезең соңы",
        "Period to",
    );
    if let (Some(f), Some(t)) = (from, to) {
        if f > t {
            r.add(
                "periodTo",
                "period_order",
                format!("Конец периода ({t}) раньше его начала ({f})"),
                format!("Кезеңнің соңы ({t}) басынан ({f}) ерте"),
                format!("The period ends ({t}) before it starts ({f})"),
            );
        }
    }
    let act_amount = amount(&mut r, "amount", &act.amount);
    let rate = act_date.and_then(|d| {
        let rate = ctx.vat.rate_on(d);
        if rate.is_none() {
            r.add(
                "date",
                "vat_rate_missing",
                format!("Нет ставки НДС на дату акта {d}: добавьте её в настройках (таблица ставок НДС РФ)"),
                format!("Акт күніне {d} ҚҚС мөлшерлемесі жоқ: оны баптауларда қосыңыз (РФ ҚҚС мөлшерлемелерінің кестесі)"),
                format!("No VAT rate for the act date {d}: add it in the settings (Russian VAT rate table)"),
            );
        }
        rate
    });
    let act_gross = match (act_amount, rate) {
        (Some(a), Some(p)) => Some(gross(a, act.vat_included, p)),
        _ => None,
    };

    if act.allocations.is_empty() {
        r.add(
            "allocations",
            "allocations_missing",
            "Добавьте хотя бы один изначальный договор, на который распределяется сумма акта"
                .into(),
            "Акт сомасы бөлінетін кемінде бір бастапқы шартты қосыңыз".into(),
            "Add at least one initial contract the act's amount is allocated to".into(),
        );
    }
    let many = act.allocations.len() > 1;
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut sum = Some(Money(0));
    for (i, line) in act.allocations.iter().enumerate() {
        let field = |name: &str| format!("allocations[{i}].{name}");
        let ic = line.initial_contract.trim();
        if required(
            &mut r,
            &field("initialContract"),
            ic,
            "Изначальный договор",
            "Бастапқы шарт",
            "Initial contract",
        ) {
            initial_contract(&mut r, act, customer, ic, &field("initialContract"), ctx);
            let key = ctx
                .contracts
                .and_then(|b| b.resolve(ic))
                .map(|c| c.number.to_lowercase())
                .unwrap_or_else(|| ic.to_lowercase());
            if let Some(first) = seen.insert(key, i) {
                r.add(
                    field("initialContract"),
                    "initial_contract_duplicate",
                    format!(
                        "Договор «{ic}» уже указан в строке {}: одна строка на изначальный договор",
                        first + 1
                    ),
                    format!(
                        "«{ic}» шарты {}-жолда көрсетілген: бір бастапқы шартқа бір жол",
                        first + 1
                    ),
                    format!(
                        "Contract “{ic}” is already on line {}: one line per initial contract",
                        first + 1
                    ),
                );
            }
        }
        let line_gross = match (amount(&mut r, &field("amount"), &line.amount), rate) {
            (Some(a), Some(p)) => Some(gross(a, line.vat_included, p)),
            _ => None,
        };
        sum = match (sum, line_gross) {
            (Some(s), Some(g)) => Some(Money(s.0 + g.0)),
            _ => None,
        };
        let (Some(g), Some(total)) = (line_gross, act_gross) else {
            continue;
        };
        let pct = rate.unwrap_or_default();
        if g > total {
            r.add(
                field("amount"),
                "allocation_exceeds_act",
                format!("Сумма по договору {g} ₽ с НДС {pct}% больше суммы акта {total} ₽ с НДС"),
                format!("Шарт бойынша сома {g} ₽ ҚҚС {pct}% қоса алғанда акт сомасынан {total} ₽ көп"),
                format!("The contract's amount {g} RUB incl. {pct}% VAT exceeds the act's {total} RUB incl. VAT"),
            );
        } else if many && g == total {
            r.add(
                field("amount"),
                "allocation_not_less_than_act",
                format!("Договоров несколько, поэтому сумма по каждому должна быть меньше суммы акта ({total} ₽ с НДС), а указано столько же"),
                format!("Шарттар бірнешеу, сондықтан әрқайсысының сомасы акт сомасынан ({total} ₽ ҚҚС қоса) аз болуы керек, ал көрсетілгені тең"),
                format!("With several contracts each amount must be less than the act's ({total} RUB incl. VAT); this one equals it"),
            );
        } else if !many && g < total && !act.non_advertising_services {
            r.add(
                field("amount"),
                "single_allocation_less_than_act",
                format!("Договор один, поэтому его сумма должна равняться сумме акта: {g} ₽ вместо {total} ₽ с НДС. Меньше — только если акт включает и нерекламные услуги (отметьте это в акте)"),
                format!("Шарт біреу, сондықтан оның сомасы акт сомасына тең болуы керек: {total} ₽ орнына {g} ₽ (ҚҚС қоса). Аз болуы тек акт жарнамалық емес қызметтерді де қамтыса ғана мүмкін (актіде белгілеңіз)"),
                format!("With one contract its amount must equal the act's: {g} instead of {total} RUB incl. VAT. Less only when the act also covers non-advertising services (mark it on the act)"),
            );
        }
    }
    if let (Some(s), Some(total)) = (sum, act_gross) {
        if many && s > total {
            r.add(
                "allocations",
                "allocations_sum_exceeds_act",
                format!("Сумма по договорам {s} ₽ больше суммы акта {total} ₽ (обе с НДС)"),
                format!("Шарттар бойынша сома {s} ₽ акт сомасынан {total} ₽ көп (екеуі де ҚҚС қоса)"),
                format!("The contracts add up to {s} RUB, more than the act's {total} RUB (both incl. VAT)"),
            );
        }
    }
    r.0
}

/// Whose contract the allocation must name: the act's own when its customer is the advertiser;
/// with an intermediary, another one in which the advertiser is the customer.
fn initial_contract(
    r: &mut Report,
    act: &ActDraft,
    customer: Option<Role>,
    ic: &str,
    field: &str,
    ctx: RuleContext<'_>,
) {
    let Some(customer) = customer else { return };
    let own = act.contract.trim();
    let same = match ctx.contracts {
        Some(book) => book.same_contract(ic, own),
        None => ic.eq_ignore_ascii_case(own),
    };
    if customer == Role::Advertiser {
        if !same && !own.is_empty() {
            r.add(
                field,
                "initial_contract_not_own",
                format!("Заказчик — рекламодатель, поэтому изначальный договор — договор самого акта «{own}», а указан «{ic}»"),
                format!("Тапсырыс беруші — жарнама беруші, сондықтан бастапқы шарт — актінің өз шарты «{own}», ал көрсетілгені «{ic}»"),
                format!("The customer is the advertiser, so the initial contract is the act's own “{own}”, not “{ic}”"),
            );
        }
        return;
    }
    let ask = (
        "Запросите у посредника его договор с рекламодателем (номер или идентификатор в ОРД) и укажите его",
        "Делдалдан оның жарнама берушімен жасасқан шартын (нөмірін немесе ОРД-тағы идентификаторын) сұратып, көрсетіңіз",
        "Ask the intermediary for its contract with the advertiser (number or ORD identifier) and give it",
    );
    if same {
        r.add(
            field,
            "initial_contract_is_own",
            format!("Заказчик — посредник ({}), поэтому изначальный договор — другой договор, где заказчик — рекламодатель, а не договор акта «{own}». {}", customer.name_ru(), ask.0),
            format!("Тапсырыс беруші — делдал, сондықтан бастапқы шарт — актінің «{own}» шарты емес, тапсырыс беруші жарнама беруші болатын басқа шарт. {}", ask.1),
            format!("The customer is an intermediary, so the initial contract is another one, where the advertiser is the customer, not the act's “{own}”. {}", ask.2),
        );
        return;
    }
    let Some(book) = ctx.contracts else { return };
    match book.resolve(ic) {
        None => r.add(
            field,
            "initial_contract_unknown",
            format!("Договор «{ic}» не найден среди известных договоров. {}", ask.0),
            format!("«{ic}» шарты белгілі шарттардың арасында табылмады. {}", ask.1),
            format!("Contract “{ic}” is not among the known contracts. {}", ask.2),
        ),
        Some(c) if c.customer_role != Role::Advertiser => r.add(
            field,
            "initial_contract_customer_not_advertiser",
            format!("В договоре «{ic}» заказчик — {} ({}), а в изначальном договоре заказчиком должен быть рекламодатель. {}", c.customer_name, c.customer_role.name_ru(), ask.0),
            format!("«{ic}» шартында тапсырыс беруші — {}, ал бастапқы шартта тапсырыс беруші жарнама беруші болуы керек. {}", c.customer_name, ask.1),
            format!("In contract “{ic}” the customer is {} ({}); in the initial contract it must be the advertiser. {}", c.customer_name, c.customer_role.code(), ask.2),
        ),
        Some(_) => {}
    }
}
