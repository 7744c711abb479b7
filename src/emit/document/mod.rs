//! The readable specification for a tender pack, as Markdown or as one self-contained HTML file.
//!
//! Both formats are rendered from one document model built from [`Spec`] alone, so they say
//! the same things: a summary (parties, term, money per year, the rules in plain words), the
//! outcomes framework, a definition card per indicator, each payment mechanism with its table
//! and payout curve, gateways and deductions, the payment timeline and the worked examples.
//! The HTML inlines each payout chart as SVG; the Markdown gives the key points of each curve
//! as a table instead (GitHub's Markdown renderer strips inline SVG).
//!
//! Money is written `£1,234,567.00` with the contract currency's symbol, dates `1 April 2016`,
//! percentages `85%`.

use rust_decimal::{Decimal, RoundingStrategy};

use super::chart::{self, currency_symbol, escape, group_digits, id_part, KeyPoint, Scale};
use super::spec::{
    BandSpec, BoundSpec, DeductionSpec, GatewaySpec, IndicatorSpec, LimitSpec, MechanismSpec,
    PaymentSpec, PeriodSpec, PopulationSpec, Spec, UnitSpec, YearMoney,
};

// ---------------------------------------------------------------- the document model

/// A piece of inline text.
#[derive(Clone, Debug)]
enum Inline {
    Text(String),
    Code(String),
    Strong(String),
    /// A link to a part of the document, by `id`.
    Link(String, String),
    /// A short label such as "reporting only".
    Tag(String),
    /// A name in the contract, in brackets after a title: `(at_home)`.
    Name(String),
    /// A line break in HTML; `; ` in Markdown.
    Break,
}

#[derive(Clone, Debug, Default)]
struct Rich(Vec<Inline>);

impl Rich {
    fn new() -> Self {
        Rich(Vec::new())
    }
    fn text(mut self, text: impl Into<String>) -> Self {
        self.0.push(Inline::Text(text.into()));
        self
    }
    fn code(mut self, text: impl Into<String>) -> Self {
        self.0.push(Inline::Code(text.into()));
        self
    }
    fn strong(mut self, text: impl Into<String>) -> Self {
        self.0.push(Inline::Strong(text.into()));
        self
    }
    fn link(mut self, target: impl Into<String>, text: impl Into<String>) -> Self {
        self.0.push(Inline::Link(target.into(), text.into()));
        self
    }
    fn tag(mut self, text: impl Into<String>) -> Self {
        self.0.push(Inline::Tag(text.into()));
        self
    }
    /// A title's name in the contract, after a space: ` (at_home)`.
    fn name(mut self, text: impl Into<String>) -> Self {
        self.0.push(Inline::Text(" ".into()));
        self.0.push(Inline::Name(text.into()));
        self
    }
    fn lines(mut self, items: &[String]) -> Self {
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                self.0.push(Inline::Break);
            }
            self.0.push(Inline::Text(item.clone()));
        }
        self
    }
    fn append(mut self, other: Rich) -> Self {
        self.0.extend(other.0);
        self
    }
}

fn plain(text: impl Into<String>) -> Rich {
    Rich::new().text(text)
}

#[derive(Clone, Debug)]
struct Cell {
    content: Rich,
    /// How many rows the cell spans in HTML; 0 for a cell covered by the one above it.
    rowspan: usize,
}

impl From<Rich> for Cell {
    fn from(content: Rich) -> Self {
        Cell {
            content,
            rowspan: 1,
        }
    }
}

#[derive(Clone, Debug)]
struct Table {
    caption: String,
    head: Vec<String>,
    rows: Vec<Vec<Cell>>,
    /// Right-aligned (numeric) columns.
    numeric: Vec<usize>,
    /// The first cell of each row is a row header.
    row_headers: bool,
    /// A CSS class: `facts` (label and value), `long` (may split across pages), or empty.
    class: &'static str,
}

impl Table {
    fn new(caption: impl Into<String>, head: &[&str]) -> Self {
        Table {
            caption: caption.into(),
            head: head.iter().map(|h| h.to_string()).collect(),
            rows: Vec::new(),
            numeric: Vec::new(),
            row_headers: false,
            class: "",
        }
    }
    /// A two-column table of labelled facts.
    fn facts(caption: impl Into<String>) -> Self {
        Table {
            row_headers: true,
            class: "facts",
            ..Table::new(caption, &["Item", "Detail"])
        }
    }
    fn row(&mut self, cells: Vec<Rich>) {
        self.rows.push(cells.into_iter().map(Cell::from).collect());
    }
    fn fact(&mut self, label: &str, value: Rich) {
        self.row(vec![plain(label), value]);
    }
}

#[derive(Clone, Debug)]
enum Block {
    /// Opens a section with a heading (level 2 to 4).
    Open {
        id: String,
        level: u8,
        title: String,
        class: &'static str,
    },
    Close,
    Para(Rich),
    /// A paragraph in a smaller, quieter style.
    Note(Rich),
    Bullets(Vec<Rich>),
    Table(Table),
    Chart {
        svg: Option<String>,
        points: Vec<KeyPoint>,
        scale: Scale,
        /// The horizontal axis is the measured result, not an improvement.
        measured: bool,
        caption: Rich,
        /// How to read the drawing (HTML only).
        legend: String,
    },
    Example {
        lines: Vec<String>,
    },
}

// ---------------------------------------------------------------- formatting

fn dec(text: &str) -> Option<Decimal> {
    text.parse::<Decimal>().ok()
}

fn round2(value: Decimal) -> Decimal {
    value.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// A decimal without trailing zeros, digits grouped: `187,000`, `82.7`.
fn num(text: &str) -> String {
    match dec(text) {
        Some(d) => group_digits(&d.normalize().to_string()),
        None => text.to_string(),
    }
}

fn pct(text: &str) -> String {
    format!("{}%", num(text))
}

const MONTHS: [&str; 12] = crate::calendar::MONTH_NAMES;

/// `2016-04-01` as `1 April 2016`.
fn date(day: &str) -> String {
    let mut parts = day.splitn(3, '-');
    let (Some(y), Some(m), Some(d)) = (parts.next(), parts.next(), parts.next()) else {
        return day.to_string();
    };
    match (m.parse::<usize>(), d.parse::<u32>()) {
        (Ok(m), Ok(d)) if (1..=12).contains(&m) => {
            format!("{d} {} {y}", MONTHS.get(m - 1).copied().unwrap_or(""))
        }
        _ => day.to_string(),
    }
}

fn month_name(month: u8) -> &'static str {
    MONTHS
        .get(usize::from(month.max(1)) - 1)
        .copied()
        .unwrap_or("")
}

/// `years 2 to 5`, `year 1`.
fn year_range(first: u32, last: u32) -> String {
    if first == last {
        format!("year {first}")
    } else {
        format!("years {first} to {last}")
    }
}

/// The noun for one assessment period.
fn period_noun(assessed: &str) -> &'static str {
    match assessed {
        "monthly" => "month",
        "quarterly" => "quarter",
        _ => "year",
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().collect::<String>() + chars.as_str(),
        None => String::new(),
    }
}

fn join_words(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

struct Ctx<'a> {
    spec: &'a Spec,
    symbol: String,
}

impl<'a> Ctx<'a> {
    fn new(spec: &'a Spec) -> Self {
        Ctx {
            spec,
            symbol: currency_symbol(&spec.contract.currency),
        }
    }

    /// Money as a finance team reads it: `£1,234,567.00`.
    fn money(&self, text: &str) -> String {
        match dec(text) {
            Some(d) => self.money_dec(d),
            None => text.to_string(),
        }
    }

    fn money_dec(&self, value: Decimal) -> String {
        let rounded = round2(value);
        let text = format!("{:.2}", rounded.abs());
        let sign = if rounded.is_sign_negative() && !rounded.is_zero() {
            "-"
        } else {
            ""
        };
        format!("{sign}{}{}", self.symbol, group_digits(&text))
    }

