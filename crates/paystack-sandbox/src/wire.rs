//! How the sandbox reads what arrives on the wire, the way Paystack's server does: request bodies
//! (JSON or forms, labelled or not) and query strings. The API reads parameters through this, and
//! the request log shows bodies as it reads them.

use std::collections::HashMap;

use serde_json::{Map, Value};

/// Why a body could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum BodyError {
    Form,
    Json(String),
}

/// Whether a content type labels JSON (`application/json`, `…+json`, any parameters).
fn labels_json(content_type: Option<&str>) -> bool {
    content_type.is_some_and(|v| {
        let media = v.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
        media == "application/json" || media.ends_with("+json")
    })
}

/// The body as a value: `Null` when empty, JSON, or a form as an object. A body that looks like
/// JSON is read as JSON whatever its label (`curl -d '{…}'` labels it a form,
/// `requests.post(data=json.dumps(…))` gives none); any other body is a form unless it is
/// labelled JSON.
pub(crate) fn parse_body(content_type: Option<&str>, body: &[u8]) -> Result<Value, BodyError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Null);
    }
    let looks_like_json = body.iter().find(|b| !b.is_ascii_whitespace()).is_some_and(|b| matches!(b, b'{' | b'['));
    if !looks_like_json && !labels_json(content_type) {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body).map_err(|_| BodyError::Form)?;
        return Ok(form_object(pairs));
    }
    serde_json::from_slice(body).map_err(|e| BodyError::Json(e.to_string()))
}

/// A form's pairs as an object. `name[]=v` appends to a list and `name[key]=v` sets a member
/// (one level: `metadata[order]=7`, `channels[]=card`), as Paystack's form parser nests them; a
/// plain name repeated keeps its first value, as the query string does.
fn form_object(pairs: Vec<(String, String)>) -> Value {
    let mut map = Map::new();
    for (key, value) in pairs {
        let value = Value::String(value);
        let nested = key.split_once('[').and_then(|(name, rest)| Some((name, rest.strip_suffix(']')?)));
        match nested {
            Some((name, "")) if !name.is_empty() => {
                if let Value::Array(list) = map.entry(name).or_insert_with(|| Value::Array(Vec::new())) {
                    list.push(value);
                }
            }
            Some((name, member)) if !name.is_empty() && !member.contains(['[', ']']) => {
                if let Value::Object(object) = map.entry(name).or_insert_with(|| Value::Object(Map::new())) {
                    object.entry(member).or_insert(value);
                }
            }
            _ => {
                map.entry(key).or_insert(value);
            }
        }
    }
    Value::Object(map)
}

/// Query parameters. A name given more than once keeps its first value: Paystack's server reads
/// a repeated name as a list and its number parsing takes the list's first element
/// (`perPage=10&perPage=20` pages by 10); the sandbox does the same for every parameter.
pub(crate) fn query_map(raw: Option<&str>) -> HashMap<String, String> {
    let pairs = raw.map(|q| serde_urlencoded::from_str::<Vec<(String, String)>>(q).unwrap_or_default());
    let mut map = HashMap::new();
    for (key, value) in pairs.unwrap_or_default() {
        map.entry(key).or_insert(value);
    }
    map
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn bodies_by_shape_and_label() {
        let form = Some("application/x-www-form-urlencoded");
        assert_eq!(parse_body(None, b"  "), Ok(Value::Null));
        assert_eq!(parse_body(None, br#"{"a": 1}"#), Ok(json!({"a": 1})));
        assert_eq!(parse_body(form, br#"[1]"#), Ok(json!([1])));
        assert_eq!(parse_body(None, b"a=1&b=x%20y"), Ok(json!({"a": "1", "b": "x y"})));
        assert_eq!(parse_body(Some("text/plain"), b"a=1"), Ok(json!({"a": "1"})));
        assert!(matches!(parse_body(Some("application/json; charset=utf-8"), b"a=1"), Err(BodyError::Json(_))));
        assert!(matches!(parse_body(Some("application/vnd.api+json"), b"{"), Err(BodyError::Json(_))));
    }

    #[test]
    fn forms_nest_one_level_and_keep_first_values() {
        let body = b"c[]=card&c[]=bank&m[k]=1&m[k]=2&m[j]=3&r=a&r=b&x[a][b]=deep&[]=odd";
        assert_eq!(
            parse_body(None, body),
            Ok(json!({"c": ["card", "bank"], "m": {"k": "1", "j": "3"}, "r": "a", "x[a][b]": "deep", "[]": "odd"}))
        );
    }

    #[test]
    fn query_names_keep_their_first_value() {
        let q = query_map(Some("perPage=10&perPage=20&page=%202"));
        assert_eq!((q["perPage"].as_str(), q["page"].as_str()), ("10", " 2"));
        assert!(query_map(None).is_empty());
    }
}
