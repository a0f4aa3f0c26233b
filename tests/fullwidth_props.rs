//! Full-width digits, ％ and ．read exactly like their ASCII forms, and every span maps back
//! onto the characters the author typed.

use proptest::prelude::*;
use statlint::evaluate::Analysis;
use statlint::recognize::Recognizer;

fn to_full_width(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '0'..='9' => char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap(),
            '%' => '％',
            '.' => '．',
            other => other,
        })
        .collect()
}

/// A bulletin-like sentence: figures with units, decimals and percentages between words.
fn sentence() -> impl Strategy<Value = String> {
    let figure = prop_oneof![
        (1u32..100_000).prop_map(|n| format!("{n}起")),
        (1u32..5000).prop_map(|n| format!("{n}名")),
        (1u32..1000, 0u32..10).prop_map(|(a, b)| format!("{a}.{b}%")),
        (1u32..100).prop_map(|n| format!("{n}余万元")),
        (1u32..12, 1u32..28).prop_map(|(m, d)| format!("{m}月{d}日")),
    ];
    let word = prop_oneof![
        Just("破获刑事案件"),
        Just("，抓获犯罪嫌疑人"),
        Just("，同比下降"),
        Just("，涉案金额"),
        Just("。"),
    ];
    prop::collection::vec((word, figure), 1..6).prop_map(|parts| {
        parts
            .into_iter()
            .map(|(w, f)| format!("{w}{f}"))
            .collect::<String>()
    })
}

proptest! {
    #[test]
    fn full_width_reads_the_same_values_with_spans_on_the_original(text in sentence()) {
        let recognizer = Recognizer::standard();
        let wide = to_full_width(&text);
        let narrow_analysis = Analysis::new(&text, recognizer);
        let wide_analysis = Analysis::new(&wide, recognizer);
        prop_assert_eq!(narrow_analysis.quantities.len(), wide_analysis.quantities.len());
        for (n, w) in narrow_analysis.quantities.iter().zip(&wide_analysis.quantities) {
            prop_assert_eq!(n.value, w.value);
            prop_assert_eq!(n.kind, w.kind);
            prop_assert_eq!(&n.unit, &w.unit);
            let narrow_span = narrow_analysis.view.to_source(n.span);
            let wide_span = wide_analysis.view.to_source(w.span);
            prop_assert_eq!(
                to_full_width(&text[narrow_span.range()]),
                &wide[wide_span.range()]
            );
        }
    }
}
