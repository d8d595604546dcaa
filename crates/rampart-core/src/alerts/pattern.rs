//! EventBridge event patterns: parsing (with EventBridge's validation) and matching against
//! an event envelope. Pure: no I/O, no clock.
//!
//! Semantics follow the EventBridge user guide ("Creating event patterns", "Content
//! filtering"): a pattern mirrors the event's structure; every leaf is an array of
//! alternatives (OR), sibling keys are ANDed, `$or` lists alternative sub-patterns. A leaf
//! alternative is a literal (string, number, boolean, `null`: exact match, numbers compared
//! numerically) or one filter: `prefix`, `suffix` (both optionally `equals-ignore-case`),
//! `anything-but` (values, `prefix`, `suffix`, `equals-ignore-case`, `wildcard`),
//! `numeric` (up to two comparisons), `exists`, `equals-ignore-case`, `wildcard`. When the
//! event's value is an array, the leaf matches if any element does. A field absent from
//! the event matches only `{"exists": false}`; `exists` works on leaves only, so an object
//! never matches a leaf.

use serde_json::{Map, Value};

/// A validated event pattern.
#[derive(Debug, Clone, PartialEq)]
pub struct EventPattern {
    root: Node,
}

/// One object level of a pattern: fields that must all match, and `$or` groups of which
/// one alternative each must match.
#[derive(Debug, Clone, PartialEq)]
struct Node {
    fields: Vec<(String, Field)>,
    any_of: Vec<Vec<Node>>,
}

#[derive(Debug, Clone, PartialEq)]
enum Field {
    Nested(Node),
    Leaf(Vec<Matcher>),
}

#[derive(Debug, Clone, PartialEq)]
enum Matcher {
    Exact(Value),
    Prefix { text: String, ignore_case: bool },
    Suffix { text: String, ignore_case: bool },
    IgnoreCase(String),
    Wildcard(String),
    AnythingBut(Exclusion),
    Numeric(Vec<(Comparison, f64)>),
    Exists(bool),
}

