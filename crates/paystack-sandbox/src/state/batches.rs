//! The integration's bulk-charge batches and their charges, and which batches still have charges
//! to process.

use std::collections::HashMap;
use std::ops::{Index, IndexMut};

use super::records::{Batch, BulkCharge};
use crate::ids::IdGen;

#[derive(Debug)]
pub(crate) struct Batches {
    all: Vec<Batch>,
    by_code: HashMap<String, usize>,
    by_id: HashMap<u64, usize>,
    /// Every batch's charges; a batch lists the indices of its own.
    pub charges: Vec<BulkCharge>,
    /// Batches that still have charges to process (active or paused).
    pub open: Vec<usize>,
    last_id: u64,
    last_charge_id: u64,
}

impl Batches {
    pub(crate) fn new(ids: &mut IdGen) -> Self {
        let last_id = 66_600_000 + ids.range(0, 99_999);
        Self {
            all: Vec::new(),
            by_code: HashMap::new(),
            by_id: HashMap::new(),
            charges: Vec::new(),
            open: Vec::new(),
            last_id,
            last_charge_id: 0,
        }
    }

    /// A batch by numeric id or `BCH_` code.
    pub(crate) fn find(&self, id_or_code: &str) -> Option<usize> {
        match id_or_code.parse::<u64>() {
            Ok(id) => self.by_id.get(&id).copied(),
            Err(_) => self.by_code.get(id_or_code).copied(),
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.all.len()
    }

    /// The id and `BCH_` code of the next batch.
    pub(crate) fn next_id_and_code(&mut self, ids: &mut IdGen) -> (u64, String) {
        self.last_id += ids.range(1, 50);
        let code = loop {
            let code = format!("BCH_{}", ids.lower_alnum(15));
            if !self.by_code.contains_key(&code) {
                break code;
            }
        };
        (self.last_id, code)
    }

    pub(crate) fn next_charge_id(&mut self, ids: &mut IdGen) -> u64 {
        self.last_charge_id += ids.range(1, 5);
        self.last_charge_id
    }

    /// Adds a batch with charges still to process.
    pub(crate) fn insert(&mut self, batch: Batch) -> usize {
        let index = self.all.len();
        self.by_code.insert(batch.code.clone(), index);
        self.by_id.insert(batch.id, index);
        self.all.push(batch);
        self.open.push(index);
        index
    }
}

impl Index<usize> for Batches {
    type Output = Batch;
    fn index(&self, index: usize) -> &Batch {
        &self.all[index]
    }
}

impl IndexMut<usize> for Batches {
    fn index_mut(&mut self, index: usize) -> &mut Batch {
        &mut self.all[index]
    }
}
