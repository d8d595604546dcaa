//! The `Condition` element: operators, their value literals and their evaluation.
//!
//! Owns the operator table of `policy-language.md` §6.2 (every family, `…IfExists`,
//! `ForAnyValue:`/`ForAllValues:`), the conversion of policy literals at parse time (so a
//! malformed date or CIDR is a malformed document, not a silent false) and the rules for
//! absent, empty and multivalued keys of §6.3. It knows nothing of statements or effects.

use std::net::IpAddr;

use ipnet::IpNet;

use crate::arn::ArnPattern;
use crate::context::{ContextValue, RequestContext, Timestamp};
use crate::variables::Template;

/// A comparison for the numeric and date families.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cmp {
    Eq,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Cmp {
    fn holds<T: PartialOrd>(self, request: &T, policy: &T) -> bool {
        match self {
            Cmp::Eq => request == policy,
            Cmp::Lt => request < policy,
            Cmp::Le => request <= policy,
            Cmp::Gt => request > policy,
            Cmp::Ge => request >= policy,
        }
    }
}

/// The operator family, without negation or qualifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Family {
    String { ignore_case: bool },
    StringLike,
    Numeric(Cmp),
    Date(Cmp),
    Bool,
    Binary,
    Ip,
    Arn,
    Null,
}

/// How a condition treats multivalued keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SetOp {
    Single,
    ForAnyValue,
    ForAllValues,
}

/// A fully decoded operator name such as `ForAnyValue:StringNotLikeIfExists`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Operator {
    pub(crate) family: Family,
    pub(crate) negated: bool,
    pub(crate) if_exists: bool,
    pub(crate) set: SetOp,
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    if head.eq_ignore_ascii_case(prefix) {
        s.get(prefix.len()..)
    } else {
        None
    }
}

fn strip_suffix_ci<'a>(s: &'a str, suffix: &str) -> Option<&'a str> {
    let cut = s.len().checked_sub(suffix.len())?;
    let tail = s.get(cut..)?;
    if tail.eq_ignore_ascii_case(suffix) {
        s.get(..cut)
    } else {
        None
    }
}

impl Operator {
    /// Decodes an operator name; `None` for unknown operators (a malformed document, never
    /// silently true). Operator names are matched case-insensitively (*choice*).
    pub(crate) fn parse(name: &str) -> Option<Operator> {
        let (set, base) = if let Some(rest) = strip_prefix_ci(name, "ForAnyValue:") {
            (SetOp::ForAnyValue, rest)
        } else if let Some(rest) = strip_prefix_ci(name, "ForAllValues:") {
            (SetOp::ForAllValues, rest)
        } else {
            (SetOp::Single, name)
        };
        let (base, if_exists) = match strip_suffix_ci(base, "IfExists") {
            Some(b) => (b, true),
            None => (base, false),
        };
        let (family, negated) = match base.to_ascii_lowercase().as_str() {
            "stringequals" => (Family::String { ignore_case: false }, false),
            "stringnotequals" => (Family::String { ignore_case: false }, true),
            "stringequalsignorecase" => (Family::String { ignore_case: true }, false),
            "stringnotequalsignorecase" => (Family::String { ignore_case: true }, true),
            "stringlike" => (Family::StringLike, false),
            "stringnotlike" => (Family::StringLike, true),
            "numericequals" => (Family::Numeric(Cmp::Eq), false),
            "numericnotequals" => (Family::Numeric(Cmp::Eq), true),
            "numericlessthan" => (Family::Numeric(Cmp::Lt), false),
            "numericlessthanequals" => (Family::Numeric(Cmp::Le), false),
            "numericgreaterthan" => (Family::Numeric(Cmp::Gt), false),
            "numericgreaterthanequals" => (Family::Numeric(Cmp::Ge), false),
            "dateequals" => (Family::Date(Cmp::Eq), false),
            "datenotequals" => (Family::Date(Cmp::Eq), true),
            "datelessthan" => (Family::Date(Cmp::Lt), false),
            "datelessthanequals" => (Family::Date(Cmp::Le), false),
            "dategreaterthan" => (Family::Date(Cmp::Gt), false),
            "dategreaterthanequals" => (Family::Date(Cmp::Ge), false),
            "bool" => (Family::Bool, false),
            "binaryequals" => (Family::Binary, false),
            "ipaddress" => (Family::Ip, false),
            "notipaddress" => (Family::Ip, true),
            "arnequals" | "arnlike" => (Family::Arn, false),
            "arnnotequals" | "arnnotlike" => (Family::Arn, true),
            "null" => (Family::Null, false),
            _ => return None,
        };
        if family == Family::Null && (if_exists || set != SetOp::Single) {
            return None;
        }
        Some(Operator {
            family,
            negated,
            if_exists,
            set,
        })
    }
}

