//! The two kinds of time as SQLite columns: written as their one text form, read by their one
//! parser. A row whose text does not parse is a storage error naming the text, never a guess.

use crate::model::{Day, Timestamp};
use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};

fn read<T>(v: ValueRef<'_>, parse: fn(&str) -> crate::Result<T>) -> FromSqlResult<T> {
    let text = v.as_str()?;
    parse(text).map_err(|e| FromSqlError::Other(e.message.into()))
}

impl ToSql for Timestamp {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.to_string()))
    }
}

impl FromSql for Timestamp {
    fn column_result(v: ValueRef<'_>) -> FromSqlResult<Self> {
        read(v, Timestamp::parse)
    }
}

impl ToSql for Day {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.to_string()))
    }
}

impl FromSql for Day {
    fn column_result(v: ValueRef<'_>) -> FromSqlResult<Self> {
        read(v, Day::parse)
    }
}
