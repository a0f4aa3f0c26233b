//! A bounded, seeded fuzz run for CI on the stable toolchain: inputs mutated from the fixtures
//! and the rule files (bytes flipped, ranges cut, duplicated and spliced, figure words and
//! encoding debris inserted, re-encoded as GBK or UTF-16) go through the same harness as the
//! cargo-fuzz targets (`fuzz/harness.rs`).
//!
//! Deterministic by default (seed 1, a fixed number of cases) and bounded in time. For longer
//! runs: `STATLINT_FUZZ_CASES=100000 STATLINT_FUZZ_SECS=600 STATLINT_FUZZ_SEED=7 cargo test
//! --release --test fuzz_smoke -- --nocapture`, or `scripts/fuzz` (cargo-fuzz on nightly).
//! A failing input is written to `target/fuzz-smoke-failure.bin` with the seed and case number.

#[path = "../fuzz/harness.rs"]
mod harness;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::{Duration, Instant};

/// xorshift64*: small, fast, and the same on every platform.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// A bulletin in which every rule of the stress pack matches.
const BULLETIN: &str = "破获刑案147起！\n\n涉及湖南、湖北、广东、海南4省，罗某、汪某等4人。\
     共抓获200人，其中50人，占25%。去年同期100起，今年120起，上升20%。\
     25个村各发展2名成员，协会成员达到70余人。";

const EXPRESSIONS: &[&str] = &[
    "count(c) == a",
    "approx_eq(pct(a, b.g), 25) and not (a > 1 or a <= -2)",
    "within(change(a, b.g), 10, 0.5)",
    "min(a, b.g, 3) * max(a / b.g, -a) != 7.25",
];

/// Words inserted by mutation: figures, their broken forms, and encoding debris.
const TOKENS: &[&[u8]] = &[
    "亿".as_bytes(),
    "万".as_bytes(),
    "余".as_bytes(),
    "、".as_bytes(),
    "，".as_bytes(),
    "。".as_bytes(),
    "％".as_bytes(),
    "８".as_bytes(),
    "百分之".as_bytes(),
    "个百分点".as_bytes(),
    "第".as_bytes(),
    "约".as_bytes(),
    "至".as_bytes(),
    "元".as_bytes(),
    "人".as_bytes(),
    "个行政村".as_bytes(),
    "驻村辅警".as_bytes(),
    "{num}".as_bytes(),
    "{list}".as_bytes(),
    "(?P<v>".as_bytes(),
    "[[rule]]".as_bytes(),
    b"99999999999999999999999999999999",
    b"0.0000000000000000000000000001",
    b",",
    b".",
    b"\n",
    b"\r\n",
    b"\r",
    b"\"",
    b"'",
    b"\0",
    b"\xEF\xBB\xBF",
    b"\xFF\xFE",
    b"\xFE\xFF",
    b"\xFF",
    b"\xC0\x80",
    b"\xE4\xBA",
    b"\xF0\x9F\x8E",
    b"\x81\x30\x81\x30",
];

fn mutate(rng: &mut Rng, base: &[u8], others: &[&[u8]]) -> Vec<u8> {
    let mut data = base.to_vec();
    for _ in 0..1 + rng.below(8) {
        let len = data.len();
        let at = rng.below(len + 1);
        let span = 1 + rng.below(64);
        let end = (at + span).min(len);
        match rng.below(8) {
            0 => {
                data.drain(at..end);
            }
            1 => {
                let copy = data[at..end].to_vec();
                let to = rng.below(data.len() + 1);
                data.splice(to..to, copy);
            }
            2 => {
                let token = rng.pick(TOKENS);
                data.splice(at..at, token.iter().copied());
            }
            3 => {
                if let Some(b) = data.get_mut(at) {
                    *b ^= 1 << rng.below(8);
                }
            }
            4 => {
                let other = rng.pick(others);
                let from = rng.below(other.len() + 1);
                let to = (from + 1 + rng.below(256)).min(other.len());
                data.splice(at..end, other[from..to].iter().copied());
            }
            5 => {
                // A run of one token: enumerations, magnitude words, digit soups.
                let token = rng.pick(TOKENS);
                let run: Vec<u8> = token.repeat(1 + rng.below(200));
                data.splice(at..at, run);
            }
            6 => data.truncate(at),
            _ => {
                let token = rng.pick(TOKENS);
                data.splice(at..end, token.iter().copied());
            }
        }
    }
    data
}

/// The same text in another encoding statlint reads.
fn reencode(rng: &mut Rng, data: Vec<u8>) -> Vec<u8> {
    let Ok(text) = std::str::from_utf8(&data) else {
        return data;
    };
    match rng.below(6) {
        0 => encoding_rs::GBK.encode(text).0.into_owned(),
        1 => {
            let mut out = vec![0xFF, 0xFE];
            out.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
            out
        }
        2 => {
            let mut out = vec![0xFE, 0xFF];
            out.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
            out
        }
        _ => data,
    }
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[test]
fn fuzz_smoke() {
    let seed = env_number("STATLINT_FUZZ_SEED", 1);
    let cases = env_number("STATLINT_FUZZ_CASES", 10_000);
    let budget = Duration::from_secs(env_number("STATLINT_FUZZ_SECS", 40));
    let mut rng = Rng::new(seed);
    let mut document_texts = harness::repository_files("fixtures", "txt");
    document_texts.extend(harness::repository_files("fixtures/constructed", "txt"));
    document_texts.push(BULLETIN.to_string());
    let mut rule_texts = harness::repository_files("rules", "toml");
    rule_texts.push(harness::STRESS_PACK.to_string());
    let documents: Vec<&[u8]> = document_texts.iter().map(|d| d.as_bytes()).collect();
    let rules: Vec<&[u8]> = rule_texts.iter().map(|d| d.as_bytes()).collect();
    let expressions: Vec<&[u8]> = EXPRESSIONS.iter().map(|d| d.as_bytes()).collect();
    let started = Instant::now();
    let mut ran = 0;
    for case in 0..cases {
        if started.elapsed() > budget {
            break;
        }
        // Documents are the slowest target; rule files and expressions are cheap.
        let (kind, pool) = match case % 4 {
            0 | 1 => ("document", &documents),
            2 => ("rule file", &rules),
            _ => ("expression", &expressions),
        };
        let base = *rng.pick(pool);
        let mut input = mutate(&mut rng, base, pool);
        if kind == "document" {
            input = reencode(&mut rng, input);
        }
        let result = catch_unwind(AssertUnwindSafe(|| match kind {
            "document" => harness::document(&input),
            "rule file" => harness::rule_file(&String::from_utf8_lossy(&input)),
            _ => harness::expression(&String::from_utf8_lossy(&input)),
        }));
        if let Err(panic) = result {
            let path =
                std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("../fuzz-smoke-failure.bin");
            let _ = std::fs::write(&path, &input);
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            panic!(
                "{kind} input of case {case} (STATLINT_FUZZ_SEED={seed}) broke an invariant: \
                 {message}\ninput saved to {}",
                path.display()
            );
        }
        ran += 1;
    }
    eprintln!(
        "fuzz_smoke: {ran} cases (seed {seed}) in {:.1}s",
        started.elapsed().as_secs_f64()
    );
    assert!(
        ran >= cases.min(100),
        "only {ran} cases ran within {budget:?}"
    );
}
