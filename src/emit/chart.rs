//! Payout charts as SVG: the measured value against the payment, thresholds marked.