/// The policy values of one key, converted for its operator family.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Values {
    /// String, StringLike and Bool values (templates; wildcards only for StringLike).
    Text(Vec<Template>),
    Number(Vec<f64>),
    Date(Vec<Timestamp>),
    Binary(Vec<Vec<u8>>),
    Ip(Vec<IpNet>),
    Arn(Vec<ArnPattern>),
    /// `true` = "the key must be absent".
    Null(Vec<bool>),
}

impl Values {
    /// Converts the literals; `None` when one is malformed for the family ("The policy failed
    /// legacy parsing").
    pub(crate) fn compile(family: Family, raw: &[String], variables: bool) -> Option<Values> {
        Some(match family {
            Family::String { .. } | Family::Bool => Values::Text(
                raw.iter()
                    .map(|v| Template::new(v, false, variables))
                    .collect(),
            ),
            Family::StringLike => Values::Text(
                raw.iter()
                    .map(|v| Template::new(v, true, variables))
                    .collect(),
            ),
            Family::Numeric(_) => Values::Number(
                raw.iter()
                    .map(|v| parse_number(v))
                    .collect::<Option<Vec<_>>>()?,
            ),
            // A value AWS's lax date grammar accepts but that names no instant (`01T`)
            // passes validation and matches nothing.
            Family::Date(_) => Values::Date(
                raw.iter()
                    .filter_map(|v| match Timestamp::parse(v) {
                        Some(t) => Some(Some(t)),
                        None => (!lax_date(v)).then_some(None),
                    })
                    .collect::<Option<Vec<_>>>()?,
            ),
            Family::Binary => Values::Binary(
                raw.iter()
                    .map(|v| base64_decode(v))
                    .collect::<Option<Vec<_>>>()?,
            ),
            Family::Ip => Values::Ip(
                raw.iter()
                    .map(|v| parse_cidr(v))
                    .collect::<Option<Vec<_>>>()?,
            ),
            Family::Arn => Values::Arn(
                raw.iter()
                    .map(|v| ArnPattern::new(v, variables, false))
                    .collect(),
            ),
            Family::Null => Values::Null(
                raw.iter()
                    .map(|v| match v.to_ascii_lowercase().as_str() {
                        "true" => Some(true),
                        "false" => Some(false),
                        _ => None,
                    })
                    .collect::<Option<Vec<_>>>()?,
            ),
        })
    }
}

/// Whether `text` has the shape AWS's validator accepts for a date literal even when it is no
/// date: an `i64` (epoch), or `D[T][time][zone]` with `D` a 4-digit year optionally followed
/// by `-M` and `-D`, or one or two digits before a `T`; `time` is `h[:m[:s[.f]]]` (one or
/// two digits each, 1 to 9 fraction digits); `zone` is `Z` or `±hh[[:]mm]`. Cases from AWS's
/// answers recorded in moto's `test_iam_policies.py` (`01T` and
/// `2016-12-13t2:00:00.593194+23` pass; `234-13`, `…+1` and ten fraction digits fail).
fn lax_date(text: &str) -> bool {
    if text.parse::<i64>().is_ok() {
        return true;
    }
    let b = text.as_bytes();
    let mut i = 0;
    let digits = |i: &mut usize, min: usize, max: usize| {
        let start = *i;
        while *i < b.len() && *i - start < max && b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - start >= min
    };
    let year = digits(&mut i, 1, 4);
    let long_year = i == 4;
    if !year {
        return false;
    }
    let is = |i: usize, c: u8| b.get(i) == Some(&c);
    if long_year {
        for _ in 0..2 {
            if is(i, b'-') {
                i += 1;
                if !digits(&mut i, 1, 2) {
                    return false;
                }
            }
        }
    } else if !matches!(b.get(i), Some(b'T' | b't')) || i > 2 {
        return false;
    }
    if matches!(b.get(i), Some(b'T' | b't')) {
        i += 1;
        if digits(&mut i, 1, 2) {
            let mut parts = 0;
            while parts < 2 && is(i, b':') {
                i += 1;
                if !digits(&mut i, 1, 2) {
                    return false;
                }
                parts += 1;
            }
            if parts == 2 && is(i, b'.') {
                i += 1;
                if !digits(&mut i, 1, 9) || b.get(i).is_some_and(u8::is_ascii_digit) {
                    return false;
                }
            }
        }
    }
    match b.get(i) {
        None => true,
        Some(b'Z' | b'z') => i + 1 == b.len(),
        Some(b'+' | b'-') => {
            i += 1;
            if !digits(&mut i, 2, 2) {
                return false;
            }
            if is(i, b':') {
                i += 1;
            }
            if i < b.len() && !digits(&mut i, 2, 2) {
                return false;
            }
            i == b.len()
        }
        Some(_) => false,
    }
}

