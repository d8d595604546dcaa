//! Fuzz target: awsQuery XML encoding is well-formed and keeps its text.
//!
//! The input is split on `|` into strings that fill an IAM `User` (as
//! `CreateUser`/`ListUsers` outputs) and an error message; when the input also
//! decodes as a `CreateUser` form, the decoded input is encoded back as the
//! server would. Every document must have balanced tags, only known entities,
//! no raw `<`/`&` in text, only characters XML 1.0 allows, and each string
//! must read back unchanged (U+FFFD for a character XML cannot carry).
#![no_main]

use libfuzzer_sys::fuzz_target;
use rampart_wire::iam::{self, CreateUserOutput, ListUsersOutput, Output, Tag, User};
use rampart_wire::{ErrorCode, Protocol, QueryParams, QueryService, Timestamp, WireError};

/// Unescapes one text run, or `None` for an unknown entity or a raw `<`/`>`.
fn unescape(text: &str) -> Option<String> {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find(['&', '<', '>']) {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let (entity, c) = [
            ("&amp;", '&'),
            ("&lt;", '<'),
            ("&gt;", '>'),
            ("&quot;", '"'),
            ("&#xD;", '\r'),
        ]
        .into_iter()
        .find(|(e, _)| tail.starts_with(e))?;
        out.push(c);
        rest = &tail[entity.len()..];
    }
    out.push_str(rest);
    Some(out)
}

/// Checks the document is well-formed and returns every text run, unescaped.
fn texts(doc: &str) -> Vec<String> {
    let mut stack: Vec<&str> = Vec::new();
    let mut found = Vec::new();
    let mut rest = doc;
    while !rest.is_empty() {
        let open = rest.find('<').unwrap_or(rest.len());
        if open > 0 {
            assert!(!stack.is_empty(), "text outside the root in {doc:?}");
            let text = unescape(&rest[..open]);
            assert!(text.is_some(), "bad text {:?} in {doc:?}", &rest[..open]);
            found.extend(text);
        }
        rest = &rest[open..];
        if rest.is_empty() {
            break;
        }
        let close = rest
            .find('>')
            .unwrap_or_else(|| panic!("unclosed tag in {doc:?}"));
        let tag = &rest[1..close];
        rest = &rest[close + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(stack.pop(), Some(name), "mismatched close in {doc:?}");
            if stack.is_empty() {
                assert!(rest.is_empty(), "content after the root in {doc:?}");
            }
        } else if tag.ends_with('/') {
            assert!(!stack.is_empty(), "empty root in {doc:?}");
        } else {
            let name = tag.split(' ').next().unwrap_or(tag);
            assert!(
                !name.is_empty() && !name.contains(['<', '&', '"']),
                "bad tag {tag:?}"
            );
            stack.push(name);
        }
    }
    assert!(stack.is_empty(), "unclosed {stack:?} in {doc:?}");
    found
}

/// A character XML 1.0 allows in a document (§2.2 `Char`), escaped or not.
fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// What a string reads back as: characters XML cannot carry become U+FFFD.
fn carried(s: &str) -> String {
    s.chars()
        .map(|c| if xml_char(c) { c } else { '\u{FFFD}' })
        .collect()
}

fn check(body: &[u8], expected: &[&str]) {
    let doc = std::str::from_utf8(body).unwrap_or_else(|e| panic!("not UTF-8: {e}"));
    assert!(
        doc.chars().all(xml_char),
        "a character XML forbids in {doc:?}"
    );
    let found = texts(doc);
    for s in expected
        .iter()
        .filter(|s| !s.is_empty())
        .map(|s| carried(s))
    {
        assert!(found.contains(&s), "{s:?} does not read back from {doc:?}");
    }
}

fn user(f: &[&str], date: i64) -> User {
    let get = |i: usize| f.get(i).copied().unwrap_or("").to_owned();
    User {
        path: get(0),
        user_name: get(1),
        user_id: get(2),
        arn: get(3),
        create_date: Timestamp(date),
        tags: vec![Tag {
            key: get(4),
            value: get(5),
        }],
        ..User::default()
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let fields: Vec<&str> = text.split('|').collect();
    // A date from the input, kept within years 0..=9999 as the wire form allows.
    let date = data
        .iter()
        .fold(0_i64, |a, &b| (a * 31 + i64::from(b)) % 253_402_300_799);
    let u = user(&fields, date);
    let r = Output::from(CreateUserOutput { user: u.clone() }).encode("CreateUser", "rid");
    check(&r.body, &fields[..fields.len().min(6)]);
    let marker = fields.get(6).map(|s| (*s).to_owned());
    let list = ListUsersOutput {
        users: vec![u.clone(), u],
        is_truncated: marker.is_some(),
        marker,
    };
    check(
        &Output::from(list).encode("ListUsers", "rid").body,
        &fields[..fields.len().min(7)],
    );
    let action = fields.last().copied().unwrap_or("");
    if !action.is_empty() && action.chars().all(|c| c.is_ascii_alphanumeric()) {
        check(&Output::Empty.encode(action, "rid").body, &[]);
    }
    let e = WireError::new(ErrorCode::ValidationError, text.as_ref());
    check(
        &e.render(Protocol::Query(QueryService::Iam), "rid").body,
        &[&text],
    );

    // A decoded `CreateUser` input, encoded back as its output.
    if let Ok(params) = QueryParams::parse(data)
        && let Ok(iam::Operation::CreateUser(input)) = iam::Operation::decode("CreateUser", &params)
    {
        let tags = input.tags.clone().unwrap_or_default();
        let path = input.path.clone().unwrap_or_else(|| "/".to_owned());
        let u = User {
            path: path.clone(),
            user_name: input.user_name.clone(),
            tags,
            ..User::default()
        };
        let r = Output::from(CreateUserOutput { user: u }).encode("CreateUser", "rid");
        check(&r.body, &[&path, &input.user_name]);
    }
});