    fn indicator(&self, name: &str) -> Option<&'a IndicatorSpec> {
        self.spec.indicators.iter().find(|i| i.name == name)
    }

    fn payment(&self, name: &str) -> Option<&'a PaymentSpec> {
        self.spec.payments.iter().find(|p| p.name == name)
    }

    /// A value in an indicator's unit, such as `85%`, `720`, `3 days` or `£5,000.00`.
    fn in_unit(&self, value: &str, unit: Option<&UnitSpec>) -> String {
        match unit.map(|u| u.kind.as_str()) {
            Some("percent") => pct(value),
            Some("days") => format!("{} days", num(value)),
            Some("money") => self.money(value),
            _ => num(value),
        }
    }

    fn unit_of(&self, payment: &PaymentSpec) -> Option<&'a UnitSpec> {
        payment
            .indicator
            .as_deref()
            .and_then(|i| self.indicator(i))
            .map(|i| &i.unit)
    }

    /// A link to an indicator's card, with its title.
    fn indicator_ref(&self, name: &str) -> Rich {
        match self.indicator(name) {
            Some(i) => Rich::new()
                .link(
                    format!("indicator-{}", id_part(name)),
                    i.title.clone().unwrap_or_else(|| name.to_string()),
                )
                .name(name),
            None => Rich::new().code(name),
        }
    }

    fn payment_ref(&self, name: &str) -> Rich {
        match self.payment(name) {
            Some(p) => Rich::new()
                .link(
                    format!("payment-{}", id_part(name)),
                    p.title.clone().unwrap_or_else(|| name.to_string()),
                )
                .name(name),
            None => Rich::new().code(name),
        }
    }

    /// Amounts per contract year in words, runs of equal amounts together:
    /// `£2,244,000.00 in year 1; £4,488,000.00 a year in years 2 to 5`.
    fn per_year(&self, amounts: &[(u32, Option<String>)], unknown: &str) -> String {
        let mut runs: Vec<(u32, u32, Option<String>)> = Vec::new();
        for (year, amount) in amounts {
            match runs.last_mut() {
                Some((_, last, value)) if *value == *amount && *last + 1 == *year => *last = *year,
                _ => runs.push((*year, *year, amount.clone())),
            }
        }
        let years = self.spec.years.len();
        if let [(first, last, value)] = runs.as_slice() {
            let text = value
                .as_deref()
                .map(|v| self.money(v))
                .unwrap_or_else(|| unknown.to_string());
            return if years <= 1 || first == last {
                text
            } else if value.is_some() {
                format!("{text} a year (each of the {years} contract years)")
            } else {
                format!("{text} (every year)")
            };
        }
        runs.iter()
            .map(|(first, last, value)| {
                let text = value
                    .as_deref()
                    .map(|v| self.money(v))
                    .unwrap_or_else(|| unknown.to_string());
                if first == last {
                    format!("{text} in {}", year_range(*first, *last))
                } else {
                    format!("{text} a year in {}", year_range(*first, *last))
                }
            })
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn year_money(&self, list: &[YearMoney]) -> Vec<(u32, Option<String>)> {
        list.iter()
            .map(|y| (y.contract_year, Some(y.amount.clone())))
            .collect()
    }

    /// The full pot of one period, per run of contract years with the same pot.
    fn period_pots(&self, payment: &PaymentSpec) -> Vec<(u32, u32, Decimal)> {
        let per = Decimal::from(chart::periods_per_year(&payment.assessed));
        let mut runs: Vec<(u32, u32, Decimal)> = Vec::new();
        for year in payment.pot_per_year.iter().flatten() {
            let Some(amount) = dec(&year.amount) else {
                continue;
            };
            let pot = round2(amount / per);
            match runs.last_mut() {
                Some((_, last, value)) if *value == pot => *last = year.contract_year,
                _ => runs.push((year.contract_year, year.contract_year, pot)),
            }
        }
        runs
    }

    /// Amounts per contract year, one line per run of equal amounts: `£2,244,000.00 (year 1)`.
    fn per_year_lines(&self, amounts: &[(u32, Option<String>)], unknown: &str) -> Vec<String> {
        let mut runs: Vec<(u32, u32, Option<String>)> = Vec::new();
        for (year, amount) in amounts {
            match runs.last_mut() {
                Some((_, last, value)) if *value == *amount && *last + 1 == *year => *last = *year,
                _ => runs.push((*year, *year, amount.clone())),
            }
        }
        let text = |value: &Option<String>| {
            value
                .as_deref()
                .map(|v| self.money(v))
                .unwrap_or_else(|| unknown.to_string())
        };
        if let [(_, _, value)] = runs.as_slice() {
            return vec![text(value)];
        }
        runs.iter()
            .map(|(first, last, value)| format!("{} ({})", text(value), year_range(*first, *last)))
            .collect()
    }

    /// [`Ctx::largest`] in short lines, for the table of payments at a glance.
    fn largest_lines(&self, p: &PaymentSpec) -> Vec<String> {
        let largest: Vec<(u32, Option<String>)> = p
            .largest_payment_per_year
            .iter()
            .zip(&self.spec.years)
            .map(|(l, y)| (y.contract_year, l.as_ref().map(|l| l.amount.clone())))
            .collect();
        let unknown = match &p.mechanism {
            MechanismSpec::Points {
                points,
                price_per_point,
                adjusted_by,
                ..
            } if !adjusted_by.is_empty() => dec(points).zip(dec(price_per_point)).map(|(a, b)| {
                let per = Decimal::from(chart::periods_per_year(&p.assessed));
                format!("{} before factors", self.money_dec(a * b * per))
            }),
            _ => None,
        }
        .unwrap_or_else(|| "Not known in advance".to_string());
        self.per_year_lines(&largest, &unknown)
    }

    /// A payment's largest possible payment per year in words. Where it cannot be known (points
    /// times factors supplied with the data), the most before adjustment, when there is one.
    fn largest(&self, p: &PaymentSpec) -> String {
        let largest: Vec<(u32, Option<String>)> = p
            .largest_payment_per_year
            .iter()
            .zip(&self.spec.years)
            .map(|(l, y)| (y.contract_year, l.as_ref().map(|l| l.amount.clone())))
            .collect();
        let unknown = match &p.mechanism {
            MechanismSpec::Points {
                points,
                price_per_point,
                adjusted_by,
                ..
            } if !adjusted_by.is_empty() => dec(points).zip(dec(price_per_point)).map(|(a, b)| {
                let per = Decimal::from(chart::periods_per_year(&p.assessed));
                format!(
                    "{} before adjustment by factors supplied with the data",
                    self.money_dec(a * b * per)
                )
            }),
            _ => None,
        }
        .unwrap_or_else(|| {
            "cannot be known in advance (it depends on values supplied with the data)".to_string()
        });
        self.per_year(&largest, &unknown)
    }

    fn limits(&self, limits: &[LimitSpec]) -> String {
        limits
            .iter()
            .map(|l| format!("{} {}", self.money(&l.amount), l.scope))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

// ---------------------------------------------------------------- building the document

fn build(ctx: &Ctx) -> Vec<Block> {
    let mut blocks = Vec::new();
    summary(ctx, &mut blocks);
    framework(ctx, &mut blocks);
    indicators(ctx, &mut blocks);
    payments(ctx, &mut blocks);
    gateways_and_deductions(ctx, &mut blocks);
    timeline(ctx, &mut blocks);
    examples(ctx, &mut blocks);
    blocks
}

/// The numbered top-level sections, as (id, title).
fn contents(spec: &Spec) -> Vec<(&'static str, String)> {
    let _ = spec;
    vec![
        ("summary", "1. Summary".to_string()),
        ("outcomes-framework", "2. Outcomes framework".to_string()),
        ("indicators", "3. Indicators".to_string()),
        ("payments", "4. Payment mechanisms".to_string()),
        (
            "gateways-and-deductions",
            "5. Gateways and deductions".to_string(),
        ),
        ("timeline", "6. Payment timeline".to_string()),
        ("worked-examples", "7. Worked examples".to_string()),
    ]
}

fn open(blocks: &mut Vec<Block>, id: impl Into<String>, level: u8, title: impl Into<String>) {
    blocks.push(Block::Open {
        id: id.into(),
        level,
        title: title.into(),
        class: "",
    });
}

fn open_class(
    blocks: &mut Vec<Block>,
    id: impl Into<String>,
    level: u8,
    title: impl Into<String>,
    class: &'static str,
) {
    blocks.push(Block::Open {
        id: id.into(),
        level,
        title: title.into(),
        class,
    });
}

fn people(list: &[String]) -> Rich {
    if list.is_empty() {
        plain("Not stated")
    } else {
        plain(list.join("; "))
    }
}

fn term_words(ctx: &Ctx) -> String {
    let term = &ctx.spec.contract.term;
    let years = term.contract_years;
    format!(
        "{} to {} ({} contract year{})",
        date(&term.start),
        date(&term.end),
        years,
        if years == 1 { "" } else { "s" }
    )
}

fn at_risk_words(ctx: &Ctx) -> String {
    let amounts: Vec<(u32, Option<String>)> = ctx
        .spec
        .years
        .iter()
        .map(|y| (y.contract_year, y.at_risk.clone()))
        .collect();
    if amounts.iter().all(|(_, a)| a.is_none()) {
        return "Not set".to_string();
    }
    ctx.per_year(&amounts, "not set")
}

fn summary(ctx: &Ctx, blocks: &mut Vec<Block>) {
    let spec = ctx.spec;
    let c = &spec.contract;
    open_class(blocks, "summary", 2, "1. Summary", "major");

    open(blocks, "parties-and-term", 3, "1.1 Parties, term and value");
    let mut facts = Table::facts("Parties, term and value");
    facts.fact(
        if c.commissioners.len() == 1 {
            "Commissioner"
        } else {
            "Commissioners"
        },
        people(&c.commissioners),
    );
    facts.fact(
        if c.providers.len() == 1 {
            "Provider"
        } else {
            "Providers"
        },
        people(&c.providers),
    );
    facts.fact(
        "Reference",
        plain(c.reference.clone().unwrap_or_else(|| "None given".into())),
    );
    facts.fact("Term", plain(term_words(ctx)));
    facts.fact(
        "Payments fall due by",
        plain(match &c.term.payments_due_by {
            Some(day) => format!(
                "{}: payments for the last periods may fall due after the term ends, up to this date",
                date(day)
            ),
            None => format!("{} (the end of the term)", date(&c.term.end)),
        }),
    );
    facts.fact(
        "Fiscal year",
        plain(format!("Starts in {}", month_name(c.fiscal_year_starts))),
    );
    facts.fact("Currency", plain(c.currency.clone()));
    facts.fact(
        "Contract value per year",
        plain(ctx.money(&c.value_per_year)),
    );
    facts.fact("Money at risk per year", plain(at_risk_words(ctx)));
    blocks.push(Block::Table(facts));
    blocks.push(Block::Close);

    open(blocks, "money-per-year", 3, "1.2 Money per contract year");
    let mut years = Table::new(
        "Money at risk and the largest possible payment in each contract year",
        &[
            "Contract year",
            "From",
            "To",
            "Money at risk",
            "Largest possible payment",
        ],
    );
    years.numeric = vec![3, 4];
    years.row_headers = true;
    let mut total_risk = Some(Decimal::ZERO);
    let mut total_largest = Some(Decimal::ZERO);
    for y in &spec.years {
        let risk = y.at_risk.as_deref().and_then(dec);
        let largest = y.largest_payment.as_deref().and_then(dec);
        total_risk = total_risk.zip(risk).map(|(t, a)| t + a);
        total_largest = total_largest.zip(largest).map(|(t, a)| t + a);
        years.row(vec![
            plain(format!("Year {}", y.contract_year)),
            plain(date(&y.start)),
            plain(date(&y.end)),
            plain(
                risk.map(|r| ctx.money_dec(r))
                    .unwrap_or_else(|| "not set".into()),
            ),
            plain(
                largest
                    .map(|l| ctx.money_dec(l))
                    .unwrap_or_else(|| "cannot be known in advance".into()),
            ),
        ]);
    }
    if spec.years.len() > 1 {
        years.row(vec![
            Rich::new().strong("Whole term"),
            plain(date(&c.term.start)),
            plain(date(&c.term.end)),
            total_risk
                .map(|t| Rich::new().strong(ctx.money_dec(t)))
                .unwrap_or_else(|| plain("not set")),
            total_largest
                .map(|t| Rich::new().strong(ctx.money_dec(t)))
                .unwrap_or_else(|| plain("cannot be known in advance")),
        ]);
    }
    blocks.push(Block::Table(years));
    blocks.push(Block::Note(plain(
        "The largest possible payment is what all the payments together would pay if every result were at its best, after caps; it cannot be known in advance where a payment depends on values supplied with the data, such as adjustment factors.",
    )));
    blocks.push(Block::Close);

    open(
        blocks,
        "payments-at-a-glance",
        3,
        "1.3 Payments at a glance",
    );
    let mut glance = Table::new(
        "The payments, what each is measured on, and the money each draws on",
        &[
            "Payment",
            "Measured on",
            "How it pays",
            "Pot per year",
            "Largest possible payment per year",
        ],
    );
    glance.row_headers = true;
    glance.numeric = vec![3, 4];
    for p in &spec.payments {
        glance.row(vec![
            ctx.payment_ref(&p.name),
            match (&p.indicator, &p.mechanism) {
                (Some(i), _) => ctx.indicator_ref(i),
                (None, MechanismSpec::RateCard { cohort, .. }) => match cohort {
                    Some(c) => plain("outcomes of participants in ").code(c.clone()),
                    None => plain("outcomes of participants"),
                },
                _ => plain("—"),
            },
            Rich::new().lines(&[
                mechanism_name(&p.mechanism).to_string(),
                format!("assessed {}", p.assessed),
            ]),
            Rich::new().lines(&match &p.pot_per_year {
                Some(list) => ctx.per_year_lines(&ctx.year_money(list), "None"),
                None => vec!["None".to_string()],
            }),
            Rich::new().lines(&ctx.largest_lines(p)),
        ]);
    }
    blocks.push(Block::Table(glance));
    blocks.push(Block::Close);

    open(blocks, "rules", 3, "1.4 How the contract settles details");
    blocks.push(Block::Bullets(rules(ctx)));
    blocks.push(Block::Close);

    let groups: Vec<(&str, &PopulationSpec)> = spec
        .population
        .iter()
        .map(|p| ("Population", p))
        .chain(spec.cohorts.iter().map(|c| ("Cohort", c)))
        .collect();
    if !groups.is_empty() {
        open(blocks, "population", 3, "1.5 Population and cohorts");
        for (kind, group) in groups {
            let name = match (&group.title, &group.name) {
                (Some(t), _) => t.clone(),
                (None, Some(n)) => n.clone(),
                (None, None) => kind.to_string(),
            };
            let mut table = Table::facts(format!("{kind}: {name}"));
            table.fact("Kind", plain(kind));
            if let Some(n) = &group.name {
                table.fact("Name in the contract", Rich::new().code(n.clone()));
            }
            table.fact("Title", plain(name.clone()));
            if let Some(size) = &group.size {
                table.fact("Size", plain(format!("{} people", num(size))));
            }
            if let Some(e) = &group.eligibility {
                table.fact("Eligibility", plain(e.clone()));
            }
            if let Some(d) = &group.description {
                table.fact("Description", plain(d.clone()));
            }
            blocks.push(Block::Table(table));
        }
        blocks.push(Block::Close);
    }
    blocks.push(Block::Close);
}

fn mechanism_name(mechanism: &MechanismSpec) -> &'static str {
    match mechanism {
        MechanismSpec::Tiers { .. } => "Threshold bands",
        MechanismSpec::Linear { .. } => "Linear scale",
        MechanismSpec::Points { .. } => "Points",
        MechanismSpec::Improvement { .. } => "Improvement",
        MechanismSpec::RateCard { .. } => "Rate card",
    }
}

fn rules(ctx: &Ctx) -> Vec<Rich> {
    let r = &ctx.spec.contract.rules;
    let (minor, major) = match ctx.spec.contract.currency.as_str() {
        "GBP" => ("penny", "pound"),
        "EUR" => ("cent", "euro"),
        "USD" => ("cent", "dollar"),
        _ => ("hundredth", "whole unit"),
    };
    let unit = if r.rounding_unit == "pound" {
        major
    } else {
        minor
    };
    let rounding = match r.rounding_mode.as_str() {
        "half-up" => format!("Rounding: each amount is rounded to the nearest {unit}; an amount exactly halfway is rounded up."),
        "half-even" => format!("Rounding: each amount is rounded to the nearest {unit}; an amount exactly halfway goes to the even {unit} (banker's rounding)."),
        "up" => format!("Rounding: each amount is rounded up to the next whole {unit}."),
        "down" => format!("Rounding: each amount is rounded down to the whole {unit}."),
        other => format!("Rounding: {other} to the {unit}."),
    };
    let mut out = vec![plain(format!(
        "{rounding} Every payment line is rounded on its own; totals are the sum of the rounded lines."
    ))];
    if !ctx.spec.factors.is_empty() {
        out.push(plain(match r.factors_rounded_to {
            Some(places) => format!(
                "Adjustment factors: rounded to {places} decimal place{} before they are used.",
                if places == 1 { "" } else { "s" }
            ),
            None => "Adjustment factors: used as supplied, without rounding.".to_string(),
        }));
    }
    out.push(plain(if r.boundary_values_go_to == "lower" {
        "Results on a threshold: a result exactly on a threshold that two payment bands share falls in the lower band."
    } else {
        "Results on a threshold: a result exactly on a threshold that two payment bands share falls in the higher band."
    }));
    out.push(plain(if r.missing_data == "error" {
        "Missing data: a payment is not worked out for a period until every value it needs (results, factors, and the data of the gateways that apply) has been supplied, so that nothing is paid or withheld by accident."
    } else {
        "Missing data: a payment whose data for a period is missing pays nothing for that period, and a gateway whose data is missing counts as failed."
    }));
    out.push(plain(if r.part_periods == "excluded" {
        "Part periods: an assessment period cut short by the start or the end of the term is not assessed."
    } else {
        "Part periods: an assessment period cut short by the start or the end of the term is assessed, and its pot is reduced in proportion to its days inside the term."
    }));
    out.push(plain(if r.month_ends_stay_month_ends {
        "Due dates: adding whole months to the last day of a month gives the last day of the later month (30 June plus 2 months is 31 August)."
    } else {
        "Due dates: adding whole months to a date keeps the day of the month (30 June plus 2 months is 30 August); a day the later month does not have becomes its last day."
    }));
    if !ctx.spec.deductions.is_empty() {
        out.push(plain(if r.deductions_come == "before caps" {
            "Deductions taken from a payment reduce it before the payment's caps are applied."
        } else {
            "Deductions taken from a payment are applied after the payment's caps."
        }));
    }
    out
}

fn framework(ctx: &Ctx, blocks: &mut Vec<Block>) {
    let spec = ctx.spec;
    open_class(
        blocks,
        "outcomes-framework",
        2,
        "2. Outcomes framework",
        "major",
    );
    if spec.outcomes_framework.is_empty() {
        blocks.push(Block::Para(plain(
            "The contract does not set out an outcomes framework.",
        )));
    } else {
        blocks.push(Block::Para(plain(
            "The outcomes the contract pursues, grouped by domain, and the indicators that measure each outcome.",
        )));
        let mut table = Table::new(
            "Outcomes framework: domains, outcomes and their indicators",
            &["Domain", "Outcome", "Indicators"],
        );
        table.row_headers = true;
        for domain in &spec.outcomes_framework {
            let span = domain.outcomes.len().max(1);
            let domain_cell = Rich::new()
                .strong(domain.title.clone().unwrap_or_else(|| domain.name.clone()))
                .name(domain.name.clone());
            if domain.outcomes.is_empty() {
                table.row(vec![domain_cell, plain("No outcomes"), plain("")]);
                continue;
            }
            for (i, outcome) in domain.outcomes.iter().enumerate() {
                let mut indicators = Rich::new();
                for (j, name) in outcome.indicators.iter().enumerate() {
                    if j > 0 {
                        indicators = indicators.text("; ");
                    }
                    indicators = indicators.append(ctx.indicator_ref(name));
                    if ctx.indicator(name).is_some_and(|i| i.reporting_only) {
                        indicators = indicators.text(" ").tag("reporting only");
                    }
                }
                let outcome_cell = plain(
                    outcome
                        .title
                        .clone()
                        .unwrap_or_else(|| outcome.name.clone()),
                );
                table.rows.push(vec![
                    Cell {
                        content: if i == 0 {
                            domain_cell.clone()
                        } else {
                            Rich::new()
                        },
                        rowspan: if i == 0 { span } else { 0 },
                    },
                    outcome_cell.into(),
                    indicators.into(),
                ]);
            }
        }
        blocks.push(Block::Table(table));
    }
    let listed: Vec<&String> = spec
        .outcomes_framework
        .iter()
        .flat_map(|d| d.outcomes.iter().flat_map(|o| o.indicators.iter()))
        .collect();
    let others: Vec<&IndicatorSpec> = spec
        .indicators
        .iter()
        .filter(|i| !listed.contains(&&i.name))
        .collect();
    if !others.is_empty() {
        let mut text = plain("Indicators defined outside the framework: ");
        for (j, i) in others.iter().enumerate() {
            if j > 0 {
                text = text.text("; ");
            }
            text = text.append(ctx.indicator_ref(&i.name));
            let uses = used_by(ctx, &i.name);
            if !uses.is_empty() {
                text = text.text(format!(", used by {}", uses.join(", ")));
            }
        }
        blocks.push(Block::Para(text.text(".")));
    }
    blocks.push(Block::Close);
}

/// The indicators in the order of the framework, then the rest.
fn ordered_indicators(spec: &Spec) -> Vec<&IndicatorSpec> {
    let mut out: Vec<&IndicatorSpec> = Vec::new();
    for name in spec
        .outcomes_framework
        .iter()
        .flat_map(|d| d.outcomes.iter().flat_map(|o| o.indicators.iter()))
    {
        if let Some(i) = spec.indicators.iter().find(|i| &i.name == name) {
            if !out.iter().any(|o| o.name == i.name) {
                out.push(i);
            }
        }
    }
    for i in &spec.indicators {
        if !out.iter().any(|o| o.name == i.name) {
            out.push(i);
        }
    }
    out
}

/// What uses an indicator, in words: `payment at_home`, `gateway data_quality`.
fn used_by(ctx: &Ctx, name: &str) -> Vec<String> {
    let spec = ctx.spec;
    let mut uses = Vec::new();
    for p in &spec.payments {
        if p.indicator.as_deref() == Some(name) {
            uses.push(format!("payment {}", p.name));
        }
    }
    for g in &spec.gateways {
        if g.requires
            .iter()
            .any(|r| r.split_whitespace().next() == Some(name))
        {
            uses.push(format!("gateway {}", g.name));
        }
    }
    for d in &spec.deductions {
        if d.indicator == name {
            uses.push(format!("deduction {}", d.name));
        }
    }
    uses
}

fn indicators(ctx: &Ctx, blocks: &mut Vec<Block>) {
    let spec = ctx.spec;
    open_class(blocks, "indicators", 2, "3. Indicators", "major");
    blocks.push(Block::Para(plain(
        "One definition card per indicator: what is measured, where the data comes from, when it is reported, and the baseline and targets. The data lag is how long after the end of a period its data becomes available; a period whose denominator is below the minimum denominator is not assessed.",
    )));
    let stated = |v: &Option<String>| plain(v.clone().unwrap_or_else(|| "Not stated".into()));
    for (n, i) in ordered_indicators(spec).into_iter().enumerate() {
        let title = i.title.clone().unwrap_or_else(|| i.name.clone());
        open_class(
            blocks,
            format!("indicator-{}", id_part(&i.name)),
            3,
            format!("3.{} {title}", n + 1),
            "card",
        );
        let mut card = Table::facts(format!("Definition of {}", i.name));
        let mut name = Rich::new().code(i.name.clone());
        if i.reporting_only {
            name = name.text(" ").tag("reporting only");
        }
        card.fact("Name in the contract", name);
        card.fact("Definition", stated(&i.definition));
        card.fact("Numerator", stated(&i.numerator));
        card.fact("Denominator", stated(&i.denominator));
        card.fact("Source", stated(&i.source));
        if let Some(d) = &i.description {
            card.fact("Description", plain(d.clone()));
        }
        if let Some(f) = &i.follow_up {
            card.fact(
                "Follow-up",
                plain(format!("{f} after the event, as the definition requires")),
            );
        }
        card.fact(
            "Reporting only",
            plain(if i.reporting_only {
                "Yes: monitored and reported, never paid on"
            } else {
                "No"
            }),
        );
        let range = match &i.unit.max {
            // A score's words already give its range.
            Some(_) if i.unit.kind == "score" => String::new(),
            Some(max) => format!(
                " ({} to {})",
                ctx.in_unit(&i.unit.min, Some(&i.unit)),
                ctx.in_unit(max, Some(&i.unit))
            ),
            None => String::new(),
        };
        let mut strip = Table::new(
            format!("Measurement of {}", i.name),
            &[
                "Unit",
                "Polarity",
                "Reported",
                "Data lag",
                "Baseline",
                "Targets",
                "Minimum denominator",
            ],
        );
        strip.class = "strip";
        strip.row(vec![
            plain(format!("{}{range}", capitalise(&i.unit.words))),
            plain(match i.better.as_deref() {
                Some("higher") => "Higher is better",
                Some("lower") => "Lower is better",
                _ => "Not stated",
            }),
            plain(
                i.reported
                    .as_deref()
                    .map(capitalise)
                    .unwrap_or_else(|| "Not stated".into()),
            ),
            plain(match &i.data_lag {
                Some(lag) => format!("{lag} after the period"),
                None => "None".to_string(),
            }),
            plain(i.baseline.clone().unwrap_or_else(|| "None".into())),
            if i.targets.is_empty() {
                plain("None")
            } else {
                Rich::new().lines(&i.targets)
            },
            plain(
                i.minimum_denominator
                    .as_deref()
                    .map(num)
                    .unwrap_or_else(|| "None".into()),
            ),
        ]);
        if let Some(c) = &i.cohort {
            let cohort = spec.cohorts.iter().find(|k| k.name.as_deref() == Some(c));
            let mut text = Rich::new().code(c.clone());
            if let Some(t) = cohort.and_then(|k| k.title.clone()) {
                text = text.text(format!(" ({t})"));
            }
            card.fact("Measured in cohort", text);
        }
        let mut uses = Rich::new();
        let mut any = false;
        for p in spec
            .payments
            .iter()
            .filter(|p| p.indicator.as_deref() == Some(&i.name))
        {
            if any {
                uses = uses.text("; ");
            }
            uses = uses.text("payment ").append(ctx.payment_ref(&p.name));
            any = true;
        }
        for g in &spec.gateways {
            if g.requires
                .iter()
                .any(|r| r.split_whitespace().next() == Some(i.name.as_str()))
            {
                if any {
                    uses = uses.text("; ");
                }
                uses = uses.text("gateway ").link(
                    "gateways",
                    g.title.clone().unwrap_or_else(|| g.name.clone()),
                );
                any = true;
            }
        }
        for d in spec.deductions.iter().filter(|d| d.indicator == i.name) {
            if any {
                uses = uses.text("; ");
            }
            uses = uses.text("deduction ").link(
                "deductions",
                d.title.clone().unwrap_or_else(|| d.name.clone()),
            );
            any = true;
        }
        card.fact(
            "Used by",
            if any {
                uses
            } else {
                plain("No payment, gateway or deduction")
            },
        );
        blocks.push(Block::Table(card));
        blocks.push(Block::Table(strip));
        blocks.push(Block::Close);
    }
    if !spec.factors.is_empty() || !spec.flags.is_empty() {
        let n = spec.indicators.len() + 1;
        open(
            blocks,
            "factors-and-flags",
            3,
            format!("3.{n} Factors and flags supplied with the data"),
        );
        let mut table = Table::new(
            "Values supplied with the data for each period",
            &["Name", "Kind", "Meaning"],
        );
        table.row_headers = true;
        for f in &spec.factors {
            table.row(vec![
                Rich::new().code(f.name.clone()),
                plain("Factor: multiplies the payments adjusted by it"),
                plain(f.title.clone().unwrap_or_default()),
            ]);
        }
        for f in &spec.flags {
            table.row(vec![
                Rich::new().code(f.name.clone()),
                plain("Flag: yes or no, used by gateways"),
                plain(f.title.clone().unwrap_or_default()),
            ]);
        }
        blocks.push(Block::Table(table));
        blocks.push(Block::Close);
    }
    blocks.push(Block::Close);
}

// ---------------------------------------------------------------- payments

/// What a band covers once the boundary rule has placed shared thresholds, such as
/// `at least 80% and below 85%`.
fn band_covers(ctx: &Ctx, bands: &[BandSpec], index: usize, unit: Option<&UnitSpec>) -> String {
    let higher = ctx.spec.contract.rules.boundary_values_go_to != "lower";
    let Some(band) = bands.get(index) else {
        return String::new();
    };
    let shared = |bound: &BoundSpec, upper: bool| -> bool {
        // Whether another band also includes this bound's value.
        bands.iter().enumerate().any(|(j, other)| {
            j != index && {
                let b = if upper { &other.lower } else { &other.upper };
                b.as_ref()
                    .is_some_and(|b| b.included && dec(&b.value) == dec(&bound.value))
            }
        })
    };
    let lower = band.lower.as_ref().map(|b| {
        // A shared lower bound belongs to this band when values go to the higher band.
        let included = b.included && (!shared(b, false) || higher);
        (ctx.in_unit(&b.value, unit), included)
    });
    let upper = band.upper.as_ref().map(|b| {
        let included = b.included && (!shared(b, true) || !higher);
        (ctx.in_unit(&b.value, unit), included)
    });
    let lo_words = |(v, inc): &(String, bool)| {
        if *inc {
            format!("at least {v}")
        } else {
            format!("above {v}")
        }
    };
    let hi_words = |(v, inc): &(String, bool)| {
        if *inc {
            format!("at most {v}")
        } else {
            format!("below {v}")
        }
    };
    match (&lower, &upper) {
        (Some(l), Some(u)) => format!("{} and {}", lo_words(l), hi_words(u)),
        (Some(l), None) => lo_words(l),
        (None, Some(u)) => hi_words(u),
        (None, None) => "any result".to_string(),
    }
}

fn band_pays(ctx: &Ctx, band: &BandSpec, unit: Option<&UnitSpec>) -> String {
    match band.pays.as_str() {
        "nothing" => "Nothing".to_string(),
        "share" => format!(
            "{} of the period's pot",
            pct(band.value.as_deref().unwrap_or("0"))
        ),
        "amount" => format!(
            "{} for the period",
            ctx.money(band.value.as_deref().unwrap_or("0"))
        ),
        "linear" => {
            let from = pct(band.from.as_deref().unwrap_or("0"));
            let to = pct(band.to.as_deref().unwrap_or("0"));
            let lo = band
                .lower
                .as_ref()
                .map(|b| ctx.in_unit(&b.value, unit))
                .unwrap_or_default();
            let hi = band
                .upper
                .as_ref()
                .map(|b| ctx.in_unit(&b.value, unit))
                .unwrap_or_default();
            let direction = if dec(band.to.as_deref().unwrap_or("0"))
                < dec(band.from.as_deref().unwrap_or("0"))
            {
                "falling"
            } else {
                "rising"
            };
            format!("{from} of the period's pot at {lo}, {direction} in proportion to {to} at {hi}")
        }
        other => other.to_string(),
    }
}

/// A share of a period's pot in money: `£561,000.00`.
fn share_money(ctx: &Ctx, share: Option<&str>, pot: Decimal) -> String {
    let share = share.and_then(dec).unwrap_or(Decimal::ZERO);
    ctx.money_dec(pot * share / Decimal::ONE_HUNDRED)
}

fn band_money(ctx: &Ctx, band: &BandSpec, pot: Decimal) -> String {
    match band.pays.as_str() {
        "share" => share_money(ctx, band.value.as_deref(), pot),
        "amount" => ctx.money(band.value.as_deref().unwrap_or("0")),
        "linear" => format!(
            "{} to {}",
            share_money(ctx, band.from.as_deref(), pot),
            share_money(ctx, band.to.as_deref(), pot)
        ),
        _ => ctx.money_dec(Decimal::ZERO),
    }
}

/// Column headings for the money a period's pot stands for, per run of years.
fn pot_columns(payment: &PaymentSpec, runs: &[(u32, u32, Decimal)], years: usize) -> Vec<String> {
    let noun = period_noun(&payment.assessed);
    runs.iter()
        .map(|(first, last, _)| match (years <= 1, noun) {
            (true, "year") => "Amount".to_string(),
            (true, _) => format!("Per {noun}"),
            (false, "year") => capitalise(&year_range(*first, *last)),
            (false, _) => format!("Per {noun}, {}", year_range(*first, *last)),
        })
        .collect()
}

fn payments(ctx: &Ctx, blocks: &mut Vec<Block>) {
    let spec = ctx.spec;
    open_class(blocks, "payments", 2, "4. Payment mechanisms", "major");
    if spec.payments.is_empty() {
        blocks.push(Block::Para(plain("The contract has no payments.")));
    } else {
        let side = if spec.contract.rules.boundary_values_go_to == "lower" {
            "lower"
        } else {
            "higher"
        };
        let tiers = spec
            .payments
            .iter()
            .any(|p| matches!(p.mechanism, MechanismSpec::Tiers { .. }));
        let mut text = "How each payment works out its amount. Amounts per period are before gateways and deductions; a payment's caps limit them as stated.".to_string();
        if tiers {
            text.push_str(&format!(" In the tables of bands, \"Results it covers\" applies the contract's boundary rule: a result exactly on a threshold that two bands share falls in the {side} band."));
        }
        blocks.push(Block::Para(plain(text)));
    }
    for (n, p) in spec.payments.iter().enumerate() {
        payment(ctx, blocks, n + 1, p);
    }
    blocks.push(Block::Close);
}

fn payment(ctx: &Ctx, blocks: &mut Vec<Block>, n: usize, p: &PaymentSpec) {
    let spec = ctx.spec;
    let title = p.title.clone().unwrap_or_else(|| p.name.clone());
    open_class(
        blocks,
        format!("payment-{}", id_part(&p.name)),
        3,
        format!("4.{n} {title}"),
        "payment",
    );
    if let Some(description) = &p.description {
        blocks.push(Block::Para(plain(description.clone())));
    }
    let mut facts = Table::facts(format!("Key facts of payment {}", p.name));
    facts.fact("Name in the contract", Rich::new().code(p.name.clone()));
    facts.fact(
        "Measured on",
        match (&p.indicator, &p.mechanism) {
            (Some(i), _) => ctx.indicator_ref(i),
            (
                None,
                MechanismSpec::RateCard {
                    cohort: Some(c), ..
                },
            ) => {
                let title = spec
                    .cohorts
                    .iter()
                    .find(|k| k.name.as_deref() == Some(c.as_str()))
                    .and_then(|k| k.title.clone());
                let mut text =
                    plain("Outcomes achieved by each participant in cohort ").code(c.clone());
                if let Some(t) = title {
                    text = text.text(format!(" ({t})"));
                }
                text
            }
            _ => plain("Outcomes achieved by each participant"),
        },
    );
    facts.fact("How it pays", plain(mechanism_name(&p.mechanism)));
    let count = p.periods.len();
    facts.fact(
        "Assessed",
        plain(format!(
            "{} ({count} period{} over the term)",
            capitalise(&p.assessed),
            if count == 1 { "" } else { "s" }
        )),
    );
    let runs = ctx.period_pots(p);
    match &p.pot_per_year {
        Some(list) => {
            facts.fact(
                "Pot per year",
                plain(ctx.per_year(&ctx.year_money(list), "none")),
            );
            if chart::periods_per_year(&p.assessed) > 1 {
                let noun = period_noun(&p.assessed);
                let text = runs
                    .iter()
                    .map(|(first, last, pot)| {
                        if spec.years.len() <= 1 {
                            ctx.money_dec(*pot)
                        } else {
                            format!("{} in {}", ctx.money_dec(*pot), year_range(*first, *last))
                        }
                    })
                    .collect::<Vec<_>>()
                    .join("; ");
                facts.fact(&format!("Pot per {noun}"), plain(text));
            }
        }
        None => facts.fact(
            "Pot per year",
            plain("None: the payment does not draw on a pot"),
        ),
    }
    facts.fact("Largest possible payment per year", plain(ctx.largest(p)));
    facts.fact(
        "Caps",
        plain(if p.caps.is_empty() {
            "None".to_string()
        } else {
            ctx.limits(&p.caps)
        }),
    );
    facts.fact(
        "Floors",
        plain(if p.floors.is_empty() {
            "None".to_string()
        } else {
            ctx.limits(&p.floors)
        }),
    );
    if let Some(a) = &p.advance {
        facts.fact(
            "Advance",
            plain(format!(
                "{} of the pot paid in advance, {}, and reconciled against the amount earned at the end of the year; caps do not apply",
                pct(&a.share),
                a.frequency
            )),
        );
    }
    let lag = p
        .indicator
        .as_deref()
        .and_then(|i| ctx.indicator(i))
        .and_then(|i| i.data_lag.clone());
    let mut due = capitalise(&p.paid);
    if p.paid.contains("after the data") {
        due.push_str(&match lag {
            Some(l) => format!(" (the data is available {l} after the period ends)"),
            None => " (the data is available when the period ends)".to_string(),
        });
    }
    if let (Some(first), Some(last)) = (p.periods.first(), p.periods.last()) {
        if count > 1 {
            due.push_str(&format!(
                ". First payment due {}; last due {}",
                date(&first.due),
                date(&last.due)
            ));
        } else {
            due.push_str(&format!(". Due {}", date(&first.due)));
        }
    }
    facts.fact("Falls due", plain(due));
    let gates: Vec<&GatewaySpec> = spec
        .gateways
        .iter()
        .filter(|g| {
            g.applies_to
                .as_ref()
                .is_none_or(|list| list.iter().any(|n| n == &p.name))
        })
        .collect();
    facts.fact(
        "Gateways",
        if gates.is_empty() {
            plain("None")
        } else {
            let mut text = Rich::new();
            for (j, g) in gates.iter().enumerate() {
                if j > 0 {
                    text = text.text("; ");
                }
                text = text
                    .link(
                        "gateways",
                        g.title.clone().unwrap_or_else(|| g.name.clone()),
                    )
                    .text(format!(": withholds {} when it fails", pct(&g.withholds)));
            }
            text
        },
    );
    let taken: Vec<&DeductionSpec> = spec
        .deductions
        .iter()
        .filter(|d| d.taken_from.as_deref() == Some(p.name.as_str()))
        .collect();
    if !taken.is_empty() {
        let mut text = Rich::new();
        for (j, d) in taken.iter().enumerate() {
            if j > 0 {
                text = text.text("; ");
            }
            text = text.link(
                "deductions",
                d.title.clone().unwrap_or_else(|| d.name.clone()),
            );
        }
        facts.fact("Deductions taken from it", text);
    }
    blocks.push(Block::Table(facts));

    mechanism_table(ctx, blocks, p, &runs);

    if let Some(curve) = chart::curve(spec, p) {
        let points = chart::key_points(spec, p).unwrap_or_default();
        let svg = chart::payout_svg(spec, p);
        let mut caption = plain(format!("Payout of {title}: ")).text(match curve.scale {
            Scale::Share => "the share of the period's pot paid",
            Scale::Money => "the amount paid for the period",
        });
        caption = caption.text(format!(" against {}.", lower_first(&curve.x_title)));
        let mut marks = Vec::new();
        if matches!(
            p.mechanism,
            MechanismSpec::Tiers { .. }
                | MechanismSpec::Linear { .. }
                | MechanismSpec::Points { .. }
        ) {
            marks.push("thresholds (grey, dashed)".to_string());
        } else {
            marks.push("triggers (dark grey, dashed)".to_string());
        }
        let ind = p.indicator.as_deref().and_then(|i| ctx.indicator(i));
        let measured = !matches!(&p.mechanism, MechanismSpec::Improvement { against, .. } if against != "baseline");
        if measured && ind.is_some_and(|i| i.baseline_value.is_some()) {
            marks.push("the baseline (orange, dashed)".to_string());
        }
        if measured && ind.is_some_and(|i| !i.targets.is_empty()) {
            marks.push("the first target (purple, dotted)".to_string());
        }
        let mut legend = format!("Marked: {}.", join_words(&marks));
        if !chart_jumps_free(&points) {
            legend.push_str(
                " Where the payment jumps, the filled dot shows what a result exactly on the threshold pays.",
            );
        }
        if !curve.note.is_empty() {
            caption = caption.text(format!(" {}", curve.note));
        }
        if !p.caps.is_empty() || !p.floors.is_empty() {
            caption = caption.text(" Caps and floors are not applied.");
        }
        blocks.push(Block::Chart {
            svg,
            points,
            scale: curve.scale,
            measured: curve.measured,
            caption,
            legend,
        });
    }
    blocks.push(Block::Close);
}

/// The table of a payment's mechanism: its bands, scale, points, improvement terms or rate card.
fn mechanism_table(
    ctx: &Ctx,
    blocks: &mut Vec<Block>,
    p: &PaymentSpec,
    runs: &[(u32, u32, Decimal)],
) {
    let spec = ctx.spec;
    let unit = ctx.unit_of(p);
    let money_heads = pot_columns(p, runs, spec.years.len());
    match &p.mechanism {
        MechanismSpec::Tiers { bands } => {
            let mut head = vec!["Band", "Results it covers", "Pays"];
            head.extend(money_heads.iter().map(String::as_str));
            let mut table = Table::new(format!("Payment bands of {}", p.name), &head);
            table.row_headers = true;
            table.numeric = (3..3 + money_heads.len()).collect();
            for (j, band) in bands.iter().enumerate() {
                let mut row = vec![
                    plain(band.range.clone()),
                    plain(capitalise(&band_covers(ctx, bands, j, unit))),
                    plain(band_pays(ctx, band, unit)),
                ];
                for (_, _, pot) in runs {
                    row.push(plain(band_money(ctx, band, *pot)));
                }
                table.row(row);
            }
            blocks.push(Block::Table(table));
        }
        MechanismSpec::Linear {
            from,
            to,
            pays_from,
            pays_to,
        } => {
            let rising = dec(from) <= dec(to);
            let (worse, better) = if rising {
                ("or less", "or more")
            } else {
                ("or more", "or less")
            };
            let mut head = vec!["Result", "Pays"];
            head.extend(money_heads.iter().map(String::as_str));
            let mut table = Table::new(format!("Linear scale of {}", p.name), &head);
            table.row_headers = true;
            table.numeric = (2..2 + money_heads.len()).collect();
            let mut rows = vec![
                (
                    format!("{} {worse}", ctx.in_unit(from, unit)),
                    format!("{} of the period's pot", pct(pays_from)),
                    Some(pays_from.as_str()),
                    None,
                ),
                (
                    if rising {
                        format!(
                            "Between {} and {}",
                            ctx.in_unit(from, unit),
                            ctx.in_unit(to, unit)
                        )
                    } else {
                        format!(
                            "Between {} and {}",
                            ctx.in_unit(to, unit),
                            ctx.in_unit(from, unit)
                        )
                    },
                    format!(
                        "In proportion, from {} of the period's pot at {} to {} at {}",
                        pct(pays_from),
                        ctx.in_unit(from, unit),
                        pct(pays_to),
                        ctx.in_unit(to, unit)
                    ),
                    Some(pays_from.as_str()),
                    Some(pays_to.as_str()),
                ),
                (
                    format!("{} {better}", ctx.in_unit(to, unit)),
                    format!("{} of the period's pot", pct(pays_to)),
                    Some(pays_to.as_str()),
                    None,
                ),
            ];
            for (result, pays, a, b) in rows.drain(..) {
                let mut row = vec![plain(result), plain(pays)];
                for (_, _, pot) in runs {
                    row.push(plain(match b {
                        Some(b) => format!(
                            "{} to {}",
                            share_money(ctx, a, *pot),
                            share_money(ctx, Some(b), *pot)
                        ),
                        None => share_money(ctx, a, *pot),
                    }));
                }
                table.row(row);
            }
            blocks.push(Block::Table(table));
        }
        MechanismSpec::Points {
            points,
            from,
            to,
            price_per_point,
            adjusted_by,
        } => {
            let rising = dec(from) <= dec(to);
            let (worse, better) = if rising {
                ("or less", "or more")
            } else {
                ("or more", "or less")
            };
            let mut table = Table::facts(format!("Points of {}", p.name));
            table.fact("Points available", plain(num(points)));
            table.fact(
                "How points are earned",
                plain(format!(
                    "No points at {} {worse}; all {} points at {} {better}; in proportion between",
                    ctx.in_unit(from, unit),
                    num(points),
                    ctx.in_unit(to, unit)
                )),
            );
            table.fact("Price per point", plain(ctx.money(price_per_point)));
            let most = dec(points)
                .zip(dec(price_per_point))
                .map(|(a, b)| ctx.money_dec(a * b))
                .unwrap_or_default();
            table.fact(
                "Most before adjustment",
                plain(format!(
                    "{most} ({} points × {})",
                    num(points),
                    ctx.money(price_per_point)
                )),
            );
            if !adjusted_by.is_empty() {
                let mut text = plain("Multiplied by each of: ");
                for (j, name) in adjusted_by.iter().enumerate() {
                    if j > 0 {
                        text = text.text("; ");
                    }
                    text = text.code(name.clone());
                    if let Some(t) = ctx
                        .spec
                        .factors
                        .iter()
                        .find(|f| &f.name == name)
                        .and_then(|f| f.title.clone())
                    {
                        text = text.text(format!(" ({t})"));
                    }
                }
                table.fact("Adjusted by", text.text(", supplied with the data"));
            }
            blocks.push(Block::Table(table));
        }
        MechanismSpec::Improvement {
            change,
            against,
            trigger,
            pooled_trigger,
            pays_share,
            pays_per_point,
        } => {
            let relative = change == "relative";
            let amount = |v: &str| {
                if relative {
                    pct(v)
                } else {
                    format!("{} points", num(v))
                }
            };
            let ind = p.indicator.as_deref().and_then(|i| ctx.indicator(i));
            let mut table = Table::facts(format!("Improvement terms of {}", p.name));
            table.fact(
                "Improvement measured as",
                plain(if relative {
                    "Relative change: the difference as a share of the starting value"
                } else {
                    "Absolute change: the plain difference, in the indicator's unit"
                }),
            );
            table.fact(
                "Compared with",
                plain(if against == "baseline" {
                    match ind.and_then(|i| i.baseline.clone()) {
                        Some(b) => format!("The indicator's baseline ({b})"),
                        None => "The indicator's baseline".to_string(),
                    }
                } else {
                    "A matched comparison group, whose result comes with the data".to_string()
                }),
            );
            if ind.and_then(|i| i.better.as_deref()) == Some("lower") {
                table.fact(
                    "Direction",
                    plain("Lower is better: an improvement is a fall"),
                );
            }
            table.fact(
                "Trigger",
                plain(match trigger {
                    Some(t) => format!(
                        "An improvement of at least {} is needed before anything is paid",
                        amount(t)
                    ),
                    None => "Any improvement above zero".to_string(),
                }),
            );
            if let Some(t) = pooled_trigger {
                table.fact(
                    "Pooled trigger",
                    plain(format!(
                        "A period that misses the trigger is still paid when the average improvement of the periods so far reaches {}",
                        amount(t)
                    )),
                );
            }
            table.fact(
                "Pays",
                plain(match (pays_share, pays_per_point) {
                    (Some(s), _) => format!("{} of the period's pot when triggered", pct(s)),
                    (None, Some(r)) => format!(
                        "{} for each {} of the period's own improvement{}",
                        ctx.money(r),
                        if relative { "1%" } else { "point" },
                        if p.pot_per_year.is_some() {
                            ", up to the period's pot"
                        } else {
                            ""
                        }
                    ),
                    _ => "Not stated".to_string(),
                }),
            );
            blocks.push(Block::Table(table));
        }
        MechanismSpec::RateCard {
            cohort,
            attachment_fee,
            criteria,
            outcomes,
        } => {
            let mut table = Table::new(
                format!("Rate card of {}", p.name),
                &["Outcome", "Price per participant", "Conditions"],
            );
            table.row_headers = true;
            table.numeric = vec![1];
            if let Some(fee) = attachment_fee {
                table.row(vec![
                    plain("Attachment fee"),
                    plain(ctx.money(fee)),
                    plain("Paid once for each participant who starts"),
                ]);
            }
            for o in outcomes {
                let mut conditions = Vec::new();
                if let Some(w) = &o.within {
                    conditions.push(format!("Achieved within {w} of the participant's start"));
                }
                if !o.all_of.is_empty() {
                    conditions.push(format!(
                        "Paid when all of {} are met, on the day the last is met",
                        o.all_of.join(", ")
                    ));
                }
                table.row(vec![
                    plain(o.title.clone().unwrap_or_else(|| o.name.clone())).name(o.name.clone()),
                    plain(ctx.money(&o.price)),
                    plain(if conditions.is_empty() {
                        "None".to_string()
                    } else {
                        conditions.join("; ")
                    }),
                ]);
            }
            blocks.push(Block::Table(table));
            if !criteria.is_empty() {
                let mut text = plain("Criteria (milestones recorded for each participant, not paid for on their own): ");
                for (j, c) in criteria.iter().enumerate() {
                    if j > 0 {
                        text = text.text(", ");
                    }
                    text = text.code(c.clone());
                }
                blocks.push(Block::Para(text.text(".")));
            }
            let mut text = plain(
                "Each participant's start date and the dates they achieve each outcome come from the participant records",
            );
            if let Some(c) = cohort {
                text = text.text(" of cohort ").code(c.clone());
            }
            blocks.push(Block::Note(text.text(
                ". A rate card has no single payout curve: it pays a price per outcome achieved, up to its caps.",
            )));
        }
    }
}

fn chart_jumps_free(points: &[KeyPoint]) -> bool {
    !points.iter().any(|p| p.result.starts_with("just "))
}

fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().collect::<String>() + chars.as_str(),
        None => String::new(),
    }
}

