//! Reading a list answer's paging while its envelope is checked: `meta` (page, pageCount,
//! perPage, total, next) and each item's `id` and `createdAt`, in one pass that skips the rest.
//! The pager decides from this what to fetch next and which items are new; the values
//! themselves are built later, by whoever consumes the page (Python objects, or columns).

use std::borrow::Cow;
use std::fmt;

use serde::Deserializer;
use serde::de::{Deserialize, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};

use crate::envelope::{Bytes, CheckedBody, Decoded, Decoder, EnvelopeFields, HasEnvelope, describe_json_error};
use crate::pager::{PageInfo, PagedBody};

/// A list answer checked but not built: its bytes, envelope fields and paging.
#[derive(Debug, Clone)]
pub struct CheckedPage {
    pub body: CheckedBody,
    pub info: PageInfo,
}

impl HasEnvelope for CheckedPage {
    fn envelope(&self) -> &EnvelopeFields {
        &self.body.envelope
    }
}

impl PagedBody for CheckedPage {
    fn info(&self) -> &PageInfo {
        &self.info
    }
}

/// Decodes list answers into `CheckedPage`s.
#[derive(Debug, Clone, Copy, Default)]
pub struct PageInfoDecoder;

impl Decoder for PageInfoDecoder {
    type Output = CheckedPage;
    fn decode(&self, bytes: &Bytes) -> Result<CheckedPage, String> {
        let (envelope, info) = decode_page(bytes, &mut KeysOnly)?;
        Ok(CheckedPage { body: Decoded { value: bytes.clone(), envelope }, info })
    }
}

/// What a page decoder does with each item of `data`; the item's id and createdAt go to the
/// `PageInfo` (`note`), and anything else it keeps is its own.
pub(crate) trait PageItems<'de> {
    type Item: Deserialize<'de>;
    fn push(&mut self, item: Self::Item, info: &mut PageInfo);
}

/// Reads a page: the envelope, `meta`, and each item of `data` through `items`, in one pass.
pub(crate) fn decode_page<'de, P: PageItems<'de>>(
    bytes: &'de [u8],
    items: &mut P,
) -> Result<(EnvelopeFields, PageInfo), String> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let parsed = de.deserialize_any(PageVisitor { items }).map_err(|e| describe_json_error(&e, bytes.len()))?;
    de.end().map_err(|e| describe_json_error(&e, bytes.len()))?;
    Ok(parsed)
}

/// Records an item's id and createdAt in the page's info.
pub(crate) fn note(info: &mut PageInfo, id: Option<i64>, created_at: Option<&str>) {
    info.ids.push(id);
    if let Some(created) = created_at {
        if info.newest.as_deref().is_none_or(|n| created > n) {
            info.newest = Some(created.to_owned());
        }
    }
}

/// Keeps nothing but the paging.
struct KeysOnly;

impl<'de> PageItems<'de> for KeysOnly {
    type Item = ItemKeys<'de>;
    fn push(&mut self, item: ItemKeys<'de>, info: &mut PageInfo) {
        note(info, item.id, item.created_at.as_deref());
    }
}

/// A JSON scalar read leniently: what paging needs to know of a value, whatever its type.
#[derive(Debug, Default)]
pub(crate) enum Scalar<'de> {
    #[default]
    Other,
    Null,
    Bool(bool),
    Int(i64),
    Str(Cow<'de, str>),
}

impl Scalar<'_> {
    /// A non-negative integer, or a string of one (Paystack may echo `perPage` as a string).
    pub(crate) fn as_u64(&self) -> Option<u64> {
        match self {
            Scalar::Int(n) => u64::try_from(*n).ok(),
            Scalar::Str(s) => s.trim().parse().ok(),
            _ => None,
        }
    }
}

impl<'de: 'a, 'a> serde::Deserialize<'de> for Scalar<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ScalarVisitor(std::marker::PhantomData))
    }
}

struct ScalarVisitor<'a>(std::marker::PhantomData<&'a ()>);

