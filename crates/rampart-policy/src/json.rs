//! A small strict JSON reader for policy documents.
//!
//! Policies need what general-purpose JSON libraries discard: duplicate keys must be rejected
//! (`policy-language.md` §2), key order must be kept for printing, and number literals must keep
//! their source text (condition values are compared as their string form, §6.1). The reader is
//! bytes-in, tree-out and never panics, so it can be fuzzed. It does no policy validation.

/// A parsed JSON value. Objects keep their members in source order.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Json {
    Null,
    Bool(bool),
    /// The literal text of a number, validated as JSON number syntax.
    Number(String),
    String(String),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

/// Why the text is not acceptable JSON (every case maps to "Syntax errors in policy.").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct JsonError;

/// Deeper nesting than any policy needs; bounds recursion on hostile input.
const MAX_DEPTH: usize = 32;

/// Parses a complete JSON text (surrounding whitespace allowed).
pub(crate) fn parse(text: &str) -> Result<Json, JsonError> {
    let mut p = Reader {
        bytes: text.as_bytes(),
        text,
        pos: 0,
    };
    p.skip_ws();
    let value = p.value(0)?;
    p.skip_ws();
    if p.pos == p.bytes.len() {
        Ok(value)
    } else {
        Err(JsonError)
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    text: &'a str,
    pos: usize,
}

impl Reader<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    fn expect(&mut self, byte: u8) -> Result<(), JsonError> {
        if self.peek() == Some(byte) {
            self.pos += 1;
            Ok(())
        } else {
            Err(JsonError)
        }
    }

    fn literal(&mut self, word: &str) -> Result<(), JsonError> {
        let end = self.pos + word.len();
        if self.bytes.get(self.pos..end) == Some(word.as_bytes()) {
            self.pos = end;
            Ok(())
        } else {
            Err(JsonError)
        }
    }

    fn value(&mut self, depth: usize) -> Result<Json, JsonError> {
        if depth > MAX_DEPTH {
            return Err(JsonError);
        }
        match self.peek().ok_or(JsonError)? {
            b'{' => self.object(depth),
            b'[' => self.array(depth),
            b'"' => Ok(Json::String(self.string()?)),
            b't' => self.literal("true").map(|()| Json::Bool(true)),
            b'f' => self.literal("false").map(|()| Json::Bool(false)),
            b'n' => self.literal("null").map(|()| Json::Null),
            b'-' | b'0'..=b'9' => self.number(),
            _ => Err(JsonError),
        }
    }

    fn object(&mut self, depth: usize) -> Result<Json, JsonError> {
        self.expect(b'{')?;
        let mut members: Vec<(String, Json)> = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Json::Object(members));
        }
        loop {
            self.skip_ws();
            let key = self.string()?;
            self.skip_ws();
            self.expect(b':')?;
            self.skip_ws();
            let value = self.value(depth + 1)?;
            // A key may appear only once per object (policy-language.md §2).
            if members.iter().any(|(k, _)| *k == key) {
                return Err(JsonError);
            }
            members.push((key, value));
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Json::Object(members));
                }
                _ => return Err(JsonError),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<Json, JsonError> {
        self.expect(b'[')?;
        let mut items = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Json::Array(items));
        }
        loop {
            self.skip_ws();
            items.push(self.value(depth + 1)?);
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Json::Array(items));
                }
                _ => return Err(JsonError),
            }
        }
    }

    fn number(&mut self) -> Result<Json, JsonError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(JsonError),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(JsonError);
            }
            self.digits();
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(JsonError);
            }
            self.digits();
        }
        let text = self.text.get(start..self.pos).ok_or(JsonError)?;
        Ok(Json::Number(text.to_owned()))
    }

    fn digits(&mut self) {
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
    }

    fn string(&mut self) -> Result<String, JsonError> {
        self.expect(b'"')?;
        let mut out = String::new();
        loop {
            let start = self.pos;
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            out.push_str(self.text.get(start..self.pos).ok_or(JsonError)?);
            match self.peek().ok_or(JsonError)? {
                b'"' => {
                    self.pos += 1;
                    return Ok(out);
                }
                b'\\' => {
                    self.pos += 1;
                    let esc = self.peek().ok_or(JsonError)?;
                    self.pos += 1;
                    match esc {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => out.push(self.unicode_escape()?),
                        _ => return Err(JsonError),
                    }
                }
                _ => return Err(JsonError),
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let digits = self.text.get(self.pos..self.pos + 4).ok_or(JsonError)?;
        let value = u32::from_str_radix(digits, 16).map_err(|_| JsonError)?;
        if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(JsonError);
        }
        self.pos += 4;
        Ok(value)
    }

    fn unicode_escape(&mut self) -> Result<char, JsonError> {
        let first = self.hex4()?;
        if (0xD800..0xDC00).contains(&first) {
            self.literal("\\u")?;
            let second = self.hex4()?;
            if !(0xDC00..0xE000).contains(&second) {
                return Err(JsonError);
            }
            let code = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
            char::from_u32(code).ok_or(JsonError)
        } else {
            char::from_u32(first).ok_or(JsonError)
        }
    }
}

