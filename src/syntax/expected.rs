//! Plain-English descriptions of what the grammar expected, so that no rule name reaches a user.

use super::grammar::Rule;

/// What a rule looks like, for "expected ..." messages. `None` for rules that are never
/// worth naming on their own (their parent or a literal word says it better).
pub fn describe(rule: Rule) -> Option<&'static str> {
    use Rule::*;
    Some(match rule {
        strict_block | file | bad_block => "a block such as `contract`, `indicator` or `payment`",
        name => "a name such as `still_home_91`",
        name_list => "a list of names separated by commas",
        title | string => "text in double quotes",
        number => "a number such as `30` or `4.5`",
        integer => "a whole number such as `30`",
        percent => "a percentage such as `85%`",
        money => "an amount such as `£1,200.50`",
        date => "a date such as `2016-04-01`",
        duration => "a length of time such as `91 days` or `3 months`",
        time_unit => "`days`, `weeks`, `months` or `years`",
        month_name => "a month such as `April`",
        yes_no => "`yes` or `no`",
        period => "a period such as `2016/17`, `2016/17 Q1`, `2016-Q2`, `2016-04` or `year 1`",
        contract_year => "a contract year such as `year 1`",
        measure => "a value such as `85%`, `£1,000`, `12` or `30 days`",
        year_phase => "`in year N` or `from year N`",
        money_steps | money_step => {
            "an amount such as `£3,200`, or amounts by contract year such as `£3,200 in year 1, £2,400 from year 2`"
        }
        pot_step => "a pot such as `£500,000 per year`, `5% of value` or `£500,000 in year 1`",
        weight_fraction => "a fraction such as `1/7`",
        contract_setting => {
            "a contract setting: `reference`, `commissioner`, `provider`, `paid by`, `term`, `fiscal year starts`, `currency`, \
             `value`, `at risk`, `rounding`, `factors`, `boundary values`, `missing data`, `payments continue`, `month ends stay month ends`, `part periods are`, `deductions come` or `description`"
        }
        currency_code => "a currency code: `GBP`, `EUR` or `USD`",
        value_basis => "`per year`, `total` or `per person per year`",
        risk_amount => "a share of value such as `10% of value` or an amount such as `£500,000 per year`",
        rounding_mode => "a rounding mode: `half-up`, `half-even`, `up` or `down`",
        rounding_unit => "`penny`, `pound`, `cent`, `euro` or `dollar`",
        band_side => "`higher` or `lower`",
        part_period_rule => "`pro-rated` or `excluded`",
        deduction_side => "`before` or `after`",
        missing_data_action => "`is an error` or `pays nothing`",
        population_setting => "a population setting: `size`, `eligibility` or `description`",
        outcome => "an `outcome` or a `description`",
        outcome_setting => "an outcome setting: `measured by` or `description`",
        indicator_setting => {
            "an indicator setting: `definition`, `numerator`, `denominator`, `source`, `unit`, `better`, \
             `reported`, `follow up`, `data lag`, `baseline`, `target`, `minimum denominator`, `reporting only`, \
             `measured in cohort`, `exclusions come off the denominator`, `combine periods by` or `description`"
        }
        unit_kind => "a unit: `percent`, `count`, `rate per 1,000`, `money`, `days`, `score 0 to 10` or `ratio`",
        direction => "`higher` or `lower`",
        frequency => "`monthly`, `quarterly`, `annually` or `annually by contract year`",
        target_step => "a target value such as `85%`",
        input_setting => "an input setting: `unit`, `range`, `combine periods by` or `description`",
        derived_setting => {
            "a derived value setting: `equals`, `rounded to N decimal places`, `range` or `description`"
        }
        value_range => "a range such as `range 0 to 100,000`",
        combine_rule => "`pooling`, `mean`, `latest`, `sum`, `best` or `worst`",
        expression | sum | product | operand => {
            "a calculation such as `list_size / national_list_size`, of numbers, names, `numerator of NAME`, `+`, `-`, `×`, `÷`, `min(...)`, `max(...)` and brackets"
        }
        add_op | mul_op => "`+`, `-`, `×` (or `*`) or `÷` (or `/`)",
        payment_setting => {
            "a payment setting: `weight`, `pot`, `on`, `for cohort`, `assessed`, `tiers`, `linear`, `points`, \
             `price per point`, `adjusted by`, `points protected at`, `share protected at`, `improvement`, `trigger`, `pooled trigger`, `pays`, `rate card`, \
             `cap`, `not capped`, `floor`, `paid`, `paid by`, `advance`, `combine periods by` or `description`"
        }
        band => "a band such as `80% to 85% pays 50%`",
        protected_what => "`points` or `share`",
        advance_block => "an `advance` block",
        advance_setting => "an advance setting: `pays`, `paid`, `covers` or `description`",
        advance_pays => "what the advance pays each year, such as `pays 80% of last_years_achievement` or `pays £100,000`",
        advance_share => "a share of a value, such as `80% of last_years_achievement`",
        advance_paid => "how often it is paid: `paid monthly` or `paid quarterly`",
        advance_covers => "the payments it covers: `covers all payments` or `covers ast003_points, hyp008_points`",
        covers_all => "`all payments`",
        expect_verb => "`pays` or `deducts`",
        signed_money => "an amount such as `£750` or `-£750`",
        trigger_side => "`at least` or `above`",
        pooled_what => "what is pooled: `on pooled counts` or `on the mean of the periods`",
        pooled_when => "when: `at the final assessment` or `over the periods so far`",
        improvement_per_event => "a price for each event avoided, such as `£2,000 per event avoided`",
        payer_share => "a payer and its share, such as `lcf 20%` or `council 2/3`",
        expect_for => "`for` and a payment's name",
        band_range => "a band: `below X`, `up to X`, `X to Y`, `X and above`, `above X`, `target met` or `target not met`",
        threshold | relative_value => "a value such as `85%`, `target` or `95% of target`",
        band_payout => "what the band pays: `nothing`, a share such as `50%`, an amount or `linear 50% to 100%`",
        linear_paying => "`paying 0% to 100%`",
        change_kind => "`absolute` or `relative`",
        comparator => "`baseline` or `comparison group`",
        rate_card_setting => "a rate card line: `attachment fee`, `criterion` or `outcome`",
        outcome_condition => "`within 12 months of start` or `when all of ...`",
        cap_scope => {
            "`per participant`, `per month`, `per quarter`, `per period`, `per year` or `over the term`"
        }
        paid_from => "`data` or `period end`",
        deduction_setting => {
            "a deduction setting: `on`, `standard`, `no further sanction`, `excess breaches`, `tolerance`, `deduct`, `taken from`, `borne`, `assessed`, `cap` or `description`"
        }
        breach_unit => "`per breach`, `per event`, `per patient per day` or `per patient per month`",
        floor_side => "`below`, `above` or `beyond`",
        excess_direction => "`down`, `up` or `to nearest`",
        party_share => "a share such as `50% by the provider`",
        party_word => "`provider` or `commissioner`",
        tolerance_scope => "`month`, `quarter` or `year`",
        gateway_setting => "a gateway setting: `require`, `applies to`, `withholds` or `description`",
        comparison => "`at least`, `at most`, `above` or `below`",
        test_setting => "a test line: `given ...` or `expect ...`",
        given_value => "a value such as `86%`, `172 of 200`, `540 of 900 excluding 180` or `yes`",
        participant_event => "`started on DATE` or `achieved OUTCOME on DATE`",
        gateway_outcome => "`passes` or `fails`",
        finding_code => "a diagnostic code such as `E0812`",
        EOI => "the end of the file",
        period_only => "a period such as `2016/17 Q1`",
        date_only => "a date such as `2016-04-01`",
        _ => return None,
    })
}

/// Where a recovered bad setting sits: the rule that would have read it, and what its
/// block is called in messages.
pub fn setting_rule(parent: Rule) -> Option<(Rule, &'static str)> {
    use Rule::*;
    Some(match parent {
        contract => (contract_setting, "contract"),
        population | cohort => (population_setting, "population"),
        domain => (outcome, "domain"),
        outcome => (outcome_setting, "outcome"),
        indicator => (indicator_setting, "indicator"),
        input => (input_setting, "input"),
        derived => (derived_setting, "derived value"),
        payment => (payment_setting, "payment"),
        tiers => (band, "tiers table"),
        rate_card => (rate_card_setting, "rate card"),
        deduction => (deduction_setting, "deduction"),
        gateway => (gateway_setting, "gateway"),
        advance_block => (advance_setting, "advance"),
        test => (test_setting, "test"),
        _ => return None,
    })
}
