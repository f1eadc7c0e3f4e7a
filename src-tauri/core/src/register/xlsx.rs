//! XLSX: one sheet, a bold frozen header with filters, money as numbers with two decimals, dates
//! and times as date cells, and under the rows one total line per currency (SUMIF on the currency
//! column, so tenge and roubles are never added together).

use super::{Cell, Register};
use crate::error::{Error, ErrorCode, Result};
use crate::model::Money;
use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook, Worksheet, XlsxError};
use std::collections::BTreeMap;

fn failed(e: XlsxError) -> Error {
    Error::new(ErrorCode::Io, format!("Не удалось собрать файл XLSX: {e}"))
}

fn column_letter(mut col: u16) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).expect("ASCII letters")
}

struct Formats {
    head: Format,
    money: Format,
    day: Format,
    time: Format,
    total: Format,
    total_money: Format,
}

fn formats() -> Formats {
    Formats {
        head: Format::new().set_bold(),
        money: Format::new().set_num_format("#,##0.00"),
        day: Format::new().set_num_format("dd.mm.yyyy"),
        time: Format::new().set_num_format("dd.mm.yyyy hh:mm"),
        total: Format::new().set_bold(),
        total_money: Format::new().set_bold().set_num_format("#,##0.00"),
    }
}

fn write_cell(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    cell: &Cell,
    f: &Formats,
) -> std::result::Result<(), XlsxError> {
    match cell {
        Cell::Empty => {}
        Cell::Text(s) => {
            // write_string keeps "=…" as text: a name from outside never becomes a formula.
            ws.write_string(row, col, s)?;
        }
        Cell::Money(m) => {
            ws.write_number_with_format(row, col, m.0 as f64 / 100.0, &f.money)?;
        }
        Cell::Day(d) => {
            let dt =
                ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day_of_month() as u8)?;
            ws.write_datetime_with_format(row, col, dt, &f.day)?;
        }
        Cell::Time(t) => {
            let dt = ExcelDateTime::from_timestamp(t.unix_seconds())?;
            ws.write_datetime_with_format(row, col, dt, &f.time)?;
        }
    }
    Ok(())
}

pub fn write(r: &Register) -> Result<Vec<u8>> {
    build(r).map_err(failed)
}

fn build(r: &Register) -> std::result::Result<Vec<u8>, XlsxError> {
    let f = formats();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(&r.sheet)?;
    for (c, col) in r.columns.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, &col.title, &f.head)?;
        ws.set_column_width(
            c as u16,
            col.title.chars().count().clamp(10, 40) as f64 + 2.0,
        )?;
    }
    ws.set_freeze_panes(1, 0)?;
    for (i, row) in r.rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            write_cell(ws, i as u32 + 1, c as u16, cell, &f)?;
        }
    }
    let last = r.rows.len() as u32;
    if !r.columns.is_empty() {
        ws.autofilter(0, 0, last, r.columns.len() as u16 - 1)?;
    }
    totals(ws, r, &f)?;
    wb.save_to_buffer()
}

/// One line per currency under the rows: the label, the currency, and each summed column as a
/// SUMIF formula with its value cached (a viewer that does not recalculate shows it too).
fn totals(ws: &mut Worksheet, r: &Register, f: &Formats) -> std::result::Result<(), XlsxError> {
    let Some(cur_col) = r.currency_column else {
        return Ok(());
    };
    let mut sums: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    for row in &r.rows {
        let cur = match row.get(cur_col) {
            Some(Cell::Text(c)) => c.clone(),
            _ => continue,
        };
        let entry = sums.entry(cur).or_insert_with(|| vec![0; r.columns.len()]);
        for (c, cell) in row.iter().enumerate() {
            if let (true, Cell::Money(m)) = (r.columns[c].summed, cell) {
                entry[c] = entry[c].saturating_add(m.0);
            }
        }
    }
    let first = 2; // rows are 1-based in formulas; row 1 is the header
    let last = r.rows.len() as u32 + 1;
    let label = super::tr(r.lang, "Итого", "Барлығы", "Total");
    let cur_letter = column_letter(cur_col as u16);
    for (i, (cur, values)) in sums.iter().enumerate() {
        let row = last + 1 + i as u32; // one blank line between the rows and the totals
        ws.write_string_with_format(row, 0, &label, &f.total)?;
        ws.write_string_with_format(row, cur_col as u16, cur, &f.total)?;
        for (c, col) in r.columns.iter().enumerate() {
            if !col.summed {
                continue;
            }
            let l = column_letter(c as u16);
            let formula = Formula::new(format!(
                "=SUMIF(${cur_letter}${first}:${cur_letter}${last},\"{}\",{l}{first}:{l}{last})",
                cur.replace('"', "")
            ))
            .set_result(Money(values[c]).to_string());
            ws.write_formula_with_format(row, c as u16, formula, &f.total_money)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::column_letter;

    #[test]
    fn columns_are_lettered_as_a_spreadsheet_does() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
        assert_eq!(column_letter(701), "ZZ");
    }
}
