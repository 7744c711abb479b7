//! How charts and documents write values: numbers with grouped digits, money, escaped text,
//! `id` parts and capitals.

/// The symbol written before amounts of a currency: `£` for GBP, `€` for EUR, `$` for USD, or
/// the code and a space for any other.
pub fn currency_symbol(code: &str) -> String {
    match code {
        "GBP" => "£".to_string(),
        "EUR" => "€".to_string(),
        "USD" => "$".to_string(),
        other => format!("{other} "),
    }
}

/// Digits with thousands separators: `1234567.5` becomes `1,234,567.5`.
pub fn group_digits(text: &str) -> String {
    let (sign, digits) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text),
    };
    let (whole, fraction) = match digits.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (digits, None),
    };
    let mut grouped = String::new();
    let count = whole.chars().count();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (count - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    match fraction {
        Some(f) if !f.is_empty() => format!("{sign}{grouped}.{f}"),
        _ => format!("{sign}{grouped}"),
    }
}

/// A number with at most `places` decimal places, trailing zeros dropped, digits grouped.
pub fn number(value: f64, places: usize) -> String {
    let text = format!("{:.*}", places, value);
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    };
    let text = if text == "-0" { "0".to_string() } else { text };
    group_digits(&text)
}

/// Money with pence, as a finance team reads it: `£1,234,567.00`.
pub fn money_f64(value: f64, symbol: &str) -> String {
    let text = format!("{:.2}", value.abs());
    let sign = if value < 0.0 && text != "0.00" {
        "-"
    } else {
        ""
    };
    format!("{sign}{symbol}{}", group_digits(&text))
}

/// Money for an axis: whole amounts without pence (`£4,000`).
pub(super) fn money_tick(value: f64, symbol: &str) -> String {
    if (value - value.round()).abs() < 1e-9 {
        format!("{symbol}{}", number(value, 0))
    } else {
        money_f64(value, symbol)
    }
}

/// Escapes text for SVG and HTML.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A name made safe for an `id` attribute.
pub fn id_part(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

pub(in crate::emit) fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().collect::<String>() + chars.as_str(),
        None => String::new(),
    }
}

pub(in crate::emit) fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().collect::<String>() + chars.as_str(),
        None => String::new(),
    }
}
