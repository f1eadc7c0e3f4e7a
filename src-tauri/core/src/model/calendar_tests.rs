use super::*;
use crate::error::ErrorCode;

fn ts(s: &str) -> Timestamp {
    Timestamp::parse(s).unwrap()
}

#[test]
fn a_timestamp_writes_the_stored_form_and_reads_it_back() {
    // The fraction appears only when there is one, without trailing zeros: what `time`'s
    // RFC 3339 wrote before, and what the history's MACs cover.
    for text in [
        "2026-10-30T08:00:00Z",
        "2026-10-30T08:00:00.5Z",
        "2026-10-30T08:00:00.75Z",
        "2026-10-30T08:00:00.873456789Z",
        "2026-10-30T08:00:00.000000001Z",
        "2026-10-30T08:00:00.1Z",
        "0000-01-01T00:00:00Z",
        "9999-12-31T23:59:59.999999999Z",
        "1970-01-01T00:00:00Z",
    ] {
        let t = ts(text);
        assert_eq!(t.to_string(), text);
        assert_eq!(ts(&t.to_string()), t);
    }
    let t = Timestamp::from_unix_nanos(1_793_347_200_500_000_000);
    assert_eq!(t.to_string(), "2026-10-30T08:00:00.5Z");
    assert_eq!(
        Timestamp::from_unix_millis(1_700_000_000_000)
            .unwrap()
            .to_string(),
        "2023-11-14T22:13:20Z"
    );
}

#[test]
fn a_timestamp_with_an_offset_is_read_as_the_same_instant_in_utc() {
    assert_eq!(
        ts("2026-11-05T15:00:00+05:00").to_string(),
        "2026-11-05T10:00:00Z"
    );
    assert_eq!(
        ts("2026-11-05T10:00:00.250-00:30").to_string(),
        "2026-11-05T10:30:00.25Z"
    );
    assert_eq!(
        ts("2026-11-05T10:00:00.250Z"),
        ts("2026-11-05T10:00:00.25Z")
    );
}

#[test]
fn a_bad_timestamp_is_refused_with_a_clear_message_quoting_a_bounded_part() {
    for bad in [
        "",
        "2026-11-05",
        "2026-11-05 10:00:00",
        "2026-11-05T10:00:00",
        "2026-02-30T10:00:00Z",
        "2026-11-05T24:00:00Z",
        "2026-12-31T23:59:60Z",
        "вчера",
        "2026-11-05T10:00:00Z ",
    ] {
        let e = Timestamp::parse(bad).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidInput, "{bad:?}");
        assert!(e.message.contains("не время"), "{}", e.message);
    }
    let long = "9".repeat(100_000);
    let e = Timestamp::parse(&long).unwrap_err();
    assert!(e.message.chars().count() < 200, "{}", e.message.len());
}

#[test]
fn a_timestamp_stays_within_years_that_have_the_stored_form() {
    assert!(
        Timestamp::from_unix(253_402_300_800).is_none(),
        "year 10000"
    );
    assert!(Timestamp::from_unix_millis(i64::MAX).is_none());
    let last = ts("9999-12-31T23:59:59Z");
    assert!(last.checked_add(TimeDelta::seconds(1)).is_none());
    assert_eq!(
        last.saturating_add(TimeDelta::days(10)).to_string(),
        "9999-12-31T23:59:59.999999999Z"
    );
    assert_eq!(
        ts("2026-11-05T10:00:00Z")
            .saturating_add(TimeDelta::minutes(90))
            .to_string(),
        "2026-11-05T11:30:00Z"
    );
}

#[test]
fn timestamps_order_and_subtract_as_instants() {
    let a = ts("2026-11-05T10:00:00Z");
    let b = ts("2026-11-05T15:00:00+05:00");
    assert_eq!(a, b);
    let c = ts("2026-11-05T10:00:00.5Z");
    assert!(a < c);
    assert_eq!((c - a).num_milliseconds(), 500);
    assert_eq!(c.to_whole_seconds(), a);
    assert_eq!(c.day(), Day::parse("2026-11-05").unwrap());
    assert_eq!(c.unix_millis(), a.unix_millis() + 500);
}

