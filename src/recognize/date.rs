//! Calendar dates as written in bulletins: `10月27日`, `2023年2月29日`, `2021年`, `9月`.

use super::Date;

/// Years written with four Arabic digits in this range are dates (`2021年`); other numbers before
/// `年` are durations (`3年`).
pub(crate) const YEARS: std::ops::RangeInclusive<i64> = 1900..=2100;

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Days in `month` (1–12); February has 29 when the year is unknown.
pub(crate) fn days_in_month(year: Option<i32>, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 => match year {
            Some(y) if !is_leap(y) => 28,
            _ => 29,
        },
        _ => 0,
    }
}

/// Whether the written parts name a day that exists.
pub(crate) fn exists(date: &Date) -> bool {
    match (date.month, date.day) {
        (Some(m), Some(d)) => {
            (1..=12).contains(&m) && (1..=days_in_month(date.year, m)).contains(&d)
        }
        (Some(m), None) => (1..=12).contains(&m),
        (None, Some(d)) => (1..=31).contains(&d),
        (None, None) => date.year.is_some(),
    }
}

/// Days from 1970-01-01 to the given day of the proleptic Gregorian calendar (Hinnant's
/// `days_from_civil`): differences of these are lengths of periods, their residues weekdays.
fn day_number(year: i32, month: u32, day: u32) -> i64 {
    let y = i64::from(year) - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The first and last day (as day numbers) a date may name in `year`: a whole month for
/// `9月`, the whole year for `2021年`. `None` when the date names no existing day.
fn days_named(date: &Date, year: i32) -> Option<(i64, i64)> {
    if !exists(&Date {
        year: Some(year),
        ..*date
    }) {
        return None;
    }
    match (date.month, date.day) {
        (Some(m), Some(d)) => Some((day_number(year, m, d), day_number(year, m, d))),
        (Some(m), None) => Some((
            day_number(year, m, 1),
            day_number(year, m, days_in_month(Some(year), m)),
        )),
        (None, None) => Some((day_number(year, 1, 1), day_number(year, 12, 31))),
        (None, Some(_)) => None,
    }
}

/// A range whose second date, lacking its year, crosses into the next year (`12月25日至1月5日`)
/// is read so only while it stays this short; a longer one (`9月14日至9月8日`, 359 days) is a
/// range that ends before it starts.
const YEAR_CROSSING_DAYS: i64 = 183;

/// Years standing for an unknown year: one common, one leap, so that a period through February
/// is read both ways (a difference of one day) and no reading is assumed.
const UNKNOWN_YEARS: [i32; 2] = [2023, 2024];

/// The number of days from the start of the range to its end, `to − from` (the exclusive count;
/// add one for the inclusive), as the least and greatest value over the readings of the dates.
/// Parts `to` leaves out are carried from `from`: `3月19日至20日` is in March, `2025年2月24日至
/// 28日` in 2025, and a year-less `to` whose month is earlier is in the next year only when the
/// range stays under [`YEAR_CROSSING_DAYS`]. Negative when the range ends before it starts.
/// `None` when either is no date or names no existing day (another rule reports that).
pub(crate) fn range_days(from: &Date, to: &Date) -> Option<(i64, i64)> {
    let mut to = *to;
    if to.month.is_none() && to.day.is_some() {
        to.month = from.month;
    }
    if from.day.is_none() && from.month.is_none() && from.year.is_none() {
        return None;
    }
    if to.day.is_none() && to.month.is_none() && to.year.is_none() {
        return None;
    }
    let years: Vec<i32> = match from.year {
        Some(y) => vec![y],
        None if to.year.is_some() => vec![to.year?],
        None => UNKNOWN_YEARS.to_vec(),
    };
    let mut low = i64::MAX;
    let mut high = i64::MIN;
    for year in years {
        let (a_first, a_last) = days_named(from, year)?;
        let (b_first, b_last) = match to.year {
            Some(y) => days_named(&to, y)?,
            None => {
                let same = days_named(&to, year);
                let crossing = (to.month < from.month)
                    .then(|| days_named(&to, year + 1))
                    .flatten()
                    .filter(|(_, last)| last - a_first <= YEAR_CROSSING_DAYS);
                crossing.or(same)?
            }
        };
        low = low.min(b_first - a_last);
        high = high.max(b_last - a_first);
    }
    Some((low, high))
}

/// Whether the end of a range names an existing day once the year (and month) it leaves out are
/// carried from the start: `2025年2月24日至29日` and `2025年2月24日至2月29日` do not (2025 is no
/// leap year), `2024年2月24日至29日` does.
pub(crate) fn end_exists(from: &Date, to: &Date) -> bool {
    let mut to = *to;
    if to.year.is_none() && to.month.is_none_or(|m| Some(m) >= from.month) {
        to.year = from.year;
    }
    if to.month.is_none() && to.day.is_some() {
        to.month = from.month;
    }
    exists(&to)
}

/// The day of the week of a full date, 1 for Monday to 7 for Sunday; `None` without a year.
pub(crate) fn weekday(date: &Date) -> Option<u32> {
    let (year, month, day) = (date.year?, date.month?, date.day?);
    if !exists(date) {
        return None;
    }
    // 1970-01-01 was a Thursday.
    u32::try_from((day_number(year, month, day) + 3).rem_euclid(7) + 1).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation() {
        let d = |year, month, day| Date { year, month, day };
        let cases = [
            (d(None, Some(2), Some(29)), true),
            (d(Some(2024), Some(2), Some(29)), true),
            (d(Some(2023), Some(2), Some(29)), false),
            (d(Some(1900), Some(2), Some(29)), false),
            (d(Some(2000), Some(2), Some(29)), true),
            (d(None, Some(9), Some(31)), false),
            (d(None, Some(12), Some(31)), true),
            (d(None, Some(13), None), false),
            (d(None, Some(4), Some(0)), false),
            (d(Some(2021), None, None), true),
            (d(None, None, Some(32)), false),
        ];
        for (date, want) in cases {
            assert_eq!(exists(&date), want, "{date:?}");
        }
    }

    #[test]
    fn range_lengths_carry_the_first_date() {
        let d = |year, month, day| Date { year, month, day };
        let cases = [
            // 9月1日至11月30日: 91 days inclusive.
            (
                d(Some(2025), Some(9), Some(1)),
                d(None, Some(11), Some(30)),
                Some((90, 90)),
            ),
            (
                d(None, Some(3), Some(19)),
                d(None, None, Some(20)),
                Some((1, 1)),
            ),
            (
                d(None, Some(3), Some(19)),
                d(None, None, Some(10)),
                Some((-9, -9)),
            ),
            (
                d(None, Some(9), Some(14)),
                d(None, Some(9), Some(8)),
                Some((-6, -6)),
            ),
            // Through February without a year: 28 or 29 days.
            (
                d(None, Some(2), Some(1)),
                d(None, Some(3), Some(1)),
                Some((28, 29)),
            ),
            (
                d(None, Some(12), Some(25)),
                d(None, Some(1), Some(5)),
                Some((11, 11)),
            ),
            (
                d(None, Some(6), Some(1)),
                d(None, Some(5), Some(31)),
                Some((-1, -1)),
            ),
            (
                d(Some(2023), Some(1), None),
                d(Some(2022), Some(9), None),
                Some((-152, -93)),
            ),
            (
                d(Some(2022), Some(1), None),
                d(Some(2023), Some(9), None),
                Some((578, 637)),
            ),
            // 2025 has no 29 February: not a range this rule can measure.
            (
                d(Some(2025), Some(2), Some(24)),
                d(None, None, Some(29)),
                None,
            ),
            (
                d(Some(2024), Some(2), Some(24)),
                d(None, None, Some(29)),
                Some((5, 5)),
            ),
        ];
        for (from, to, want) in cases {
            assert_eq!(range_days(&from, &to), want, "{from:?} {to:?}");
        }
    }

    #[test]
    fn range_ends_take_the_year_of_the_start() {
        let d = |year, month, day| Date { year, month, day };
        let cases = [
            (
                d(Some(2025), Some(2), Some(24)),
                d(None, None, Some(29)),
                false,
            ),
            (
                d(Some(2025), Some(2), Some(24)),
                d(None, Some(2), Some(29)),
                false,
            ),
            (
                d(Some(2024), Some(2), Some(24)),
                d(None, Some(2), Some(29)),
                true,
            ),
            (d(None, Some(2), Some(24)), d(None, Some(2), Some(29)), true),
            // December to February: the end is in the next year, which may be a leap year.
            (
                d(Some(2023), Some(12), Some(1)),
                d(None, Some(2), Some(29)),
                true,
            ),
            (d(None, Some(9), Some(1)), d(None, None, Some(31)), false),
        ];
        for (from, to, want) in cases {
            assert_eq!(end_exists(&from, &to), want, "{from:?} {to:?}");
        }
    }

    #[test]
    fn weekdays() {
        let d = |year, month, day| Date { year, month, day };
        assert_eq!(weekday(&d(Some(2026), Some(3), Some(8))), Some(7));
        assert_eq!(weekday(&d(Some(2025), Some(9), Some(1))), Some(1));
        assert_eq!(weekday(&d(Some(1970), Some(1), Some(1))), Some(4));
        assert_eq!(weekday(&d(None, Some(9), Some(1))), None);
    }
}
