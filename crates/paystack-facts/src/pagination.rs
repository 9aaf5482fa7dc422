//! Offset and cursor pagination, and the `from` / `to` filters (docs/paystack-api.md §2.4).

/// The page-size query parameter: camelCase on the wire.
pub const PER_PAGE: &str = "perPage";
/// The snake_case spelling some OAS lists use; a faithful server honours it as an alias.
pub const PER_PAGE_ALIAS: &str = "per_page";
pub const PAGE: &str = "page";
/// Page size when none is given. Paystack documents no maximum.
pub const DEFAULT_PER_PAGE: u64 = 50;
pub const DEFAULT_PAGE: u64 = 1;

/// Cursor pagination of GET /transaction: `use_cursor=true`, then `next` / `previous`.
pub const USE_CURSOR: &str = "use_cursor";
pub const NEXT: &str = "next";
pub const PREVIOUS: &str = "previous";

/// Start of a date range: "A timestamp … e.g. 2016-09-24T00:00:05.000Z, 2016-09-21".
pub const FROM: &str = "from";
/// End of a date range.
pub const TO: &str = "to";

/// The widest UTC offset a `from` / `to` datetime may carry, in minutes (±14:00, the range of
/// offsets in use; ISO 8601 allows no more in practice).
pub const MAX_UTC_OFFSET_MINUTES: u32 = 14 * 60;
