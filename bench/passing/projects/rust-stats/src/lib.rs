//! Small statistics helpers used to produce real cargo, rustc and clippy output.

/// Arithmetic mean; `None` for an empty slice.
pub fn mean(values: &[f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    Some(values.iter().sum::<f64>() / values.len() as f64)
}

/// Median of a slice (sorted copy).
pub fn median(values: &[f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(|a, b| a.partial_cmp(b).expect("no NaN"));
    let mid = sorted.len() / 2;
    if sorted.len().is_multiple_of(2) {
        Some((sorted[mid - 1] + sorted[mid]) / 2.0)
    } else {
        Some(sorted[mid])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mean_of_three() {
        assert_eq!(mean(&[1.0, 2.0, 3.0]), Some(2.0));
    }

    #[test]
    fn mean_of_nothing() {
        assert_eq!(mean(&[]), None);
    }

    #[test]
    fn median_even() {
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), Some(2.5));
    }

    #[test]
    #[should_panic(expected = "no NaN")]
    fn median_rejects_nan() {
        median(&[1.0, f64::NAN]);
    }

    #[test]
    #[ignore = "slow"]
    fn median_of_a_million() {
        let values: Vec<f64> = (0..1_000_000).map(f64::from).collect();
        assert_eq!(median(&values), Some(499_999.5));
    }
}