/// Writes `s` as a JSON string literal (with quotes) onto `out`.
pub(crate) fn write_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            // JSON's short escapes: a printed document is never longer than the one it was
            // parsed from, so it stays within the size quota the original passed.
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            // A policy document may hold only U+0009, U+000A, U+000D and U+0020–U+00FF
            // as characters; anything beyond travels escaped (UTF-16 units), so what parsed
            // from escapes prints back into a document that parses.
            c if (c as u32) > 0xFF => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Counts the characters of `text` outside JSON whitespace that is not inside a string
/// literal: IAM's "white space is not counted" rule (`policy-language.md` §9.1, *choice*). Works
/// on any text, valid JSON or not.
pub(crate) fn non_whitespace_len(text: &str) -> usize {
    let mut in_string = false;
    let mut escaped = false;
    let mut count = 0usize;
    for c in text.chars() {
        if in_string {
            count += 1;
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if !matches!(c, ' ' | '\t' | '\n' | '\r') {
            count += 1;
            if c == '"' {
                in_string = true;
            }
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_rejects_duplicate_keys() {
        assert_eq!(parse(r#"{"a":1,"a":2}"#), Err(JsonError));
    }

    #[test]
    fn parse_keeps_member_order_and_number_text() {
        let v = parse(r#" {"b": 1.50, "a": [true, null, "x\u00e9"]} "#).unwrap();
        assert_eq!(
            v,
            Json::Object(vec![
                ("b".into(), Json::Number("1.50".into())),
                (
                    "a".into(),
                    Json::Array(vec![
                        Json::Bool(true),
                        Json::Null,
                        Json::String("xé".into())
                    ])
                ),
            ])
        );
    }

    #[test]
    fn parse_rejects_trailing_garbage_and_deep_nesting() {
        assert!(parse("{} x").is_err());
        assert!(parse(&"[".repeat(100)).is_err());
        assert!(parse("[1,]").is_err());
        assert!(parse("01").is_err());
    }

    #[test]
    fn whitespace_outside_strings_is_not_counted() {
        assert_eq!(non_whitespace_len("{ \"a b\" : 1 }"), 9);
    }

    #[test]
    fn write_string_round_trips() {
        let mut out = String::new();
        write_string(&mut out, "a\"b\\c\n\u{1}\u{8}\u{c}é䝄😀");
        assert_eq!(out, "\"a\\\"b\\\\c\\n\\u0001\\b\\fé\\u4744\\ud83d\\ude00\"");
        assert!(out.chars().all(|c| (c as u32) <= 0xFF));
        assert_eq!(
            parse(&out).unwrap(),
            Json::String("a\"b\\c\n\u{1}\u{8}\u{c}é䝄😀".into())
        );
    }
}
