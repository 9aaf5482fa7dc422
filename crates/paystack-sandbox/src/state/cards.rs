//! The integration's reusable card authorizations (`AUTH_…`), each with the behaviour its charges
//! follow.

use std::collections::HashMap;
use std::ops::{Index, IndexMut};

use super::card_behaviour::{Behaviour, Funds};
use super::records::Authorization;
use crate::ids::IdGen;

#[derive(Debug, Default)]
pub(crate) struct Cards {
    all: Vec<Authorization>,
    by_code: HashMap<String, usize>,
}

impl Cards {
    pub(crate) fn insert(&mut self, authorization: Authorization) -> usize {
        let index = self.all.len();
        self.by_code.insert(authorization.code.clone(), index);
        self.all.push(authorization);
        index
    }

    pub(crate) fn by_code(&self, code: &str) -> Option<usize> {
        self.by_code.get(code).copied()
    }

    /// The reusable authorization with this code, if any.
    pub(crate) fn reusable(&self, code: &str) -> Option<usize> {
        self.by_code(code).filter(|a| self.all[*a].reusable)
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = &Authorization> {
        self.all.iter()
    }

    /// A new reusable test card for `customer` (bin 408408, exp 12/2030), `AUTH_` + 10 characters
    /// unless `code` is given.
    pub(crate) fn issue(
        &mut self,
        ids: &mut IdGen,
        customer: usize,
        behaviour: Behaviour,
        code: Option<String>,
    ) -> usize {
        let code = code.unwrap_or_else(|| format!("AUTH_{}", ids.lower_alnum(10)));
        let last4 = format!("{:04}", ids.range(0, 9999));
        let signature = format!("SIG_{}", ids.alnum(20));
        self.insert(test_card(code, customer, last4, signature, None, behaviour, false))
    }
}

/// A reusable visa test card as the sandbox issues them.
pub(crate) fn test_card(
    code: String,
    customer: usize,
    last4: String,
    signature: String,
    account_name: Option<String>,
    behaviour: Behaviour,
    fixture: bool,
) -> Authorization {
    Authorization {
        code,
        customer,
        bin: "408408".into(),
        last4,
        exp_month: "12".into(),
        exp_year: "2030".into(),
        card_type: "visa ".into(),
        bank: "TEST BANK".into(),
        brand: "visa".into(),
        signature,
        account_name,
        country_code: "NG".into(),
        reusable: true,
        funds: Funds::new(behaviour),
        fixture,
    }
}

impl Index<usize> for Cards {
    type Output = Authorization;
    fn index(&self, index: usize) -> &Authorization {
        &self.all[index]
    }
}

impl IndexMut<usize> for Cards {
    fn index_mut(&mut self, index: usize) -> &mut Authorization {
        &mut self.all[index]
    }
}