// ---------------------------------------------------------------- gateways and deductions

fn requirement(ctx: &Ctx, text: &str) -> Rich {
    let mut words = text.splitn(2, ' ');
    let first = words.next().unwrap_or_default();
    let rest = words.next().unwrap_or_default();
    if first == "flag" {
        let title = ctx
            .spec
            .flags
            .iter()
            .find(|f| f.name == rest)
            .and_then(|f| f.title.clone());
        let mut r = plain("Flag ").code(rest.to_string());
        if let Some(t) = title {
            r = r.text(format!(" ({t})"));
        }
        return r.text(" is yes");
    }
    if ctx.indicator(first).is_some() {
        return ctx.indicator_ref(first).text(format!(" {rest}"));
    }
    plain(text)
}

fn gateways_and_deductions(ctx: &Ctx, blocks: &mut Vec<Block>) {
    let spec = ctx.spec;
    open_class(
        blocks,
        "gateways-and-deductions",
        2,
        "5. Gateways and deductions",
        "major",
    );
    open(blocks, "gateways", 3, "5.1 Gateways");
    if spec.gateways.is_empty() {
        blocks.push(Block::Para(plain("The contract has no gateways.")));
    } else {
        blocks.push(Block::Para(plain(
            "A gateway is a condition that must hold in a period before the payments it applies to are made. When it fails, the stated share of each of those payments is withheld for the period.",
        )));
        let mut table = Table::new(
            "Gateways",
            &[
                "Gateway",
                "Requires (all must hold)",
                "Applies to",
                "Withheld when it fails",
            ],
        );
        table.row_headers = true;
        table.numeric = vec![3];
        for g in &spec.gateways {
            let mut requires = Rich::new();
            for (j, r) in g.requires.iter().enumerate() {
                if j > 0 {
                    requires = requires.text("; ");
                }
                requires = requires.append(requirement(ctx, r));
            }
            let applies = match &g.applies_to {
                None => plain("All payments"),
                Some(list) => {
                    let mut text = Rich::new();
                    for (j, name) in list.iter().enumerate() {
                        if j > 0 {
                            text = text.text("; ");
                        }
                        text = text.append(ctx.payment_ref(name));
                    }
                    text
                }
            };
            table.row(vec![
                plain(g.title.clone().unwrap_or_else(|| g.name.clone())).name(g.name.clone()),
                requires,
                applies,
                plain(pct(&g.withholds)),
            ]);
        }
        blocks.push(Block::Table(table));
        for g in spec.gateways.iter().filter(|g| g.description.is_some()) {
            let title = g.title.clone().unwrap_or_else(|| g.name.clone());
            blocks.push(Block::Para(plain(format!(
                "{title}: {}",
                g.description.clone().unwrap_or_default()
            ))));
        }
    }
    blocks.push(Block::Close);
    open(blocks, "deductions", 3, "5.2 Deductions");
    if spec.deductions.is_empty() {
        blocks.push(Block::Para(plain("The contract has no deductions.")));
    } else {
        blocks.push(Block::Para(plain(
            "Money taken off the contract's payments when a service standard is breached more often than the tolerance allows.",
        )));
        let mut table = Table::new(
            "Deductions",
            &[
                "Deduction",
                "Breaches counted by",
                "Tolerance",
                "Deducts",
                "Caps",
                "Taken from",
            ],
        );
        table.row_headers = true;
        for d in &spec.deductions {
            let monthly = dec(&spec.contract.value_per_year).map(|v| v / Decimal::from(12));
            let deducts = match (&d.amount, &d.share_of_monthly_value) {
                (Some(a), _) => ctx.money(a),
                (None, Some(s)) => match monthly.zip(dec(s)) {
                    Some((m, s)) => format!(
                        "{} of the monthly contract value ({})",
                        pct(&s.normalize().to_string()),
                        ctx.money_dec(m * s / Decimal::ONE_HUNDRED)
                    ),
                    None => format!("{} of the monthly contract value", pct(s)),
                },
                _ => "Not stated".to_string(),
            };
            let deducts = if d.per_breach {
                format!("{deducts} for each breach beyond the tolerance")
            } else {
                format!(
                    "{deducts} once for a {} in which the tolerance is exceeded",
                    d.per
                )
            };
            table.row(vec![
                plain(d.title.clone().unwrap_or_else(|| d.name.clone())).name(d.name.clone()),
                ctx.indicator_ref(&d.indicator),
                plain(format!("{} per {}", num(&d.tolerance), d.per)),
                plain(deducts),
                plain(if d.caps.is_empty() {
                    "None".to_string()
                } else {
                    ctx.limits(&d.caps)
                }),
                match &d.taken_from {
                    Some(p) => ctx.payment_ref(p),
                    None => plain("Whatever is due: a line of its own"),
                },
            ]);
        }
        blocks.push(Block::Table(table));
        for d in spec.deductions.iter().filter(|d| d.description.is_some()) {
            let title = d.title.clone().unwrap_or_else(|| d.name.clone());
            blocks.push(Block::Para(plain(format!(
                "{title}: {}",
                d.description.clone().unwrap_or_default()
            ))));
        }
    }
    blocks.push(Block::Close);
    blocks.push(Block::Close);
}

