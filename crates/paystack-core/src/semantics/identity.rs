//! The identity of a charge file's rows across runs: which rows a run has charged already, which
//! are new, and where that cannot be told.
//!
//! No function of a file alone can tell "an amount was edited" from "a row was deleted and another
//! inserted" (the two files can be identical), so a row's identity combines the file with what the
//! run has already charged at Paystack (found by `finder::Finder`):
//!
//! - A run's derived references are slots: slot k of card A in run N is the k-th charge the run
//!   makes on A without a reference of its own (`derive_row_reference`, unchanged since v1, so files
//!   charged by earlier versions are recognised). A card's slots are used contiguously from 0.
//! - A row with a reference Paystack has is that charge (an amount that differs: not charged
//!   again, reported as edited).
//! - The other rows of a card (derived, or with a reference Paystack does not know) are matched to
//!   that card's remaining charges of the run by equal amount, in file order (a reference filled in
//!   later, a reordered file, a copied file: all recognised).
//! - Rows left over while charges of the same card are left over too: an edited amount, or a row
//!   deleted and another inserted. That cannot be decided: the plan is refused before anything is
//!   sent, naming the lines and the earlier charges, and what to write to decide it.
//! - Rows left over with no charge left: new. Derived rows take the card's next free slots, rows
//!   with a reference are sent under it.
//! - Charges left over with no row left: charged earlier, held by no line now; nothing is sent for
//!   them and the plan says so.

use std::collections::{HashMap, HashSet};

use super::references::derive_row_reference;

/// A row of the file as the rule reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRow {
    pub line: u32,
    pub authorization: String,
    pub amount: u64,
    /// The reference written in the file, if any.
    pub reference: Option<String>,
}

/// A charge the run made earlier, as Paystack has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Charge {
    pub reference: String,
    /// The card, when Paystack said (or the reference is a slot of it).
    pub authorization: Option<String>,
    pub amount: u64,
    pub status: Option<String>,
    pub batch_code: Option<String>,
    /// When the reference is one of the run's slots: (card, slot).
    pub slot: Option<(String, u32)>,
}

/// What becomes of one row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Not charged yet: sent now under `reference`.
    New { reference: String },
    /// Charged already (`charge`, an index into `Plan::charges`) for the same amount: not sent.
    Charged { charge: usize },
    /// Charged already under the row's own reference, for another amount (or card): not sent again.
    Edited { charge: usize },
    /// A row of an `Ambiguity`: the plan is refused. For reconciling, `paired` is the earlier charge
    /// of its card it is taken for (in order), and `reference` what it would be sent under.
    Undecided { reference: String, paired: Option<usize> },
}

/// Rows of one card that cannot be told from earlier charges of that card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ambiguity {
    pub authorization: String,
    /// Indices into the rows.
    pub rows: Vec<usize>,
    /// Indices into `Plan::charges`.
    pub charges: Vec<usize>,
}

/// What a run of the file would do. Refused (nothing may be sent) when `ambiguities` is not empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub charges: Vec<Charge>,
    /// One per row, in the rows' order.
    pub decisions: Vec<Decision>,
    /// Charges no line holds now.
    pub orphans: Vec<usize>,
    pub ambiguities: Vec<Ambiguity>,
}

impl Plan {
    pub fn is_refused(&self) -> bool {
        !self.ambiguities.is_empty()
    }

    /// The rows to send (indices), in file order.
    pub fn new_rows(&self) -> impl Iterator<Item = usize> + '_ {
        self.decisions.iter().enumerate().filter(|(_, d)| matches!(d, Decision::New { .. })).map(|(i, _)| i)
    }

    /// The reference a row is known by: the one it is sent under, or the charge that holds it.
    pub fn reference_of(&self, row: usize) -> &str {
        match &self.decisions[row] {
            Decision::New { reference } | Decision::Undecided { reference, paired: None } => reference,
            Decision::Charged { charge }
            | Decision::Edited { charge }
            | Decision::Undecided { paired: Some(charge), .. } => &self.charges[*charge].reference,
        }
    }
}

