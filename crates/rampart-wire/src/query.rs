//! awsQuery input: the services that speak it and [`QueryParams`], the decoded
//! form parameters (wire-protocols.md §1.1).
//!
//! Decoding is strict where AWS is: a bad `%XX` escape, invalid UTF-8 or a
//! repeated key is an error, never a guess and never a panic. This module knows
//! the flattening rules (`Name.member.N`, `Name.member.N.Field`, `Name=` for an
//! empty list) but nothing about any particular operation.

use std::collections::BTreeMap;
use std::ops::Bound;

use crate::error::{ErrorCode, WireError};

/// A service that speaks awsQuery.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QueryService {
    /// IAM, API version `2010-05-08`.
    Iam,
    /// STS, API version `2011-06-15`.
    Sts,
}

impl QueryService {
    /// The service for an awsQuery `Version` parameter.
    #[must_use]
    pub fn from_version(version: &str) -> Option<Self> {
        match version {
            "2010-05-08" => Some(Self::Iam),
            "2011-06-15" => Some(Self::Sts),
            _ => None,
        }
    }

    /// The API version (`Version` parameter).
    #[must_use]
    pub fn version(self) -> &'static str {
        match self {
            Self::Iam => "2010-05-08",
            Self::Sts => "2011-06-15",
        }
    }

    /// The XML namespace of responses and error documents.
    #[must_use]
    pub fn namespace(self) -> &'static str {
        match self {
            Self::Iam => "https://iam.amazonaws.com/doc/2010-05-08/",
            Self::Sts => "https://sts.amazonaws.com/doc/2011-06-15/",
        }
    }

    /// The SigV4 signing name that must appear in the credential scope.
    #[must_use]
    pub fn signing_name(self) -> &'static str {
        match self {
            Self::Iam => "iam",
            Self::Sts => "sts",
        }
    }
}

/// Decoded awsQuery parameters: unique keys, UTF-8 values.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueryParams {
    map: BTreeMap<String, String>,
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

fn malformed(message: String) -> WireError {
    WireError::new(ErrorCode::MalformedQueryString, message)
}

