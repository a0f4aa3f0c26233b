#!/usr/bin/env python3
"""Usage: python3 devset/texts/check.py [DIR | --entries]

Checks that the constructed texts of devset/texts/ are consistent, so that a slip written into
one of them (devset/*.toml) is the only contradiction in the edited text. For every text it checks:

- every table: the 合计 row equals the sum of the rows above it in each count column (and each 小计
  row the sum of the rows since the previous one), a 合计 column the sum of the cells it names, and
  each percentage column agrees with the counts it is computed from (a rate: numerator / denominator
  of the same row; a share: the count / the 合计 count), to the precision the cell is written in;
- every weekday written beside a date (`9月3日（星期三）`), in the year the text is about;
- every relation its prose states (rates, averages, shares and words for shares, multiples,
  differences, subsets, lengths of periods), read from the text by a pattern that must match
  exactly once, then recomputed.

Stated figures are taken as exact and a recomputed figure must round to the stated one (half a unit
of the last written digit either way), which is stricter than the interval reading statlint uses.
Exit 0 when everything holds, 1 with one line per failure. DIR (default: the folder of this
script) is where the texts are read, so that an edited copy can be checked too. `--entries` applies
each entry of devset/*.toml that is written into these texts: every slip must make the checks fail
(its contradiction is one they recompute) and every consistent edit must leave them passing.
"""

import datetime
import pathlib
import re
import sys
import tomllib
from decimal import Decimal

HERE = pathlib.Path(__file__).resolve().parent
WEEKDAYS = "一二三四五六日"


def rounds_to(value, stated):
    """Whether `value` rounds to the decimal string `stated` at the precision it is written in."""
    places = len(stated.split(".")[1]) if "." in stated else 0
    return abs(Decimal(value) - Decimal(stated)) <= Decimal(5) / Decimal(10) ** (places + 1)


def number(cell):
    return Decimal(cell.replace(",", "").strip())


def tables(text):
    """The pipe tables of a Markdown text: (header cells, body rows of cells)."""
    found, block = [], []
    for line in text.splitlines() + [""]:
        if line.startswith("|"):
            block.append([c.strip() for c in line.strip().strip("|").split("|")])
        elif block:
            header, rule, *rows = block
            assert set("".join(rule)) <= set("-: "), f"not a table rule: {rule}"
            found.append((header, rows))
            block = []
    return found


def is_total(row):
    return row[0] in ("合计", "总计")


def is_subtotal(row):
    return row[0].endswith("小计")


def items(rows):
    """The rows of a table that are neither its 合计 nor a 小计."""
    return [r for r in rows if not is_total(r) and not is_subtotal(r)]


def check_table(header, rows, spec, where, failures):
    """Totals and subtotals of count columns, row totals, then the percentage columns."""
    total = next((r for r in rows if is_total(r)), None)
    if total is None:
        failures.append(f"{where}: no 合计 row")
        return
    groups, group = [], []
    for r in rows:
        if is_subtotal(r):
            groups.append((r, group))
            group = []
        elif not is_total(r):
            group.append(r)
    percent = set(spec.get("ratio", {})) | set(spec.get("share", {}))
    column = {name: i for i, name in enumerate(header)}
    for i, name in enumerate(header[1:], start=1):
        if name in percent:
            continue
        computed = sum(number(r[i]) for r in items(rows))
        if computed != number(total[i]):
            failures.append(f"{where}: {name} 合计 {total[i]}, rows sum to {computed}")
        for sub, part in groups:
            computed = sum(number(r[i]) for r in part)
            if computed != number(sub[i]):
                failures.append(f"{where}: {name} {sub[0]} {sub[i]}, its rows sum to {computed}")
    for name, parts in spec.get("row_total", {}).items():
        for r in rows:
            computed = sum(number(r[column[c]]) for c in parts)
            if computed != number(r[column[name]]):
                failures.append(f"{where}: {r[0]} {name} {r[column[name]]}, its cells sum to {computed}")
    for name, (num, den) in spec.get("ratio", {}).items():
        for r in rows:
            value = number(r[column[num]]) * 100 / number(r[column[den]])
            if not rounds_to(value, r[column[name]]):
                failures.append(f"{where}: {r[0]} {name} {r[column[name]]}, computed {value:.3f}")
    for name, count in spec.get("share", {}).items():
        whole = number(total[column[count]])
        for r in rows:
            value = number(r[column[count]]) * 100 / whole
            if not rounds_to(value, r[column[name]]):
                failures.append(f"{where}: {r[0]} {name} {r[column[name]]}, computed {value:.3f}")
        written = sum(number(r[column[name]]) for r in items(rows))
        if written != number(total[column[name]]):
            failures.append(f"{where}: {name} cells sum to {written}, 合计 says {total[column[name]]}")


