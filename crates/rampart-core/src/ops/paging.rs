//! IAM's Marker/MaxItems paging over an ordered list.
//!
//! The marker is opaque to clients: the base64 of the key of the first item of the next
//! page, so a page boundary survives inserts and deletes elsewhere in the list.

use crate::error::CoreError;

/// IAM's default page size.
pub const DEFAULT_MAX_ITEMS: i32 = rampart_wire::iam::DEFAULT_MAX_ITEMS;

/// One page of `items` (ordered by `key`), whether more follow, and the next marker.
pub fn page<T>(
    items: Vec<T>,
    marker: Option<&str>,
    max_items: Option<i32>,
    key: impl Fn(&T) -> String,
) -> Result<(Vec<T>, bool, Option<String>), CoreError> {
    let start = start_key(marker)?;
    Ok(page_from(items, start.as_deref(), max_items, key))
}

/// The key a marker names (the first key of its page), or `None` for the first page.
pub fn start_key(marker: Option<&str>) -> Result<Option<String>, CoreError> {
    marker
        .map(|m| {
            data_encoding::BASE64URL_NOPAD
                .decode(m.as_bytes())
                .ok()
                .and_then(|raw| String::from_utf8(raw).ok())
                .ok_or_else(|| CoreError::Validation("Invalid Marker.".to_owned()))
        })
        .transpose()
}

/// One page of `items` (ordered by `key`) from `start` on. Reads lazily: when `items`
/// already begins at `start` (an index range), a page costs O(page), not O(list).
pub fn page_from<T>(
    items: impl IntoIterator<Item = T>,
    start: Option<&str>,
    max_items: Option<i32>,
    key: impl Fn(&T) -> String,
) -> (Vec<T>, bool, Option<String>) {
    let max = usize::try_from(max_items.unwrap_or(DEFAULT_MAX_ITEMS).max(1)).unwrap_or(100);
    let mut remaining = items
        .into_iter()
        .skip_while(|item| start.is_some_and(|start| key(item).as_str() < start));
    let page: Vec<T> = remaining.by_ref().take(max).collect();
    match remaining.next() {
        Some(next) => {
            let marker = data_encoding::BASE64URL_NOPAD.encode(key(&next).as_bytes());
            (page, true, Some(marker))
        }
        None => (page, false, None),
    }
}

#[cfg(test)]
mod tests {
    use super::page;

    #[test]
    fn pages_through_every_item_once() {
        let items: Vec<String> = (0..25).map(|i| format!("user{i:03}")).collect();
        let mut seen = Vec::new();
        let mut marker = None;
        loop {
            let (chunk, truncated, next) =
                page(items.clone(), marker.as_deref(), Some(10), Clone::clone).unwrap();
            seen.extend(chunk);
            if !truncated {
                assert!(next.is_none());
                break;
            }
            marker = next;
        }
        assert_eq!(seen, items);
    }

    #[test]
    fn a_garbage_marker_is_a_validation_error() {
        let err = page(vec!["a".to_owned()], Some("!!"), None, Clone::clone).unwrap_err();
        assert!(
            matches!(err, crate::error::CoreError::Validation(ref m) if m == "Invalid Marker.")
        );
    }
}