/// Decides every row of a file (run `run`) against the charges the run already made.
pub fn plan(run: &str, rows: &[FileRow], charges: Vec<Charge>) -> Plan {
    let by_reference: HashMap<&str, usize> =
        charges.iter().enumerate().map(|(i, c)| (c.reference.as_str(), i)).collect();
    let mut used = vec![false; charges.len()];
    let mut decisions: Vec<Option<Decision>> = vec![None; rows.len()];

    // A row whose own reference Paystack has is that charge.
    for (i, row) in rows.iter().enumerate() {
        if let Some(&c) = row.reference.as_deref().and_then(|r| by_reference.get(r)) {
            used[c] = true;
            let charge = &charges[c];
            let same_card = charge.authorization.as_deref().is_none_or(|a| a == row.authorization);
            decisions[i] = Some(if charge.amount == row.amount && same_card {
                Decision::Charged { charge: c }
            } else {
                Decision::Edited { charge: c }
            });
        }
    }

    // The rest, card by card (cards in order of first appearance), matched by equal amount.
    let mut cards: Vec<&str> = Vec::new();
    let mut rows_of: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, row) in rows.iter().enumerate() {
        if decisions[i].is_none() {
            let entry = rows_of.entry(row.authorization.as_str()).or_default();
            if entry.is_empty() && !cards.contains(&row.authorization.as_str()) {
                cards.push(row.authorization.as_str());
            }
            entry.push(i);
        }
    }
    let mut charges_of: HashMap<&str, Vec<usize>> = HashMap::new();
    for (c, charge) in charges.iter().enumerate() {
        if let (false, Some(card)) = (used[c], charge.authorization.as_deref()) {
            charges_of.entry(card).or_default().push(c);
        }
    }
    for list in charges_of.values_mut() {
        list.sort_by_key(|&c| (charges[c].slot.as_ref().map_or(u32::MAX, |s| s.1), c));
    }

    let mut taken: HashSet<String> = charges.iter().map(|c| c.reference.clone()).collect();
    taken.extend(rows.iter().filter_map(|r| r.reference.clone()));
    let mut ambiguities = Vec::new();
    for card in cards {
        let mut left_rows = Vec::new();
        let mut left_charges = charges_of.remove(card).unwrap_or_default();
        for &i in &rows_of[card] {
            match left_charges.iter().position(|&c| charges[c].amount == rows[i].amount) {
                Some(at) => {
                    let c = left_charges.remove(at);
                    used[c] = true;
                    decisions[i] = Some(Decision::Charged { charge: c });
                }
                None => left_rows.push(i),
            }
        }
        if left_rows.is_empty() {
            continue;
        }
        let ambiguous = !left_charges.is_empty();
        let mut slot = charges
            .iter()
            .filter_map(|c| c.slot.as_ref().filter(|(a, _)| a == card).map(|(_, k)| k + 1))
            .max()
            .unwrap_or(0);
        for (n, &i) in left_rows.iter().enumerate() {
            let reference = match &rows[i].reference {
                Some(own) => own.clone(),
                None => loop {
                    let candidate = derive_row_reference(run, card, slot);
                    slot += 1;
                    if taken.insert(candidate.clone()) {
                        break candidate;
                    }
                },
            };
            decisions[i] = Some(if ambiguous {
                Decision::Undecided { reference, paired: left_charges.get(n).copied() }
            } else {
                Decision::New { reference }
            });
        }
        if ambiguous {
            for &c in &left_charges {
                used[c] = true; // reported with the ambiguity, not as held by no line
            }
            ambiguities.push(Ambiguity { authorization: card.to_owned(), rows: left_rows, charges: left_charges });
        }
    }
    let orphans = (0..charges.len()).filter(|&c| !used[c]).collect();
    // Every row was decided above: matched by reference or amount, or left over on its card.
    let decisions = decisions.into_iter().map(|d| d.unwrap_or(Decision::New { reference: String::new() })).collect();
    Plan { charges, decisions, orphans, ambiguities }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RUN: &str = "rent";
    const A: &str = "AUTH_a";
    const B: &str = "AUTH_b";

    fn row(line: u32, card: &str, amount: u64, reference: Option<&str>) -> FileRow {
        FileRow { line, authorization: card.into(), amount, reference: reference.map(Into::into) }
    }

    fn rows(spec: &[(&str, u64, Option<&str>)]) -> Vec<FileRow> {
        spec.iter().enumerate().map(|(i, &(card, amount, r))| row(i as u32 + 2, card, amount, r)).collect()
    }

    /// What Paystack holds after the plan's new rows were charged (on top of `before`).
    fn charge(plan: &Plan, rows: &[FileRow], before: &[Charge]) -> Vec<Charge> {
        let mut after = before.to_vec();
        let mut next: HashMap<&str, u32> = HashMap::new();
        for c in before {
            if let Some((card, k)) = &c.slot {
                let n = next.entry(card.as_str()).or_default();
                *n = (*n).max(k + 1);
            }
        }
        for i in plan.new_rows() {
            let Decision::New { reference } = &plan.decisions[i] else { unreachable!() };
            let card = rows[i].authorization.as_str();
            let mut slot = None;
            for k in 0..64 {
                if derive_row_reference(RUN, card, k) == *reference {
                    slot = Some((card.to_owned(), k));
                }
            }
            after.push(Charge {
                reference: reference.clone(),
                authorization: Some(card.into()),
                amount: rows[i].amount,
                status: Some("success".into()),
                batch_code: Some("BCH_x".into()),
                slot,
            });
        }
        after
    }

    fn run(rows: &[FileRow], before: &[Charge]) -> (Plan, Vec<Charge>) {
        let plan = plan(RUN, rows, before.to_vec());
        let after = if plan.is_refused() { before.to_vec() } else { charge(&plan, rows, before) };
        (plan, after)
    }

    fn news(plan: &Plan) -> usize {
        plan.new_rows().count()
    }

    #[test]
    fn the_issues_repro_sorted_by_amount_charges_nothing() {
        // 10 rows of one card, one with its own reference; then sorted by amount.
        let mut spec: Vec<(&str, u64, Option<&str>)> = (1..=10).map(|i| (A, i * 1000, None)).collect();
        spec[3].2 = Some("own-ref");
        let first = rows(&spec);
        let (plan, charged) = run(&first, &[]);
        assert_eq!(news(&plan), 10);
        assert_eq!(charged.iter().map(|c| c.amount).sum::<u64>(), 55_000);
        let mut sorted = spec.clone();
        sorted.sort_by_key(|s| std::cmp::Reverse(s.1));
        let (again, after) = run(&rows(&sorted), &charged);
        assert!(!again.is_refused());
        assert_eq!(news(&again), 0);
        assert_eq!(after.len(), 10);
    }

    #[test]
    fn new_rows_take_the_next_free_slots() {
        let first = rows(&[(A, 500, None), (A, 700, None)]);
        let (_, charged) = run(&first, &[]);
        let grown = rows(&[(A, 900, None), (A, 500, None), (B, 500, None), (A, 700, None)]);
        let (plan, after) = run(&grown, &charged);
        assert_eq!(news(&plan), 2);
        assert_eq!(plan.reference_of(0), derive_row_reference(RUN, A, 2));
        assert_eq!(plan.reference_of(2), derive_row_reference(RUN, B, 0));
        assert_eq!(after.len(), 4);
    }

    #[test]
    fn a_reference_filled_in_later_is_recognised() {
        let (_, charged) = run(&rows(&[(A, 500, None), (A, 600, None)]), &[]);
        let filled = rows(&[(A, 600, Some("inv-2")), (A, 500, Some(&derive_row_reference(RUN, A, 0)))]);
        let (plan, _) = run(&filled, &charged);
        assert_eq!(news(&plan), 0);
        assert_eq!(plan.decisions[0], Decision::Charged { charge: 1 });
        assert_eq!(plan.decisions[1], Decision::Charged { charge: 0 });
    }

    #[test]
    fn an_edited_amount_is_refused_until_told_which_charge_it_is() {
        let (_, charged) = run(&rows(&[(A, 500, None), (B, 100, None)]), &[]);
        let edited = rows(&[(A, 550, None), (B, 100, None)]);
        let (plan, after) = run(&edited, &charged);
        assert!(plan.is_refused());
        assert_eq!(after, charged, "nothing sent");
        assert_eq!(plan.reference_of(0), charged[0].reference, "paired, for reconciling");
        let ambiguity = &plan.ambiguities[0];
        assert_eq!((ambiguity.authorization.as_str(), ambiguity.rows.as_slice()), (A, &[0][..]));
        assert_eq!(plan.charges[ambiguity.charges[0]].amount, 500);
        // Told: the row is that charge, edited.
        let told = rows(&[(A, 550, Some(&charged[0].reference)), (B, 100, None)]);
        let (plan, _) = run(&told, &charged);
        assert!(!plan.is_refused());
        assert_eq!(plan.decisions[0], Decision::Edited { charge: 0 });
        assert_eq!(news(&plan), 0);
        // Or told: it is new, the earlier charge's row kept in the file under its reference.
        let kept = rows(&[(A, 550, None), (B, 100, None), (A, 500, Some(&charged[0].reference))]);
        let (plan, after) = run(&kept, &charged);
        assert_eq!(news(&plan), 1);
        assert_eq!(after.len(), 3);
    }

    #[test]
    fn one_of_two_equal_rows_deleted_sends_nothing_and_says_so() {
        let (_, charged) = run(&rows(&[(A, 500, None), (A, 500, None)]), &[]);
        let (plan, _) = run(&rows(&[(A, 500, None)]), &charged);
        assert!(!plan.is_refused());
        assert_eq!(news(&plan), 0);
        assert_eq!(plan.orphans.len(), 1);
    }

    #[test]
    fn an_explicit_reference_found_with_another_amount_is_edited_not_charged() {
        let (_, charged) = run(&rows(&[(A, 500, Some("inv-1"))]), &[]);
        let (plan, _) = run(&rows(&[(A, 900, Some("inv-1")), (A, 900, None)]), &charged);
        assert_eq!(plan.decisions[0], Decision::Edited { charge: 0 });
        assert_eq!(plan.decisions[1], Decision::New { reference: derive_row_reference(RUN, A, 0) });
    }

    #[test]
    fn a_derived_reference_already_written_in_the_file_is_skipped_for_new_rows() {
        let slot0 = derive_row_reference(RUN, A, 0);
        let (plan, _) = run(&rows(&[(A, 100, None), (A, 200, Some(&slot0))]), &[]);
        assert_eq!(plan.reference_of(1), slot0);
        assert_eq!(plan.reference_of(0), derive_row_reference(RUN, A, 1));
    }
}
