//! `statlint extract` on the seed bulletin, compared with the list of figures written by
//! reading the bulletin paragraph by paragraph (not copied from the program's output).

mod common;

use common::{fixture, seed_text, span_text, statlint};

/// Every figure of the seed, in order: read off the bulletin line by line, twice, by two people
/// independently (the lists agreed). Not figures: “7·25”, 雷火2021, 一盘棋, 一体化, 一批,
/// 一起 (the article in 破获一起…案件), 两卡, 一村一辅警, 一居一警, 一感两度, 三站一场, 首起.
const SEED_FIGURES: &[&str] = &[
    // title
    "147起",
    "160人",
    // the Xianning case
    "10月27日",
    "18名",
    "370克",
    // campaign totals
    "147起",
    "160名",
    // photo caption
    "5名",
    // three priorities, five kinds of crime (twice)
    "三个",
    "五类",
    "五类",
    // the e-cigarette case
    "4月16日",
    "2种",
    "一个多月",
    "4人",
    "4省",
    "9月起",
    "10月27日",
    "2名",
    // Xian'an fraud gang
    "200余万元",
    // Tongshan card seller
    "9月27日",
    "2018年至今",
    "50余张",
    "约5万元",
    // year-to-date fraud totals
    "412起",
    "53个",
    "1825人",
    "26万余人次",
    "23872个",
    "8亿余万元",
    "3189个",
    "2亿余万元",
    // Chongyang gambling case
    "9月29日",
    "6名",
    "2人",
    "4人",
    // Chibi prostitution case
    "9月29日",
    "2人",
    "2人",
    "8人",
    // the peace association
    "13家",
    "25个",
    "2名",
    "70余人",
    "8人",
    // Tongshan county
    "2省",
    "5县",
    "不到300人",
    "38.2%",
    "25%",
    "23.5%",
    "第15名",
    "889个",
    "801人",
    "227人",
    // headquarters since 2021
    "2021年以来",
    "1085起",
    "1194人",
];

#[test]
fn extract_lists_every_figure_of_the_seed() {
    let output = statlint()
        .args(["extract", "--format", "json"])
        .arg(fixture("xianning-725-campaign.txt"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["version"], 1);
    let text = seed_text();
    let quantities = json["quantities"].as_array().unwrap();
    let texts: Vec<&str> = quantities
        .iter()
        .map(|q| q["text"].as_str().unwrap())
        .collect();
    assert_eq!(texts, SEED_FIGURES);
    for q in quantities {
        assert_eq!(
            span_text(&text, &q["span"]),
            q["text"].as_str().unwrap(),
            "span of {q}"
        );
    }
}

#[test]
fn extract_reports_intervals_units_and_kinds() {
    let output = statlint()
        .args(["extract", "--format", "json", "-"])
        .write_stdin("协会成员达到70余人，全县警力不到300人，分别下降38.2%，排名第15名，逾200起。")
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let got: Vec<(String, String)> = json["quantities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| {
            let low = q["low"].as_str().map_or("null".into(), str::to_string);
            let high = q["high"].as_str().map_or("null".into(), str::to_string);
            let open = |k: &str| q[k].as_bool().unwrap();
            (
                q["text"].as_str().unwrap().to_string(),
                format!(
                    "{}{low}, {high}{} {} {}",
                    if open("low_open") { "(" } else { "[" },
                    if open("high_open") { ")" } else { "]" },
                    q["unit"].as_str().unwrap_or("-"),
                    q["kind"].as_str().unwrap()
                ),
            )
        })
        .collect();
    let want = [
        ("70余人", "(70, 80) 人 count"),
        ("不到300人", "[0, 300) 人 count"),
        ("38.2%", "[38.15, 38.25] % percent"),
        ("第15名", "[15, 15] 名 ordinal"),
        ("逾200起", "(200, null) 起 count"),
    ];
    let want: Vec<(String, String)> = want
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(got, want);
}

#[test]
fn extract_on_a_missing_file_is_exit_2() {
    statlint()
        .args(["extract", "no/such/file.txt"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("no/such/file.txt"));
}

/// The human output, for an editor: each figure as written with what statlint reads from it
/// (the range of an approximation, the value of a magnitude in 元), the unit with its family,
/// the kind, and a malformation said in Chinese. Worked out by hand: 协会成员达到 is six
/// characters, so 70余人 starts at column 7; 不到300人 at 16; 5万元 at 25; 8亿余万元 at 31.
#[test]
fn extract_prints_readable_figures_for_an_editor() {
    let output = statlint()
        .args(["extract", "-"])
        .write_stdin("协会成员达到70余人，全县警力不到300人，涉案5万元，止付8亿余万元。")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let want = "1:7\t70余人 (70–80)\t人 (person)\tcount\n\
                1:16\t不到300人 (0–300)\t人 (person)\tcount\n\
                1:25\t5万元 (50000)\t万元 (money)\tamount\n\
                1:31\t8亿余万元\t万元 (money)\tamount\t格式有误：亿、万等数量级混用\n";
    assert_eq!(String::from_utf8(output.stdout).unwrap(), want);
}
