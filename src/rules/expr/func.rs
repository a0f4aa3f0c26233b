//! Types and the function table. The table is data so that the reference documentation is
//! generated from the same entries that the checker and evaluator use.

use std::fmt;

/// The type of a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Type {
    /// A figure or a computed number: an interval.
    Num,
    /// The items of an enumeration: `湖南、湖北、广东、海南`.
    List,
    /// A string: a unit, a kind, a figure as written.
    Text,
    /// A three-valued truth.
    Bool,
}

impl Type {
    /// The short name used in signatures: `num`.
    pub fn name(self) -> &'static str {
        match self {
            Type::Num => "num",
            Type::List => "list",
            Type::Text => "text",
            Type::Bool => "bool",
        }
    }
}

impl Type {
    /// The noun for messages: "number", "truth value".
    pub fn describe(self) -> &'static str {
        match self {
            Type::Num => "number",
            Type::List => "list",
            Type::Text => "text",
            Type::Bool => "truth value",
        }
    }
}

impl fmt::Display for Type {
    /// With an article, for messages: "`count` expects a list".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a {}", self.describe())
    }
}

/// What a function accepts in one argument position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Param {
    /// Any expression of this type.
    Of(Type),
    /// Any expression of a number, list or text type.
    Writable,
    /// A bare fact reference, `x` or `x.g`: the function asks about the captured figure itself
    /// (its unit, whether it is malformed), not about its value.
    FactRef,
    /// A text literal holding a regex (`"某$"`), compiled when the rule is loaded: a mistake
    /// in it is an error with a span into the rule file, not a rule that never fires (issue 19).
    Regex,
}

impl Param {
    fn signature(self) -> &'static str {
        match self {
            Param::Of(t) => t.name(),
            Param::Writable => "num|list|text",
            Param::FactRef => "fact",
            Param::Regex => "regex",
        }
    }
}

/// Which built-in a [`Function`] entry is; the evaluator dispatches on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Builtin {
    Count,
    Sum,
    Min,
    Max,
    Abs,
    Pct,
    Change,
    Within,
    ApproxEq,
    Malformed,
    Kind,
    Family,
    Unit,
    Approximate,
    Text,
    Uniform,
    Total,
    Figures,
    WithFamily,
    AllMatch,
    Longest,
    Lower,
    Upper,
    Role,
    Direction,
    Complete,
    AtLeast,
    Signed,
    Precision,
    Contains,
    Agrees,
    Present,
    ChangeWord,
    Days,
    Weekday,
    EndExists,
}

/// One entry of the function table.
#[derive(Debug, PartialEq, Eq)]
pub struct Function {
    pub builtin: Builtin,
    pub name: &'static str,
    /// The parameters; when `variadic`, the last one repeats (at least once).
    pub params: &'static [Param],
    pub variadic: bool,
    pub result: Type,
    /// One line for the reference table.
    pub doc: &'static str,
}

impl Function {
    /// `pct(num, num) -> num`, `sum(num, ...) -> num`.
    pub fn signature(&self) -> String {
        let mut params: Vec<&str> = self.params.iter().map(|p| p.signature()).collect();
        if self.variadic {
            params.push("...");
        }
        format!(
            "{}({}) -> {}",
            self.name,
            params.join(", "),
            self.result.name()
        )
    }

    /// The parameter that argument `index` must match, if there is one.
    pub fn param(&self, index: usize) -> Option<Param> {
        match self.params.get(index) {
            Some(p) => Some(*p),
            None if self.variadic => self.params.last().copied(),
            None => None,
        }
    }

    /// Whether `n` arguments are accepted.
    pub fn accepts(&self, n: usize) -> bool {
        if self.variadic {
            n >= self.params.len()
        } else {
            n == self.params.len()
        }
    }

    pub fn lookup(name: &str) -> Option<&'static Function> {
        FUNCTIONS.iter().find(|f| f.name == name)
    }
}

const NUM: Param = Param::Of(Type::Num);

