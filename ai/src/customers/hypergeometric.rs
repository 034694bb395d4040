//! ln ₂F₁(a, b; c; z) by its power series, for a, b, c > 0 and 0 ≤ z < 1 — the case of the
//! BG/NBD conditional expectation. Terms are summed with a running power-of-two rescale, so
//! customers with many purchases (terms far above f64's range before they shrink) stay finite.

/// Terms after which the series is declared not convergent.
const MAX_TERMS: u32 = 1_000_000;
/// Rescale when the running sum passes this.
const RESCALE_ABOVE: f64 = 1e200;

/// ln ₂F₁(a, b; c; z); `NaN` when an argument is outside the domain, the function is negative
/// there, or the series has not converged in a million terms.
#[cfg(test)]
pub(super) fn ln_2f1(a: f64, b: f64, c: f64, z: f64) -> f64 {
    match signed_ln_2f1(a, b, c, z) {
        Some((sign, ln)) if sign > 0.0 => ln,
        _ => f64::NAN,
    }
}

/// ₂F₁(a, b; c; z) as (sign, ln |value|), for a, b > 0, 0 ≤ z < 1 and any c that is not zero
/// or a negative integer. c ≤ 0 happens in the BG/NBD expectation of a client who never bought
/// again when the fit gives a + b ≤ 1: the first terms then change sign, later ones do not.
/// `None` outside that domain or without convergence in a million terms.
pub(super) fn signed_ln_2f1(a: f64, b: f64, c: f64, z: f64) -> Option<(f64, f64)> {
    let domain = a > 0.0 && b > 0.0 && (0.0..1.0).contains(&z) && c.is_finite();
    if !domain || (c <= 0.0 && c.fract() == 0.0) {
        return None;
    }
    let (mut term, mut sum, mut ln_scale) = (1.0_f64, 1.0_f64, 0.0_f64);
    for k in 0..MAX_TERMS {
        let k = f64::from(k);
        let ratio = (a + k) * (b + k) / ((c + k) * (k + 1.0)) * z;
        term *= ratio;
        sum += term;
        if sum.abs() > RESCALE_ABOVE || term.abs() > RESCALE_ABOVE {
            term /= RESCALE_ABOVE;
            sum /= RESCALE_ABOVE;
            ln_scale += RESCALE_ABOVE.ln();
        }
        // Once c + k > 0 and the ratio is below 1, the terms only shrink; stop when they no
        // longer count.
        if c + k > 0.0 && ratio.abs() < 1.0 && term.abs() <= sum.abs() * 1e-16 {
            return (sum != 0.0 && sum.is_finite())
                .then(|| (sum.signum(), sum.abs().ln() + ln_scale));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::{ln_2f1, signed_ln_2f1};

    #[test]
    fn closed_forms() {
        // ₂F₁(1, 1; 2; z) = −ln(1−z)/z
        for z in [0.1, 0.5, 0.9, 0.999] {
            let expected = (-(1.0_f64 - z).ln() / z).ln();
            assert!((ln_2f1(1.0, 1.0, 2.0, z) - expected).abs() < 1e-12, "z={z}");
        }
        // ₂F₁(a, b; b; z) = (1−z)^(−a)
        let expected = -2.5 * (1.0 - 0.7f64).ln();
        assert!((ln_2f1(2.5, 3.0, 3.0, 0.7) - expected).abs() < 1e-12);
        assert_eq!(ln_2f1(1.0, 1.0, 2.0, 0.0), 0.0);
    }

    #[test]
    fn large_parameters_stay_finite() {
        // ₂F₁(a, b; b; z) again, where the terms pass 1e300 before they shrink.
        let expected = -400.0 * (1.0 - 0.95f64).ln();
        let got = ln_2f1(400.0, 600.0, 600.0, 0.95);
        assert!(
            (got - expected).abs() < 1e-8 * expected,
            "{got} vs {expected}"
        );
    }

    #[test]
    fn a_negative_c_sums_its_signed_terms() {
        // Against a plain sum of the series where it converges fast (z = 0.3).
        let (a, b, c, z) = (0.8, 2.4, -0.6, 0.3);
        let (mut term, mut sum) = (1.0_f64, 1.0_f64);
        for k in 0..200 {
            let k = f64::from(k);
            term *= (a + k) * (b + k) / ((c + k) * (k + 1.0)) * z;
            sum += term;
        }
        let (sign, ln) = signed_ln_2f1(a, b, c, z).unwrap_or((0.0, 0.0));
        assert!(
            (sign * ln.exp() - sum).abs() < 1e-12 * sum.abs(),
            "{sign} {ln} vs {sum}"
        );
        assert_eq!(
            signed_ln_2f1(1.0, 1.0, -2.0, 0.5),
            None,
            "c a negative integer"
        );
    }

    #[test]
    fn outside_the_domain_is_nan() {
        assert!(ln_2f1(1.0, 1.0, 2.0, 1.0).is_nan());
        assert!(ln_2f1(-1.0, 1.0, 2.0, 0.5).is_nan());
    }
}