#[derive(Debug, Clone, PartialEq)]
enum Exclusion {
    Values(Vec<Value>),
    Prefix(String),
    Suffix(String),
    IgnoreCase(Vec<String>),
    Wildcard(Vec<String>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Comparison {
    Eq,
    Lt,
    Le,
    Gt,
    Ge,
}

/// Why a pattern is not valid; the text follows EventBridge's `InvalidEventPatternException`
/// ("Event pattern is not valid. Reason: …").
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Event pattern is not valid. Reason: {0}")]
pub struct PatternError(String);

fn invalid<T>(reason: impl Into<String>) -> Result<T, PatternError> {
    Err(PatternError(reason.into()))
}

/// EventBridge's limit on a pattern's JSON text.
pub const MAX_PATTERN_BYTES: usize = 4096;

impl EventPattern {
    /// Parses and validates a pattern given as JSON text.
    pub fn parse(text: &str) -> Result<EventPattern, PatternError> {
        if text.len() > MAX_PATTERN_BYTES {
            return invalid(format!(
                "the pattern is over {MAX_PATTERN_BYTES} characters"
            ));
        }
        let value: Value = serde_json::from_str(text)
            .map_err(|err| PatternError(format!("the pattern is not JSON: {err}")))?;
        let Value::Object(object) = &value else {
            return invalid("Filter is not an object");
        };
        if object.is_empty() {
            return invalid("Empty objects are not allowed");
        }
        Ok(EventPattern {
            root: node(object)?,
        })
    }

    /// Whether `event` (an EventBridge envelope) matches.
    pub fn matches(&self, event: &Value) -> bool {
        self.root.matches(Some(event))
    }
}

fn node(object: &Map<String, Value>) -> Result<Node, PatternError> {
    let mut parsed = Node {
        fields: Vec::new(),
        any_of: Vec::new(),
    };
    for (key, value) in object {
        if key == "$or" {
            let Value::Array(alternatives) = value else {
                return invalid("$or must be an array of patterns");
            };
            if alternatives.len() < 2 {
                return invalid("$or needs at least two alternatives");
            }
            let group = alternatives
                .iter()
                .map(|alt| match alt {
                    Value::Object(o) if !o.is_empty() => node(o),
                    _ => invalid("each $or alternative must be a non-empty object"),
                })
                .collect::<Result<Vec<_>, _>>()?;
            parsed.any_of.push(group);
            continue;
        }
        let field = match value {
            Value::Object(o) if o.is_empty() => return invalid("Empty objects are not allowed"),
            Value::Object(o) => Field::Nested(node(o)?),
            Value::Array(items) if items.is_empty() => {
                return invalid("Empty arrays are not allowed");
            }
            Value::Array(items) => {
                Field::Leaf(items.iter().map(matcher).collect::<Result<_, _>>()?)
            }
            _ => {
                return invalid(format!("\"{key}\" must be an object or an array"));
            }
        };
        parsed.fields.push((key.clone(), field));
    }
    Ok(parsed)
}

/// One alternative of a leaf array.
fn matcher(item: &Value) -> Result<Matcher, PatternError> {
    let Value::Object(filter) = item else {
        return match item {
            Value::Array(_) => invalid("Arrays are not allowed inside arrays"),
            literal => Ok(Matcher::Exact(literal.clone())),
        };
    };
    let mut entries = filter.iter();
    let (Some((name, arg)), None) = (entries.next(), entries.next()) else {
        return invalid("a filter object holds exactly one filter");
    };
    Ok(match name.as_str() {
        "prefix" => {
            let (text, ignore_case) = affix(arg, "prefix")?;
            Matcher::Prefix { text, ignore_case }
        }
        "suffix" => {
            let (text, ignore_case) = affix(arg, "suffix")?;
            Matcher::Suffix { text, ignore_case }
        }
        "equals-ignore-case" => Matcher::IgnoreCase(string(arg, "equals-ignore-case")?),
        "wildcard" => Matcher::Wildcard(wildcard(arg)?),
        "anything-but" => Matcher::AnythingBut(exclusion(arg)?),
        "numeric" => Matcher::Numeric(numeric(arg)?),
        "exists" => match arg {
            Value::Bool(b) => Matcher::Exists(*b),
            _ => return invalid("exists match pattern must be either true or false."),
        },
        other => return invalid(format!("Unrecognized match type {other}")),
    })
}

fn string(arg: &Value, filter: &str) -> Result<String, PatternError> {
    match arg {
        Value::String(s) => Ok(s.clone()),
        _ => invalid(format!("{filter} match pattern must be a string")),
    }
}

/// A `prefix`/`suffix` argument: a string, or `{"equals-ignore-case": string}`.
fn affix(arg: &Value, filter: &str) -> Result<(String, bool), PatternError> {
    match arg {
        Value::String(s) => Ok((s.clone(), false)),
        Value::Object(o) if o.len() == 1 => match o.get("equals-ignore-case") {
            Some(Value::String(s)) => Ok((s.clone(), true)),
            _ => invalid(format!("Unsupported {filter} pattern")),
        },
        _ => invalid(format!("{filter} match pattern must be a string")),
    }
}

fn wildcard(arg: &Value) -> Result<String, PatternError> {
    let text = string(arg, "wildcard")?;
    // `\` escapes only `*` and `\` (EventBridge rejects other escapes).
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\\' && !matches!(chars.next(), Some('*' | '\\')) {
            return invalid("Invalid use of backslash escape in wildcard pattern");
        }
    }
    if text.contains("**") {
        return invalid("Consecutive wildcard characters are not allowed");
    }
    Ok(text)
}