fn parse_number(text: &str) -> Option<f64> {
    let t = text.trim();
    if t.is_empty()
        || !t
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E'))
    {
        return None;
    }
    t.parse::<f64>().ok().filter(|n| n.is_finite())
}

/// An address without a prefix means the single host (`/32`, `/128`).
fn parse_cidr(text: &str) -> Option<IpNet> {
    let t = text.trim();
    if let Ok(net) = t.parse::<IpNet>() {
        return Some(net);
    }
    t.parse::<IpAddr>().ok().map(IpNet::from)
}

fn base64_value(b: u8) -> Option<u32> {
    Some(u32::from(match b {
        b'A'..=b'Z' => b - b'A',
        b'a'..=b'z' => b - b'a' + 26,
        b'0'..=b'9' => b - b'0' + 52,
        b'+' | b'-' => 62,
        b'/' | b'_' => 63,
        _ => return None,
    }))
}

/// Standard (or URL-safe) base64, padding optional.
pub(crate) fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let body = text.trim().trim_end_matches('=');
    let mut out = Vec::with_capacity(body.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0u32;
    for b in body.bytes() {
        acc = (acc << 6) | base64_value(b)?;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(u8::try_from((acc >> bits) & 0xFF).ok()?);
        }
    }
    if bits >= 6 {
        return None;
    }
    Some(out)
}

/// One key under one operator, with its compiled values.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct KeyCondition {
    /// Key name as written.
    pub(crate) name: String,
    /// Lowercase key name used for lookup.
    pub(crate) lower: String,
    /// Values as written (JSON numbers and booleans in their text form).
    pub(crate) raw: Vec<String>,
    /// The value was written as a JSON array.
    pub(crate) raw_is_list: bool,
    pub(crate) values: Values,
}

/// One operator of a condition block with its keys (AND).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct OperatorBlock {
    /// Operator name as written.
    pub(crate) name: String,
    pub(crate) op: Operator,
    pub(crate) keys: Vec<KeyCondition>,
}

/// A statement's `Condition` element: every operator and every key must hold (§6.1).
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Condition {
    pub(crate) blocks: Vec<OperatorBlock>,
}

impl Condition {
    /// True when every operator block holds. An empty block is vacuously true (*choice*).
    pub(crate) fn holds(&self, ctx: &RequestContext) -> bool {
        self.blocks
            .iter()
            .all(|b| b.keys.iter().all(|k| key_holds(b.op, k, ctx)))
    }
}

