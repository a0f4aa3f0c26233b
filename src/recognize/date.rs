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
}
