//! The lookups that find what a run has already charged, without doing them: `Finder` says what to
//! look up next (`Lookup`), its caller makes the request with whatever client it holds (sync or
//! async, from Python or Rust) and hands the answer back, until there is nothing left to ask; then
//! `plan` decides every row (`identity::plan`).
//!
//! What is looked up: each reference written in the file (verify), and each card's slots 0, 1, 2,
//! ... until the first that Paystack does not know. A verified bulk charge names its batch
//! (`answers::batch_code_of`), whose charges are then read page by page: a batch already submitted
//! costs one verify and its pages rather than a verify per row, and the batch's other charges (the
//! run's charges that no line holds now) are known too.

use std::collections::{HashMap, HashSet, VecDeque};

use serde_json::Value;

use super::answers::{batch_code_of, charge_facts, is_not_found};
use super::identity::{Charge, FileRow, Plan, plan};
use super::references::derive_row_reference;

/// Charges read per page of a batch.
pub const PER_PAGE: u32 = 100;

/// The next request to make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// `GET /transaction/verify/{reference}`.
    Verify { reference: String },
    /// `GET /bulkcharge/{batch_code}/charges?perPage=PER_PAGE&page=page`.
    Charges { batch_code: String, page: u32 },
}

/// Finds a run's earlier charges for a file's rows.
#[derive(Debug)]
pub struct Finder {
    run: String,
    rows: Vec<FileRow>,
    cards: Vec<String>,
    /// Per card: the next slot to look at, and whether its first unknown slot was found.
    cursor: Vec<u32>,
    done: Vec<bool>,
    /// The file's own references, and how many were answered.
    explicit: Vec<String>,
    explicit_next: usize,
    charges: Vec<Charge>,
    by_reference: HashMap<String, usize>,
    batches: HashSet<String>,
    pages: VecDeque<(String, u32)>,
    lookups: u32,
}

impl Finder {
    pub fn new(run: &str, rows: Vec<FileRow>) -> Self {
        let mut cards: Vec<String> = Vec::new();
        for row in &rows {
            if !cards.contains(&row.authorization) {
                cards.push(row.authorization.clone());
            }
        }
        let explicit = rows.iter().filter_map(|r| r.reference.clone()).collect();
        Finder {
            run: run.to_owned(),
            cursor: vec![0; cards.len()],
            done: vec![false; cards.len()],
            cards,
            rows,
            explicit,
            explicit_next: 0,
            charges: Vec::new(),
            by_reference: HashMap::new(),
            batches: HashSet::new(),
            pages: VecDeque::new(),
            lookups: 0,
        }
    }

    /// The rows, as given.
    pub fn rows(&self) -> &[FileRow] {
        &self.rows
    }

    /// The requests answered so far.
    pub fn lookups(&self) -> u32 {
        self.lookups
    }

    /// The next lookup, or None when everything needed is known.
    pub fn next_lookup(&mut self) -> Option<Lookup> {
        if let Some((batch_code, page)) = self.pages.front() {
            return Some(Lookup::Charges { batch_code: batch_code.clone(), page: *page });
        }
        while let Some(reference) = self.explicit.get(self.explicit_next) {
            if !self.by_reference.contains_key(reference) {
                return Some(Lookup::Verify { reference: reference.clone() });
            }
            self.explicit_next += 1;
        }
        for card in 0..self.cards.len() {
            while !self.done[card] {
                let reference = derive_row_reference(&self.run, &self.cards[card], self.cursor[card]);
                if !self.by_reference.contains_key(&reference) {
                    return Some(Lookup::Verify { reference });
                }
                self.cursor[card] += 1;
            }
        }
        None
    }

    /// Verify found `reference`: `transaction` is its `data`.
    pub fn found(&mut self, reference: &str, transaction: &Value) {
        self.lookups += 1;
        let facts = charge_facts(transaction);
        let batch_code = batch_code_of(transaction);
        self.add(Charge {
            reference: reference.to_owned(),
            authorization: facts.as_ref().and_then(|f| f.authorization.clone()),
            amount: facts.as_ref().and_then(|f| f.amount).unwrap_or(0),
            status: facts.and_then(|f| f.status),
            batch_code: batch_code.clone(),
            slot: None,
        });
        if let Some(code) = batch_code {
            if self.batches.insert(code.clone()) {
                self.pages.push_back((code, 1));
            }
        }
    }

    /// Verify answered `reference` with an error (status, code, message): true when that means
    /// Paystack does not know it (then it is recorded); false when it is an error to raise.
    pub fn failed(&mut self, reference: &str, status: u16, code: Option<&str>, message: &str) -> bool {
        if !is_not_found(status, code, message) {
            return false;
        }
        self.lookups += 1;
        if self.explicit.get(self.explicit_next).is_some_and(|r| r == reference) {
            self.explicit_next += 1;
            return true;
        }
        for card in 0..self.cards.len() {
            if !self.done[card] && derive_row_reference(&self.run, &self.cards[card], self.cursor[card]) == reference {
                self.done[card] = true;
            }
        }
        true
    }

