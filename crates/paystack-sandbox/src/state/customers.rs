//! The integration's customers, found by email (case-insensitive).

use std::collections::HashMap;
use std::ops::Index;

use serde_json::Value;

use super::card_behaviour::Behaviour;
use super::cards::Cards;
use super::records::Customer;
use crate::ids::IdGen;

/// A customer to add through the control API.
#[derive(Debug, Default)]
pub(crate) struct NewCustomer {
    pub email: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub phone: Option<String>,
    pub metadata: Option<Value>,
}

#[derive(Debug)]
pub(crate) struct Customers {
    all: Vec<Customer>,
    by_email: HashMap<String, usize>,
    last_id: u64,
}

impl Customers {
    pub(crate) fn new() -> Self {
        Self { all: Vec::new(), by_email: HashMap::new(), last_id: 200_000 }
    }

    /// Adds a customer as given (fixtures keep their own ids and codes).
    pub(crate) fn insert(&mut self, customer: Customer) -> usize {
        let index = self.all.len();
        self.by_email.insert(customer.email.clone(), index);
        self.all.push(customer);
        index
    }

    pub(crate) fn by_email(&self, email: &str) -> Option<usize> {
        self.by_email.get(&email.to_ascii_lowercase()).copied()
    }

    pub(crate) fn len(&self) -> usize {
        self.all.len()
    }

    fn create(&mut self, ids: &mut IdGen, new: NewCustomer, now: i64) -> usize {
        self.last_id += ids.range(1, 9);
        let international_format_phone = new.phone.as_ref().map(|p| international(p));
        let customer = Customer {
            id: self.last_id,
            code: format!("CUS_{}", ids.lower_alnum(15)),
            email: new.email.to_ascii_lowercase(),
            first_name: new.first_name,
            last_name: new.last_name,
            phone: new.phone,
            international_format_phone,
            metadata: new.metadata,
            created_at: now,
        };
        self.insert(customer)
    }

    /// The customer with this email, created (all-null profile) if new: initialize does this.
    pub(crate) fn ensure(&mut self, ids: &mut IdGen, email: &str, now: i64) -> usize {
        match self.by_email(email) {
            Some(index) => index,
            None => self.create(ids, NewCustomer { email: email.into(), ..NewCustomer::default() }, now),
        }
    }

    /// Adds (or finds, by email) a customer and gives them a new reusable authorization with
    /// `behaviour` and, if given, `code`. `Err` says what is wrong with the code.
    pub(crate) fn add(
        &mut self,
        cards: &mut Cards,
        ids: &mut IdGen,
        new: NewCustomer,
        behaviour: Behaviour,
        code: Option<String>,
        now: i64,
    ) -> Result<(usize, usize), String> {
        if let Some(code) = &code {
            if cards.by_code(code).is_some() {
                return Err(format!("authorization code {code} already exists"));
            }
            if !code.starts_with("AUTH_") || code.len() < 6 || code.contains(char::is_whitespace) {
                return Err("authorization code must look like AUTH_<letters/digits>".into());
            }
        }
        let customer = match self.by_email(&new.email) {
            Some(existing) => existing,
            None => self.create(ids, new, now),
        };
        let authorization = cards.issue(ids, customer, behaviour, code);
        Ok((customer, authorization))
    }
}

impl Index<usize> for Customers {
    type Output = Customer;
    fn index(&self, index: usize) -> &Customer {
        &self.all[index]
    }
}

/// `08012345678` → `+2348012345678`; numbers already in `+` form are kept.
fn international(phone: &str) -> String {
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    if phone.trim_start().starts_with('+') {
        format!("+{digits}")
    } else if let Some(rest) = digits.strip_prefix('0') {
        format!("+234{rest}")
    } else {
        format!("+{digits}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn international_phone() {
        assert_eq!(international("08012345678"), "+2348012345678");
        assert_eq!(international("+245 421361"), "+245421361");
    }

    #[test]
    fn emails_are_case_insensitive() {
        let mut customers = Customers::new();
        let mut ids = IdGen::new(1);
        let a = customers.ensure(&mut ids, "Ada@Example.com", 0);
        assert_eq!(customers.ensure(&mut ids, "ada@example.COM", 0), a);
        assert_eq!(customers[a].email, "ada@example.com");
        assert_eq!(customers.len(), 1);
    }
}
