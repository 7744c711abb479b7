//! What the grammar expects next in a half-written line, for editors' completion.
//!
//! The line so far is read with the rule of the block it is in; where the text runs out, the
//! words pest tried are the words that may come next, and the rules it tried say what else may
//! (a name, a period, ...). No list of keywords is kept by hand: the grammar is the list.

use pest::error::{ErrorVariant, InputLocation};

use super::grammar::Rule;

/// What may come next in a line.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Expected {
    /// Words of the language, in the grammar's order, each once.
    pub words: Vec<String>,
    /// Other things, each once.
    pub values: Vec<Value>,
}

/// Something other than a word of the language that may come next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Value {
    /// The name of a block, or a list of names.
    Name,
    /// A period such as `2016/17` or `year 1`.
    Period,
    /// Text in double quotes.
    Text,
    /// A number, percentage, amount, date or length of time.
    Figure,
}

/// What may come next after `prefix`, the start of a line (from its first word up to the word
/// being typed), at the top level of a file (`opener` `None`) or in the body that a line
/// starting with `opener` opened: a block keyword such as `payment`, or `tiers`, `rate` (a
/// rate card) or `outcome`. `None` for an opener that opens no body, or a prefix that is
/// already unreadable before its end.
pub fn expected(opener: Option<&str>, prefix: &str) -> Option<Expected> {
    let rules: &[Rule] = match opener {
        None => &[Rule::strict_block],
        Some(keyword) => body_rules(keyword)?,
    };
    let end = prefix.trim_end().len();
    let mut expected = Expected::default();
    for rule in rules {
        let Err(error) = super::parse_rule(*rule, prefix, None) else {
            // The line is complete as far as it goes.
            continue;
        };
        let at = match error.location {
            InputLocation::Pos(p) => p,
            InputLocation::Span((start, _)) => start,
        };
        if at < end || super::out_of_steps(&error) {
            continue;
        }
        if let Some(attempts) = error.parse_attempts() {
            for token in attempts.expected_tokens().iter().map(ToString::to_string) {
                // Words, not character ranges (`a..z`) or built-in rules.
                let word = token.len() > 1
                    && token.starts_with(|c: char| c.is_ascii_alphabetic())
                    && token.chars().all(|c| c.is_ascii_alphabetic() || c == '-')
                    && token != "BUILTIN_RULE";
                if word && !expected.words.contains(&token) {
                    expected.words.push(token);
                }
            }
        }
        if let ErrorVariant::ParsingError { positives, .. } = &error.variant {
            for value in positives.iter().filter_map(|rule| value_of(*rule)) {
                if !expected.values.contains(&value) {
                    expected.values.push(value);
                }
            }
        }
    }
    Some(expected)
}

/// The rules a line in the body opened by `keyword` is read with.
fn body_rules(keyword: &str) -> Option<&'static [Rule]> {
    use Rule::*;
    Some(match keyword {
        "contract" => &[contract_setting],
        "population" | "cohort" => &[population_setting],
        "domain" => &[outcome, description],
        "outcome" => &[outcome_setting],
        "indicator" => &[indicator_setting],
        "input" => &[input_setting],
        "derived" => &[derived_setting],
        "payment" => &[payment_setting],
        "tiers" => &[band],
        "rate" => &[rate_card_setting],
        "deduction" => &[deduction_setting],
        "gateway" => &[gateway_setting],
        "advance" => &[advance_setting],
        "test" => &[test_setting],
        _ => return None,
    })
}

fn value_of(rule: Rule) -> Option<Value> {
    use Rule::*;
    Some(match rule {
        name | name_list | payer_share => Value::Name,
        period | contract_year | fiscal_year | fiscal_quarter | calendar_quarter | month_period
        | date_range => Value::Period,
        string | title => Value::Text,
        number | integer | percent | money | money_steps | money_step | signed_money | date
        | duration | measure | threshold | weight_fraction | target_step | pot_step
        | risk_amount => Value::Figure,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(opener: Option<&str>, prefix: &str) -> Vec<String> {
        expected(opener, prefix).unwrap_or_default().words
    }

    #[test]
    fn block_keywords_at_the_top_level() {
        let found = words(None, "");
        for keyword in [
            "import",
            "contract",
            "indicator",
            "payment",
            "advance",
            "test",
        ] {
            assert!(
                found.contains(&keyword.to_string()),
                "{keyword} in {found:?}"
            );
        }
    }

    #[test]
    fn settings_of_the_block_at_the_start_of_a_line() {
        let found = words(Some("payment"), "");
        for keyword in ["weight", "pot", "on", "tiers", "paid", "rate", "cap"] {
            assert!(
                found.contains(&keyword.to_string()),
                "{keyword} in {found:?}"
            );
        }
        assert!(!found.contains(&"unit".to_string()), "{found:?}");
        assert!(words(Some("indicator"), "").contains(&"unit".to_string()));
    }

    #[test]
    fn the_next_word_of_a_setting() {
        assert_eq!(words(Some("payment"), "paid "), vec!["by"]);
        let units = words(Some("indicator"), "unit ");
        assert!(units.contains(&"percent".to_string()), "{units:?}");
        let after_on = expected(Some("payment"), "on ").unwrap_or_default();
        assert_eq!(after_on.values, vec![Value::Name]);
        let period = expected(Some("indicator"), "baseline 80% in ").unwrap_or_default();
        assert!(period.values.contains(&Value::Period), "{period:?}");
        assert!(period.words.contains(&"year".to_string()), "{period:?}");
    }

    #[test]
    fn nothing_after_an_unreadable_start() {
        assert_eq!(
            words(Some("payment"), "weight banana "),
            Vec::<String>::new()
        );
        assert_eq!(expected(Some("banana"), ""), None);
    }
}
