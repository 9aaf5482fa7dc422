//! Bulk charge items: the fields of seed 001's `BulkChargeItem` plus Paystack's optional
//! `attempt_partial_debit`, `at_least` and `metadata`, and the rules a batch must meet (FACTS §3.1).

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value};

use crate::error::{Issue, ValidationError};
use crate::value::{MAX_AMOUNT, integer};

/// Paystack's limit on charges per batch.
pub const MAX_BATCH_SIZE: usize = 1000;

/// The fields an item may have.
pub const ITEM_FIELDS: &[&str] =
    &["authorization", "amount", "reference", "attempt_partial_debit", "at_least", "metadata"];

/// One charge in a batch, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct BulkChargeItem {
    pub authorization: String,
    pub amount: i64,
    pub reference: Option<String>,
    pub attempt_partial_debit: Option<bool>,
    pub at_least: Option<i64>,
    pub metadata: Option<Map<String, Value>>,
}

/// A bulk-charge reference: lowercase letters, digits, `-` and `_` (FACTS §2.3).
pub fn is_bulk_reference(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 100
        && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

impl BulkChargeItem {
    /// Checks one item given as a JSON object; `index` is its place in the batch, if any.
    pub fn from_json(index: Option<usize>, value: &Value) -> Result<Self, Vec<Issue>> {
        let issue = |field: &str, message: String| match index {
            Some(i) => Issue::at(i, field, message),
            None => Issue::new(field, message),
        };
        let Value::Object(fields) = value else {
            return Err(vec![issue("item", "must be a BulkChargeItem or a dict".into())]);
        };
        let mut issues = Vec::new();
        for key in fields.keys() {
            if !ITEM_FIELDS.contains(&key.as_str()) {
                issues.push(issue(
                    key,
                    format!("is not a bulk charge field (expected one of {})", ITEM_FIELDS.join(", ")),
                ));
            }
        }
        let present = |k: &str| fields.get(k).filter(|v| !v.is_null());

        let authorization = match present("authorization") {
            Some(Value::String(s)) if !s.trim().is_empty() && !s.chars().any(char::is_whitespace) => s.clone(),
            Some(Value::String(_)) => {
                issues.push(issue("authorization", "must be a non-empty authorization code without spaces".into()));
                String::new()
            }
            Some(_) => {
                issues.push(issue("authorization", "must be a string (an AUTH_ code)".into()));
                String::new()
            }
            None => {
                issues.push(issue("authorization", "is required".into()));
                String::new()
            }
        };

        let amount = match present("amount") {
            None => {
                issues.push(issue("amount", "is required".into()));
                0
            }
            Some(v) => match integer(v) {
                Some(n) if n > 0 && n <= MAX_AMOUNT => n,
                Some(n) if n > MAX_AMOUNT => {
                    issues.push(issue("amount", format!("must not exceed {MAX_AMOUNT}")));
                    0
                }
                Some(_) => {
                    issues.push(issue("amount", "must be a positive integer in the currency's subunit".into()));
                    0
                }
                None => {
                    issues.push(issue(
                        "amount",
                        "must be an integer amount in the currency's subunit (kobo, pesewas, cents)".into(),
                    ));
                    0
                }
            },
        };

        let reference = match present("reference") {
            None => None,
            Some(Value::String(s)) if is_bulk_reference(s) => Some(s.clone()),
            Some(Value::String(_)) => {
                issues.push(issue("reference", "may contain only lowercase letters, digits, '-' and '_'".into()));
                None
            }
            Some(_) => {
                issues.push(issue("reference", "must be a string".into()));
                None
            }
        };

        let attempt_partial_debit = match present("attempt_partial_debit") {
            None => None,
            Some(Value::Bool(b)) => Some(*b),
            Some(_) => {
                issues.push(issue("attempt_partial_debit", "must be a boolean".into()));
                None
            }
        };

        let at_least = match present("at_least") {
            None => None,
            Some(v) => match integer(v) {
                Some(n) if n > 0 => {
                    if amount > 0 && n > amount {
                        issues.push(issue("at_least", "cannot be greater than amount".into()));
                    }
                    if attempt_partial_debit != Some(true) {
                        issues.push(issue("at_least", "applies only with attempt_partial_debit=True".into()));
                    }
                    Some(n)
                }
                _ => {
                    issues.push(issue("at_least", "must be a positive integer in the currency's subunit".into()));
                    None
                }
            },
        };

        let metadata = match present("metadata") {
            None => None,
            Some(Value::Object(m)) => Some(m.clone()),
            Some(Value::String(s)) => match serde_json::from_str::<Value>(s) {
                Ok(Value::Object(m)) => Some(m),
                _ => {
                    issues.push(issue("metadata", "must be a dict (or a string holding a JSON object)".into()));
                    None
                }
            },
            Some(_) => {
                issues.push(issue("metadata", "must be a dict".into()));
                None
            }
        };

        if issues.is_empty() {
            Ok(BulkChargeItem { authorization, amount, reference, attempt_partial_debit, at_least, metadata })
        } else {
            Err(issues)
        }
    }

    /// The item as Paystack expects it; optional fields are left out when unset.
    pub fn to_json(&self) -> Value {
        let mut m = Map::new();
        m.insert("authorization".into(), Value::String(self.authorization.clone()));
        m.insert("amount".into(), Value::from(self.amount));
        if let Some(r) = &self.reference {
            m.insert("reference".into(), Value::String(r.clone()));
        }
        if let Some(b) = self.attempt_partial_debit {
            m.insert("attempt_partial_debit".into(), Value::Bool(b));
        }
        if let Some(n) = self.at_least {
            m.insert("at_least".into(), Value::from(n));
        }
        if let Some(meta) = &self.metadata {
            m.insert("metadata".into(), Value::Object(meta.clone()));
        }
        Value::Object(m)
    }
}

/// Checks a whole batch: every item, then the rules across items. Reports every problem.
pub fn check_bulk_charges(items: &[Value]) -> Result<Vec<BulkChargeItem>, ValidationError> {
    let mut issues = Vec::new();
    if items.is_empty() {
        issues.push(Issue::new("charges", "must contain at least one charge"));
    }
    if items.len() > MAX_BATCH_SIZE {
        issues.push(Issue::new(
            "charges",
            format!(
                "has {} charges; Paystack accepts at most {MAX_BATCH_SIZE} per batch (split it into several batches)",
                items.len()
            ),
        ));
    }
    let mut checked = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        match BulkChargeItem::from_json(Some(i), item) {
            Ok(item) => checked.push(Some(item)),
            Err(mut found) => {
                issues.append(&mut found);
                checked.push(None);
            }
        }
    }
    check_across_items(&checked, &mut issues);
    if issues.is_empty() { Ok(checked.into_iter().flatten().collect()) } else { Err(ValidationError { issues }) }
}

