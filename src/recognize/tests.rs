//! Table-driven tests of the recognizer: every form the issue lists, every figure of the seed
//! bulletin (checked by hand against the text), and the non-figures around them.

use super::*;
use regex::Regex;

/// One expected quantity: span text, interval (as `Interval` displays it: `147`, `(70, 80)`,
/// `[0, 300)`, `(200, ∞)`), unit text, kind.
type Want = (&'static str, &'static str, Option<&'static str>, Kind);

fn show(text: &str, q: &Quantity) -> (String, String, Option<String>, Kind) {
    (
        text[q.span.range()].to_string(),
        q.value.to_string(),
        q.unit.as_ref().map(|u| u.text.to_string()),
        q.kind,
    )
}

fn check_recognize(cases: &[(&str, &[Want])]) {
    let r = Recognizer::standard();
    let mut failures = Vec::new();
    for (text, want) in cases {
        let got: Vec<_> = r.recognize(text).iter().map(|q| show(text, q)).collect();
        let want: Vec<_> = want
            .iter()
            .map(|(s, v, u, k)| (s.to_string(), v.to_string(), u.map(str::to_string), *k))
            .collect();
        if got != want {
            failures.push(format!("{text}\n   got  {got:?}\n   want {want:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

use Kind::{Amount, Count, Date as D, Fraction, Multiple, Ordinal, Percent, PercentagePoint};

#[test]
fn seed_figures_one_by_one() {
    check_recognize(&[
        ("抓获犯罪嫌疑人18名，", &[("18名", "18", Some("名"), Count)]),
        ("合成大麻素370克。", &[("370克", "370", Some("克"), Count)]),
        ("破获刑案147起，", &[("147起", "147", Some("起"), Count)]),
        ("刑事打处160人！", &[("160人", "160", Some("人"), Count)]),
        (
            "抓获犯罪嫌疑人160名，",
            &[("160名", "160", Some("名"), Count)],
        ),
        (
            "以犯罪嫌疑人金某为首的4人贩毒团伙",
            &[("4人", "4", Some("人"), Count)],
        ),
        (
            "湖北、广东、海南4省的贩毒网络",
            &[("4省", "4", Some("省"), Count)],
        ),
        (
            "初检出该电子烟含有2种国家列管的",
            &[("2种", "2", Some("种"), Count)],
        ),
        (
            "联合深圳宝安警方抓获2名犯罪嫌疑人",
            &[("2名", "2", Some("名"), Count)],
        ),
        (
            "涉案金额200余万元。",
            &[("200余万元", "(2000000, 3000000)", Some("万元"), Amount)],
        ),
        (
            "共贩卖银行卡50余张、",
            &[("50余张", "(50, 60)", Some("张"), Count)],
        ),
        (
            "非法获利约5万元的犯罪事实",
            &[("约5万元", "[45000, 55000]", Some("万元"), Amount)],
        ),
        (
            "共侦破电信网络诈骗案件412起，",
            &[("412起", "412", Some("起"), Count)],
        ),
        (
            "打掉各类电信网络诈骗窝点53个，",
            &[("53个", "53", Some("个"), Count)],
        ),
        (
            "抓获诈骗类犯罪嫌疑人1825人，",
            &[("1825人", "1825", Some("人"), Count)],
        ),
        (
            "劝阻疑似被骗受害人26万余人次，",
            &[("26万余人次", "(260000, 270000)", Some("人次"), Count)],
        ),
        (
            "止付涉案账户23872个，",
            &[("23872个", "23872", Some("个"), Count)],
        ),
        (
            "止付涉诈资金8亿余万元；",
            &[("8亿余万元", "(-∞, ∞)", Some("万元"), Amount)],
        ),
        (
            "冻结涉诈账户3189个，",
            &[("3189个", "3189", Some("个"), Count)],
        ),
        (
            "冻结涉案资金2亿余万元，",
            &[("2亿余万元", "(-∞, ∞)", Some("万元"), Amount)],
        ),
        (
            "现场抓获违法犯罪嫌疑人6名。",
            &[("6名", "6", Some("名"), Count)],
        ),
        (
            "犯罪嫌疑人庞某、程某2人组织罗某、汪某等4人在城区宾馆",
            &[
                ("2人", "2", Some("人"), Count),
                ("4人", "4", Some("人"), Count),
            ],
        ),
        (
            "抓获涉嫌卖淫嫖娼人员2人，",
            &[("2人", "2", Some("人"), Count)],
        ),
        (
            "刑事拘留2人，行政处罚8人。",
            &[
                ("2人", "2", Some("人"), Count),
                ("8人", "8", Some("人"), Count),
            ],
        ),
        (
            "13家理事单位主要来自民营企业",
            &[("13家", "13", Some("家"), Count)],
        ),
        (
            "在全镇25个村（社区）各发展2名党员或热心市民",
            &[
                ("25个", "25", Some("个"), Count),
                ("2名", "2", Some("名"), Count),
            ],
        ),
        (
            "协会成员达到70余人，",
            &[("70余人", "(70, 80)", Some("人"), Count)],
        ),
        (
            "组建一支8人的专职巡逻队",
            &[("8人", "8", Some("人"), Count)],
        ),
        (
            "全县警力只有不到300人。",
            &[("不到300人", "[0, 300)", Some("人"), Count)],
        ),
        (
            "同比分别下降38.2%、25%、23.5%，",
            &[
                ("38.2%", "[38.15, 38.25]", Some("%"), Percent),
                ("25%", "25", Some("%"), Percent),
                ("23.5%", "[23.45, 23.55]", Some("%"), Percent),
            ],
        ),
        (
            "由全市乡镇末位跃居第15名。",
            &[("第15名", "15", Some("名"), Ordinal)],
        ),
        (
            "全市889个行政村已配备驻村辅警801人（另配备驻村民警227人）",
            &[
                ("889个", "889", Some("个"), Count),
                ("801人", "801", Some("人"), Count),
                ("227人", "227", Some("人"), Count),
            ],
        ),
        (
            "市局机关共协助基层破案1085起，抓获犯罪嫌疑人1194人。",
            &[
                ("1085起", "1085", Some("起"), Count),
                ("1194人", "1194", Some("人"), Count),
            ],
        ),
        (
            "“毒、枪、诈、赌、黄”等五类违法犯罪",
            &[("五类", "5", Some("类"), Count)],
        ),
        (
            "通城公安赴中缅边境将偷渡“捞金”的5名男子押解回国",
            &[("5名", "5", Some("名"), Count)],
        ),
        (
            "毗邻2省5县，",
            &[
                ("2省", "2", Some("省"), Count),
                ("5县", "5", Some("县"), Count),
            ],
        ),
        ("10月27日，捷报传来", &[("10月27日", "27", None, D)]),
        ("4月16日，咸宁温泉", &[("4月16日", "16", None, D)]),
        ("9月27日，通山公安", &[("9月27日", "27", None, D)]),
        ("9月29日，崇阳县", &[("9月29日", "29", None, D)]),
        ("其从2018年至今共贩卖", &[("2018年至今", "2018", None, D)]),
        ("2021年以来，市局机关", &[("2021年以来", "2021", None, D)]),
        ("9月起，专案组民警", &[("9月起", "9", None, D)]),
        // Documented choices: 三个重点 is a count; 一个多月 an approximate count of months.
        (
            "咸宁公安明确三个重点：",
            &[("三个", "3", Some("个"), Count)],
        ),
        (
            "经过一个多月的缜密侦查",
            &[("一个多月", "(1, 2)", Some("个月"), Count)],
        ),
    ]);
}

#[test]
fn seed_non_figures() {
    check_recognize(&[
        ("湖北省公安机关“7·25”专项行动以来", &[]),
        ("按照雷火2021专项行动总体部署", &[]),
        ("下好以打开路“一盘棋”", &[]),
        ("推进“一居一警、一村一辅警”全覆盖", &[]),
        ("在通山县杨芳林乡推行“一村一辅”工作试点", &[]),
        ("“一感两度”排名由全市乡镇末位", &[]),
        ("城中村、出租屋、写字楼、三站一场和旅馆", &[]),
        ("围绕枪弹、毒品、“两卡”的生产", &[]),
        ("成功破获一起贩卖新精神活性物质毒品公安部目标案件", &[]),
        ("集中破获了一批“枪、毒、诈、赌、黄”案件", &[]),
        ("并摸排出一张涉及湖南的贩毒网络", &[]),
        ("咸宁温泉三号桥派出所民警", &[]),
        ("省市两级公安禁毒部门迅速动作", &[]),
        ("依托“情指勤舆”一体化平台", &[]),
        ("这是咸宁公安侦办的首起部督案件", &[]),
        ("成立了全省首个平安协会", &[]),
        ("经过半年时间深挖细查", &[]),
        ("推广安装国家反电诈中心APP", &[]),
        ("足浴、KTV等重点部位", &[]),
        ("在近半个月缜密侦查的基础上", &[]),
        ("一举捣毁一个假扮“美女网友”的团伙", &[]),
        ("警民共守一座平安城", &[]),
        ("对网络“黄赌”活动保持“零容忍”态度", &[]),
    ]);
}

#[test]
fn other_non_figures() {
    check_recognize(&[
        ("一是加强领导，二是压实责任", &[]),
        ("单位一把手亲自抓", &[]),
        ("一线民警", &[]),
        ("扫描二维码", &[]),
        ("另一方面", &[]),
        ("统一部署", &[]),
        ("第一时间赶到现场", &[]),
        ("千家万户", &[]),
        ("服务老百姓", &[]),
        ("“十四五”规划", &[]),
        ("汽车零部件", &[]),
        ("5G基站", &[]),
        ("G20峰会", &[]),
        ("举报电话0715-8123456", &[]),
        ("案号2021刑初123号", &[]),
        ("打动万千人心", &[]),
        ("陆家嘴金融区", &[]),
        ("唯一一个", &[]),
        ("抓获一名嫌疑人", &[]),
        ("形成合力", &[]),
        ("共1.5", &[]),
        ("一二三万亿余多约,,,%%%", &[]),
    ]);
}

#[test]
fn arabic_and_magnitudes() {
    check_recognize(&[
        (
            "共有23,872个账户",
            &[("23,872个", "23872", Some("个"), Count)],
        ),
        ("缴获0.5克", &[("0.5克", "[0.45, 0.55]", Some("克"), Count)]),
        ("覆盖26万人", &[("26万人", "260000", Some("人"), Count)]),
        (
            "抓获1.5万人",
            &[("1.5万人", "[14500, 15500]", Some("人"), Count)],
        ),
        (
            "涉案3.5亿元",
            &[("3.5亿元", "[345000000, 355000000]", Some("亿元"), Amount)],
        ),
        (
            "投入5000万元",
            &[("5000万元", "50000000", Some("万元"), Amount)],
        ),
        ("涉案3亿元", &[("3亿元", "300000000", Some("亿元"), Amount)]),
        (
            "寄递409.96万件",
            &[("409.96万件", "[4099550, 4099650]", Some("件"), Count)],
        ),
        (
            "2.6万人",
            &[("2.6万人", "[25500, 26500]", Some("人"), Count)],
        ),
        (
            "1.7万人",
            &[("1.7万人", "[16500, 17500]", Some("人"), Count)],
        ),
        (
            "破获39.1万起",
            &[("39.1万起", "[390500, 391500]", Some("起"), Count)],
        ),
        (
            "全国共39.1万，",
            &[("39.1万", "[390500, 391500]", None, Count)],
        ),
        (
            "1亿2000万元",
            &[("1亿2000万元", "120000000", Some("万元"), Amount)],
        ),
        ("缴获3千克", &[("3千克", "3000", Some("千克"), Count)]),
        ("缴获5公斤", &[("5公斤", "5000", Some("公斤"), Count)]),
        ("缴获2吨", &[("2吨", "2000000", Some("吨"), Count)]),
        (
            "装机120万千瓦",
            &[("120万千瓦", "1200000", Some("千瓦"), Count)],
        ),
        (
            "追赃308亿余元",
            &[(
                "308亿余元",
                "(30800000000, 30900000000)",
                Some("元"),
                Amount,
            )],
        ),
        (
            "全年8亿余元",
            &[("8亿余元", "(800000000, 900000000)", Some("元"), Amount)],
        ),
        (
            "30余万元",
            &[("30余万元", "(300000, 400000)", Some("万元"), Amount)],
        ),
        (
            "同比增长5.1％",
            &[("5.1％", "[5.05, 5.15]", Some("％"), Percent)],
        ),
    ]);
}

#[test]
fn chinese_numerals() {
    check_recognize(&[
        (
            "共一百四十七起",
            &[("一百四十七起", "147", Some("起"), Count)],
        ),
        (
            "破案一千零八十五起",
            &[("一千零八十五起", "1085", Some("起"), Count)],
        ),
        ("两千三百人", &[("两千三百人", "2300", Some("人"), Count)]),
        (
            "二十万零三百元",
            &[("二十万零三百元", "200300", Some("元"), Amount)],
        ),
        ("十五人", &[("十五人", "15", Some("人"), Count)]),
        ("十人", &[("十人", "10", Some("人"), Count)]),
        ("壹佰贰拾元", &[("壹佰贰拾元", "120", Some("元"), Amount)]),
        ("两万三千名", &[("两万三千名", "23000", Some("名"), Count)]),
        ("两个", &[("两个", "2", Some("个"), Count)]),
        ("第一次", &[("第一次", "1", Some("次"), Ordinal)]),
        ("位居全国第1，", &[("第1", "1", None, Ordinal)]),
    ]);
}

#[test]
fn approximations() {
    check_recognize(&[
        ("十余人", &[("十余人", "(10, 20)", Some("人"), Count)]),
        ("千余名", &[("千余名", "(1000, 2000)", Some("名"), Count)]),
        ("百余人", &[("百余人", "(100, 200)", Some("人"), Count)]),
        (
            "6万多人",
            &[("6万多人", "(60000, 70000)", Some("人"), Count)],
        ),
        ("十几名", &[("十几名", "(10, 20)", Some("名"), Count)]),
        ("二十几名", &[("二十几名", "(20, 30)", Some("名"), Count)]),
        (
            "十余万人",
            &[("十余万人", "(100000, 200000)", Some("人"), Count)],
        ),
        ("逾200人", &[("逾200人", "(200, ∞)", Some("人"), Count)]),
        ("超过300起", &[("超过300起", "(300, ∞)", Some("起"), Count)]),
        (
            "超5000万元",
            &[("超5000万元", "(50000000, ∞)", Some("万元"), Amount)],
        ),
        ("300人以上", &[("300人以上", "[300, ∞)", Some("人"), Count)]),
        ("50人以下", &[("50人以下", "[0, 50]", Some("人"), Count)]),
        ("至少3人", &[("至少3人", "[3, ∞)", Some("人"), Count)]),
        (
            "不少于10家",
            &[("不少于10家", "[10, ∞)", Some("家"), Count)],
        ),
        ("不足100人", &[("不足100人", "[0, 100)", Some("人"), Count)]),
        (
            "大约300人",
            &[("大约300人", "[250, 350]", Some("人"), Count)],
        ),
        (
            "300人左右",
            &[("300人左右", "[250, 350]", Some("人"), Count)],
        ),
        (
            "约1825人",
            &[("约1825人", "[1642.5, 2007.5]", Some("人"), Count)],
        ),
        ("近300人", &[("近300人", "[270, 300]", Some("人"), Count)]),
        ("近一年", &[("近一年", "[0.9, 1]", Some("年"), Count)]),
        ("3年多", &[("3年多", "(3, 4)", Some("年"), Count)]),
        (
            "两个多小时",
            &[("两个多小时", "(2, 3)", Some("个小时"), Count)],
        ),
        ("10%以上", &[("10%以上", "[10, ∞)", Some("%"), Percent)]),
        ("九成以上", &[("九成以上", "[90, ∞)", Some("成"), Percent)]),
        ("约10%", &[("约10%", "[5, 15]", Some("%"), Percent)]),
    ]);
}

#[test]
fn ranges_and_vague_figures() {
    check_recognize(&[
        ("3至5人", &[("3至5人", "[3, 5]", Some("人"), Count)]),
        ("3-5人", &[("3-5人", "[3, 5]", Some("人"), Count)]),
        ("3～5人", &[("3～5人", "[3, 5]", Some("人"), Count)]),
        (
            "3-5万元",
            &[("3-5万元", "[30000, 50000]", Some("万元"), Amount)],
        ),
        ("三至五人", &[("三至五人", "[3, 5]", Some("人"), Count)]),
        ("七八人", &[("七八人", "[7, 8]", Some("人"), Count)]),
        ("两三家", &[("两三家", "[2, 3]", Some("家"), Count)]),
        ("三五人", &[("三五人", "[3, 5]", Some("人"), Count)]),
        (
            "七八十万人",
            &[("七八十万人", "[700000, 800000]", Some("人"), Count)],
        ),
        ("十七八岁", &[("十七八岁", "[17, 18]", Some("岁"), Count)]),
        ("数十人", &[("数十人", "[20, 100)", Some("人"), Count)]),
        ("数百名", &[("数百名", "[200, 1000)", Some("名"), Count)]),
        ("几十人", &[("几十人", "[20, 100)", Some("人"), Count)]),
        ("上千人", &[("上千人", "[1000, 10000)", Some("人"), Count)]),
        (
            "上万人",
            &[("上万人", "[10000, 100000)", Some("人"), Count)],
        ),
        ("成千上万人", &[]),
        (
            "加上千余名",
            &[("千余名", "(1000, 2000)", Some("名"), Count)],
        ),
    ]);
}

#[test]
fn rates_multiples_fractions() {
    let third = "[0.33333333333333333333333333, 0.33333333333333333333333334]";
    check_recognize(&[
        (
            "百分之三十八点二",
            &[(
                "百分之三十八点二",
                "[38.15, 38.25]",
                Some("百分之"),
                Percent,
            )],
        ),
        ("占三成", &[("三成", "30", Some("成"), Percent)]),
        (
            "上升2.3个百分点",
            &[(
                "2.3个百分点",
                "[2.25, 2.35]",
                Some("个百分点"),
                PercentagePoint,
            )],
        ),
        ("增长1倍", &[("1倍", "1", Some("倍"), Multiple)]),
        ("实现翻一番", &[("翻一番", "2", Some("番"), Multiple)]),
        ("翻两番", &[("翻两番", "4", Some("番"), Multiple)]),
        ("下了一番功夫", &[]),
        ("三分之一", &[("三分之一", third, None, Fraction)]),
        ("四分之一", &[("四分之一", "0.25", None, Fraction)]),
        ("千分之三", &[("千分之三", "0.003", None, Fraction)]),
        (
            "2.5‰",
            &[("2.5‰", "[0.00245, 0.00255]", Some("‰"), Fraction)],
        ),
    ]);
}

#[test]
fn dates() {
    check_recognize(&[
        ("2023年2月29日", &[("2023年2月29日", "29", None, D)]),
        ("2024年2月29日", &[("2024年2月29日", "29", None, D)]),
        ("2月29日", &[("2月29日", "29", None, D)]),
        ("9月31日", &[("9月31日", "31", None, D)]),
        ("二〇二一年十月", &[("二〇二一年十月", "10", None, D)]),
        ("截至2022年11月底", &[("2022年11月底", "11", None, D)]),
        ("15日起施行", &[("15日起", "15", None, D)]),
        ("60日内", &[("60日", "60", Some("日"), Count)]),
        ("今年1-10月", &[("10月", "10", None, D)]),
        ("2018至2020年", &[("2020年", "2020", None, D)]),
        ("近3年", &[("近3年", "[2.7, 3]", Some("年"), Count)]),
        ("1月30日晚上", &[("1月30日", "30", None, D)]),
    ]);
    let r = Recognizer::standard();
    // text, year, month, day, whether the day exists
    type DateCase = (&'static str, Option<i32>, Option<u32>, Option<u32>, bool);
    let cases: &[DateCase] = &[
        ("2023年2月29日", Some(2023), Some(2), Some(29), false),
        ("2024年2月29日", Some(2024), Some(2), Some(29), true),
        ("2月29日", None, Some(2), Some(29), true),
        ("9月31日", None, Some(9), Some(31), false),
        ("13月", None, Some(13), None, false),
        ("二〇二一年", Some(2021), None, None, true),
        ("10月27日", None, Some(10), Some(27), true),
        ("2021年以来", Some(2021), None, None, true),
    ];
    for &(text, year, month, day, valid) in cases {
        let qs = r.recognize(text);
        assert_eq!(qs.len(), 1, "{text}: {qs:?}");
        assert_eq!(qs[0].date, Some(Date { year, month, day }), "{text}");
        let want = (!valid).then_some(Malformation::ImpossibleDate);
        assert_eq!(qs[0].malformed, want, "{text}");
    }
}

#[test]
fn malformed_amounts_are_reported_unbounded() {
    let r = Recognizer::standard();
    let cases = [
        ("止付8亿余万元", "8亿余万元", Malformation::MixedMagnitudes),
        ("共3万万元", "3万万元", Malformation::DoubledMagnitude),
        ("共23,87,2个", "23,87,2个", Malformation::MisplacedSeparator),
        ("共1,0000元", "1,0000元", Malformation::MisplacedSeparator),
        ("资金8亿万元", "8亿万元", Malformation::MixedMagnitudes),
    ];
    for (text, span, malformation) in cases {
        let qs = r.recognize(text);
        assert_eq!(qs.len(), 1, "{text}: {qs:?}");
        assert_eq!(&text[qs[0].span.range()], span, "{text}");
        assert_eq!(qs[0].malformed, Some(malformation), "{text}");
        assert_eq!(qs[0].value, Interval::unbounded(), "{text}");
    }
}

#[test]
fn units_carry_their_family() {
    let r = Recognizer::standard();
    let cases = [
        ("18名", "person"),
        ("160人", "person"),
        ("3位", "person"),
        ("147起", "case"),
        ("5件", "case"),
        ("2宗", "case"),
        ("200余万元", "money"),
        ("5元", "money"),
        ("3亿元", "money"),
        ("370克", "mass"),
        ("3千克", "mass"),
        ("26万余人次", "person_time"),
        ("38.2%", "percent"),
        ("三成", "percent"),
        ("2.3个百分点", "percentage_point"),
    ];
    for (text, family) in cases {
        let qs = r.recognize(text);
        assert_eq!(qs.len(), 1, "{text}: {qs:?}");
        assert_eq!(
            qs[0].unit.as_ref().map(|u| &*u.family),
            Some(family),
            "{text}"
        );
    }
}

#[test]
fn parse_figure_reads_captured_figures() {
    let r = Recognizer::standard();
    let cases: &[(&str, &str)] = &[
        ("801", "801"),
        ("70余", "(70, 80)"),
        ("200余万", "(2000000, 3000000)"),
        ("约5万", "[45000, 55000]"),
        ("五", "5"),
        ("百分之三十八点二", "[38.15, 38.25]"),
        ("38.2%", "[38.15, 38.25]"),
        ("不到300", "[0, 300)"),
        ("889个", "889"),
        ("一百四十七", "147"),
        ("一千零八十五", "1085"),
        ("两千三百", "2300"),
        ("二十万零三百", "200300"),
        ("十五", "15"),
        ("十", "10"),
        ("壹佰贰拾", "120"),
        ("两万三千", "23000"),
        ("二〇二一", "2021"),
        ("千余", "(1000, 2000)"),
        ("十余", "(10, 20)"),
        ("十几", "(10, 20)"),
        ("数十", "[20, 100)"),
        ("几十", "[20, 100)"),
        ("上千", "[1000, 10000)"),
        ("3至5", "[3, 5]"),
        ("3-5", "[3, 5]"),
        ("七八", "[7, 8]"),
        ("两三", "[2, 3]"),
        ("三成", "30"),
        ("26万余", "(260000, 270000)"),
        ("6万多", "(60000, 70000)"),
        ("0.5", "[0.45, 0.55]"),
        ("23,872", "23872"),
        ("1亿2000万", "120000000"),
        ("3万5千", "35000"),
        ("一亿二千万", "120000000"),
        ("五万亿", "5000000000000"),
        ("十余万", "(100000, 200000)"),
        ("1.5万", "[14500, 15500]"),
        ("一点五万", "[14500, 15500]"),
        ("三十八点二", "[38.15, 38.25]"),
        ("三点一四", "[3.135, 3.145]"),
        ("百分之零点五", "[0.45, 0.55]"),
        ("逾200", "(200, ∞)"),
        ("超过300", "(300, ∞)"),
        ("至少3", "[3, ∞)"),
        ("近300", "[270, 300]"),
        ("300以上", "[300, ∞)"),
        ("3人", "3"),
        ("5万元", "50000"),
        ("0", "0"),
        ("零", "0"),
        ("  147 ", "147"),
        ("99999999999999999999999999999999", "(-∞, ∞)"),
    ];
    let mut failures = Vec::new();
    for (text, want) in cases {
        match r.parse_figure(text) {
            Some(f) if f.value.to_string() == *want && f.malformed.is_none() => {}
            other => failures.push(format!("{text:?}: got {other:?}, want {want}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn parse_figure_marks_malformed_and_rejects_non_figures() {
    let r = Recognizer::standard();
    let malformed = [
        ("8亿余万", Malformation::MixedMagnitudes),
        ("亿万", Malformation::MixedMagnitudes),
        ("3万万", Malformation::DoubledMagnitude),
        ("23,87,2", Malformation::MisplacedSeparator),
        ("1,0000", Malformation::MisplacedSeparator),
    ];
    for (text, m) in malformed {
        let f = r
            .parse_figure(text)
            .unwrap_or_else(|| panic!("{text} is a figure"));
        assert_eq!(f.malformed, Some(m), "{text}");
        assert_eq!(f.value, Interval::unbounded(), "{text}");
    }
    for text in [
        "",
        "abc",
        "一二三万",
        "十五五",
        "五百三千",
        "人",
        "约",
        "3人口",
        "7·25",
    ] {
        assert_eq!(r.parse_figure(text), None, "{text:?}");
    }
}

#[test]
fn macros_have_no_groups_and_match_the_figures() {
    let r = Recognizer::standard();
    assert_eq!(r.macro_pattern("nope"), None);
    let cases: &[(&str, &[&str], &[&str])] = &[
        (
            "num",
            &[
                "801",
                "70余",
                "200余万",
                "约5万",
                "五",
                "38.2",
                "不到300",
                "8亿余万",
                "3至5",
                "23,872",
                "十几",
                "数十",
                "数百万",
            ],
            // `数` stands before a magnitude only: `总数300起` holds 300, not `数300`.
            &["人", "%", "", "数300"],
        ),
        (
            "count",
            &[
                "801",
                "26万余",
                "两万三千",
                "1.5万",
                "不到300",
                "七八",
                "数十",
            ],
            &["38.2", "人", "数300"],
        ),
        (
            "pct",
            &["38.2%", "百分之三十八点二", "三成", "25%", "超过5%"],
            &["38.2", "三"],
        ),
        (
            "cls",
            &["人", "人次", "个百分点", "万元", "公斤", "%"],
            &["公", "x"],
        ),
    ];
    for (name, good, bad) in cases {
        let pattern = r.macro_pattern(name).unwrap();
        let re = Regex::new(pattern).unwrap();
        assert_eq!(re.captures_len(), 1, "{name} must not have capture groups");
        let whole = Regex::new(&format!("^(?:{pattern})$")).unwrap();
        for g in *good {
            assert!(whole.is_match(g), "{name} should match {g}");
            assert!(
                r.parse_figure(g).is_some() || *name == "cls",
                "{g} should parse"
            );
        }
        for b in *bad {
            assert!(!whole.is_match(b), "{name} should not match {b:?}");
        }
    }
    // A rule pattern built on the macros captures the figure recognize() reads.
    let num = r.macro_pattern("num").unwrap();
    let rule = Regex::new(&format!("驻村辅警(?P<v>{num})(?:人|名)")).unwrap();
    let caps = rule.captures("全市889个行政村已配备驻村辅警801人").unwrap();
    let v = r.parse_figure(&caps["v"]).unwrap();
    assert_eq!(v.value, Interval::exact(801.into()));
}

#[test]
fn custom_lexicons() {
    let src = r#"
        [[magnitude]]
        text = "万"
        exponent = 4
        [[unit]]
        text = "只"
        family = "animal"
        kind = "count"
        [syntax]
        ordinal_prefix = "第"
        range_separators = ["至"]
        date_suffixes = []
    "#;
    let r = Recognizer::from_lexicon(src).unwrap();
    let text = "救助3万只，抓获5人";
    let qs = r.recognize(text);
    assert_eq!(qs.len(), 1);
    assert_eq!(&text[qs[0].span.range()], "3万只");
    assert!(Recognizer::from_lexicon("nonsense = [").is_err());
    assert!(Recognizer::from_lexicon(&src.replace("[syntax]", "[syntax]\ncolour = 1")).is_err());
}

#[test]
fn serializes_intervals_for_extract() {
    let text = "不到300人";
    let q = &Recognizer::standard().recognize(text)[0];
    let json = serde_json::to_value(q).unwrap();
    assert_eq!(json["value"]["low"], "0");
    assert_eq!(json["value"]["high"], "300");
    assert_eq!(json["value"]["low_open"], false);
    assert_eq!(json["value"]["high_open"], true);
    assert_eq!(json["kind"], "count");
    assert_eq!(json["unit"]["family"], "person");
}

#[test]
fn huge_numbers_do_not_panic() {
    let r = Recognizer::standard();
    let digits = "9".repeat(100_000);
    let text = format!("共{digits}人");
    let qs = r.recognize(&text);
    assert_eq!(qs.len(), 1);
    assert_eq!(qs[0].value, Interval::unbounded());
    let frac = format!("0.{}1%", "0".repeat(50_000));
    assert_eq!(
        r.parse_figure(&frac).map(|f| f.value),
        Some(Interval::unbounded())
    );
    let chinese = "一".repeat(100_000);
    assert!(r.recognize(&format!("{chinese}人")).is_empty());
    let soup = "十万".repeat(50_000);
    let _ = r.recognize(&format!("{soup}人"));
}

#[test]
fn recognizer_is_shareable() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Recognizer>();
}

/// Every `.txt` fixture of the repository, for tests that compare a fast scan with a reference
/// on real bulletin text.
pub(super) fn fixture_texts() -> Vec<String> {
    let mut texts = Vec::new();
    let mut dirs = vec![std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "txt") {
                texts.push(std::fs::read_to_string(&path).unwrap());
            }
        }
    }
    assert!(!texts.is_empty(), "no fixtures found");
    texts
}

/// The scan's start set finds what the regex class it replaced, `[0-9{digits}{magnitudes}]`,
/// finds, from every character of every fixture.
#[test]
fn numeral_starts_agree_with_the_start_class() {
    let r = Recognizer::standard();
    let escape = |chars: &mut dyn Iterator<Item = char>| -> String {
        chars.map(|c| regex::escape(&c.to_string())).collect()
    };
    let mut mags: Vec<char> = r.lex.magnitudes.keys().copied().collect();
    mags.sort_unstable();
    let mut words: Vec<char> = r
        .lex
        .figure_words
        .iter()
        .filter_map(|w| w.text.chars().next())
        .collect();
    words.sort_unstable();
    let class = format!(
        "[0-9{}{}{}]",
        escape(&mut numeral::CHINESE_DIGITS.chars()),
        escape(&mut mags.into_iter()),
        escape(&mut words.into_iter())
    );
    let start = Regex::new(&class).unwrap();
    for text in fixture_texts() {
        for (from, _) in text.char_indices() {
            let want = start
                .find_at(&text, from)
                .map(|m| (m.start(), text[m.range()].chars().next().unwrap()));
            assert_eq!(r.start.find(&text, from), want, "from {from}");
        }
    }
}
