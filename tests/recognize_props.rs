//! Property tests of the quantity recognizer.

use proptest::prelude::*;
use rust_decimal::Decimal;
use statlint::interval::Interval;
use statlint::recognize::{Kind, Recognizer};

const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];

/// `n < 10000` in the standard style: 一千零八十五, 三百零五, 十五 (一十五 when not at the start).
fn under_10000(n: u64, at_start: bool) -> String {
    let digits = [n / 1000, n / 100 % 10, n / 10 % 10, n % 10];
    let units = ["千", "百", "十", ""];
    let mut s = String::new();
    let mut started = false;
    let mut zero = false;
    for (i, &d) in digits.iter().enumerate() {
        if d == 0 {
            zero |= started;
            continue;
        }
        if zero {
            s.push('零');
            zero = false;
        }
        let bare_ten = d == 1 && i == 2 && !started && at_start;
        if !bare_ten {
            s.push_str(DIGITS[d as usize]);
        }
        s.push_str(units[i]);
        started = true;
    }
    s
}

/// Any `n <= 10^12` in Chinese numerals, with 万/亿 groups and the 零 rules: 二十万零三百,
/// 一亿零五万, 十万零一十, 一万亿.
fn chinese(n: u64) -> String {
    if n == 0 {
        return "零".to_string();
    }
    let groups = [
        (n / 100_000_000, "亿"),
        (n / 10_000 % 10_000, "万"),
        (n % 10_000, ""),
    ];
    let mut s = String::new();
    let mut started = false;
    let mut gap = false;
    for (g, unit) in groups {
        if g == 0 {
            gap |= started;
            continue;
        }
        if started && (gap || g < 1000) {
            s.push('零');
        }
        gap = false;
        let part = if unit == "亿" {
            chinese(g)
        } else {
            under_10000(g, !started)
        };
        s.push_str(&part);
        s.push_str(unit);
        started = true;
    }
    s
}