// ---------------------------------------------------------------- timeline

/// A period's label, start and end.
type PeriodKey<'a> = (&'a str, &'a str, &'a str);

fn timeline(ctx: &Ctx, blocks: &mut Vec<Block>) {
    let spec = ctx.spec;
    open_class(blocks, "timeline", 2, "6. Payment timeline", "major");
    blocks.push(Block::Para(plain(
        "Every period each payment is assessed for, and the date its payment falls due. Payments assessed for the same periods share a table; payments that also fall due on the same dates share a column.",
    )));
    // Payments with the same periods, in the order they first appear.
    let mut groups: Vec<(Vec<PeriodKey>, Vec<&PaymentSpec>)> = Vec::new();
    for p in &spec.payments {
        let key: Vec<PeriodKey> = p
            .periods
            .iter()
            .map(|x| (x.label.as_str(), x.start.as_str(), x.end.as_str()))
            .collect();
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, list)) => list.push(p),
            None => groups.push((key, vec![p])),
        }
    }
    let end = &spec.contract.term.end;
    let mut any_late = false;
    for (n, (key, list)) in groups.iter().enumerate() {
        // Payments that fall due on the same dates share a column.
        let mut columns: Vec<(Vec<&str>, Vec<&PaymentSpec>)> = Vec::new();
        for p in list {
            let dues: Vec<&str> = p.periods.iter().map(|x| x.due.as_str()).collect();
            match columns.iter_mut().find(|(d, _)| *d == dues) {
                Some((_, ps)) => ps.push(p),
                None => columns.push((dues, vec![p])),
            }
        }
        let assessed = list.first().map(|p| p.assessed.clone()).unwrap_or_default();
        let heads: Vec<String> = columns
            .iter()
            .map(|(_, ps)| {
                if columns.len() == 1 {
                    return "Falls due".to_string();
                }
                format!(
                    "Due: {}",
                    ps.iter()
                        .map(|p| p.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })
            .collect();
        let mut head = vec!["Period", "Covers", "Contract year"];
        head.extend(heads.iter().map(String::as_str));
        let count = key.len();
        let title = format!(
            "Assessed {assessed}: {count} period{}",
            if count == 1 { "" } else { "s" }
        );
        open(
            blocks,
            format!("timeline-{}", n + 1),
            3,
            format!("6.{} {title}", n + 1),
        );
        let mut table = Table::new(
            format!("Periods assessed {assessed} and when each payment falls due"),
            &head,
        );
        table.row_headers = true;
        table.class = "long";
        let periods: Vec<&PeriodSpec> = list
            .first()
            .map(|p| p.periods.iter().collect())
            .unwrap_or_default();
        for (i, period) in periods.iter().enumerate() {
            let mut row = vec![
                plain(period.label.clone()),
                plain(format!("{} to {}", date(&period.start), date(&period.end))),
                plain(period.contract_year.to_string()),
            ];
            for (dues, _) in &columns {
                let due = dues.get(i).copied().unwrap_or_default();
                let late = due > end.as_str();
                any_late |= late;
                row.push(plain(format!(
                    "{}{}",
                    date(due),
                    if late { " †" } else { "" }
                )));
            }
            table.row(row);
        }
        blocks.push(Block::Table(table));
        let names: Vec<Rich> = list.iter().map(|p| ctx.payment_ref(&p.name)).collect();
        let mut text = plain(if names.len() == 1 {
            "Payment: "
        } else {
            "Payments: "
        });
        for (j, r) in names.into_iter().enumerate() {
            if j > 0 {
                text = text.text("; ");
            }
            text = text.append(r);
        }
        blocks.push(Block::Note(text.text(".")));
        blocks.push(Block::Close);
    }
    if any_late {
        let until = spec
            .contract
            .term
            .payments_due_by
            .as_deref()
            .map(|d| {
                format!(
                    "; the contract allows payments to fall due until {}",
                    date(d)
                )
            })
            .unwrap_or_default();
        blocks.push(Block::Note(plain(format!(
            "† Falls due after the term ends on {}{until}.",
            date(end)
        ))));
    }
    if spec.payments.is_empty() {
        blocks.push(Block::Para(plain("The contract has no payments.")));
    }
    blocks.push(Block::Close);
}

// ---------------------------------------------------------------- worked examples

fn examples(ctx: &Ctx, blocks: &mut Vec<Block>) {
    let spec = ctx.spec;
    open_class(blocks, "worked-examples", 2, "7. Worked examples", "major");
    if spec.worked_examples.is_empty() {
        blocks.push(Block::Para(plain("The contract has no worked examples.")));
    } else {
        blocks.push(Block::Para(plain(
            "Examples written into the contract and checked against it: each gives results for some periods and says what the contract then pays. Money is as written in the contract.",
        )));
    }
    for (n, e) in spec.worked_examples.iter().enumerate() {
        open_class(
            blocks,
            format!("example-{}", n + 1),
            3,
            format!("7.{} {}", n + 1, capitalise(&e.title)),
            "example",
        );
        blocks.push(Block::Example {
            lines: e.lines.clone(),
        });
        blocks.push(Block::Close);
    }
    blocks.push(Block::Close);
}

// ---------------------------------------------------------------- Markdown

/// Escapes text for GitHub-flavoured Markdown, inside a paragraph or a table cell.
fn md(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, c) in chars.iter().enumerate() {
        let prev = if i > 0 { chars.get(i - 1) } else { None };
        let next = chars.get(i + 1);
        match c {
            '\\' | '`' | '*' | '[' | ']' | '<' | '>' | '|' | '#' | '~' => {
                out.push('\\');
                out.push(*c);
            }
            '_' => {
                let inner = prev.is_some_and(|p| p.is_alphanumeric())
                    && next.is_some_and(|n| n.is_alphanumeric());
                if !inner {
                    out.push('\\');
                }
                out.push('_');
            }
            '&' if next.is_some_and(|n| n.is_ascii_alphanumeric() || *n == '#') => {
                out.push_str("\\&");
            }
            '\n' | '\r' | '\t' => out.push(' '),
            c => out.push(*c),
        }
    }
    out
}