/// References are unique within a batch; an authorization used twice needs a reference on each use.
fn check_across_items(items: &[Option<BulkChargeItem>], issues: &mut Vec<Issue>) {
    let mut seen_references: HashMap<&str, usize> = HashMap::new();
    let mut by_authorization: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, item) in items.iter().enumerate() {
        let Some(item) = item else { continue };
        if let Some(r) = &item.reference {
            if let Some(first) = seen_references.insert(r.as_str(), i) {
                seen_references.insert(r.as_str(), first);
                issues.push(Issue::at(i, "reference", format!("duplicates the reference of charges[{first}]")));
            }
        }
        by_authorization.entry(item.authorization.as_str()).or_default().push(i);
    }
    let mut flagged = HashSet::new();
    for indexes in by_authorization.values().filter(|ix| ix.len() > 1) {
        for &i in indexes {
            let Some(item) = &items[i] else { continue };
            if item.reference.is_none() && flagged.insert(i) {
                issues.push(Issue::at(
                    i,
                    "reference",
                    format!(
                        "is required: authorization {} appears {} times in this batch, and Paystack needs a reference on each",
                        item.authorization,
                        indexes.len()
                    ),
                ));
            }
        }
    }
    issues.sort_by_key(|issue| issue.index.unwrap_or(usize::MAX));
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn item(auth: &str, amount: i64, reference: Option<&str>) -> Value {
        let mut v = json!({"authorization": auth, "amount": amount});
        if let Some(r) = reference {
            v["reference"] = json!(r);
        }
        v
    }

    #[test]
    fn accepts_a_valid_batch() {
        let items = vec![item("AUTH_a", 10000, Some("r-1")), item("AUTH_b", 2000, None)];
        let checked = check_bulk_charges(&items).unwrap_or_default();
        assert_eq!(checked.len(), 2);
        assert_eq!(checked[0].to_json(), json!({"authorization": "AUTH_a", "amount": 10000, "reference": "r-1"}));
    }

    #[test]
    fn reports_every_problem_with_its_index() {
        let items = vec![
            json!({"authorization": "", "amount": 0}),
            json!({"authorization": "AUTH_x", "amount": "12a", "reference": "Bad Ref"}),
            json!({"authorization": "AUTH_y", "amount": 5, "colour": "red"}),
        ];
        let Err(err) = check_bulk_charges(&items) else { panic!("accepted bad items") };
        let found: Vec<_> = err.issues.iter().map(|i| i.location()).collect();
        assert_eq!(
            found,
            [
                "charges[0].authorization",
                "charges[0].amount",
                "charges[1].amount",
                "charges[1].reference",
                "charges[2].colour"
            ]
        );
    }

    #[test]
    fn duplicate_references_and_repeated_authorizations() {
        let items = vec![
            item("AUTH_a", 100, Some("r1")),
            item("AUTH_b", 100, Some("r1")),
            item("AUTH_c", 100, None),
            item("AUTH_c", 200, None),
            item("AUTH_d", 100, Some("d1")),
            item("AUTH_d", 100, Some("d2")),
        ];
        let Err(err) = check_bulk_charges(&items) else { panic!("accepted duplicates") };
        let found: Vec<_> = err.issues.iter().map(|i| i.location()).collect();
        assert_eq!(found, ["charges[1].reference", "charges[2].reference", "charges[3].reference"]);
    }

    #[test]
    fn batch_size_limits() {
        assert!(check_bulk_charges(&[]).is_err());
        let many: Vec<_> = (0..1001).map(|i| item("AUTH_a", 100, Some(&format!("r{i}")))).collect();
        let Err(err) = check_bulk_charges(&many) else { panic!("accepted 1001") };
        assert_eq!(err.issues.len(), 1);
        assert!(check_bulk_charges(&many[..1000]).is_ok());
    }

    #[test]
    fn partial_debit_fields() {
        let ok = json!({"authorization": "AUTH_a", "amount": 1000, "attempt_partial_debit": true, "at_least": 500, "metadata": {"k": 1}});
        assert!(BulkChargeItem::from_json(None, &ok).is_ok());
        let bad = json!({"authorization": "AUTH_a", "amount": 1000, "at_least": 5000, "attempt_partial_debit": "yes"});
        let Err(issues) = BulkChargeItem::from_json(None, &bad) else { panic!("accepted") };
        let fields: Vec<_> = issues.iter().map(|i| i.field.as_str()).collect();
        assert_eq!(fields, ["attempt_partial_debit", "at_least", "at_least"]);
    }

    #[test]
    fn bulk_reference_charset() {
        assert!(is_bulk_reference("my_reference-3"));
        assert!(!is_bulk_reference("My_reference"));
        assert!(!is_bulk_reference("a.b"));
    }
}