/// Arabic with thousands separators: 23,872.
fn with_separators(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[test]
fn the_formatter_writes_the_standard_forms() {
    let cases = [
        (0, "零"),
        (10, "十"),
        (15, "十五"),
        (115, "一百一十五"),
        (147, "一百四十七"),
        (1085, "一千零八十五"),
        (2300, "二千三百"),
        (23000, "二万三千"),
        (200_300, "二十万零三百"),
        (100_010, "十万零一十"),
        (100_000_005, "一亿零五"),
        (100_050_000, "一亿零五万"),
        (120_000_000, "一亿二千万"),
        (1_000_000_000_000, "一万亿"),
    ];
    for (n, want) in cases {
        assert_eq!(chinese(n), want, "{n}");
    }
}

/// Text made of the characters and words that figures are made of, plus anything else.
fn figure_soup() -> impl Strategy<Value = String> {
    const WORDS: &[&str] = &[
        "0",
        "1",
        "2",
        "5",
        "9",
        "00",
        ".",
        ",",
        "%",
        "％",
        "-",
        "~",
        "～",
        "至",
        "到",
        "一",
        "二",
        "两",
        "三",
        "七",
        "八",
        "十",
        "百",
        "千",
        "万",
        "亿",
        "零",
        "〇",
        "壹",
        "佰",
        "余",
        "多",
        "几",
        "数",
        "上",
        "约",
        "近",
        "不到",
        "超过",
        "逾",
        "以上",
        "以下",
        "左右",
        "第",
        "年",
        "月",
        "日",
        "号",
        "起",
        "人",
        "名",
        "个",
        "个月",
        "元",
        "万元",
        "亿元",
        "千克",
        "千瓦",
        "百分之",
        "分之",
        "点",
        "成",
        "倍",
        "翻",
        "番",
        "个百分点",
        "以来",
        "至今",
        "半",
        "半数",
        "一半",
        "负",
        "−",
        "零下",
        "——",
        "--",
        "个亿",
        "（含）以上",
        "开外",
        "级",
        "角",
        "分",
        "两",
        "斤",
        "日元",
        "摄氏度",
        "\u{a0}",
        "\u{2009}",
        "http://",
        "@",
        "一村一辅警",
        "“7·25”",
        "雷火2021",
        "，",
        "。",
        "、",
        "\n",
        " ",
        "a",
        "é",
        "🎉",
    ];
    let token = prop_oneof![
        4 => proptest::sample::select(WORDS).prop_map(str::to_string),
        1 => any::<char>().prop_map(|c| c.to_string()),
    ];
    proptest::collection::vec(token, 0..40).prop_map(|v| v.concat())
}

fn check_spans(text: &str) {
    let qs = Recognizer::standard().recognize(text);
    let mut last_end = 0;
    for q in &qs {
        let (s, e) = (q.span.start, q.span.end);
        assert!(s < e && e <= text.len(), "{text:?}: span {s}..{e}");
        assert!(
            text.is_char_boundary(s) && text.is_char_boundary(e),
            "{text:?}: {s}..{e}"
        );
        assert!(s >= last_end, "{text:?}: overlapping or unsorted at {s}");
        last_end = e;
        if let (Some(lo), Some(hi)) = (q.value.low_value(), q.value.high_value()) {
            assert!(lo <= hi, "{text:?}: empty interval {}", q.value);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn chinese_numerals_read_back(n in 0u64..=1_000_000_000_000) {
        let written = chinese(n);
        let figure = Recognizer::standard().parse_figure(&written);
        prop_assert_eq!(
            figure.map(|f| (f.value, f.malformed)),
            Some((Interval::exact(Decimal::from(n)), None)),
            "{}", written
        );
    }

    #[test]
    fn chinese_counts_in_text_read_back(n in 2u64..=1_000_000_000_000) {
        let text = format!("共抓获{}人。", chinese(n));
        let qs = Recognizer::standard().recognize(&text);
        prop_assert_eq!(qs.len(), 1, "{}", text);
        prop_assert_eq!(qs[0].value, Interval::exact(Decimal::from(n)), "{}", text);
        prop_assert_eq!(qs[0].kind, Kind::Count);
    }

    #[test]
    fn arabic_numerals_read_back(n in 0u64..=1_000_000_000_000) {
        let r = Recognizer::standard();
        for written in [n.to_string(), with_separators(n)] {
            let figure = r.parse_figure(&written);
            prop_assert_eq!(
                figure.map(|f| (f.value, f.malformed)),
                Some((Interval::exact(Decimal::from(n)), None)),
                "{}", written
            );
        }
    }

    /// `同比增长-X%` with X written to one decimal: the negative of X's precision interval.
    #[test]
    fn signed_rates_read_negative(tenths in 1u64..100_000, sign in 0usize..4) {
        let signs = ["-", "−", "－", "负"];
        let written = format!("{}.{}", tenths / 10, tenths % 10);
        let text = format!("同比增长{}{written}%，", signs[sign]);
        let qs = Recognizer::standard().recognize(&text);
        let x = Decimal::new(tenths as i64, 1);
        let half = Decimal::new(5, 2);
        prop_assert_eq!(qs.len(), 1, "{}", text);
        prop_assert_eq!(qs[0].value, Interval::closed(-x - half, -x + half), "{}", text);
        prop_assert_eq!(qs[0].kind, Kind::Percent);
    }

    /// `N年半`, `N个半月`: half a unit more, exact.
    #[test]
    fn half_adds_half_a_unit(n in 1u64..=9999, months in any::<bool>()) {
        let text = if months {
            format!("历时{}个半月。", chinese(n))
        } else {
            format!("历时{}年半。", chinese(n))
        };
        let qs = Recognizer::standard().recognize(&text);
        prop_assert_eq!(qs.len(), 1, "{}", text);
        prop_assert_eq!(
            qs[0].value,
            Interval::exact(Decimal::from(n) + Decimal::new(5, 1)),
            "{}", text
        );
    }

    /// `一万三`, `两千六`, `三百五`: one bare digit after 万/千/百 is in the next lower place.
    #[test]
    fn colloquial_trailing_digits(a in 1u64..=9, b in 1u64..=9, place in 0usize..3) {
        let (mag, unit) = [("百", 100), ("千", 1000), ("万", 10_000)][place];
        let text = format!("共{}{mag}{}人", DIGITS[a as usize], DIGITS[b as usize]);
        let qs = Recognizer::standard().recognize(&text);
        prop_assert_eq!(qs.len(), 1, "{}", text);
        prop_assert_eq!(
            qs[0].value,
            Interval::exact(Decimal::from(a * unit + b * unit / 10)),
            "{}", text
        );
    }

    /// Ranges: `a至b万元` with the low end taking 万 when it stays below the high end,
    /// `a元至b万元` with a unit on both ends, `a到b人` in Chinese; a reversed range is two
    /// figures, never an empty interval.
    #[test]
    fn ranges_read_both_ends(a in 1u64..=20_000, b in 1u64..=20_000, form in 0usize..3) {
        let r = Recognizer::standard();
        let (text, low, high) = match form {
            0 => {
                let low = if a * 10_000 <= b * 10_000 { a * 10_000 } else { a };
                (format!("罚款{a}至{b}万元。"), low, b * 10_000)
            }
            1 => (format!("罚款{a}元至{b}万元。"), a, b * 10_000),
            // The bare low end takes the high end's magnitudes when the high end is one
            // mantissa and magnitudes (两到三千); `一到九千九百` is read as written.
            _ => {
                let c = chinese(b);
                let mantissa_then_magnitudes = c
                    .trim_end_matches(['十', '百', '千', '万'])
                    .chars()
                    .filter(|ch| "百千万亿".contains(*ch))
                    .count()
                    == 0;
                let scale = if mantissa_then_magnitudes {
                    let tail: String = c.chars().rev().take_while(|ch| "百千万".contains(*ch)).collect();
                    tail.chars().map(|ch| match ch { '百' => 100, '千' => 1000, _ => 10_000 }).product::<u64>()
                } else {
                    1
                };
                let low = if a * scale <= b { a * scale } else { a };
                (format!("共{}到{}人。", chinese(a), c), low, b)
            }
        };
        let qs = r.recognize(&text);
        if low <= high {
            prop_assert_eq!(qs.len(), 1, "{}", text);
            prop_assert_eq!(
                qs[0].value,
                Interval::closed(Decimal::from(low), Decimal::from(high)),
                "{}", text
            );
        } else {
            prop_assert!(qs.len() <= 2, "{}", text);
            prop_assert_eq!(
                qs.last().map(|q| q.value),
                Some(Interval::exact(Decimal::from(high))),
                "{}", text
            );
        }
    }

    #[test]
    fn soups_never_panic_and_spans_are_sound(text in figure_soup()) {
        check_spans(&text);
        let _ = Recognizer::standard().parse_figure(&text);
    }

    #[test]
    fn arbitrary_strings_never_panic(text in any::<String>()) {
        check_spans(&text);
        let _ = Recognizer::standard().parse_figure(&text);
    }

    #[test]
    fn cjk_strings_never_panic(text in "[\\p{Han}0-9,.%〇]{0,60}") {
        check_spans(&text);
        let _ = Recognizer::standard().parse_figure(&text);
    }
}

#[test]
fn the_issue_soup() {
    check_spans("一二三万亿余多约,,,%%%");
    check_spans("8亿余万元万万万亿亿余余多多第第第年年月月日日");
}