impl<'de: 'a, 'a> Visitor<'de> for ScalarVisitor<'a> {
    type Value = Scalar<'a>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_unit<E>(self) -> Result<Scalar<'a>, E> {
        Ok(Scalar::Null)
    }
    fn visit_none<E>(self) -> Result<Scalar<'a>, E> {
        Ok(Scalar::Null)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Scalar<'a>, E> {
        Ok(Scalar::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Scalar<'a>, E> {
        Ok(Scalar::Int(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Scalar<'a>, E> {
        Ok(i64::try_from(v).map_or(Scalar::Other, Scalar::Int))
    }
    fn visit_f64<E>(self, _: f64) -> Result<Scalar<'a>, E> {
        Ok(Scalar::Other)
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Scalar<'a>, E> {
        Ok(Scalar::Str(Cow::Borrowed(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<Scalar<'a>, E> {
        Ok(Scalar::Str(Cow::Owned(v.to_owned())))
    }
    fn visit_string<E>(self, v: String) -> Result<Scalar<'a>, E> {
        Ok(Scalar::Str(Cow::Owned(v)))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Scalar<'a>, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Scalar::Other)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Scalar<'a>, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Scalar::Other)
    }
}

struct PageVisitor<'a, P> {
    items: &'a mut P,
}

impl<'de, P: PageItems<'de>> Visitor<'de> for PageVisitor<'_, P> {
    type Value = (EnvelopeFields, PageInfo);

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON document")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut envelope = EnvelopeFields { is_object: true, ..EnvelopeFields::default() };
        let mut info = PageInfo::default();
        let text = |s: Scalar<'_>| match s {
            Scalar::Str(s) => Some(s.into_owned()),
            _ => None,
        };
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            match key.as_ref() {
                "status" => {
                    envelope.status = match map.next_value::<Scalar<'_>>()? {
                        Scalar::Bool(b) => Some(b),
                        _ => None,
                    }
                }
                "message" => envelope.message = text(map.next_value()?),
                "code" => envelope.code = text(map.next_value()?),
                "type" => envelope.kind = text(map.next_value()?),
                "data" => map.next_value_seed(ItemsSeed { info: &mut info, items: &mut *self.items })?,
                "meta" => map.next_value_seed(MetaSeed(&mut info))?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok((envelope, info))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Default::default())
    }
    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(Default::default())
    }
    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(Default::default())
    }
    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(Default::default())
    }
    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(Default::default())
    }
    fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
        Ok(Default::default())
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Default::default())
    }
}

/// `meta`: the paging fields; anything that is not an object leaves them unknown.
struct MetaSeed<'a>(&'a mut PageInfo);

impl<'de> DeserializeSeed<'de> for MetaSeed<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for MetaSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("meta")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            let value: Scalar<'_> = map.next_value()?;
            match key.as_ref() {
                "page" => self.0.page = value.as_u64(),
                "pageCount" => self.0.page_count = value.as_u64(),
                "perPage" => self.0.per_page = value.as_u64(),
                "total" => self.0.total = value.as_u64(),
                "next" => {
                    self.0.has_cursor = true;
                    self.0.next = match value {
                        Scalar::Str(s) if !s.is_empty() => Some(s.into_owned()),
                        _ => None,
                    };
                }
                _ => {}
            }
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
}

/// `data`: each item through the decoder's `PageItems` (a `data` that is not a list has none).
struct ItemsSeed<'a, P> {
    info: &'a mut PageInfo,
    items: &'a mut P,
}

impl<'de, P: PageItems<'de>> DeserializeSeed<'de> for ItemsSeed<'_, P> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de, P: PageItems<'de>> Visitor<'de> for ItemsSeed<'_, P> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("data")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(item) = seq.next_element::<P::Item>()? {
            self.items.push(item, self.info);
        }
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
}

/// The two fields of an item paging needs.
#[derive(Default)]
pub(crate) struct ItemKeys<'de> {
    id: Option<i64>,
    created_at: Option<Cow<'de, str>>,
}

impl<'de> serde::Deserialize<'de> for ItemKeys<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ItemKeysVisitor)
    }
}

struct ItemKeysVisitor;