fn exclusion(arg: &Value) -> Result<Exclusion, PatternError> {
    let strings = |v: &Value, name: &str| -> Result<Vec<String>, PatternError> {
        match v {
            Value::String(s) => Ok(vec![s.clone()]),
            Value::Array(items) if !items.is_empty() => items
                .iter()
                .map(|i| string(i, name))
                .collect::<Result<Vec<_>, _>>(),
            _ => invalid(format!("anything-but {name} must be a string or strings")),
        }
    };
    match arg {
        Value::Array(items) if items.is_empty() => invalid("Empty arrays are not allowed"),
        Value::Array(items) => {
            if items.iter().any(|i| i.is_object() || i.is_array()) {
                return invalid("Inside anything but list, start|null|boolean is not supported.");
            }
            Ok(Exclusion::Values(items.clone()))
        }
        Value::Object(o) => {
            let mut entries = o.iter();
            let (Some((name, inner)), None) = (entries.next(), entries.next()) else {
                return invalid("anything-but holds exactly one filter");
            };
            match name.as_str() {
                "prefix" => Ok(Exclusion::Prefix(string(inner, "prefix")?)),
                "suffix" => Ok(Exclusion::Suffix(string(inner, "suffix")?)),
                "equals-ignore-case" => {
                    Ok(Exclusion::IgnoreCase(strings(inner, "equals-ignore-case")?))
                }
                "wildcard" => {
                    let texts = strings(inner, "wildcard")?;
                    for text in &texts {
                        wildcard(&Value::String(text.clone()))?;
                    }
                    Ok(Exclusion::Wildcard(texts))
                }
                other => invalid(format!("Unsupported anything-but pattern: {other}")),
            }
        }
        Value::Null | Value::Bool(_) => {
            invalid("Inside anything but list, start|null|boolean is not supported.")
        }
        literal => Ok(Exclusion::Values(vec![literal.clone()])),
    }
}

/// `["<", 0, ">=", 5]`: one or two comparisons, each an operator and a number.
fn numeric(arg: &Value) -> Result<Vec<(Comparison, f64)>, PatternError> {
    let Value::Array(items) = arg else {
        return invalid("Value of numeric must be an array.");
    };
    if items.is_empty() || items.len() % 2 != 0 || items.len() > 4 {
        return invalid("numeric takes one or two (operator, number) pairs");
    }
    let mut out = Vec::new();
    for pair in items.chunks(2) {
        let (Some(Value::String(op)), Some(Value::Number(n))) = (pair.first(), pair.get(1)) else {
            return invalid("numeric takes (operator, number) pairs");
        };
        let op = match op.as_str() {
            "=" => Comparison::Eq,
            "<" => Comparison::Lt,
            "<=" => Comparison::Le,
            ">" => Comparison::Gt,
            ">=" => Comparison::Ge,
            other => return invalid(format!("Unrecognized numeric range operator: {other}")),
        };
        let Some(n) = n.as_f64() else {
            return invalid("numeric values must be numbers");
        };
        out.push((op, n));
    }
    if out.len() == 2 && out.iter().any(|(op, _)| *op == Comparison::Eq) {
        return invalid("= cannot be combined with another comparison");
    }
    Ok(out)
}

impl Node {
    /// Whether the object `value` (absent when the event has no such field) matches.
    fn matches(&self, value: Option<&Value>) -> bool {
        // An array of objects matches if one of them does.
        if let Some(Value::Array(items)) = value
            && items.iter().any(Value::is_object)
        {
            return items.iter().any(|item| self.matches(Some(item)));
        }
        let object = value.and_then(Value::as_object);
        let fields = self.fields.iter().all(|(key, field)| {
            let child = object.and_then(|o| o.get(key));
            match field {
                Field::Nested(node) => node.matches(child),
                Field::Leaf(matchers) => leaf_matches(matchers, child),
            }
        });
        fields
            && self
                .any_of
                .iter()
                .all(|group| group.iter().any(|alt| alt.matches(value)))
    }
}

fn leaf_matches(matchers: &[Matcher], value: Option<&Value>) -> bool {
    let Some(value) = value else {
        return matchers.contains(&Matcher::Exists(false));
    };
    if value.is_object() {
        return false;
    }
    matchers.iter().any(|m| match (m, value) {
        (Matcher::Exists(present), _) => *present,
        (m, Value::Array(items)) => items.iter().any(|item| m.matches_scalar(item)),
        (m, scalar) => m.matches_scalar(scalar),
    })
}

