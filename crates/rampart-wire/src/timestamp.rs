//! [`Timestamp`]: a point in time as unix seconds, with the two wire forms AWS
//! uses: ISO 8601 UTC with `Z` (awsQuery, wire-protocols.md §1.2) and epoch
//! seconds (JSON protocols, §2.2). The civil-date conversion is written here
//! (days-from-epoch ↔ proleptic Gregorian date) so the crate needs no time
//! library; it never reads the clock.

use std::fmt::Write as _;

/// Seconds since 1970-01-01T00:00:00Z (negative before).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Timestamp(pub i64);

/// Days since 1970-01-01 → (year, month 1..=12, day 1..=31).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    // Shift the epoch to 0000-03-01 so leap days fall at the end of a 400-year era.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097); // day of era, 0..=146096
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // 0..=399
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // 0..=365, March-based
    let mp = (5 * doy + 2) / 153; // 0..=11, March = 0
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (
        year,
        u32::try_from(month).unwrap_or(1),
        u32::try_from(day).unwrap_or(1),
    )
}

/// (year, month, day) → days since 1970-01-01.
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

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

impl Timestamp {
    /// `YYYY-MM-DDTHH:MM:SSZ`, the form IAM and STS emit.
    ///
    /// ```
    /// use rampart_wire::Timestamp;
    /// assert_eq!(Timestamp(1_714_566_896).to_iso8601(), "2024-05-01T12:34:56Z");
    /// ```
    #[must_use]
    pub fn to_iso8601(self) -> String {
        let days = self.0.div_euclid(86_400);
        let secs = self.0.rem_euclid(86_400);
        let (y, mo, d) = civil_from_days(days);
        let mut s = String::with_capacity(20);
        let _ = write!(
            s,
            "{y:04}-{mo:02}-{d:02}T{:02}:{:02}:{:02}Z",
            secs / 3600,
            secs / 60 % 60,
            secs % 60
        );
        s
    }

    /// Parses `YYYY-MM-DDTHH:MM:SS[.fff…]Z` (fraction truncated); `None` if malformed.
    #[must_use]
    pub fn parse_iso8601(text: &str) -> Option<Self> {
        let b = text.as_bytes();
        let num = |from: usize, len: usize| -> Option<i64> {
            let part = b.get(from..from + len)?;
            if !part.iter().all(u8::is_ascii_digit) {
                return None;
            }
            std::str::from_utf8(part).ok()?.parse().ok()
        };
        let sep = |at: usize, c: u8| b.get(at) == Some(&c);
        if !(sep(4, b'-')
            && sep(7, b'-')
            && (sep(10, b'T') || sep(10, b't'))
            && sep(13, b':')
            && sep(16, b':'))
        {
            return None;
        }
        let (y, mo, d) = (num(0, 4)?, num(5, 2)?, num(8, 2)?);
        let (h, mi, s) = (num(11, 2)?, num(14, 2)?, num(17, 2)?);
        let mut rest = b.get(19..)?;
        if let Some((b'.', frac)) = rest.split_first() {
            let digits = frac.iter().take_while(|c| c.is_ascii_digit()).count();
            if digits == 0 {
                return None;
            }
            rest = frac.get(digits..)?;
        }
        if rest != b"Z" && rest != b"z" {
            return None;
        }
        let month = u32::try_from(mo).ok()?;
        let day = u32::try_from(d).ok()?;
        let month_len = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if is_leap(y) => 29,
            2 => 28,
            _ => return None,
        };
        if day == 0 || day > month_len || h > 23 || mi > 59 || s > 59 {
            return None;
        }
        Some(Self(
            days_from_civil(y, month, day) * 86_400 + h * 3600 + mi * 60 + s,
        ))
    }

    /// Epoch seconds as a JSON number (JSON protocols).
    #[must_use]
    pub fn to_epoch_json(self) -> serde_json::Value {
        serde_json::Value::from(self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_known_instants() {
        assert_eq!(Timestamp(0).to_iso8601(), "1970-01-01T00:00:00Z");
        assert_eq!(Timestamp(951_782_400).to_iso8601(), "2000-02-29T00:00:00Z");
        assert_eq!(
            Timestamp(1_714_566_896).to_iso8601(),
            "2024-05-01T12:34:56Z"
        );
        assert_eq!(Timestamp(-1).to_iso8601(), "1969-12-31T23:59:59Z");
        assert_eq!(
            Timestamp(253_402_300_799).to_iso8601(),
            "9999-12-31T23:59:59Z"
        );
    }

    #[test]
    fn parse_round_trips_every_day_for_centuries() {
        let mut t = -2_208_988_800_i64; // 1900-01-01
        while t < 4_102_444_800 {
            // 2100-01-01
            let ts = Timestamp(t + 3_723);
            assert_eq!(Timestamp::parse_iso8601(&ts.to_iso8601()), Some(ts));
            t += 86_400;
        }
    }

    #[test]
    fn parse_rejects_bad_dates_and_accepts_fractions() {
        assert_eq!(
            Timestamp::parse_iso8601("2019-07-15T23:28:33.359Z"),
            Some(Timestamp(1_563_233_313))
        );
        assert_eq!(Timestamp::parse_iso8601("2023-02-29T00:00:00Z"), None);
        assert_eq!(Timestamp::parse_iso8601("2024-05-01T12:34:56"), None);
        assert_eq!(Timestamp::parse_iso8601("2024-05-01T24:00:00Z"), None);
        assert_eq!(Timestamp::parse_iso8601("2024-5-01T12:34:56Z"), None);
    }
}