/// A Markdown code span that holds any text.
fn md_code(text: &str) -> String {
    let text = text.replace(['\n', '\r'], " ");
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    // A `|` inside a code span in a table cell still needs escaping in GFM.
    format!("{fence}{pad}{}{pad}{fence}", text.replace('|', "\\|"))
}

fn md_rich(rich: &Rich) -> String {
    let mut out = String::new();
    for inline in &rich.0 {
        match inline {
            Inline::Text(t) => out.push_str(&md(t)),
            Inline::Code(t) => out.push_str(&md_code(t)),
            Inline::Strong(t) => out.push_str(&format!("**{}**", md(t))),
            Inline::Link(_, t) => out.push_str(&md(t)),
            Inline::Tag(t) => out.push_str(&format!("*({})*", md(t))),
            Inline::Name(t) => out.push_str(&format!("({})", md_code(t))),
            Inline::Break => out.push_str("; "),
        }
    }
    out
}

fn md_table(out: &mut String, table: &Table) {
    if !table.caption.is_empty() && table.class != "facts" {
        out.push_str(&format!("*{}*\n\n", md(&table.caption)));
    }
    out.push_str(&format!(
        "| {} |\n",
        table
            .head
            .iter()
            .map(|h| md(h))
            .collect::<Vec<_>>()
            .join(" | ")
    ));
    out.push_str(&format!(
        "|{}\n",
        (0..table.head.len())
            .map(|i| if table.numeric.contains(&i) {
                " ---: |"
            } else {
                " --- |"
            })
            .collect::<String>()
    ));
    for row in &table.rows {
        let cells: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(i, cell)| {
                let text = md_rich(&cell.content);
                if i == 0 && table.row_headers && table.class == "facts" && !text.is_empty() {
                    format!("**{text}**")
                } else {
                    text
                }
            })
            .collect();
        out.push_str(&format!("| {} |\n", cells.join(" | ")));
    }
    out.push('\n');
}

