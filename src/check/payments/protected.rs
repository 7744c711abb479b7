//! Protection: `points protected at <value>` on a `points` payment and `share protected at
//! <value>` on a `tiers` or `linear` payment freeze what the payment pays on at a value given
//! with the data (an input, or a value derived from inputs), whatever the period's result.

use crate::check::names::Kind;
use crate::check::settings::first;
use crate::check::Ctx;
use crate::diagnostic::{Code, Diagnostic};
use crate::model;
use crate::source::FileId;
use crate::syntax::ast::{PaymentSetting as S, Payout, Protected, Spanned};
use crate::units::Dimension;

/// The payment's protection, when it has one that fits its mechanism and names a value of the
/// right kind.
pub(super) fn protection(
    ctx: &mut Ctx,
    file: FileId,
    payment: &str,
    settings: &[Spanned<S>],
    mechanism: Option<&S>,
) -> Option<model::Protection> {
    let ((what, value), span) = first(settings, |s| match s {
        S::Protected { what, value } => Some((*what, value)),
        _ => None,
    })?;
    let symbol = ctx.symbols.resolve(
        value,
        &[Kind::Input, Kind::Derived],
        file,
        &mut ctx.diagnostics,
    );
    let name = value.node.as_str();
    if symbol.is_some() {
        ctx.value_uses.insert(name.to_string());
    }
    let fits = match (what, mechanism) {
        (Protected::Points, Some(S::Points { .. })) => Ok(()),
        (Protected::Points, _) => Err("points are protected only on a payment by `points`"),
        (Protected::Share, Some(S::Linear(_))) => Ok(()),
        (Protected::Share, Some(S::Tiers(bands))) => {
            if bands
                .iter()
                .any(|b| matches!(b.node.payout.node, Payout::Amount(_)))
            {
                Err("a share is protected only where the bands pay shares of the pot, not amounts")
            } else {
                Ok(())
            }
        }
        (Protected::Share, _) => {
            Err("a share is protected only on a payment by `tiers` or `linear`, which pay shares of a pot")
        }
    };
    if let Err(help) = fits {
        ctx.report(
            Diagnostic::new(
                Code::MisplacedSetting,
                file,
                span,
                format!(
                    "payment `{payment}` cannot have its {} protected",
                    what.word()
                ),
                "cannot be protected here",
            )
            .with_help(help),
        );
        return None;
    }
    let symbol = symbol?;
    let dimension = match symbol.kind {
        Kind::Derived => ctx.derived.get(name).map(|d| d.dimension),
        _ => ctx.inputs.get(name).map(|i| Dimension::of_unit(i.unit)),
    }?;
    let (right, wanted) = match what {
        Protected::Points => (
            !dimension.percent && (dimension.is_plain() || dimension.same_as(Dimension::COUNT)),
            "a number of points (`unit number`)",
        ),
        Protected::Share => (
            dimension.percent && dimension.is_plain(),
            "a percentage (`unit percent`)",
        ),
    };
    if !right {
        ctx.report(
            Diagnostic::new(
                Code::UnitMismatch,
                file,
                value.span,
                format!(
                    "`{name}` is {}, but payment `{payment}` is protected at {wanted}",
                    dimension.words()
                ),
                dimension.words(),
            )
            .with_help(match what {
                Protected::Points => "give the points the payment is protected at, such as the points earned last year, as an input with `unit number`",
                Protected::Share => "give the share of the pot the payment is protected at as an input with `unit percent`",
            }),
        );
        return None;
    }
    Some(model::Protection {
        what,
        value: name.to_string(),
    })
}