#[test]
fn a_day_writes_and_reads_yyyy_mm_dd() {
    for text in [
        "2026-10-31",
        "2024-02-29",
        "0000-01-01",
        "9999-12-31",
        "0999-03-04",
    ] {
        let d = Day::parse(text).unwrap();
        assert_eq!(d.to_string(), text);
    }
    let d = Day::from_ymd(2026, 1, 5).unwrap();
    assert_eq!(d.to_string(), "2026-01-05");
}

#[test]
fn a_bad_day_is_refused_with_a_clear_message() {
    for bad in [
        "",
        "2026-1-5",
        "2026-02-30",
        "2023-02-29",
        "2026-13-01",
        "2026-00-10",
        "31.10.2026",
        "+2026-10-31",
        "2026-10-31T00:00:00Z",
        " 2026-10-31",
        "2026/10/31",
        "２０２６-10-31",
        "-026-10-31",
    ] {
        let e = Day::parse(bad).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidInput, "{bad:?}");
        assert!(
            e.message.contains("не дата: ожидается ГГГГ-ММ-ДД"),
            "{}",
            e.message
        );
    }
}

#[test]
fn day_arithmetic_knows_month_ends_and_leap_years() {
    let d = |s: &str| Day::parse(s).unwrap();
    assert_eq!(d("2024-02-03").month_end(), d("2024-02-29"));
    assert_eq!(d("2023-02-03").month_end(), d("2023-02-28"));
    assert_eq!(d("2026-12-15").month_end(), d("2026-12-31"));
    assert_eq!(d("2026-10-31").plus_days(30), Some(d("2026-11-30")));
    assert_eq!(d("9999-12-31").plus_days(1), None);
    assert_eq!(d("2026-11-30").days_since(d("2026-10-31")), 30);
    assert_eq!(d("2026-10-31").days_since(d("2026-11-30")), -30);
    assert_eq!(d("2026-11-05").start().to_string(), "2026-11-05T00:00:00Z");
}

#[test]
fn serde_uses_the_same_text_and_refuses_bad_text() {
    let t = ts("2026-10-30T08:00:00.5Z");
    assert_eq!(
        serde_json::to_string(&t).unwrap(),
        "\"2026-10-30T08:00:00.5Z\""
    );
    assert_eq!(
        serde_json::from_str::<Timestamp>("\"2026-10-30T08:00:00.5Z\"").unwrap(),
        t
    );
    let d = Day::parse("2026-10-31").unwrap();
    assert_eq!(serde_json::to_string(&d).unwrap(), "\"2026-10-31\"");
    assert_eq!(serde_json::from_str::<Day>("\"2026-10-31\"").unwrap(), d);
    let e = serde_json::from_str::<Day>("\"2026-02-30\"").unwrap_err();
    assert!(e.to_string().contains("не дата"), "{e}");
    assert!(serde_json::from_str::<Timestamp>("\"2026-10-30\"").is_err());
    assert!(serde_json::from_str::<Timestamp>("17000").is_err());
}

#[test]
fn an_x509_time_converts_to_the_same_instant() {
    use x509_cert::der::asn1::{GeneralizedTime, UtcTime};
    use x509_cert::der::DateTime as DerTime;
    let at = DerTime::new(2026, 11, 5, 10, 0, 0).unwrap();
    let utc = x509_cert::time::Time::UtcTime(UtcTime::from_date_time(at).unwrap());
    let gen = x509_cert::time::Time::GeneralTime(GeneralizedTime::from_date_time(at));
    assert_eq!(
        Timestamp::from_x509(&utc).to_string(),
        "2026-11-05T10:00:00Z"
    );
    assert_eq!(Timestamp::from_x509(&gen), Timestamp::from_x509(&utc));
    let far = DerTime::new(9999, 12, 31, 23, 59, 59).unwrap();
    let far = x509_cert::time::Time::GeneralTime(GeneralizedTime::from_date_time(far));
    assert_eq!(
        Timestamp::from_x509(&far).to_string(),
        "9999-12-31T23:59:59Z"
    );
}

#[test]
fn a_local_wire_time_is_read_as_written() {
    let t = parse_local("05.03.2025 09:07:01", "%d.%m.%Y %H:%M:%S").unwrap();
    assert_eq!(t.to_string(), "2025-03-05 09:07:01");
    assert!(parse_local("31.02.2025 09:07:01", "%d.%m.%Y %H:%M:%S").is_none());
}