/// The specification as Markdown.
pub fn markdown(spec: &Spec) -> String {
    let ctx = Ctx::new(spec);
    let c = &spec.contract;
    let mut out = String::new();
    out.push_str(&format!("# {}\n\n", md(&c.title)));
    out.push_str("**Specification of outcome-based payments**");
    if let Some(r) = &c.reference {
        out.push_str(&format!(" · Reference {}", md(r)));
    }
    out.push_str("\n\n");
    if let Some(d) = &c.description {
        out.push_str(&format!("{}\n\n", md(d)));
    }
    out.push_str(&format!(
        "- **{}:** {}\n- **{}:** {}\n- **Term:** {}\n- **Value per year:** {}\n- **Money at risk per year:** {}\n\n",
        if c.commissioners.len() == 1 {
            "Commissioner"
        } else {
            "Commissioners"
        },
        md_rich(&people(&c.commissioners)),
        if c.providers.len() == 1 {
            "Provider"
        } else {
            "Providers"
        },
        md_rich(&people(&c.providers)),
        md(&term_words(&ctx)),
        md(&ctx.money(&c.value_per_year)),
        md(&at_risk_words(&ctx)),
    ));
    out.push_str("## Contents\n\n");
    for (_, title) in contents(spec) {
        out.push_str(&format!("- {}\n", md(&title)));
    }
    out.push('\n');
    for block in build(&ctx) {
        match block {
            Block::Open { level, title, .. } => {
                out.push_str(&format!(
                    "{} {}\n\n",
                    "#".repeat(usize::from(level)),
                    md(&title)
                ));
            }
            Block::Close => {}
            Block::Para(r) => out.push_str(&format!("{}\n\n", md_rich(&r))),
            Block::Note(r) => out.push_str(&format!("> {}\n\n", md_rich(&r))),
            Block::Bullets(items) => {
                for item in items {
                    out.push_str(&format!("- {}\n", md_rich(&item)));
                }
                out.push('\n');
            }
            Block::Table(t) => md_table(&mut out, &t),
            Block::Chart {
                points,
                scale,
                measured,
                caption,
                ..
            } => {
                let pays = match scale {
                    Scale::Share => "Pays (share of the period's pot)",
                    Scale::Money => "Pays for the period",
                };
                let x = if measured { "Result" } else { "Improvement" };
                let mut table = Table::new("Payout at key points", &[x, pays, "Note"]);
                table.numeric = vec![1];
                for p in &points {
                    table.row(vec![
                        plain(p.result.clone()),
                        plain(p.pays.clone()),
                        plain(p.note.clone()),
                    ]);
                }
                md_table(&mut out, &table);
                out.push_str(&format!(
                    "> {} The HTML specification draws the curve as a chart.\n\n",
                    md_rich(&caption)
                ));
            }
            Block::Example { lines } => {
                let longest = lines
                    .iter()
                    .flat_map(|l| l.split(|c| c != '`').map(str::len))
                    .max()
                    .unwrap_or(0);
                let fence = "`".repeat((longest + 1).max(3));
                out.push_str(&format!("{fence}text\n"));
                for line in lines {
                    out.push_str(&line);
                    out.push('\n');
                }
                out.push_str(&format!("{fence}\n\n"));
            }
        }
    }
    out.push_str(&format!(
        "---\n\n*Generated by obc from the contract source (specification format {}).*\n",
        md(&spec.obc_format)
    ));
    out
}

