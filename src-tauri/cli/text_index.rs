//! The search text a sync or an import left for later (see the core's `store::text_backlog`):
//! `sync` and `import` index it after they report what they stored, `list --search` indexes what
//! it can in a few seconds before it searches and says what is left.

use super::output::Out;
use qoltanba_core::app::App;
use qoltanba_core::model::Lang;
use qoltanba_core::search_text::index_backlog;
use qoltanba_core::store::{BacklogBudget, BacklogReport};
use qoltanba_core::{Result, Store};
use std::time::Duration;

/// How long `list --search` indexes before it searches: a person waits for the answer.
const BEFORE_SEARCH: Duration = Duration::from_secs(2);

/// Russian noun after a number: 1 документ, 2 документа, 5 документов.
fn documents_ru(n: u64) -> &'static str {
    match (n % 10, n % 100) {
        (1, r) if r != 11 => "документ",
        (2..=4, r) if !(12..=14).contains(&r) => "документа",
        _ => "документов",
    }
}

/// What a search says while documents wait for the rest of their text.
pub fn waiting_note(n: u64, lang: Lang) -> String {
    match lang {
        Lang::Ru => {
            let left = if documents_ru(n) == "документ" {
                "остался"
            } else {
                "осталось"
            };
            format!(
                "Текст ещё индексируется: {left} {n} {} — поиск может найти не всё",
                documents_ru(n)
            )
        }
        Lang::Kk => format!("Мәтін әлі индекстелуде: {n} құжат қалды — іздеу бәрін таппауы мүмкін"),
        Lang::En => format!(
            "Text is still being indexed: {n} document{} left — the search may not find everything",
            if n == 1 { "" } else { "s" }
        ),
    }
}

fn indexed_line(r: &BacklogReport, lang: Lang) -> String {
    let secs = r.millis as f64 / 1000.0;
    let mut s = match lang {
        Lang::Ru => format!(
            "Текст для поиска проиндексирован: {} {} за {secs:.1} с",
            r.indexed,
            documents_ru(r.indexed)
        ),
        Lang::Kk => format!(
            "Іздеуге арналған мәтін индекстелді: {} құжат, {secs:.1} с",
            r.indexed
        ),
        Lang::En => format!(
            "Search text indexed: {} document{} in {secs:.1} s",
            r.indexed,
            if r.indexed == 1 { "" } else { "s" }
        ),
    };
    if r.set_aside > 0 {
        s += &match lang {
            Lang::Ru => format!(
                "\nТекст не добавлен в поиск (причина — в уведомлениях): {} {}",
                r.set_aside,
                documents_ru(r.set_aside)
            ),
            Lang::Kk => format!(
                "\nМәтін іздеуге қосылмады (себебі хабарламаларда): {} құжат",
                r.set_aside
            ),
            Lang::En => format!(
                "\nText not added to the search (the reason is in the notifications): {}",
                r.set_aside
            ),
        };
    }
    s
}

/// The CLI's batches: no one waits for its writer as a window's screens do (another process
/// waits up to SQLite's busy timeout, 5 s), so batches four times the window's, which index about
/// a fifth faster (2,000 documents of 50 KB: 565 against 481 documents/s), and no rest between.
fn larger_batches() -> BacklogBudget {
    BacklogBudget {
        chars: 512 << 10,
        bytes: 1 << 20,
        batch_time: Duration::from_millis(400),
        pause: Duration::ZERO,
        ..BacklogBudget::default()
    }
}

/// After a sync or an import has reported what it stored: indexes the rest of the new texts and
/// says how long that took (nothing when nothing waited).
pub fn finish(app: &App, out: &Out) -> Result<()> {
    if app.text_backlog()?.waiting == 0 {
        return Ok(());
    }
    let r = app.index_backlog(&larger_batches())?;
    if !out.json {
        println!("{}", indexed_line(&r, out.lang));
    }
    Ok(())
}

/// Before a text search: indexes what it can in [`BEFORE_SEARCH`].
pub fn before_search(store: &mut Store) -> Result<()> {
    if store.text_backlog()?.waiting == 0 {
        return Ok(());
    }
    index_backlog(
        store,
        &BacklogBudget {
            total_time: Some(BEFORE_SEARCH),
            ..larger_batches()
        },
        || true,
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_note_agrees_with_its_number() {
        assert_eq!(
            waiting_note(1, Lang::Ru),
            "Текст ещё индексируется: остался 1 документ — поиск может найти не всё"
        );
        assert!(waiting_note(3, Lang::Ru).contains("осталось 3 документа"));
        assert!(waiting_note(12, Lang::Ru).contains("осталось 12 документов"));
        assert!(waiting_note(21, Lang::Ru).contains("остался 21 документ "));
        assert!(waiting_note(2, Lang::En).contains("2 documents left"));
        assert!(waiting_note(2, Lang::Kk).contains("2 құжат қалды"));
    }
}
