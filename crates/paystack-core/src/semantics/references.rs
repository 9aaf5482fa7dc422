//! The reference schemes: generated (`crate::reference::generate`), derived from a charge file's
//! rows (a run's slots), and retries (`REF-r1`, `REF-r2`, ...).

use sha2::{Digest, Sha256};

/// The longest run name kept in a derived reference (the rest is the row's digest).
pub const MAX_RUN_NAME: usize = 40;
/// Hex digits of the digest in a derived reference (64 bits: no two slots of a run collide).
pub const DIGEST_CHARS: usize = 16;
/// Part of every derived reference's digest. Never changed: files charged by earlier versions must
/// still be recognised, or re-running them would charge them again.
pub const DERIVATION: &str = "paystack-rs bulk-charge reference v1";
/// The run name of a name with nothing usable in it.
pub const DEFAULT_RUN_NAME: &str = "charges";

/// The run name derived references start with, from `--run` or the file's name without its
/// extension: lowercase letters, digits, `-` and `_` (the bulk-reference charset), other runs of
/// characters as one `-`, at most `MAX_RUN_NAME` characters.
pub fn run_name(raw: &str) -> String {
    let lower = raw.trim().to_lowercase();
    let mut name = String::with_capacity(lower.len());
    for c in lower.chars() {
        let keep = c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-';
        let c = if keep { c } else { '-' };
        if c == '-' && name.ends_with('-') {
            continue;
        }
        name.push(c);
    }
    let trimmed = name.trim_matches(|c| c == '-' || c == '_');
    let cut: String = trimmed.chars().take(MAX_RUN_NAME).collect();
    let cut = cut.trim_matches(|c| c == '-' || c == '_');
    if cut.is_empty() { DEFAULT_RUN_NAME.to_owned() } else { cut.to_owned() }
}

/// The reference of slot `slot` (from 0) of card `authorization` in run `run`: the `slot`-th
/// charge the run makes on that card.
pub fn derive_row_reference(run: &str, authorization: &str, slot: u32) -> String {
    let text = [DERIVATION, run, authorization, &slot.to_string()].join("\u{1f}");
    let digest = hex::encode(Sha256::digest(text.as_bytes()));
    format!("{run}-{}", &digest[..DIGEST_CHARS])
}

/// The reference of the retry of a charge: `ref-r1`, and after `ref-r1`, `ref-r2`. Derived from
/// the failed charge's reference alone, so retrying the same failure twice asks Paystack for the
/// same reference twice and the second is refused as a duplicate instead of charging again.
pub fn retry_reference(reference: &str) -> String {
    match split_retry(reference) {
        Some((base, n)) if n < u64::MAX => format!("{base}-r{}", n + 1),
        _ => format!("{reference}-r1"),
    }
}

/// The reference a retry reference retries (`ref-r2` → `ref`), or None.
pub fn retry_base(reference: &str) -> Option<&str> {
    split_retry(reference).map(|(base, _)| base)
}

fn split_retry(reference: &str) -> Option<(&str, u64)> {
    let at = reference.rfind("-r")?;
    let (base, digits) = (&reference[..at], &reference[at + 2..]);
    let well_formed = !base.is_empty()
        && !digits.is_empty()
        && !digits.starts_with('0')
        && digits.bytes().all(|b| b.is_ascii_digit());
    if !well_formed {
        return None;
    }
    Some((base, digits.parse().unwrap_or(u64::MAX)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_names() {
        assert_eq!(run_name("August Rent (final)"), "august-rent-final");
        assert_eq!(run_name("  --__x__--  "), "x");
        assert_eq!(run_name("!!!"), "charges");
        assert_eq!(run_name("a--b"), "a-b");
        assert_eq!(run_name(&"x".repeat(50)).len(), MAX_RUN_NAME);
        assert_eq!(run_name(&format!("{}-y", "x".repeat(39))), "x".repeat(39));
    }

    #[test]
    fn derived_references_are_v1s() {
        // The value the first version (Python's hashlib) gave: files it charged are recognised.
        assert_eq!(derive_row_reference("rent", "AUTH_success001", 0), "rent-a2840f0eedc546bd");
    }

    #[test]
    fn retries() {
        assert_eq!(retry_reference("inv-1"), "inv-1-r1");
        assert_eq!(retry_reference("inv-1-r1"), "inv-1-r2");
        assert_eq!(retry_reference("inv-1-r9"), "inv-1-r10");
        assert_eq!(retry_reference("inv-r0"), "inv-r0-r1");
        assert_eq!(retry_reference("-r3"), "-r3-r1");
        assert_eq!(retry_base("inv-1-r2"), Some("inv-1"));
        assert_eq!(retry_base("inv-1"), None);
        assert_eq!(retry_base("inv-r"), None);
    }
}
