//! The core's endpoint table, described for the Python layer, which builds every method (sync,
//! async, global class and client service) from it.

use paystack_core::value::Kind;
use paystack_core::{ENDPOINTS, Location};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

fn location(l: Location) -> &'static str {
    match l {
        Location::Path => "path",
        Location::Query => "query",
        Location::Body => "body",
        Location::WholeBody => "body",
    }
}

/// The Python annotation for a parameter kind (used for signatures and the generated stubs).
fn py_type(kind: Kind) -> &'static str {
    match kind {
        Kind::Text | Kind::Email | Kind::Currency | Kind::Reference | Kind::Choice(_) => "str",
        Kind::Segment | Kind::TransactionId => "str | int",
        Kind::Amount | Kind::PositiveInt | Kind::Count => "int",
        Kind::Boolean => "bool",
        Kind::Timestamp => "str | datetime.date",
        Kind::Channels => "Sequence[str]",
        Kind::Metadata => "Mapping[str, Any] | str",
        Kind::Object | Kind::RefundAccount => "Mapping[str, Any]",
        Kind::BulkCharges => "BulkChargeListObject | Sequence[BulkChargeItem | Mapping[str, Any]]",
    }
}

/// One dict per endpoint: qualified_name (the name `CoreClient.call` takes), resource, name,
/// method, path, summary, safety and params (each with name, wire, location, required,
/// keyword_only, kind).
#[pyfunction]
pub fn endpoints(py: Python<'_>) -> PyResult<Bound<'_, PyList>> {
    let list = PyList::empty(py);
    for e in ENDPOINTS {
        let d = PyDict::new(py);
        d.set_item("qualified_name", e.qualified_name())?;
        d.set_item("resource", e.resource.as_str())?;
        d.set_item("name", e.name)?;
        d.set_item("method", e.method.as_str())?;
        d.set_item("path", e.path)?;
        d.set_item("summary", e.summary)?;
        d.set_item("safety", format!("{:?}", e.safety))?;
        let params = PyList::empty(py);
        for p in e.params {
            let pd = PyDict::new(py);
            pd.set_item("name", p.name)?;
            pd.set_item("wire", p.wire)?;
            pd.set_item("location", location(p.location))?;
            pd.set_item("required", p.required)?;
            pd.set_item("keyword_only", p.keyword_only)?;
            pd.set_item("kind", p.kind.describe())?;
            pd.set_item("py_type", py_type(p.kind))?;
            let choices: Vec<&str> = match p.kind {
                Kind::Choice(options) => options.to_vec(),
                _ => Vec::new(),
            };
            pd.set_item("choices", choices)?;
            params.append(pd)?;
        }
        d.set_item("params", params)?;
        list.append(d)?;
    }
    Ok(list)
}