    /// A page of a batch's charges (`data` of the answer; `page_count` from its `meta`, if given).
    pub fn page(&mut self, batch_code: &str, page: u32, data: &Value, page_count: Option<u32>) {
        self.lookups += 1;
        let items = data.as_array().map(Vec::as_slice).unwrap_or_default();
        for item in items {
            let Some(facts) = charge_facts(item) else { continue };
            if self.by_reference.contains_key(&facts.reference) {
                continue;
            }
            self.add(Charge {
                reference: facts.reference,
                authorization: facts.authorization,
                amount: facts.amount.unwrap_or(0),
                status: facts.status,
                batch_code: Some(batch_code.to_owned()),
                slot: None,
            });
        }
        if self.pages.front().is_some_and(|(code, p)| code == batch_code && *p == page) {
            self.pages.pop_front();
        }
        let more = match page_count {
            Some(count) => page < count,
            None => items.len() >= PER_PAGE as usize,
        };
        if more && !items.is_empty() {
            self.pages.push_front((batch_code.to_owned(), page + 1));
        }
    }

    fn add(&mut self, charge: Charge) {
        if let Some(&at) = self.by_reference.get(&charge.reference) {
            // A verify after the batch's page: the verified one has the batch code too.
            let known = &mut self.charges[at];
            known.batch_code = known.batch_code.take().or(charge.batch_code);
            return;
        }
        self.by_reference.insert(charge.reference.clone(), self.charges.len());
        self.charges.push(charge);
    }

    /// The plan, once `next_lookup` returned None (each card's slots below its cursor were found).
    pub fn plan(mut self) -> Plan {
        for (card, name) in self.cards.iter().enumerate() {
            for slot in 0..self.cursor[card] {
                let reference = derive_row_reference(&self.run, name, slot);
                if let Some(&at) = self.by_reference.get(&reference) {
                    let charge = &mut self.charges[at];
                    charge.slot = Some((name.clone(), slot));
                    charge.authorization.get_or_insert_with(|| name.clone());
                }
            }
        }
        plan(&self.run, &self.rows, self.charges)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A Paystack of charges: reference -> (card, amount, batch).
    struct Held(Vec<(String, &'static str, u64, &'static str)>);

    impl Held {
        fn answer(&self, finder: &mut Finder, lookup: Lookup) {
            match lookup {
                Lookup::Verify { reference } => match self.0.iter().find(|c| c.0 == reference) {
                    Some((r, card, amount, batch)) => finder.found(
                        &reference,
                        &json!({"reference": r, "amount": amount, "status": "success",
                            "authorization": {"authorization_code": card},
                            "metadata": {"custom_fields": [{"variable_name": "bulkcharge_batch_code", "value": batch}]}}),
                    ),
                    None => assert!(finder.failed(&reference, 400, None, "Transaction reference not found.")),
                },
                Lookup::Charges { batch_code, page } => {
                    let all: Vec<_> = self.0.iter().filter(|c| c.3 == batch_code).collect();
                    let per = PER_PAGE as usize;
                    let slice: Vec<Value> = all
                        .iter()
                        .skip((page as usize - 1) * per)
                        .take(per)
                        .map(|(r, card, amount, _)| json!({"reference": r, "amount": amount, "authorization": {"authorization_code": card}}))
                        .collect();
                    let count = all.len().div_ceil(per) as u32;
                    finder.page(&batch_code, page, &Value::Array(slice), Some(count));
                }
            }
        }
    }

    fn row(line: u32, card: &str, amount: u64) -> FileRow {
        FileRow { line, authorization: card.into(), amount, reference: None }
    }

    #[test]
    fn one_verify_and_the_batchs_pages_cover_a_whole_batch() {
        let held = Held(
            (0..250u32)
                .map(|k| (derive_row_reference("run", "AUTH_a", k), "AUTH_a", 100 + u64::from(k), "BCH_1"))
                .collect(),
        );
        let rows: Vec<FileRow> = (0..251u32).map(|k| row(k + 2, "AUTH_a", 100 + u64::from(k))).collect();
        let mut finder = Finder::new("run", rows);
        while let Some(lookup) = finder.next_lookup() {
            held.answer(&mut finder, lookup);
        }
        // slot 0 verified, 3 pages, slot 250 not found.
        assert_eq!(finder.lookups(), 5);
        let plan = finder.plan();
        assert_eq!(plan.new_rows().collect::<Vec<_>>(), vec![250]);
        assert_eq!(plan.reference_of(250), derive_row_reference("run", "AUTH_a", 250));
    }

    #[test]
    fn an_error_that_is_not_a_missing_reference_is_the_callers_to_raise() {
        let mut finder = Finder::new("run", vec![row(2, "AUTH_a", 1)]);
        let Some(Lookup::Verify { reference }) = finder.next_lookup() else { panic!() };
        assert!(!finder.failed(&reference, 401, None, "Invalid key"));
        assert_eq!(finder.next_lookup(), Some(Lookup::Verify { reference }), "asked again");
    }
}