impl Matcher {
    fn matches_scalar(&self, value: &Value) -> bool {
        let text = value.as_str();
        match self {
            Matcher::Exact(expected) => same(expected, value),
            Matcher::Prefix {
                text: p,
                ignore_case,
            } => text.is_some_and(|t| affix_matches(t, p, *ignore_case, |a, b| a.starts_with(b))),
            Matcher::Suffix {
                text: s,
                ignore_case,
            } => text.is_some_and(|t| affix_matches(t, s, *ignore_case, |a, b| a.ends_with(b))),
            Matcher::IgnoreCase(expected) => text.is_some_and(|t| lower(t) == lower(expected)),
            Matcher::Wildcard(pattern) => text.is_some_and(|t| wildcard_matches(pattern, t)),
            Matcher::AnythingBut(exclusion) => !exclusion.excludes(value),
            Matcher::Numeric(comparisons) => value.as_f64().is_some_and(|n| {
                comparisons.iter().all(|(op, bound)| match op {
                    Comparison::Eq => n == *bound,
                    Comparison::Lt => n < *bound,
                    Comparison::Le => n <= *bound,
                    Comparison::Gt => n > *bound,
                    Comparison::Ge => n >= *bound,
                })
            }),
            Matcher::Exists(present) => *present,
        }
    }
}

impl Exclusion {
    /// Whether the value is one `anything-but` rules out. Filters on strings rule out only
    /// strings: a number is never "a string starting with …".
    fn excludes(&self, value: &Value) -> bool {
        let text = value.as_str();
        match self {
            Exclusion::Values(values) => values.iter().any(|v| same(v, value)),
            Exclusion::Prefix(p) => text.is_some_and(|t| t.starts_with(p.as_str())),
            Exclusion::Suffix(s) => text.is_some_and(|t| t.ends_with(s.as_str())),
            Exclusion::IgnoreCase(values) => {
                text.is_some_and(|t| values.iter().any(|v| lower(v) == lower(t)))
            }
            Exclusion::Wildcard(patterns) => {
                text.is_some_and(|t| patterns.iter().any(|p| wildcard_matches(p, t)))
            }
        }
    }
}

/// Literal equality; numbers compare by value (`300` matches `300.0`).
fn same(expected: &Value, actual: &Value) -> bool {
    match (expected, actual) {
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        (a, b) => a == b,
    }
}

fn lower(text: &str) -> String {
    text.to_lowercase()
}

fn affix_matches(text: &str, affix: &str, ignore_case: bool, test: fn(&str, &str) -> bool) -> bool {
    if ignore_case {
        test(&lower(text), &lower(affix))
    } else {
        test(text, affix)
    }
}

/// One piece of a wildcard pattern.
#[derive(Debug, PartialEq, Eq)]
enum Piece {
    Literal(char),
    Any,
}

fn pieces(pattern: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        match c {
            '*' => out.push(Piece::Any),
            '\\' => out.push(Piece::Literal(chars.next().unwrap_or('\\'))),
            c => out.push(Piece::Literal(c)),
        }
    }
    out
}

