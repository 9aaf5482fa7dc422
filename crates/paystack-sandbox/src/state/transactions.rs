//! The integration's transactions, found by reference or id, in creation order.

use std::collections::HashMap;
use std::ops::{Index, IndexMut};

use super::records::{Origin, Transaction, TxStatus};
use crate::ids::IdGen;

#[derive(Debug)]
pub(crate) struct Transactions {
    all: Vec<Transaction>,
    by_reference: HashMap<String, usize>,
    by_id: HashMap<u64, usize>,
    last_id: u64,
}

impl Transactions {
    pub(crate) fn new(ids: &mut IdGen) -> Self {
        let last_id = 4_100_000_000 + ids.range(0, 9_999_999);
        Self { all: Vec::new(), by_reference: HashMap::new(), by_id: HashMap::new(), last_id }
    }

    pub(crate) fn by_reference(&self, reference: &str) -> Option<usize> {
        self.by_reference.get(reference).copied()
    }

    pub(crate) fn by_id(&self, id: u64) -> Option<usize> {
        self.by_id.get(&id).copied()
    }

    pub(crate) fn reference_taken(&self, reference: &str) -> bool {
        self.by_reference.contains_key(reference)
    }

    pub(crate) fn len(&self) -> usize {
        self.all.len()
    }

    pub(crate) fn iter(&self) -> impl DoubleEndedIterator<Item = &Transaction> {
        self.all.iter()
    }

    /// A generated reference (`len` lowercase letters and digits) no transaction uses yet.
    pub(crate) fn fresh_reference(&self, ids: &mut IdGen, len: usize) -> String {
        loop {
            let reference = ids.lower_alnum(len);
            if !self.reference_taken(&reference) {
                return reference;
            }
        }
    }

    /// A new transaction, `abandoned` until something happens to it; not yet inserted.
    // One argument per field a new transaction needs; a struct for them would only restate them.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn blank(
        &mut self,
        ids: &mut IdGen,
        reference: String,
        amount: u64,
        currency: String,
        customer: usize,
        origin: Origin,
        now: i64,
    ) -> Transaction {
        self.last_id += ids.range(1, 97);
        Transaction {
            id: self.last_id,
            reference,
            status: TxStatus::Abandoned,
            amount,
            requested_amount: amount,
            currency,
            gateway_response: String::new(),
            ip_address: None,
            metadata: None,
            fees: None,
            customer,
            authorization: None,
            created_at: now,
            paid_at: None,
            origin,
            steps: Vec::new(),
            access_code: None,
            callback_url: None,
            checkout_log: false,
            settlement: None,
        }
    }

    pub(crate) fn insert(&mut self, tx: Transaction) -> usize {
        let index = self.all.len();
        self.by_reference.insert(tx.reference.clone(), index);
        self.by_id.insert(tx.id, index);
        self.all.push(tx);
        index
    }
}

impl Index<usize> for Transactions {
    type Output = Transaction;
    fn index(&self, index: usize) -> &Transaction {
        &self.all[index]
    }
}

impl IndexMut<usize> for Transactions {
    fn index_mut(&mut self, index: usize) -> &mut Transaction {
        &mut self.all[index]
    }
}