/// Every function of the expression language.
pub static FUNCTIONS: &[Function] = &[
    Function {
        builtin: Builtin::Count,
        name: "count",
        params: &[Param::Of(Type::List)],
        variadic: false,
        result: Type::Num,
        doc: "the number of items of a list, exact",
    },
    Function {
        builtin: Builtin::Sum,
        name: "sum",
        params: &[NUM],
        variadic: true,
        result: Type::Num,
        doc: "the sum of the arguments",
    },
    Function {
        builtin: Builtin::Min,
        name: "min",
        params: &[NUM],
        variadic: true,
        result: Type::Num,
        doc: "the smallest argument, as an interval: lower of the lows, lower of the highs",
    },
    Function {
        builtin: Builtin::Max,
        name: "max",
        params: &[NUM],
        variadic: true,
        result: Type::Num,
        doc: "the largest argument, as an interval: higher of the lows, higher of the highs",
    },
    Function {
        builtin: Builtin::Abs,
        name: "abs",
        params: &[NUM],
        variadic: false,
        result: Type::Num,
        doc: "the absolute value",
    },
    Function {
        builtin: Builtin::Pct,
        name: "pct",
        params: &[NUM, NUM],
        variadic: false,
        result: Type::Num,
        doc: "`part / whole * 100`; unbounded when `whole` may be zero, so never a finding",
    },
    Function {
        builtin: Builtin::Change,
        name: "change",
        params: &[NUM, NUM],
        variadic: false,
        result: Type::Num,
        doc: "`(new - old) / old * 100`, the change in percent; unbounded when `old` may be zero",
    },
    Function {
        builtin: Builtin::Within,
        name: "within",
        params: &[NUM, NUM, NUM],
        variadic: false,
        result: Type::Bool,
        doc: "`abs(x - y) <= tol`: equal up to the stated precision",
    },
    Function {
        builtin: Builtin::ApproxEq,
        name: "approx_eq",
        params: &[NUM, NUM],
        variadic: false,
        result: Type::Bool,
        doc: "compatible values: true when some reading of `x` equals some reading of `y` (`2.7万` and `2.7万`), false when none does",
    },
    Function {
        builtin: Builtin::Malformed,
        name: "malformed",
        params: &[Param::FactRef],
        variadic: false,
        result: Type::Bool,
        doc: "whether the figure cannot be read as written (`8亿余万元`)",
    },
    Function {
        builtin: Builtin::Kind,
        name: "kind",
        params: &[Param::FactRef],
        variadic: false,
        result: Type::Text,
        doc: "the figure's kind (`count`, `amount`, `percent`, ...); empty if none",
    },
    Function {
        builtin: Builtin::Family,
        name: "family",
        params: &[Param::FactRef],
        variadic: false,
        result: Type::Text,
        doc: "the family of the figure's unit (`person` for both 人 and 名); empty if none",
    },
    Function {
        builtin: Builtin::Unit,
        name: "unit",
        params: &[Param::FactRef],
        variadic: false,
        result: Type::Text,
        doc: "the unit or classifier written after the figure; empty if none",
    },
    Function {
        builtin: Builtin::Approximate,
        name: "approximate",
        params: &[Param::FactRef],
        variadic: false,
        result: Type::Bool,
        doc: "whether the figure is stated approximately (`70余`, `约5万`, `逾200`)",
    },
    Function {
        builtin: Builtin::Text,
        name: "text",
        params: &[Param::Writable],
        variadic: false,
        result: Type::Text,
        doc: "a figure as written, a list's items joined by `、`, or the text itself",
    },
    Function {
        builtin: Builtin::Uniform,
        name: "uniform",
        params: &[Param::Of(Type::List)],
        variadic: false,
        result: Type::Bool,
        doc: "whether the items are of like length (the longest at most twice the shortest): a real enumeration, not `涉黑、涉恶犯罪嫌疑人`",
    },
    Function {
        builtin: Builtin::Total,
        name: "total",
        params: &[Param::Of(Type::List)],
        variadic: false,
        result: Type::Num,
        doc: "the sum of the figures of a list of figures (`{figures}` or `figures(x)`); unbounded if an item is not a figure",
    },
    Function {
        builtin: Builtin::Figures,
        name: "figures",
        params: &[Param::FactRef],
        variadic: false,
        result: Type::List,
        doc: "the figures statlint recognized inside a captured text, in order",
    },
    Function {
        builtin: Builtin::WithFamily,
        name: "with_family",
        params: &[Param::Of(Type::List), Param::Of(Type::Text)],
        variadic: false,
        result: Type::List,
        doc: "the figures of a list whose unit is of the given family (`person`, `case`, `money`, …)",
    },
    Function {
        builtin: Builtin::AllMatch,
        name: "all_match",
        params: &[Param::Of(Type::List), Param::Regex],
        variadic: false,
        result: Type::Bool,
        doc: "whether every item matches the regex, a text literal checked when the rule is loaded: `all_match(names, \"某$\")` for a list of anonymized people",
    },
    Function {
        builtin: Builtin::Longest,
        name: "longest",
        params: &[Param::Of(Type::List)],
        variadic: false,
        result: Type::Num,
        doc: "the length in characters of the longest item: enumerations counted by a number have short items (`湖南`, `刑事案件数`)",
    },
    Function {
        builtin: Builtin::Lower,
        name: "lower",
        params: &[NUM],
        variadic: false,
        result: Type::Num,
        doc: "the least value a figure may take (`50%以上` → 50); every number when unbounded below",
    },
    Function {
        builtin: Builtin::Upper,
        name: "upper",
        params: &[NUM],
        variadic: false,
        result: Type::Num,
        doc: "the greatest value a figure may take (`不到300` → 300); every number when unbounded above",
    },
    Function {
        builtin: Builtin::Role,
        name: "role",
        params: &[Param::FactRef],
        variadic: false,
        result: Type::Text,
        doc: "a statement's role (`total`, `part`, `change_rate`, …; see docs/statements.md); empty for a pattern fact",
    },
    Function {
        builtin: Builtin::Direction,
        name: "direction",
        params: &[Param::FactRef],
        variadic: false,
        result: Type::Text,
        doc: "which way a change statement goes: `up` (`上升`, `增加`), `down` (`下降`, `减少`), or empty",
    },
    Function {
        builtin: Builtin::Complete,
        name: "complete",
        params: &[Param::FactRef],
        variadic: false,
        result: Type::Bool,
        doc: "whether a whole's parts are all of it (`分别为`, `其余`, `…合计61起`), so they sum to it",
    },
    Function {
        builtin: Builtin::AtLeast,
        name: "at_least",
        params: &[Param::FactRef],
        variadic: false,
        result: Type::Bool,
        doc: "whether a list count follows `等` (`罗某、汪某等4人`): the list may be shorter than the count",
    },
    Function {
        builtin: Builtin::Signed,
        name: "signed",
        params: &[Param::FactRef],
        variadic: false,
        result: Type::Num,
        doc: "a change as a signed number: negative when its direction is `down` (`下降12%` → −12)",
    },
    Function {
        builtin: Builtin::Precision,
        name: "precision",
        params: &[NUM],
        variadic: false,
        result: Type::Num,
        doc: "the unit of the last digit a figure was stated to (`38.2%` → 0.1, `1.2万` → 1000, `25%` → 1): a tolerance for rounding and cutting off",
    },
    Function {
        builtin: Builtin::Contains,
        name: "contains",
        params: &[Param::Of(Type::List), NUM],
        variadic: false,
        result: Type::Bool,
        doc: "whether some figure of a list may equal the number; false when none can",
    },
    Function {
        builtin: Builtin::Agrees,
        name: "agrees",
        params: &[Param::Of(Type::List), NUM],
        variadic: false,
        result: Type::Bool,
        doc: "whether every figure of a list may equal the number; false when one cannot",
    },
    Function {
        builtin: Builtin::Present,
        name: "present",
        params: &[Param::FactRef],
        variadic: false,
        result: Type::Bool,
        doc: "whether an `optional` fact was found: `not present(base)` when only the rate and the difference are stated",
    },
    Function {
        builtin: Builtin::ChangeWord,
        name: "change_word",
        params: &[Param::FactRef],
        variadic: false,
        result: Type::Text,
        doc: "the word that states a change, as written (`下降`, `增加`, `降幅`); empty for other statements",
    },
    Function {
        builtin: Builtin::Days,
        name: "days",
        params: &[Param::FactRef, Param::FactRef],
        variadic: false,
        result: Type::Num,
        doc: "the days from the first date to the second, `to − from` (add 1 to count both ends); parts the second leaves out carried from the first (`3月19日至20日`); negative when the range ends before it starts; unbounded if either is no existing date",
    },
    Function {
        builtin: Builtin::Weekday,
        name: "weekday",
        params: &[Param::FactRef],
        variadic: false,
        result: Type::Text,
        doc: "the day of the week of a date with its year, `一` to `六` or `日` (`2026年3月8日` → `日`); empty without a year",
    },
    Function {
        builtin: Builtin::EndExists,
        name: "end_exists",
        params: &[Param::FactRef, Param::FactRef],
        variadic: false,
        result: Type::Bool,
        doc: "whether the end of a range names an existing day once the year and month it leaves out are carried from the start (`2025年2月24日至29日` does not); true if either is no date",
    },
];