/// `*` matches any run of characters (none included); `\*` and `\\` are literal.
fn wildcard_matches(pattern: &str, text: &str) -> bool {
    let pattern = pieces(pattern);
    let text: Vec<char> = text.chars().collect();
    // Greedy matching with one backtrack point: linear in practice, no recursion.
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match (pattern.get(p), text.get(t)) {
            (Some(Piece::Literal(c)), Some(ch)) if c == ch => {
                p += 1;
                t += 1;
            }
            (Some(Piece::Any), _) => {
                star = Some((p, t));
                p += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    p = sp + 1;
                    t = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    pattern.iter().skip(p).all(|piece| *piece == Piece::Any)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn matches(pattern: Value, event: Value) -> bool {
        EventPattern::parse(&pattern.to_string())
            .unwrap()
            .matches(&event)
    }

    fn sign_in(kind: &str) -> Value {
        json!({
            "version": "0", "id": "e1", "detail-type": "AWS Console Sign In via CloudTrail",
            "source": "aws.signin", "account": "123456789012", "time": "2024-05-01T16:24:34Z",
            "region": "us-east-1", "resources": [],
            "detail": {"eventName": "ConsoleLogin", "userIdentity": {"type": kind},
                       "sourceIPAddress": "192.0.2.10", "eventType": "AwsConsoleSignIn",
                       "responseElements": {"ConsoleLogin": "Success"}, "durationSeconds": 3600}
        })
    }

    #[test]
    fn the_reference_root_activity_pattern_matches_root_and_nobody_else() {
        // audit-events.md §7, the commonly used root-activity pattern.
        let pattern = json!({
            "detail-type": ["AWS API Call via CloudTrail", "AWS Console Sign In via CloudTrail"],
            "detail": {"userIdentity": {"type": ["Root"]}}
        });
        assert!(matches(pattern.clone(), sign_in("Root")));
        assert!(!matches(pattern, sign_in("IAMUser")));
    }

    #[test]
    fn exact_values_are_ored_and_keys_anded() {
        let pattern =
            json!({"source": ["aws.iam", "aws.signin"], "detail": {"eventName": ["ConsoleLogin"]}});
        assert!(matches(pattern, sign_in("Root")));
        let pattern = json!({"source": ["aws.iam"], "detail": {"eventName": ["ConsoleLogin"]}});
        assert!(!matches(pattern, sign_in("Root")));
    }

    #[test]
    fn a_field_absent_from_the_event_never_matches_except_exists_false() {
        assert!(!matches(
            json!({"detail": {"errorCode": ["AccessDenied"]}}),
            sign_in("Root")
        ));
        assert!(!matches(
            json!({"detail": {"errorCode": [{"anything-but": "x"}]}}),
            sign_in("Root")
        ));
        assert!(matches(
            json!({"detail": {"errorCode": [{"exists": false}]}}),
            sign_in("Root")
        ));
        assert!(!matches(
            json!({"detail": {"errorCode": [{"exists": true}]}}),
            sign_in("Root")
        ));
        assert!(matches(
            json!({"detail": {"eventName": [{"exists": true}]}}),
            sign_in("Root")
        ));
        // Absent intermediate objects make the leaf absent too.
        assert!(matches(
            json!({"detail": {"a": {"b": [{"exists": false}]}}}),
            sign_in("Root")
        ));
        // `exists` works on leaves only.
        assert!(!matches(
            json!({"detail": {"userIdentity": [{"exists": true}]}}),
            sign_in("Root")
        ));
    }

    #[test]
    fn prefix_suffix_and_their_ignore_case_forms() {
        let event = sign_in("Root");
        assert!(matches(
            json!({"source": [{"prefix": "aws."}]}),
            event.clone()
        ));
        assert!(!matches(
            json!({"source": [{"prefix": "AWS."}]}),
            event.clone()
        ));
        assert!(matches(
            json!({"source": [{"prefix": {"equals-ignore-case": "AWS."}}]}),
            event.clone()
        ));
        assert!(matches(
            json!({"detail": {"eventName": [{"suffix": "Login"}]}}),
            event.clone()
        ));
        assert!(matches(
            json!({"detail": {"eventName": [{"suffix": {"equals-ignore-case": "LOGIN"}}]}}),
            event.clone()
        ));
        assert!(matches(
            json!({"detail": {"eventName": [{"equals-ignore-case": "consolelogin"}]}}),
            event
        ));
    }

    #[test]
    fn anything_but_in_all_its_forms() {
        let event = sign_in("Root");
        let name = |filter: Value| json!({"detail": {"eventName": [{"anything-but": filter}]}});
        assert!(!matches(name(json!("ConsoleLogin")), event.clone()));
        assert!(matches(name(json!("CheckMfa")), event.clone()));
        assert!(!matches(
            name(json!(["CheckMfa", "ConsoleLogin"])),
            event.clone()
        ));
        assert!(!matches(name(json!({"prefix": "Console"})), event.clone()));
        assert!(matches(name(json!({"suffix": "Mfa"})), event.clone()));
        assert!(!matches(
            name(json!({"equals-ignore-case": ["consolelogin"]})),
            event.clone()
        ));
        assert!(!matches(
            name(json!({"wildcard": "Con*gin"})),
            event.clone()
        ));
        assert!(matches(name(json!({"wildcard": "Check*"})), event.clone()));
        // Numbers: anything but 3600 rules the event out; a string filter never does.
        let duration =
            |filter: Value| json!({"detail": {"durationSeconds": [{"anything-but": filter}]}});
        assert!(!matches(duration(json!(3600)), event.clone()));
        assert!(matches(duration(json!({"prefix": "36"})), event));
    }

    #[test]
    fn numeric_ranges_compare_numbers_only() {
        let event = sign_in("Root");
        let range = |r: Value| json!({"detail": {"durationSeconds": [{"numeric": r}]}});
        assert!(matches(range(json!([">", 0, "<=", 3600])), event.clone()));
        assert!(!matches(range(json!([">", 3600])), event.clone()));
        assert!(matches(range(json!(["=", 3600.0])), event.clone()));
        assert!(matches(
            json!({"detail": {"durationSeconds": [3600.0]}}),
            event.clone()
        ));
        assert!(!matches(
            json!({"detail": {"durationSeconds": ["3600"]}}),
            event.clone()
        ));
        assert!(!matches(
            json!({"detail": {"eventName": [{"numeric": [">", 0]}]}}),
            event
        ));
    }

    #[test]
    fn wildcards_with_escapes() {
        assert!(wildcard_matches("*", ""));
        assert!(wildcard_matches(
            "arn:aws:iam::*:root",
            "arn:aws:iam::123456789012:root"
        ));
        assert!(!wildcard_matches(
            "arn:aws:iam::*:root",
            "arn:aws:iam::1:user/root2"
        ));
        assert!(wildcard_matches("a*b*c", "aXXbYYbc"));
        assert!(!wildcard_matches("a*b*c", "aXXbYYb"));
        assert!(wildcard_matches(r"a\*b", "a*b"));
        assert!(!wildcard_matches(r"a\*b", "aXb"));
        let event = sign_in("Root");
        assert!(matches(
            json!({"detail-type": [{"wildcard": "AWS * via CloudTrail"}]}),
            event
        ));
    }

    #[test]
    fn or_groups_need_one_alternative() {
        let pattern = json!({"source": ["aws.signin"], "$or": [
            {"detail": {"eventName": ["CheckMfa"]}},
            {"detail": {"userIdentity": {"type": ["Root"]}}}
        ]});
        assert!(matches(pattern.clone(), sign_in("Root")));
        assert!(!matches(pattern, sign_in("IAMUser")));
    }

    #[test]
    fn array_values_in_the_event_match_if_any_element_does() {
        let event = json!({"resources": ["arn:aws:iam::1:user/a", "arn:aws:iam::1:role/r"],
                           "detail": {"resources": [{"type": "AWS::IAM::User"}, {"type": "AWS::IAM::Role"}]}});
        assert!(matches(
            json!({"resources": [{"suffix": "role/r"}]}),
            event.clone()
        ));
        assert!(matches(
            json!({"detail": {"resources": {"type": ["AWS::IAM::Role"]}}}),
            event.clone()
        ));
        assert!(!matches(
            json!({"detail": {"resources": {"type": ["AWS::IAM::Group"]}}}),
            event
        ));
    }

    #[test]
    fn invalid_patterns_are_refused_with_eventbridge_reasons() {
        for bad in [
            "[]",
            "{}",
            r#"{"source": "aws.iam"}"#,
            r#"{"source": []}"#,
            r#"{"source": [{"exists": "yes"}]}"#,
            r#"{"source": [{"numeric": [">"]}]}"#,
            r#"{"source": [{"numeric": ["!", 1]}]}"#,
            r#"{"source": [{"unknown": 1}]}"#,
            r#"{"source": [{"prefix": 1}]}"#,
            r#"{"source": [{"wildcard": "a**"}]}"#,
            r#"{"source": [{"anything-but": null}]}"#,
            r#"{"$or": [{"source": ["a"]}]}"#,
            "not json",
        ] {
            let err = EventPattern::parse(bad).unwrap_err();
            assert!(
                err.to_string()
                    .starts_with("Event pattern is not valid. Reason: "),
                "{bad}: {err}"
            );
        }
    }
}