fn key_holds(op: Operator, key: &KeyCondition, ctx: &RequestContext) -> bool {
    let value = ctx.get_lower(&key.lower);
    if let Values::Null(expect_absent) = &key.values {
        let present = value.is_some();
        return expect_absent.iter().any(|absent| *absent != present);
    }
    let Some(value) = value else {
        // Absent key (§6.3 first column).
        return op.if_exists
            || match op.set {
                SetOp::ForAllValues => true,
                SetOp::ForAnyValue => false,
                SetOp::Single => op.negated,
            };
    };
    let one = |v: &ContextValue| {
        let positive = match &key.values {
            Values::Text(list) => list.iter().any(|t| text_matches(op.family, t, v, ctx)),
            Values::Number(list) => match request_number(v) {
                Some(n) => list.iter().any(|p| cmp_of(op.family).holds(&n, p)),
                None => false,
            },
            Values::Date(list) => match request_date(v) {
                Some(t) => list.iter().any(|p| cmp_of(op.family).holds(&t, p)),
                None => false,
            },
            Values::Binary(list) => list.iter().any(|p| binary_equals(v, p)),
            Values::Ip(list) => match request_ip(v) {
                Some(ip) => list.iter().any(|net| net.contains(&ip)),
                None => false,
            },
            Values::Arn(list) => match v {
                ContextValue::String(s) => list.iter().any(|p| p.matches_text(s, ctx)),
                _ => false,
            },
            Values::Null(_) => false,
        };
        // Negated operators: the request value must match none of the policy values.
        positive != op.negated
    };
    match value {
        ContextValue::List(items) => match op.set {
            SetOp::ForAnyValue => items.iter().any(one),
            SetOp::ForAllValues => items.iter().all(one),
            // A plain operator on a multivalued key: one value is that value; none is like
            // "no match"; several never match, negated or not (*choice*, §6.3).
            SetOp::Single => match items.as_slice() {
                [] => op.negated,
                [only] => one(only),
                _ => false,
            },
        },
        single => one(single),
    }
}

fn cmp_of(family: Family) -> Cmp {
    match family {
        Family::Numeric(c) | Family::Date(c) => c,
        _ => Cmp::Eq,
    }
}

fn text_matches(
    family: Family,
    pattern: &Template,
    v: &ContextValue,
    ctx: &RequestContext,
) -> bool {
    let Some(text) = v.as_text() else {
        return false;
    };
    let ignore_case = matches!(family, Family::String { ignore_case: true } | Family::Bool);
    pattern.matches(&text, ctx, ignore_case)
}

fn request_number(v: &ContextValue) -> Option<f64> {
    match v {
        ContextValue::Number(n) => Some(*n),
        ContextValue::String(s) => parse_number(s),
        ContextValue::Date(t) => {
            #[expect(
                clippy::cast_precision_loss,
                reason = "epoch seconds fit f64 until 2^53"
            )]
            let secs = t.epoch_seconds() as f64;
            Some(secs)
        }
        _ => None,
    }
}

fn request_date(v: &ContextValue) -> Option<Timestamp> {
    match v {
        ContextValue::Date(t) => Some(*t),
        ContextValue::String(s) => Timestamp::parse(s),
        ContextValue::Number(n) if n.is_finite() && n.abs() < 1e15 => {
            #[expect(clippy::cast_possible_truncation, reason = "bounded above")]
            let secs = n.floor() as i64;
            Some(Timestamp::from_epoch_seconds(secs))
        }
        _ => None,
    }
}

fn request_ip(v: &ContextValue) -> Option<IpAddr> {
    match v {
        ContextValue::Ip(ip) => Some(*ip),
        ContextValue::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn binary_equals(v: &ContextValue, policy: &[u8]) -> bool {
    match v {
        ContextValue::Binary(b) => b == policy,
        ContextValue::String(s) => match base64_decode(s) {
            Some(decoded) => decoded == policy,
            None => s.as_bytes() == policy,
        },
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operator_names_decode_prefixes_and_suffixes() {
        let op = Operator::parse("ForAnyValue:StringNotLikeIfExists").unwrap();
        assert_eq!(op.family, Family::StringLike);
        assert!(op.negated && op.if_exists);
        assert_eq!(op.set, SetOp::ForAnyValue);
        assert!(Operator::parse("StringEqualz").is_none());
        assert!(Operator::parse("NullIfExists").is_none());
        assert!(Operator::parse("ForAllValues:Null").is_none());
    }

    #[test]
    fn base64_decodes_with_and_without_padding() {
        assert_eq!(base64_decode("aGVsbG8=").unwrap(), b"hello");
        assert_eq!(base64_decode("aGVsbG8").unwrap(), b"hello");
        assert!(base64_decode("a").is_none());
        assert!(base64_decode("a!b=").is_none());
    }

    #[test]
    fn cidr_without_prefix_is_a_single_host() {
        let net = parse_cidr("10.0.0.1").unwrap();
        assert!(net.contains(&"10.0.0.1".parse::<IpAddr>().unwrap()));
        assert!(!net.contains(&"10.0.0.2".parse::<IpAddr>().unwrap()));
        assert!(parse_cidr("2001:db8::/32").is_some());
        assert!(parse_cidr("10.0.0.300").is_none());
    }
}
