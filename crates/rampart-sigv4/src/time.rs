//! Request timestamps: ISO 8601 basic format (`YYYYMMDDTHHMMSSZ`, the
//! `X-Amz-Date` form) and RFC 7231 `Date` header values, to and from unix
//! seconds (UTC).
//!
//! Pure calendar arithmetic; never reads the clock (`now` is always a parameter).

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(month);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The proleptic Gregorian date of a day count since 1970-01-01.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days.saturating_add(719_468);
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Unix seconds of a validated UTC date and time, or `None` if out of range.
fn to_unix(year: i64, month: u32, day: u32, hour: u32, minute: u32, second: u32) -> Option<i64> {
    if !(1..=12).contains(&month)
        || day == 0
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 59
    {
        return None;
    }
    let secs = i64::from(hour * 3600 + minute * 60 + second);
    days_from_civil(year, month, day)
        .checked_mul(86_400)?
        .checked_add(secs)
}

/// Parses an all-digit byte string.
fn digits(bytes: Option<&[u8]>) -> Option<u32> {
    let bytes = bytes?;
    if bytes.is_empty() || bytes.len() > 9 {
        return None;
    }
    bytes.iter().try_fold(0u32, |acc, &b| {
        b.is_ascii_digit().then(|| acc * 10 + u32::from(b - b'0'))
    })
}

/// Formats unix seconds as `YYYYMMDDTHHMMSSZ` (ISO 8601 basic format, UTC).
///
/// ```
/// assert_eq!(rampart_sigv4::format_amz_date(1_440_938_160), "20150830T123600Z");
/// ```
#[must_use]
pub fn format_amz_date(unix: i64) -> String {
    let days = unix.div_euclid(86_400);
    let secs = unix.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}{month:02}{day:02}T{:02}{:02}{:02}Z",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

/// Parses `YYYYMMDDTHHMMSSZ` (ISO 8601 basic format, UTC) into unix seconds.
///
/// ```
/// assert_eq!(rampart_sigv4::parse_amz_date("20150830T123600Z"), Some(1_440_938_160));
/// assert_eq!(rampart_sigv4::parse_amz_date("2015-08-30T12:36:00Z"), None);
/// ```
#[must_use]
pub fn parse_amz_date(value: &str) -> Option<i64> {
    let b = value.as_bytes();
    if b.len() != 16 || b.get(8) != Some(&b'T') || b.get(15) != Some(&b'Z') {
        return None;
    }
    to_unix(
        i64::from(digits(b.get(0..4))?),
        digits(b.get(4..6))?,
        digits(b.get(6..8))?,
        digits(b.get(9..11))?,
        digits(b.get(11..13))?,
        digits(b.get(13..15))?,
    )
}

/// Parses an RFC 7231 IMF-fixdate `Date` header (`Sun, 30 Aug 2015 12:36:00 GMT`)
/// into unix seconds.
///
/// The weekday is optional and not checked; the zone may be `GMT`, `UT`, `UTC`,
/// `Z` or a numeric offset such as `-0000` (Python's `email.utils.formatdate`,
/// which botocore uses, writes `-0000`). RFC 850 and asctime forms are not
/// accepted: no SDK sends them.
#[must_use]
pub fn parse_http_date(value: &str) -> Option<i64> {
    let rest = match value.split_once(',') {
        Some((_weekday, rest)) => rest,
        None => value,
    };
    let mut parts = rest.split_ascii_whitespace();
    let day = digits(parts.next().map(str::as_bytes))?;
    let month = month_number(parts.next()?)?;
    let year_text = parts.next()?;
    if year_text.len() != 4 {
        return None;
    }
    let year = i64::from(digits(Some(year_text.as_bytes()))?);
    let mut clock = parts.next()?.split(':');
    let hour = digits(clock.next().map(str::as_bytes))?;
    let minute = digits(clock.next().map(str::as_bytes))?;
    let second = digits(clock.next().map(str::as_bytes))?;
    if clock.next().is_some() {
        return None;
    }
    let offset = zone_offset(parts.next()?)?;
    if parts.next().is_some() {
        return None;
    }
    to_unix(year, month, day, hour, minute, second)?.checked_sub(offset)
}

fn month_number(name: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let index = MONTHS.iter().position(|m| m.eq_ignore_ascii_case(name))?;
    u32::try_from(index).ok().map(|i| i + 1)
}

/// Seconds east of UTC for a `Date` header zone.
fn zone_offset(zone: &str) -> Option<i64> {
    if ["GMT", "UT", "UTC", "Z"]
        .iter()
        .any(|z| z.eq_ignore_ascii_case(zone))
    {
        return Some(0);
    }
    let b = zone.as_bytes();
    let sign = match b.first() {
        Some(b'+') => 1,
        Some(b'-') => -1,
        _ => return None,
    };
    if b.len() != 5 {
        return None;
    }
    let hours = digits(b.get(1..3))?;
    let minutes = digits(b.get(3..5))?;
    if hours > 23 || minutes > 59 {
        return None;
    }
    Some(sign * i64::from(hours * 3600 + minutes * 60))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amz_date_round_trips() {
        for t in [
            0,
            1_440_938_160,
            951_782_400,
            4_102_444_799,
            -86_400,
            253_402_300_799,
        ] {
            assert_eq!(parse_amz_date(&format_amz_date(t)), Some(t), "{t}");
        }
        assert_eq!(format_amz_date(0), "19700101T000000Z");
        assert_eq!(format_amz_date(951_782_400), "20000229T000000Z");
    }

    #[test]
    fn amz_date_rejects_bad_values() {
        for bad in [
            "2015/08/30T12/36/00Z",
            "20150830T123600",
            "20150830 123600Z",
            "20150230T123600Z",
            "20151330T123600Z",
            "20150830T243600Z",
            "20150830T126000Z",
            "20150830T123660Z",
            "2015083OT123600Z",
            "+0150830T123600Z",
            "",
        ] {
            assert_eq!(parse_amz_date(bad), None, "{bad}");
        }
        assert_eq!(parse_amz_date("20160229T000000Z"), Some(1_456_704_000));
        assert_eq!(parse_amz_date("21000229T000000Z"), None);
    }

    #[test]
    fn http_date_forms() {
        let t = Some(1_440_938_160);
        assert_eq!(parse_http_date("Sun, 30 Aug 2015 12:36:00 GMT"), t);
        assert_eq!(parse_http_date("Sun, 30 Aug 2015 12:36:00 -0000"), t);
        assert_eq!(parse_http_date("30 Aug 2015 12:36:00 UTC"), t);
        assert_eq!(parse_http_date("Sun, 30 Aug 2015 14:36:00 +0200"), t);
        assert_eq!(parse_http_date("Sun, 30 Aug 2015 12:36:00"), None);
        assert_eq!(parse_http_date("Sun, 30 Foo 2015 12:36:00 GMT"), None);
        assert_eq!(parse_http_date("Sunday, 30-Aug-15 12:36:00 GMT"), None);
    }
}
