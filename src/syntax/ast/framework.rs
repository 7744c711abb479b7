//! The population, its cohorts and the outcomes framework (domains and their outcomes).

use rust_decimal::Decimal;

use super::{Name, Spanned};
use crate::source::Span;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Population {
    pub title: Spanned<String>,
    pub settings: Vec<Spanned<PopulationSetting>>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cohort {
    pub name: Name,
    pub title: Option<Spanned<String>>,
    pub settings: Vec<Spanned<PopulationSetting>>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PopulationSetting {
    Size(Spanned<Decimal>),
    Eligibility(String),
    Description(String),
}

// ------------------------------------------------------------------ outcomes framework

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Domain {
    pub name: Name,
    pub title: Option<Spanned<String>>,
    pub description: Option<Spanned<String>>,
    pub outcomes: Vec<Outcome>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    pub name: Name,
    pub title: Option<Spanned<String>>,
    pub settings: Vec<Spanned<OutcomeSetting>>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OutcomeSetting {
    MeasuredBy(Vec<Name>),
    Description(String),
}