/// Decodes one form component: `+` is a space, `%XX` a byte, the result UTF-8.
fn decode_component(raw: &[u8]) -> Result<String, WireError> {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while let Some(&b) = raw.get(i) {
        match b {
            b'+' => out.push(b' '),
            b'%' => {
                let (Some(&h), Some(&l)) = (raw.get(i + 1), raw.get(i + 2)) else {
                    return Err(malformed(
                        "Incomplete trailing escape % sequence".to_owned(),
                    ));
                };
                let (Some(hv), Some(lv)) = (hex(h), hex(l)) else {
                    let shown =
                        String::from_utf8_lossy(raw.get(i..i + 3).unwrap_or_default()).into_owned();
                    return Err(malformed(format!(
                        "Illegal hex character in escape % pattern: {shown}"
                    )));
                };
                out.push(hv << 4 | lv);
                i += 2;
            }
            _ => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).map_err(|_| malformed("Query string is not valid UTF-8".to_owned()))
}

impl QueryParams {
    /// Parses an `application/x-www-form-urlencoded` body or query string.
    ///
    /// ```
    /// use rampart_wire::QueryParams;
    /// let p = QueryParams::parse(b"Action=CreateUser&UserName=a+b%26c").unwrap();
    /// assert_eq!(p.get("UserName"), Some("a b&c"));
    /// ```
    ///
    /// # Errors
    /// `MalformedQueryString` for bad escapes or invalid UTF-8,
    /// `InvalidParameterValue` for a repeated key.
    pub fn parse(form: &[u8]) -> Result<Self, WireError> {
        let mut params = Self::default();
        params.extend_from(form)?;
        Ok(params)
    }

    /// Adds the parameters of another form (for example the query string of a
    /// POST); a key already present is an error (wire-protocols.md §1.1).
    ///
    /// # Errors
    /// As [`QueryParams::parse`].
    pub fn extend_from(&mut self, form: &[u8]) -> Result<(), WireError> {
        for pair in form.split(|&b| b == b'&') {
            if pair.is_empty() {
                continue;
            }
            let (k, v) = match pair.iter().position(|&b| b == b'=') {
                Some(eq) => (
                    pair.get(..eq).unwrap_or_default(),
                    pair.get(eq + 1..).unwrap_or_default(),
                ),
                None => (pair, &[][..]),
            };
            let key = decode_component(k)?;
            let value = decode_component(v)?;
            if self.map.contains_key(&key) {
                return Err(WireError::new(
                    ErrorCode::InvalidParameterValue,
                    format!("The parameter {key} is specified more than once"),
                ));
            }
            self.map.insert(key, value);
        }
        Ok(())
    }

    /// Builds parameters from pairs (tests, sub-structures). Later pairs win.
    #[must_use]
    pub fn from_pairs<K: Into<String>, V: Into<String>>(
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        Self {
            map: pairs
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        }
    }

    /// The value of `name`, if present.
    #[must_use]
    pub fn get(&self, name: &str) -> Option<&str> {
        self.map.get(name).map(String::as_str)
    }

    /// Whether there are no parameters.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Iterates over all parameters in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.map.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// Whether any key starts with `prefix`.
    #[must_use]
    pub fn has_prefix(&self, prefix: &str) -> bool {
        self.keys_with_prefix(prefix).next().is_some()
    }

    fn keys_with_prefix<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.map
            .range::<str, _>((Bound::Included(prefix), Bound::Unbounded))
            .map(|(k, _)| k.as_str())
            .take_while(move |k| k.starts_with(prefix))
    }

    /// The element indices `N` used under `name.member.N…`, checked to be
    /// exactly `1..=count`; returns `count`.
    ///
    /// # Errors
    /// `ValidationError` if an index is not a positive decimal or the indices are not contiguous from 1.
    pub fn member_count(&self, name: &str) -> Result<usize, WireError> {
        let prefix = format!("{name}.member.");
        let mut indices = std::collections::BTreeSet::new();
        for key in self.keys_with_prefix(&prefix) {
            let rest = key.get(prefix.len()..).unwrap_or_default();
            let digits = rest.split('.').next().unwrap_or_default();
            let index = digits
                .parse::<usize>()
                .ok()
                .filter(|n| *n >= 1 && digits.bytes().all(|b| b.is_ascii_digit()))
                .ok_or_else(|| bad_list(name))?;
            indices.insert(index);
        }
        let count = indices.len();
        if indices.last().is_some_and(|&last| last != count) {
            return Err(bad_list(name));
        }
        Ok(count)
    }

    /// The list `name.member.1`, `name.member.2`, …; `name=` (empty value) is an
    /// empty list; absent is an empty list too.
    ///
    /// # Errors
    /// `ValidationError` for non-contiguous indices or a non-scalar element.
    pub fn list(&self, name: &str) -> Result<Vec<&str>, WireError> {
        let count = self.member_count(name)?;
        (1..=count)
            .map(|i| {
                self.get(&format!("{name}.member.{i}"))
                    .ok_or_else(|| bad_list(name))
            })
            .collect()
    }

    /// The list of structures `name.member.N.Field`: one [`QueryParams`] per
    /// element, keys relative to the element (`Field`, `Inner.member.1`, …).
    ///
    /// # Errors
    /// `ValidationError` for non-contiguous indices or a scalar element.
    pub fn struct_list(&self, name: &str) -> Result<Vec<QueryParams>, WireError> {
        let count = self.member_count(name)?;
        (1..=count)
            .map(|i| {
                let prefix = format!("{name}.member.{i}.");
                let sub = Self::from_pairs(self.keys_with_prefix(&prefix).filter_map(|k| {
                    Some((k.get(prefix.len()..)?.to_owned(), self.get(k)?.to_owned()))
                }));
                if sub.is_empty() {
                    Err(bad_list(name))
                } else {
                    Ok(sub)
                }
            })
            .collect()
    }

    /// `name` as an `i32`.
    ///
    /// # Errors
    /// `ValidationError` if present and not a decimal integer in range.
    pub fn get_i32(&self, name: &str) -> Result<Option<i32>, WireError> {
        self.get(name)
            .map(|raw| {
                raw.trim().parse::<i32>().map_err(|_| {
                    crate::schema::single_violation(
                        Some(raw),
                        name,
                        "Member must be a valid integer",
                    )
                })
            })
            .transpose()
    }

    /// `name` as a boolean (`true`/`false`, any ASCII case).
    ///
    /// # Errors
    /// `ValidationError` if present and neither `true` nor `false`.
    pub fn get_bool(&self, name: &str) -> Result<Option<bool>, WireError> {
        self.get(name)
            .map(|raw| {
                if raw.eq_ignore_ascii_case("true") {
                    Ok(true)
                } else if raw.eq_ignore_ascii_case("false") {
                    Ok(false)
                } else {
                    Err(crate::schema::single_violation(
                        Some(raw),
                        name,
                        "Member must be a boolean",
                    ))
                }
            })
            .transpose()
    }
}