def check_weekdays(text, year, where, failures):
    for m in re.finditer(r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日（星期(.)）", text):
        y = int(m.group(1) or year)
        try:
            day = datetime.date(y, int(m.group(2)), int(m.group(3)))
        except ValueError:
            failures.append(f"{where}: {m.group(0)} is not a date of {y}")
            continue
        if WEEKDAYS[day.weekday()] != m.group(4):
            failures.append(f"{where}: {m.group(0)} is a 星期{WEEKDAYS[day.weekday()]}")


def days(year, m1, d1, m2, d2):
    """Days from the first date to the second, both counted."""
    return (datetime.date(year, m2, d2) - datetime.date(year, m1, d1)).days + 1


def pct(part, whole):
    return Decimal(part) * 100 / Decimal(whole)


def D(s):
    return Decimal(s)


def rate(whole, part, stated):
    """A rate written as `whole … part … X%`: part / whole rounds to X."""
    return rounds_to(pct(part, whole), stated)


# For each text: the year it is about, its tables in order (the percentage columns of each, and
# any 合计 column), the claims of its prose: (pattern with groups, test over the groups as strings,
# what it says), and the claims that also read the tables.
TEXTS = {
    "court-work-report.md": {
        "year": 2025,
        "tables": [
            {"ratio": {"结案率（%）": ("结案（件）", "收案（件）")}},
            {"share": {"占比（%）": "审结（件）"}},
        ],
        "claims": [
            (r"受理审判执行案件([\d.]+)万件，审结执结([\d.]+)万件，同比分别增长[\d.]+%、[\d.]+%，结案率([\d.]+)%",
             rate, "结案率 = 审结执结 / 受理"),
            (r"省法院受理案件([\d.]+)万件，审结([\d.]+)万件，结案率([\d.]+)%；省法院审结案件数是2020年([\d.]+)万件的([\d.]+)倍",
             lambda a, b, r, base, k: rounds_to(pct(b, a), r) and rounds_to(D(b) / D(base), k),
             "省法院结案率、对2020年的倍数"),
            (r"审结执结([\d.]+)万件.*?员额法官(\d+)名，人均结案(\d+)件",
             lambda b, n, avg: rounds_to(D(b) * 10000 / D(n), avg), "法官人均结案"),
            (r"判处罪犯([\d.]+)万人，其中判处五年以上有期徒刑至死刑的([\d.]+)万人，重刑率([\d.]+)%",
             rate, "重刑率"),
            (r"一审刑事案件([\d.]+)万件.*?两类案件合计(\d+)件，超过六成",
             lambda a, b: pct(b, D(a) * 10000) > 60, "两类案件超过六成"),
            (r"电信网络诈骗犯罪案件(\d+)件，判处被告人(\d+)人，平均每件判处被告人([\d.]+)人",
             lambda n, p, avg: rounds_to(D(p) / D(n), avg), "电诈案件平均每件判处人数"),
            (r"涉黑涉恶犯罪案件(\d+)件，判处被告人(\d+)人，平均每件判处被告人([\d.]+)人",
             lambda n, p, avg: rounds_to(D(p) / D(n), avg), "涉黑恶案件平均每件判处人数"),
            (r"一审民事案件([\d.]+)万件，其中以调解、撤诉方式结案([\d.]+)万件，调解撤诉率([\d.]+)%；判决结案([\d.]+)万件，判决结案率([\d.]+)%",
             lambda a, b, r, c, s: rounds_to(pct(b, a), r) and rounds_to(pct(c, a), s)
             and D(b) + D(c) <= D(a) and D(r) + D(s) <= 100, "调解撤诉率、判决结案率"),
            (r"审结的([\d.]+)万件一审民事案件中，涉民营企业的([\d.]+)万件，近三成",
             lambda a, b: 25 <= pct(b, a) < 30, "近三成"),
            (r"企业破产案件(\d+)件，化解债务([\d.]+)亿元，平均每件化解债务([\d.]+)亿元",
             lambda n, t, avg: rounds_to(D(t) / D(n), avg), "平均每件化解债务"),
            (r"执结执行案件([\d.]+)万件，执行到位金额([\d.]+)亿元，平均每件执行到位([\d.]+)万元",
             lambda n, t, avg: rounds_to(D(t) * 10000 / D(n) / 10000, avg), "平均每件执行到位"),
            (r"涉农民工案件(\d+)件，执行到位金额([\d.]+)亿元，平均每件([\d.]+)万元",
             lambda n, t, avg: rounds_to(D(t) * 10000 / D(n), avg), "涉农民工案件平均每件"),
            (r"2025年9月(\d+)日（星期.）至(\d+)月(\d+)日（星期.），全省法院开展“执行攻坚”集中行动，为期(\d+)天，执结案件([\d.]+)万件，日均执结(\d+)件",
             lambda d1, m2, d2, n, total, avg: days(2025, 9, int(d1), int(m2), int(d2)) == int(n)
             and rounds_to(D(total) * 10000 / D(n), avg), "集中行动天数、日均执结"),
            (r"(\d+)个基层法院中，收案超万件的有(\d+)个，收案超5000件的有(\d+)个，收案不足1000件的有(\d+)个",
             lambda all_, over10k, over5k, under1k: int(over10k) <= int(over5k)
             and int(over5k) + int(under1k) <= int(all_), "超万件 ⊆ 超5000件"),
            (r"委派诉前调解纠纷([\d.]+)万件，调解成功([\d.]+)万件，诉前调解成功率([\d.]+)%",
             rate, "诉前调解成功率"),
        ],
        # Claims that also read the tables: the test gets them first, as (header, rows) in order.
        "table_claims": [
            (r"全省(\d+)个中级法院中，结案率超过95%的有(\d+)个，超过97%的有(\d+)个",
             lambda t, n, over95, over97: int(n) == len(items(t[0][1]))
             and int(over95) == sum(D(r[3]) > 95 for r in items(t[0][1]))
             and int(over97) == sum(D(r[3]) > 97 for r in items(t[0][1])),
             "附表1中结案率超过95%、97%的法院数"),
            (r"审结一审刑事案件([\d.]+)万件",
             lambda t, a: rounds_to(D(t[1][1][-1][1]) / 10000, a), "附表2合计对正文4.67万件"),
            (r"侵犯财产罪和妨害社会管理秩序罪两类案件合计(\d+)件",
             lambda t, s: D(s) == D(t[1][1][0][1]) + D(t[1][1][1][1]), "附表2前两类之和"),
        ],
    },
    "procuratorate-work-report.md": {
        "year": 2025,
        "tables": [
            {"ratio": {"批捕率（%）": ("批准逮捕（人）", "受理审查逮捕（人）")}},
            {"share": {"占比（%）": "起诉（人）"}},
        ],
        "claims": [
            (r"受理审查逮捕犯罪嫌疑人(\d+)人，比上年的(\d+)人减少(\d+)人",
             lambda now, before, diff: int(before) - int(now) == int(diff), "比上年减少"),
            (r"受理审查逮捕犯罪嫌疑人(\d+)人.*?批准逮捕(\d+)人，批捕率([\d.]+)%；不批准逮捕(\d+)人，不捕率([\d.]+)%",
             lambda a, b, r, c, s: rounds_to(pct(b, a), r) and rounds_to(pct(c, a), s)
             and int(b) + int(c) == int(a), "批捕率、不捕率"),
            (r"受理审查起诉犯罪嫌疑人(\d+)人，决定起诉(\d+)人，起诉率([\d.]+)%；决定不起诉(\d+)人，不起诉率([\d.]+)%。适用认罪认罚从宽制度办理(\d+)人，适用率([\d.]+)%",
             lambda a, b, r, c, s, e, u: rounds_to(pct(b, a), r) and rounds_to(pct(c, a), s)
             and rounds_to(pct(e, a), u) and int(b) + int(c) <= int(a), "起诉率、不起诉率、适用率"),
            (r"决定起诉(\d+)人.*?三类罪名起诉人数合计(\d+)人，超过五成",
             lambda a, b: pct(b, a) > 50, "三类罪名超过五成"),
            (r"涉案金额超亿元的(\d+)件，超千万元的(\d+)件",
             lambda over100m, over10m: int(over100m) <= int(over10m), "超亿元 ⊆ 超千万元"),
            (r"公益诉讼案件(\d+)件，其中生态环境和资源保护领域(\d+)件，占比过半；食品药品安全领域(\d+)件，超过两成",
             lambda a, b, c: pct(b, a) > 50 and pct(c, a) > 20, "过半、超过两成"),
            (r"诉前检察建议(\d+)件，行政机关回复整改(\d+)件，回复整改率([\d.]+)%",
             rate, "回复整改率"),
            (r"提起公益诉讼(\d+)件，法院判决支持(\d+)件，支持率([\d.]+)%",
             rate, "支持率"),
            (r"追索欠薪([\d.]+)亿元，惠及劳动者([\d.]+)万人，人均追回(\d+)元",
             lambda t, n, avg: rounds_to(D(t) * 10000 / D(n), avg), "人均追回"),
            (r"司法救助案件(\d+)件，发放救助金([\d.]+)万元，平均每件([\d.]+)万元",
             lambda n, t, avg: rounds_to(D(t) / D(n), avg), "平均每件救助金"),
            (r"2025年6月(\d+)日至7月(\d+)日，全省检察机关开展“检察开放月”活动，为期(\d+)天",
             lambda d1, d2, n: days(2025, 6, int(d1), 7, int(d2)) == int(n), "检察开放月天数"),
        ],
        "table_claims": [
            (r"受理审查逮捕犯罪嫌疑人(\d+)人，比上年",
             lambda t, a: D(a) == D(t[0][1][-1][1]), "附表1合计对正文"),
            (r"批准逮捕(\d+)人，批捕率",
             lambda t, b: D(b) == D(t[0][1][-1][2]), "附表1合计对正文"),
            (r"决定起诉(\d+)人，起诉率",
             lambda t, b: D(b) == D(t[1][1][-1][1]), "附表2合计对正文"),
            (r"三类罪名起诉人数合计(\d+)人",
             lambda t, s: D(s) == sum(D(r[1]) for r in t[1][1][:3]), "附表2前三位之和"),
        ],
    },
    "police-quarterly-bulletin.md": {
        "year": 2025,
        "tables": [
            {"share": {"占全县比例（%）": "有效警情（起）"},
             "ratio": {"破案率（%）": ("破案（起）", "刑事立案（起）")}},
        ],
        "claims": [
            (r"第三季度（7月(\d+)日至9月(\d+)日）", lambda d1, d2: (d1, d2) == ("1", "30"), "三季度"),
            (r"有效警情(\d+)起，日均(\d+)起，同比下降([\d.]+)%（去年同期(\d+)起），比去年同期减少(\d+)起",
             lambda now, avg, r, before, diff: rounds_to(D(now) / days(2025, 7, 1, 9, 30), avg)
             and rounds_to(pct(D(before) - D(now), before), r) and int(before) - int(now) == int(diff),
             "日均、同比、减少"),
            (r"报警电话总量([\d.]+)万次，日均(\d+)次",
             lambda t, avg: rounds_to(D(t) * 10000 / days(2025, 7, 1, 9, 30), avg), "日均报警电话"),
            (r"有效警情(\d+)起，日均.*?民警(\d+)名，人均处置有效警情([\d.]+)起",
             lambda t, n, avg: rounds_to(D(t) / D(n), avg), "民警人均处置警情"),
            (r"刑事立案(\d+)起，破案(\d+)起，破案率([\d.]+)%",
             rate, "破案率"),
            (r"刑事立案(\d+)起，破案.*?常住人口([\d.]+)万人，每10万人刑事立案([\d.]+)起",
             lambda n, pop, r: rounds_to(D(n) * 100000 / (D(pop) * 10000), r), "每10万人刑事立案"),
            (r"刑事警情(\d+)起.*?盗窃、诈骗两类警情合计(\d+)起，占刑事警情的六成以上",
             lambda a, b: pct(b, a) >= 60, "六成以上"),
            (r"电诈警情(\d+)起，比去年同期的(\d+)起减少(\d+)起，下降([\d.]+)%",
             lambda now, before, diff, r: int(before) - int(now) == int(diff)
             and rounds_to(pct(diff, before), r), "电诈警情减少"),
            (r"8月(\d+)日（星期.）至8月(\d+)日（星期.）三天内",
             lambda d1, d2: days(2025, 8, int(d1), 8, int(d2)) == 3, "三天内"),
            (r"国庆、中秋假期（10月(\d+)日至(\d+)日，共(\d+)天）",
             lambda d1, d2, n: days(2025, 10, int(d1), 10, int(d2)) == int(n), "假期天数"),
        ],
        "table_claims": [
            (r"共接报有效警情(\d+)起",
             lambda t, a: D(a) == D(t[0][1][-1][1]), "表合计对正文"),
            (r"全县刑事立案(\d+)起，破案(\d+)起",
             lambda t, a, b: (D(a), D(b)) == (D(t[0][1][-1][3]), D(t[0][1][-1][4])), "表合计对正文"),
            (r"城关、城东两个派出所辖区人员密集、商业网点多，警情合计占全县的近四成",
             lambda t: 35 <= pct(D(t[0][1][0][1]) + D(t[0][1][1][1]), t[0][1][-1][1]) < 40, "近四成"),
            (r"全县(\d+)个派出所中，破案率超过50%的有(\d+)个，超过45%的有(\d+)个",
             lambda t, n, over50, over45: int(n) == len(items(t[0][1]))
             and int(over50) == sum(D(r[5]) > 50 for r in items(t[0][1]))
             and int(over45) == sum(D(r[5]) > 45 for r in items(t[0][1])), "破案率超过50%、45%的派出所数"),
        ],
    },
    "antifraud-campaign-news.md": {
        "year": 2025,
        "tables": [
            {"share": {"占比（%）": "破获（起）"}},
            {},
        ],
        "claims": [
            (r"自2025年6月(\d+)日至8月(\d+)日，全市公安机关开展为期(\d+)天的打击治理电信网络诈骗犯罪“夏季攻坚”行动，共破获电信网络诈骗案件(\d+)起，日均(\d+)起，比去年同期的(\d+)起增加(\d+)起",
             lambda d1, d2, n, total, avg, before, diff: days(2025, 6, int(d1), 8, int(d2)) == int(n)
             and rounds_to(D(total) / D(n), avg) and int(total) - int(before) == int(diff),
             "行动天数、日均、增加"),
            (r"共破获电信网络诈骗案件(\d+)起.*?全市立电信网络诈骗案件(\d+)起，破案率([\d.]+)%",
             lambda solved, filed, r: rate(filed, solved, r), "破案率（破案数在导语）"),
            (r"(\d+)个犯罪团伙涉案金额共计([\d.]+)亿元，平均每个团伙涉案(\d+)万元",
             lambda n, t, avg: rounds_to(D(t) * 10000 / D(n), avg), "平均每个团伙涉案"),
            (r"抓获的(\d+)名犯罪嫌疑人中，“两卡”犯罪嫌疑人(\d+)名，占比过半",
             lambda a, b: pct(b, a) > 50, "过半"),
            (r"涉案金额超过100万元的案件(\d+)起，涉案金额超过1000万元的案件(\d+)起",
             lambda over1m, over10m: int(over10m) <= int(over1m), "超千万 ⊆ 超百万"),
            (r"6月(\d+)日（星期.），海城区分局.*?历时(\d+)天，于(\d+)月(\d+)日（星期.）",
             lambda d1, n, m2, d2: int(n) in (days(2025, 6, int(d1), int(m2), int(d2)) - 1,
                                              days(2025, 6, int(d1), int(m2), int(d2))), "历时天数"),
            (r"紧急止付涉诈资金([\d.]+)亿元，是去年同期([\d.]+)亿元的(\d+)倍",
             lambda now, before, k: rounds_to(D(now) / D(before), k), "倍数"),
            (r"返还被骗资金([\d.]+)亿元，较去年同期的(\d+)万元翻了一番",
             lambda now, before: D("1.9") <= D(now) * 10000 / D(before) < D("2.1"), "翻了一番"),
        ],
        "table_claims": [
            (r"共破获电信网络诈骗案件(\d+)起",
             lambda t, a: D(a) == D(t[0][1][-1][1]) == D(t[1][1][-1][1]), "两表合计对正文"),
            (r"打掉犯罪团伙\d+个，抓获犯罪嫌疑人(\d+)名。",
             lambda t, a: D(a) == D(t[1][1][-1][2]), "表2抓获合计对正文"),
            (r"紧急止付涉诈资金([\d.]+)亿元",
             lambda t, a: D(a) * 10000 == D(t[1][1][-1][3]), "表2止付合计对正文"),
            (r"两类案件合计(\d+)起，超过总数的一半；涉老年人案件(\d+)起，不到一成",
             lambda t, two, old: D(two) == D(t[0][1][0][1]) + D(t[0][1][1][1])
             and pct(two, t[0][1][-1][1]) > 50 and pct(old, t[0][1][-1][1]) < 10, "一半、一成"),
        ],
    },
    "fire-annual-bulletin.md": {
        "year": 2025,
        "tables": [
            {"share": {"占比（%）": "起数（起）"}},
            {},
        ],
        "claims": [
            (r"接报火灾(\d+)起，死亡(\d+)人，受伤\d+人，直接财产损失([\d.]+)亿元，火灾起数、亡人数和直接财产损失同比分别下降([\d.]+)%、([\d.]+)%和([\d.]+)%.*?"
             r"火灾起数比上年的(\d+)起减少(\d+)起，亡人数比上年的(\d+)人减少(\d+)人，直接财产损失比上年的([\d.]+)亿元减少([\d.]+)亿元。平均每起火灾直接财产损失([\d.]+)万元",
             lambda n, dead, loss, r1, r2, r3, b1, d1, b2, d2, b3, d3, avg:
             int(b1) - int(n) == int(d1) and int(b2) - int(dead) == int(d2) and D(b3) - D(loss) == D(d3)
             and rounds_to(pct(d1, b1), r1) and rounds_to(pct(d2, b2), r2) and rounds_to(pct(d3, b3), r3)
             and rounds_to(D(loss) * 10000 / D(n), avg), "比上年减少、同比下降、平均每起损失"),
            (r"接警出动([\d.]+)万余起，日均(\d+)起",
             lambda t, avg: D(t) * 10000 / 365 <= D(avg) + D("0.5")
             and D(avg) - D("0.5") <= (D(t) + D("0.1")) * 10000 / 365, "日均出动（6.6万余起）"),
            (r"春节期间（1月(\d+)日至2月(\d+)日，共(\d+)天），全省接报火灾(\d+)起，日均(\d+)起",
             lambda d1, d2, n, t, avg: days(2025, 1, int(d1), 2, int(d2)) == int(n)
             and rounds_to(D(t) / D(n), avg), "春节期间天数、日均"),
            (r"2月(\d+)日至(\d+)日，总队组织开展高层建筑灭火救援实战演练，为期(\d+)天",
             lambda d1, d2, n: days(2025, 2, int(d1), 2, int(d2)) == int(n), "演练天数"),
            (r"火灾(\d+)起，死亡.*?电气原因引发的火灾(\d+)起，占三分之一以上",
             lambda a, b: D(b) * 3 > D(a), "三分之一以上"),
            (r"全年发生亡人火灾(\d+)起，其中居民住宅发生亡人火灾(\d+)起",
             lambda a, b: int(b) <= int(a), "住宅亡人火灾 ⊆ 亡人火灾"),
            (r"直接财产损失超过50万元的火灾有(\d+)起，超过100万元的有(\d+)起",
             lambda over50, over100: int(over100) <= int(over50), "超100万 ⊆ 超50万"),
        ],
        "table_claims": [
            (r"共接报火灾(\d+)起，死亡(\d+)人，受伤(\d+)人，直接财产损失([\d.]+)亿元",
             lambda t, n, dead, hurt, loss: D(n) == D(t[0][1][-1][1]) == D(t[1][1][-1][1])
             and (D(dead), D(hurt)) == (D(t[1][1][-1][2]), D(t[1][1][-1][3]))
             and rounds_to(D(t[1][1][-1][4]) / 10000, loss), "两表合计对正文"),
            (r"电气原因引发的火灾(\d+)起",
             lambda t, n: D(n) == D(t[0][1][0][1]), "表1电气"),
            (r"认定起火原因的火灾(\d+)起，起火原因认定率([\d.]+)%",
             lambda t, n, r: D(n) == D(t[0][1][-1][1]) - D(t[0][1][-2][1])
             and rate(t[0][1][-1][1], n, r), "认定率：合计减去原因不明，对合计"),
            (r"居民住宅火灾(\d+)起，占火灾总数的近四成；居民住宅火灾死亡(\d+)人，占死亡总数的八成以上",
             lambda t, n, dead: D(n) == D(t[1][1][0][1]) and D(dead) == D(t[1][1][0][2])
             and 35 <= pct(n, t[1][1][-1][1]) < 40 and pct(dead, t[1][1][-1][2]) >= 80,
             "近四成、八成以上"),
        ],
    },
    "earthquake-relief-bulletin.md": {
        "year": 2025,
        "tables": [{"row_total": {"倒损房屋合计（间）": ["倒塌房屋（间）", "严重损坏房屋（间）"]}}],
        "claims": [
            (r"已造成\d+人遇难、(\d+)人受伤，其中重伤(\d+)人、轻伤(\d+)人",
             lambda a, b, c: int(b) + int(c) == int(a), "重伤 + 轻伤 = 受伤"),
            (r"(\d+)名重伤员已全部转送县人民医院和市第一人民医院救治。(\d+)名危重伤员",
             lambda heavy, critical: int(critical) <= int(heavy), "危重 ⊆ 重伤"),
            (r"11月(\d+)日9时至11月(\d+)日9时的(\d+)小时黄金救援期",
             lambda d1, d2, h: (int(d2) - int(d1)) * 24 == int(h), "72小时"),
            (r"转移安置群众(\d+)户(\d+)人，户均([\d.]+)人，比11月19日通报的(\d+)人增加(\d+)人。已搭建帐篷(\d+)顶，平均每顶安置([\d.]+)人",
             lambda h, p, avg, before, diff, tents, per: rounds_to(D(p) / D(h), avg)
             and int(p) - int(before) == int(diff) and rounds_to(D(p) / D(tents), per),
             "户均、增加、每顶"),
            (r"(\d+)所中小学中，已复课(\d+)所，复课率([\d.]+)%",
             rate, "复课率"),
            (r"受损通信基站(\d+)个，已恢复(\d+)个，恢复率([\d.]+)%",
             rate, "恢复率"),
        ],
        "table_claims": [
            (r"受灾人口(\d+)户(\d+)人，受灾户户均([\d.]+)人；倒塌房屋(\d+)间，严重损坏房屋(\d+)间",
             lambda t, h, p, avg, fell, broken: [D(x) for x in (h, p, fell, broken)]
             == [D(c) for c in t[0][1][-1][1:5]] and rounds_to(D(p) / D(h), avg), "表合计对正文、户均"),
            (r"全县(\d+)个乡镇受灾.*?(\d+)个受灾乡镇中，有(\d+)个乡镇出现房屋倒塌，倒塌房屋超过50间的乡镇有(\d+)个",
             lambda t, n, n2, fell, over50: int(n) == int(n2) == len(items(t[0][1]))
             and int(fell) == sum(D(r[3]) > 0 for r in items(t[0][1]))
             and int(over50) == sum(D(r[3]) > 50 for r in items(t[0][1])), "倒塌乡镇数"),
            (r"受灾人口中，60岁以上老人(\d+)人，超过四分之一",
             lambda t, old: D(old) * 4 > D(t[0][1][-1][2]), "超过四分之一"),
        ],
    },
}


def failures_of(texts):
    """Every way the texts (file name → text) fall short of the checks declared above."""
    failures = [f"{name}: no checks declared in check.py" for name in texts if name not in TEXTS]
    for name, spec in TEXTS.items():
        if name not in texts:
            failures.append(f"{name}: missing")
            continue
        text = texts[name]
        found = tables(text)
        if len(found) != len(spec["tables"]):
            failures.append(f"{name}: {len(found)} tables, check.py expects {len(spec['tables'])}")
            continue
        for i, ((header, rows), table_spec) in enumerate(zip(found, spec["tables"]), start=1):
            check_table(header, rows, table_spec, f"{name} table {i}", failures)
        check_weekdays(text, spec["year"], name, failures)
        claims = list(spec["claims"])
        claims += [(p, lambda *g, test=test: test(found, *g), w) for p, test, w in spec["table_claims"]]
        for pattern, test, what in claims:
            matches = list(re.finditer(pattern, text, re.S))
            if len(matches) != 1:
                failures.append(f"{name}: `{what}`: pattern matches {len(matches)} times")
            else:
                try:
                    holds = test(*matches[0].groups())
                except ValueError as e:  # a date that does not exist, such as 2025年2月29日
                    holds, what = False, f"{what} ({e})"
                if not holds:
                    failures.append(f"{name}: `{what}` does not hold: {matches[0].group(0)[:80]}")
    return failures


def read_texts(folder):
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.md"))}


def check_entries(texts):
    """Each entry of devset/*.toml written into these texts, applied: a slip must make the checks
    fail, a consistent edit must leave them passing. The misfits, one line each."""
    misfits = []
    for path in sorted(HERE.parent.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for kind in ("slip", "consistent"):
            for i, entry in enumerate(data.get(kind, []), start=1):
                prefix = "devset/texts/"
                if not entry["file"].startswith(prefix):
                    continue
                name = entry["file"][len(prefix):]
                edited = dict(texts)
                for edit in entry.get("edits") or [entry]:
                    if edited[name].count(edit["find"]) != 1:
                        misfits.append(f"{path.name} {kind} #{i}: `{edit['find']}` not once in {name}")
                        break
                    edited[name] = edited[name].replace(edit["find"], edit["replace"])
                else:
                    failing = bool(failures_of(edited))
                    if failing != (kind == "slip"):
                        what = "passes the checks" if kind == "slip" else "fails the checks"
                        misfits.append(f"{path.name} {kind} #{i} {what}: {entry['why']}")
    return misfits


def main():
    args = sys.argv[1:]
    if args == ["--entries"]:
        misfits = check_entries(read_texts(HERE))
        for misfit in misfits:
            print(misfit)
        print(f"check.py --entries: {len(misfits)} entries that do not behave")
        return 1 if misfits else 0
    folder = pathlib.Path(args[0]) if args else HERE
    failures = failures_of(read_texts(folder))
    for failure in failures:
        print(failure)
    checked = sum(len(s["claims"]) + len(s["table_claims"]) + len(s["tables"]) for s in TEXTS.values())
    print(f"check.py: {len(TEXTS)} texts, {checked} tables and claims, {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