// ---------------------------------------------------------------- HTML

const CSS: &str = r#"
:root {
  --ink: #1c2430; --muted: #4a5565; --line: #d5dbe3; --soft: #f4f6f9; --band: #eaf0f7;
  --accent: #1f4e8c; --accent-dark: #163a69; --tag: #7a4b00; --tag-bg: #fff4de;
}
* { box-sizing: border-box; }
html { background: #e9edf2; }
body {
  margin: 0 auto; max-width: 1040px; background: #ffffff; color: var(--ink);
  font: 15px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Liberation Sans", sans-serif;
  font-variant-numeric: lining-nums; box-shadow: 0 0 0 1px #d9dee5, 0 8px 28px rgba(20, 35, 60, 0.08);
}
.doc-header { padding: 40px 56px 32px; background: var(--accent-dark); color: #ffffff; }
.doc-header .eyebrow { margin: 0 0 6px; font-size: 12px; letter-spacing: 0.12em; text-transform: uppercase; color: #c9d8ee; }
.doc-header h1 { margin: 0 0 6px; font-size: 30px; line-height: 1.2; font-weight: 700; }
.doc-header .reference { margin: 0 0 14px; color: #dbe6f5; font-size: 14px; }
.doc-header .lede { margin: 0 0 22px; max-width: 56em; color: #f1f5fb; }
.doc-header dl { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 14px 28px; margin: 0; padding: 18px 0 0; border-top: 1px solid rgba(255, 255, 255, 0.25); }
.doc-header dt { font-size: 11.5px; letter-spacing: 0.08em; text-transform: uppercase; color: #b9cbe6; }
.doc-header dd { margin: 2px 0 0; font-weight: 600; }
main { padding: 8px 56px 40px; }
nav.toc { margin: 28px 56px 0; padding: 16px 22px; background: var(--soft); border: 1px solid var(--line); border-radius: 6px; }
nav.toc h2 { margin: 0 0 6px; font-size: 14px; text-transform: uppercase; letter-spacing: 0.08em; color: var(--muted); border: 0; padding: 0; }
nav.toc ol { margin: 0; padding: 0; list-style: none; columns: 2; column-gap: 32px; }
nav.toc li { padding: 2px 0; }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
h2 { margin: 44px 0 14px; padding-bottom: 8px; font-size: 23px; color: var(--accent-dark); border-bottom: 2px solid var(--accent); }
h3 { margin: 30px 0 10px; font-size: 18px; color: var(--ink); }
section.card > h3, section.payment > h3 { padding-left: 12px; border-left: 4px solid var(--accent); }
p { margin: 0 0 12px; }
p.note { color: var(--muted); font-size: 13.5px; }
ul.rules { margin: 0 0 12px; padding-left: 20px; }
ul.rules li { margin: 0 0 6px; }
table { width: 100%; margin: 6px 0 18px; border-collapse: collapse; font-size: 14px; }
caption { caption-side: top; text-align: left; padding: 0 0 6px; font-size: 12.5px; font-weight: 600; color: var(--muted); letter-spacing: 0.02em; }
th, td { padding: 7px 10px; border: 1px solid var(--line); text-align: left; vertical-align: top; }
thead th { background: var(--band); color: var(--accent-dark); font-weight: 700; font-size: 13px; }
tbody th { font-weight: 600; background: #fbfcfd; }
tbody tr:nth-child(even) td { background: #fafbfc; }
td.num, th.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
thead th.num { white-space: normal; }
table.facts { table-layout: fixed; }
table.facts thead { display: none; }
section.card table.facts { margin-bottom: 0; }
table.strip { table-layout: fixed; margin-top: -1px; }
table.strip caption { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
table.strip thead th { font-size: 12px; color: var(--muted); background: var(--soft); padding: 5px 8px; }
table.strip td { font-weight: 500; background: #ffffff !important; padding: 7px 8px; }
table.facts th { width: 27%; background: var(--soft); }
table.facts td { background: #ffffff !important; }
table.long { font-size: 13px; }
table.long td, table.long th { padding: 4px 10px; }
table.long td, table.long tbody th { white-space: nowrap; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: 0.86em; padding: 1px 4px; background: #eef1f5; border-radius: 3px; color: #243447; }
.name { white-space: nowrap; color: var(--muted); }
.tag { display: inline-block; padding: 0 7px; border-radius: 9px; font-size: 11.5px; font-weight: 600; color: var(--tag); background: var(--tag-bg); border: 1px solid #f0d9a8; white-space: nowrap; }
figure { margin: 8px 0 22px; padding: 14px 14px 10px; border: 1px solid var(--line); border-radius: 6px; background: #ffffff; }
figure svg { display: block; width: 100%; max-width: 880px; height: auto; margin: 0 auto; }
figcaption { margin-top: 8px; font-size: 13px; color: var(--muted); }
ol.example { margin: 0 0 12px; padding: 10px 16px 10px 44px; background: var(--soft); border: 1px solid var(--line); border-radius: 6px; font-size: 14px; }
ol.example li { margin: 2px 0; }
ol.example .kw { display: inline-block; min-width: 4.2em; font-weight: 700; color: var(--accent-dark); }
ol.example .kw.expect { color: #1d6b3a; }
footer { padding: 18px 56px 28px; border-top: 1px solid var(--line); color: var(--muted); font-size: 12.5px; }
@media (max-width: 720px) {
  .doc-header, main, footer { padding-left: 18px; padding-right: 18px; }
  nav.toc { margin-left: 18px; margin-right: 18px; }
  nav.toc ol { columns: 1; }
}
@page { size: A4; margin: 16mm 15mm 18mm; }
@page { @bottom-right { content: "Page " counter(page) " of " counter(pages); font: 8pt system-ui, Arial, sans-serif; color: #4a5565; } }
@media print {
  html { background: #ffffff; }
  body { max-width: none; box-shadow: none; font-size: 9.5pt; line-height: 1.45; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .doc-header { padding: 14mm 10mm 9mm; }
  .doc-header h1 { font-size: 21pt; }
  nav.toc { margin: 6mm 0 0; }
  main { padding: 0 1px; }
  footer { padding: 4mm 1px 0; break-before: avoid; page-break-before: avoid; }
  section.major + section.major { break-before: page; }
  section.payment + section.payment { break-before: page; }
  h2, h3, caption { break-after: avoid; page-break-after: avoid; }
  h2 { margin-top: 0; font-size: 15pt; }
  h3 { font-size: 11.5pt; margin-top: 14px; }
  table { font-size: 8.5pt; }
  thead th, table.strip thead th { font-size: 8pt; }
  caption, figcaption, p.note { font-size: 8pt; }
  code { font-size: 7.5pt; }
  th, td { padding: 4px 7px; }
  table.long { font-size: 8pt; }
  thead { display: table-header-group; }
  tr, figure, ol.example, table:not(.long) { break-inside: avoid; page-break-inside: avoid; }
  section.card { break-inside: avoid; page-break-inside: avoid; }
  figure { padding: 6px; }
  figure svg { max-width: 165mm; }
  a { color: inherit; }
}
"#;

fn html_rich(rich: &Rich) -> String {
    let mut out = String::new();
    for inline in &rich.0 {
        match inline {
            Inline::Text(t) => out.push_str(&escape(t)),
            Inline::Code(t) => out.push_str(&format!("<code>{}</code>", escape(t))),
            Inline::Strong(t) => out.push_str(&format!("<strong>{}</strong>", escape(t))),
            Inline::Link(target, t) => out.push_str(&format!(
                "<a href=\"#{}\">{}</a>",
                escape(target),
                escape(t)
            )),
            Inline::Tag(t) => out.push_str(&format!("<span class=\"tag\">{}</span>", escape(t))),
            Inline::Name(t) => out.push_str(&format!(
                "<span class=\"name\">(<code>{}</code>)</span>",
                escape(t)
            )),
            Inline::Break => out.push_str("<br>"),
        }
    }
    out
}

fn html_table(out: &mut String, table: &Table) {
    let class = if table.class.is_empty() {
        String::new()
    } else {
        format!(" class=\"{}\"", table.class)
    };
    out.push_str(&format!("<table{class}>\n"));
    if !table.caption.is_empty() {
        out.push_str(&format!("<caption>{}</caption>\n", escape(&table.caption)));
    }
    out.push_str("<thead><tr>");
    for (i, h) in table.head.iter().enumerate() {
        let num = if table.numeric.contains(&i) {
            " class=\"num\""
        } else {
            ""
        };
        out.push_str(&format!("<th scope=\"col\"{num}>{}</th>", escape(h)));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in &table.rows {
        out.push_str("<tr>");
        for (i, cell) in row.iter().enumerate() {
            if cell.rowspan == 0 {
                continue;
            }
            let span = if cell.rowspan > 1 {
                format!(" rowspan=\"{}\"", cell.rowspan)
            } else {
                String::new()
            };
            let num = if table.numeric.contains(&i) {
                " class=\"num\""
            } else {
                ""
            };
            if i == 0 && table.row_headers {
                out.push_str(&format!(
                    "<th scope=\"{}\"{span}{num}>{}</th>",
                    if cell.rowspan > 1 { "rowgroup" } else { "row" },
                    html_rich(&cell.content)
                ));
            } else {
                out.push_str(&format!("<td{span}{num}>{}</td>", html_rich(&cell.content)));
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
}

/// An SVG document made ready to sit inside HTML: without the XML namespace declaration,
/// which HTML does not need.
fn inline_svg(svg: &str) -> String {
    svg.replacen(" xmlns=\"http://www.w3.org/2000/svg\"", "", 1)
}

/// The specification as one self-contained HTML file (inline CSS and SVG).
pub fn html(spec: &Spec) -> String {
    let ctx = Ctx::new(spec);
    let c = &spec.contract;
    let mut out = String::new();
    out.push_str("<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str(&format!(
        "<title>{}: specification of outcome-based payments</title>\n",
        escape(&c.title)
    ));
    out.push_str(&format!("<style>{CSS}</style>\n</head>\n<body>\n"));
    out.push_str("<header class=\"doc-header\">\n");
    out.push_str("<p class=\"eyebrow\">Specification of outcome-based payments</p>\n");
    out.push_str(&format!("<h1>{}</h1>\n", escape(&c.title)));
    if let Some(r) = &c.reference {
        out.push_str(&format!(
            "<p class=\"reference\">Reference {}</p>\n",
            escape(r)
        ));
    }
    if let Some(d) = &c.description {
        out.push_str(&format!("<p class=\"lede\">{}</p>\n", escape(d)));
    }
    out.push_str("<dl>\n");
    let facts = [
        (
            if c.commissioners.len() == 1 {
                "Commissioner"
            } else {
                "Commissioners"
            },
            html_rich(&people(&c.commissioners)),
        ),
        (
            if c.providers.len() == 1 {
                "Provider"
            } else {
                "Providers"
            },
            html_rich(&people(&c.providers)),
        ),
        ("Term", escape(&term_words(&ctx))),
        ("Value per year", escape(&ctx.money(&c.value_per_year))),
        ("Money at risk per year", escape(&at_risk_words(&ctx))),
    ];
    for (label, value) in facts {
        out.push_str(&format!("<div><dt>{label}</dt><dd>{value}</dd></div>\n"));
    }
    out.push_str("</dl>\n</header>\n");
    out.push_str("<nav class=\"toc\" aria-labelledby=\"contents-title\">\n<h2 id=\"contents-title\">Contents</h2>\n<ol>\n");
    for (id, title) in contents(spec) {
        out.push_str(&format!(
            "<li><a href=\"#{id}\">{}</a></li>\n",
            escape(&title)
        ));
    }
    out.push_str("</ol>\n</nav>\n<main>\n");
    let mut stack: Vec<()> = Vec::new();
    for block in build(&ctx) {
        match block {
            Block::Open {
                id,
                level,
                title,
                class,
            } => {
                let class = if class.is_empty() {
                    String::new()
                } else {
                    format!(" class=\"{class}\"")
                };
                let id = escape(&id);
                out.push_str(&format!(
                    "<section id=\"{id}\"{class} aria-labelledby=\"{id}-title\">\n<h{level} id=\"{id}-title\">{}</h{level}>\n",
                    escape(&title)
                ));
                stack.push(());
            }
            Block::Close => {
                if stack.pop().is_some() {
                    out.push_str("</section>\n");
                }
            }
            Block::Para(r) => out.push_str(&format!("<p>{}</p>\n", html_rich(&r))),
            Block::Note(r) => out.push_str(&format!("<p class=\"note\">{}</p>\n", html_rich(&r))),
            Block::Bullets(items) => {
                out.push_str("<ul class=\"rules\">\n");
                for item in items {
                    out.push_str(&format!("<li>{}</li>\n", html_rich(&item)));
                }
                out.push_str("</ul>\n");
            }
            Block::Table(t) => html_table(&mut out, &t),
            Block::Chart {
                svg,
                caption,
                legend,
                ..
            } => {
                if let Some(svg) = svg {
                    out.push_str(&format!(
                        "<figure>\n{}<figcaption>{} {}</figcaption>\n</figure>\n",
                        inline_svg(&svg),
                        html_rich(&caption),
                        escape(&legend)
                    ));
                }
            }
            Block::Example { lines } => {
                out.push_str("<ol class=\"example\">\n");
                for line in lines {
                    let (word, rest) = line.split_once(' ').unwrap_or((line.as_str(), ""));
                    let class = if word == "expect" { "kw expect" } else { "kw" };
                    out.push_str(&format!(
                        "<li><span class=\"{class}\">{}</span> <code>{}</code></li>\n",
                        escape(word),
                        escape(rest)
                    ));
                }
                out.push_str("</ol>\n");
            }
        }
    }
    while stack.pop().is_some() {
        out.push_str("</section>\n");
    }
    out.push_str("</main>\n");
    out.push_str(&format!(
        "<footer>Generated by obc from the contract source (specification format {}). Money in {}; dates are calendar dates; percentages of a pot are of the period's pot unless stated.</footer>\n",
        escape(&spec.obc_format),
        escape(&c.currency)
    ));
    out.push_str("</body>\n</html>\n");
    out
}