fn bad_list(name: &str) -> WireError {
    crate::schema::single_violation(
        None,
        name,
        "Member must be a list whose elements are numbered contiguously from 1",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plus_is_space_and_percent_2b_is_plus() {
        let p = QueryParams::parse(b"A=a+b&B=a%2Bb&C=%20&D=caf%C3%A9").unwrap();
        assert_eq!(p.get("A"), Some("a b"));
        assert_eq!(p.get("B"), Some("a+b"));
        assert_eq!(p.get("C"), Some(" "));
        assert_eq!(p.get("D"), Some("café"));
    }

    #[test]
    fn key_without_equals_has_empty_value_and_empty_pairs_are_skipped() {
        let p = QueryParams::parse(b"&A&&B=").unwrap();
        assert_eq!(p.get("A"), Some(""));
        assert_eq!(p.get("B"), Some(""));
    }

    #[test]
    fn duplicate_key_is_rejected() {
        let e = QueryParams::parse(b"UserName=a&UserName=b").unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidParameterValue);
        let mut p = QueryParams::parse(b"Action=X").unwrap();
        assert!(p.extend_from(b"Action=Y").is_err());
    }

    #[test]
    fn bad_percent_escapes_are_malformed() {
        let e = QueryParams::parse(b"A=%zz").unwrap_err();
        assert_eq!(e.code, ErrorCode::MalformedQueryString);
        assert_eq!(e.message, "Illegal hex character in escape % pattern: %zz");
        let e = QueryParams::parse(b"A=%4").unwrap_err();
        assert_eq!(e.message, "Incomplete trailing escape % sequence");
        assert!(QueryParams::parse(b"A=%FF").is_err());
    }

    #[test]
    fn lists_decode_in_order_and_empty_list_is_empty() {
        let p = QueryParams::parse(
            b"L.member.2=b&L.member.1=a&L.member.10=j&E=&L.member.3=c&L.member.4=d&L.member.5=e\
              &L.member.6=f&L.member.7=g&L.member.8=h&L.member.9=i",
        )
        .unwrap();
        assert_eq!(
            p.list("L").unwrap(),
            vec!["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"]
        );
        assert!(p.list("E").unwrap().is_empty());
        assert!(p.list("Absent").unwrap().is_empty());
    }

    #[test]
    fn non_contiguous_list_is_rejected() {
        let p = QueryParams::parse(b"L.member.1=a&L.member.3=c").unwrap();
        assert_eq!(p.list("L").unwrap_err().code, ErrorCode::ValidationError);
        let p = QueryParams::parse(b"L.member.0=a").unwrap();
        assert!(p.list("L").is_err());
        let p = QueryParams::parse(b"L.member.x=a").unwrap();
        assert!(p.list("L").is_err());
    }

    #[test]
    fn struct_list_strips_prefixes() {
        let p = QueryParams::parse(
            b"Tags.member.1.Key=team&Tags.member.1.Value=blue&Tags.member.2.Key=cost&Tags.member.2.Value=a+b%26c",
        )
        .unwrap();
        let tags = p.struct_list("Tags").unwrap();
        assert_eq!(tags.len(), 2);
        assert_eq!(tags[1].get("Key"), Some("cost"));
        assert_eq!(tags[1].get("Value"), Some("a b&c"));
    }

    #[test]
    fn typed_getters_report_validation_errors() {
        let p = QueryParams::parse(b"MaxItems=abc&Flag=TRUE&Bad=yes&N=7").unwrap();
        let e = p.get_i32("MaxItems").unwrap_err();
        assert_eq!(e.code, ErrorCode::ValidationError);
        assert_eq!(
            e.message,
            "1 validation error detected: Value 'abc' at 'maxItems' failed to satisfy constraint: Member must be a valid integer"
        );
        assert_eq!(p.get_i32("N").unwrap(), Some(7));
        assert_eq!(p.get_i32("Absent").unwrap(), None);
        assert_eq!(p.get_bool("Flag").unwrap(), Some(true));
        assert!(p.get_bool("Bad").is_err());
    }

    proptest::proptest! {
        #[test]
        fn parse_never_panics(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..256)) {
            let _ = QueryParams::parse(&bytes);
            let _ = crate::route::classify("POST", "/", "", &[], &bytes);
        }

        #[test]
        fn percent_encoded_values_round_trip(key in "[A-Za-z.]{1,12}", value in "\\PC{0,40}") {
            let form = format!("{}={}", crate::xml::percent_encode(&key), crate::xml::percent_encode(&value));
            let p = QueryParams::parse(form.as_bytes()).unwrap();
            proptest::prop_assert_eq!(p.get(&key), Some(value.as_str()));
        }
    }

    #[test]
    fn service_names() {
        assert_eq!(
            QueryService::from_version("2011-06-15"),
            Some(QueryService::Sts)
        );
        assert_eq!(QueryService::Iam.signing_name(), "iam");
        assert_eq!(QueryService::from_version("2012-01-01"), None);
    }
}