/// The function reference as Markdown table rows, one per function, in table order: what the
/// module documentation and `docs/rules.md` show.
pub fn reference_rows() -> Vec<String> {
    FUNCTIONS
        .iter()
        // A `|` inside a cell splits it, even inside backticks.
        .map(|f| format!("| `{}` | {} |", f.signature().replace('|', "\\|"), f.doc))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_builtins_appear_once() {
        for (i, f) in FUNCTIONS.iter().enumerate() {
            for g in &FUNCTIONS[i + 1..] {
                assert_ne!(f.name, g.name);
                assert_ne!(f.builtin, g.builtin);
            }
        }
    }

    #[test]
    fn signatures_and_arity() {
        let cases = [
            ("sum", "sum(num, ...) -> num", [false, true, true]),
            ("pct", "pct(num, num) -> num", [false, false, true]),
            ("count", "count(list) -> num", [false, true, false]),
            ("malformed", "malformed(fact) -> bool", [false, true, false]),
        ];
        for (name, signature, accepts) in cases {
            let f = Function::lookup(name).unwrap();
            assert_eq!(f.signature(), signature);
            assert_eq!([0, 1, 2].map(|n| f.accepts(n)), accepts, "{name}");
        }
        let sum = Function::lookup("sum").unwrap();
        assert_eq!(sum.param(5), Some(Param::Of(Type::Num)));
        assert_eq!(Function::lookup("abs").unwrap().param(1), None);
    }
}