impl<'de> Visitor<'de> for ItemKeysVisitor {
    type Value = ItemKeys<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an item")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ItemKeys<'de>, A::Error> {
        let mut item = ItemKeys::default();
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            match key.as_ref() {
                "id" => {
                    item.id = match map.next_value::<Scalar<'de>>()? {
                        Scalar::Int(n) => Some(n),
                        _ => None,
                    }
                }
                "createdAt" => {
                    item.created_at = match map.next_value::<Scalar<'de>>()? {
                        Scalar::Str(s) => Some(s),
                        _ => None,
                    }
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(item)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<ItemKeys<'de>, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(ItemKeys::default())
    }
    fn visit_unit<E>(self) -> Result<ItemKeys<'de>, E> {
        Ok(ItemKeys::default())
    }
    fn visit_bool<E>(self, _: bool) -> Result<ItemKeys<'de>, E> {
        Ok(ItemKeys::default())
    }
    fn visit_i64<E>(self, _: i64) -> Result<ItemKeys<'de>, E> {
        Ok(ItemKeys::default())
    }
    fn visit_u64<E>(self, _: u64) -> Result<ItemKeys<'de>, E> {
        Ok(ItemKeys::default())
    }
    fn visit_f64<E>(self, _: f64) -> Result<ItemKeys<'de>, E> {
        Ok(ItemKeys::default())
    }
    fn visit_str<E>(self, _: &str) -> Result<ItemKeys<'de>, E> {
        Ok(ItemKeys::default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::envelope::{EnvelopeDecoder, JsonDecoder, check_envelope};

    fn decode(text: &str) -> CheckedPage {
        PageInfoDecoder.decode(&Bytes::from(text.to_owned())).unwrap_or_else(|e| panic!("{e}: {text}"))
    }

    #[test]
    fn offset_meta_and_items() {
        let page = decode(
            r#"{"status":true,"message":"Transactions retrieved","data":[
                {"id":3,"createdAt":"2024-01-02T00:00:00.000Z","customer":{"id":9,"createdAt":"2030-01-01"}},
                {"id":"x","createdAt":"2024-01-03T00:00:00.000Z"},{"createdAt":null},7],
                "meta":{"total":10,"skipped":0,"perPage":"3","page":1,"pageCount":4}}"#,
        );
        assert_eq!(page.info.ids, vec![Some(3), None, None, None]);
        assert_eq!(page.info.newest.as_deref(), Some("2024-01-03T00:00:00.000Z"));
        assert_eq!(
            (page.info.page, page.info.page_count, page.info.per_page, page.info.total),
            (Some(1), Some(4), Some(3), Some(10))
        );
        assert!(!page.info.is_cursor());
        assert_eq!(page.body.envelope.status, Some(true));
        assert_eq!(page.body.envelope.message.as_deref(), Some("Transactions retrieved"));
    }

    #[test]
    fn cursor_meta() {
        let page = decode(r#"{"status":true,"data":[],"meta":{"next":"abc","previous":null,"perPage":50}}"#);
        assert!(page.info.is_cursor());
        assert_eq!(page.info.next.as_deref(), Some("abc"));
        let last = decode(r#"{"status":true,"data":[{"id":1}],"meta":{"next":null,"previous":"x","perPage":50}}"#);
        assert!(last.info.is_cursor());
        assert_eq!(last.info.next, None);
    }

    #[test]
    fn envelopes_agree_with_the_envelope_decoder() {
        for text in [
            r#"{"status": true, "message": "ok", "data": {"a": 1}, "meta": []}"#,
            r#"{"status": false, "message": "nope", "code": "x", "type": "api_error", "data": null}"#,
            r#"{"status": "true", "message": 3, "meta": "x"}"#,
            r#"[1, 2, 3]"#,
            r#""text""#,
        ] {
            let bytes = Bytes::from(text);
            let ours = PageInfoDecoder.decode(&bytes).map(|p| check_envelope(&p)).map_err(|_| ());
            let theirs = EnvelopeDecoder.decode(&bytes).map(|b| check_envelope(&b)).map_err(|_| ());
            assert_eq!(ours, theirs, "{text}");
            assert_eq!(ours, JsonDecoder.decode(&bytes).map(|b| check_envelope(&b)).map_err(|_| ()), "{text}");
        }
        assert!(PageInfoDecoder.decode(&Bytes::from_static(br#"{"status":true,"data":[1,"#)).is_err());
        assert!(PageInfoDecoder.decode(&Bytes::from_static(b"{} x")).is_err());
    }
}
