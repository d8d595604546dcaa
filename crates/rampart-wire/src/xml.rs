//! awsQuery XML output: a minimal writer, the response envelope and the
//! [`XmlValue`] encoding of every wire type (wire-protocols.md §1.2, §1.4).
//!
//! Writes compact XML (no whitespace between elements, no prolog: UTF-8 is the
//! XML default). Must not decide what goes into a response, only how it looks.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::error::{CONTENT_TYPE_XML, WireResponse};
use crate::query::QueryService;
use crate::schema::WireType;
use crate::timestamp::Timestamp;

/// Appends XML elements to a string buffer, escaping text.
#[derive(Debug, Default)]
pub struct XmlWriter {
    buf: String,
}

/// Escapes `&`, `<`, `>` (and quotes and CR, so text survives attribute use and
/// XML line-end normalisation). Characters XML 1.0 cannot carry at all, not even
/// as a character reference (most C0 controls, U+FFFE, U+FFFF), become U+FFFD:
/// a value echoed in an error message must not make the whole response
/// unparseable for the client (found by the `xml_encode` fuzz target).
fn escape_into(buf: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '\t' | '\n' => buf.push(c),
            '\u{0}'..='\u{1F}' if c != '\r' => buf.push('\u{FFFD}'),
            '\u{FFFE}' | '\u{FFFF}' => buf.push('\u{FFFD}'),
            '&' => buf.push_str("&amp;"),
            '<' => buf.push_str("&lt;"),
            '>' => buf.push_str("&gt;"),
            '"' => buf.push_str("&quot;"),
            '\r' => buf.push_str("&#xD;"),
            _ => buf.push(c),
        }
    }
}

impl XmlWriter {
    /// An empty writer.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// `<name>`.
    pub fn open(&mut self, name: &str) {
        self.buf.push('<');
        self.buf.push_str(name);
        self.buf.push('>');
    }

    /// `<name xmlns="ns">`.
    pub fn open_ns(&mut self, name: &str, ns: &str) {
        self.buf.push('<');
        self.buf.push_str(name);
        self.buf.push_str(" xmlns=\"");
        escape_into(&mut self.buf, ns);
        self.buf.push_str("\">");
    }

    /// `</name>`.
    pub fn close(&mut self, name: &str) {
        self.buf.push_str("</");
        self.buf.push_str(name);
        self.buf.push('>');
    }

    /// `<name/>`.
    pub fn empty(&mut self, name: &str) {
        self.buf.push('<');
        self.buf.push_str(name);
        self.buf.push_str("/>");
    }

    /// `<name>escaped text</name>`.
    pub fn text_element(&mut self, name: &str, text: &str) {
        self.open(name);
        escape_into(&mut self.buf, text);
        self.close(name);
    }

    /// The document written so far.
    #[must_use]
    pub fn finish(self) -> String {
        self.buf
    }
}

/// A value that has an awsQuery XML form and a wire type for the model check.
pub trait XmlValue {
    /// The wire type, compared with the botocore model by `tests/botocore_models.rs`.
    const TYPE: WireType;
    /// Writes the value as element `name`.
    fn write_xml(&self, name: &str, w: &mut XmlWriter);
}

/// A structure whose members can be written inside an enclosing element
/// (used for `<{Action}Result>`).
pub trait XmlMembers {
    /// Writes each present member as a child element.
    fn write_members(&self, w: &mut XmlWriter);
}

impl XmlValue for String {
    const TYPE: WireType = WireType::String;
    fn write_xml(&self, name: &str, w: &mut XmlWriter) {
        w.text_element(name, self);
    }
}

impl XmlValue for i32 {
    const TYPE: WireType = WireType::Integer;
    fn write_xml(&self, name: &str, w: &mut XmlWriter) {
        w.text_element(name, &self.to_string());
    }
}

impl XmlValue for i64 {
    const TYPE: WireType = WireType::Long;
    fn write_xml(&self, name: &str, w: &mut XmlWriter) {
        w.text_element(name, &self.to_string());
    }
}

impl XmlValue for bool {
    const TYPE: WireType = WireType::Boolean;
    fn write_xml(&self, name: &str, w: &mut XmlWriter) {
        w.text_element(name, if *self { "true" } else { "false" });
    }
}

impl XmlValue for Timestamp {
    const TYPE: WireType = WireType::Timestamp;
    fn write_xml(&self, name: &str, w: &mut XmlWriter) {
        w.text_element(name, &self.to_iso8601());
    }
}

/// Lists are `<Name><member>…</member></Name>`; an empty list is `<Name/>` (§1.2).
impl<T: XmlValue> XmlValue for Vec<T> {
    const TYPE: WireType = WireType::List(&T::TYPE);
    fn write_xml(&self, name: &str, w: &mut XmlWriter) {
        if self.is_empty() {
            w.empty(name);
            return;
        }
        w.open(name);
        for item in self {
            item.write_xml("member", w);
        }
        w.close(name);
    }
}

/// Maps are `<Name><entry><key>…</key><value>…</value></entry></Name>` (§1.2).
impl<V: XmlValue> XmlValue for BTreeMap<String, V> {
    const TYPE: WireType = WireType::Map(&WireType::String, &V::TYPE);
    fn write_xml(&self, name: &str, w: &mut XmlWriter) {
        if self.is_empty() {
            w.empty(name);
            return;
        }
        w.open(name);
        for (k, v) in self {
            w.open("entry");
            w.text_element("key", k);
            v.write_xml("value", w);
            w.close("entry");
        }
        w.close(name);
    }
}

/// Percent-encodes every byte except `A-Z a-z 0-9 - _ . ~` (§1.4: botocore
/// decodes with `unquote`, so `+` must never stand for a space).
///
/// ```
/// assert_eq!(rampart_wire::xml::percent_encode("{\"a\": 1}"), "%7B%22a%22%3A%201%7D");
/// ```
#[must_use]
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for &b in text.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// A policy document as submitted (JSON text); IAM returns it percent-encoded (§1.4).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PolicyDocument(pub String);

impl XmlValue for PolicyDocument {
    const TYPE: WireType = WireType::String;
    fn write_xml(&self, name: &str, w: &mut XmlWriter) {
        w.text_element(name, &percent_encode(&self.0));
    }
}

/// A secret string that must reach the wire exactly once (for example the
/// secret access key in `CreateAccessKey`). `Debug` is redacted; no `Display`.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Sensitive(String);

impl Sensitive {
    /// Wraps a secret.
    #[must_use]
    pub fn new(secret: String) -> Self {
        Self(secret)
    }

    /// The secret text.
    #[must_use]
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Sensitive {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sensitive(<redacted>)")
    }
}

impl XmlValue for Sensitive {
    const TYPE: WireType = WireType::String;
    fn write_xml(&self, name: &str, w: &mut XmlWriter) {
        w.text_element(name, &self.0);
    }
}

/// Standard base64 (RFC 4648 §4, with `=` padding), the encoding of awsQuery blobs.
///
/// ```
/// assert_eq!(rampart_wire::xml::base64_encode(b"Ma"), "TWE=");
/// ```
#[must_use]
pub fn base64_encode(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let sextet = |n: u32, shift: u32| -> char {
        let i = usize::try_from((n >> shift) & 63).unwrap_or_default();
        ALPHABET.get(i).map_or('=', |&b| char::from(b))
    };
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = |i: usize| u32::from(chunk.get(i).copied().unwrap_or(0));
        let n = b(0) << 16 | b(1) << 8 | b(2);
        out.push(sextet(n, 18));
        out.push(sextet(n, 12));
        out.push(if chunk.len() > 1 { sextet(n, 6) } else { '=' });
        out.push(if chunk.len() > 2 { sextet(n, 0) } else { '=' });
    }
    out
}

/// A `blob` member: raw bytes, base64 in awsQuery XML (wire-protocols.md §1.2:
/// `GetCredentialReport.Content`, `VirtualMFADevice.Base32StringSeed`, `QRCodePNG`).
/// `Debug` shows only the length: seeds are secrets.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Blob(pub Vec<u8>);

impl std::fmt::Debug for Blob {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Blob(<{} bytes>)", self.0.len())
    }
}

impl XmlValue for Blob {
    const TYPE: WireType = WireType::Blob;
    fn write_xml(&self, name: &str, w: &mut XmlWriter) {
        w.text_element(name, &base64_encode(&self.0));
    }
}

/// Secrets in inputs (passwords): decoded like strings, redacted in `Debug`.
impl crate::schema::QueryValue for Sensitive {
    const TYPE: WireType = WireType::String;
    fn decode(
        params: &crate::query::QueryParams,
        key: &str,
        c: Option<&'static crate::schema::Constraint>,
        v: &mut crate::schema::Violations,
    ) -> Option<Self> {
        let raw = params.get(key)?;
        if let Some(c) = c {
            // Never echo a secret in the error message (AWS omits the value of sensitive members).
            let n = i64::try_from(raw.chars().count()).unwrap_or(i64::MAX);
            if let Some(min) = c.min.filter(|&m| n < m) {
                v.push_redacted(
                    key,
                    &format!("Member must have length greater than or equal to {min}"),
                );
            }
            if let Some(max) = c.max.filter(|&m| n > m) {
                v.push_redacted(
                    key,
                    &format!("Member must have length less than or equal to {max}"),
                );
            }
            if let Some(p) = c.pattern.filter(|p| !p.matches(raw)) {
                v.push_redacted(
                    key,
                    &format!(
                        "Member must satisfy regular expression pattern: {}",
                        p.regex()
                    ),
                );
            }
        }
        Some(Self(raw.to_owned()))
    }
}

/// Renders a complete awsQuery success response (§1.2):
/// `<{action}Response xmlns=NS>[<{action}Result>…</{action}Result>]<ResponseMetadata><RequestId>…`.
/// `result` is `None` for operations without an output shape; `Some` always
/// produces the `Result` element, even with no members (botocore needs it).
#[must_use]
pub fn query_response(
    service: QueryService,
    action: &str,
    request_id: &str,
    result: Option<&dyn XmlMembers>,
) -> WireResponse {
    let mut w = XmlWriter::new();
    let root = format!("{action}Response");
    w.open_ns(&root, service.namespace());
    if let Some(result) = result {
        let name = format!("{action}Result");
        w.open(&name);
        result.write_members(&mut w);
        w.close(&name);
    }
    w.open("ResponseMetadata");
    w.text_element("RequestId", request_id);
    w.close("ResponseMetadata");
    w.close(&root);
    WireResponse {
        status: 200,
        content_type: CONTENT_TYPE_XML,
        headers: vec![("x-amzn-RequestId", request_id.to_owned())],
        body: w.finish().into_bytes(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by the `xml_encode` fuzz target: a control character echoed from a
    /// request made the whole response unparseable XML.
    #[test]
    fn characters_xml_cannot_carry_become_replacement_characters() {
        let mut w = XmlWriter::new();
        w.text_element("M", "a\u{1}b\u{0}\u{1F}\u{FFFE}\u{FFFF}\t\n\r<&>");
        assert_eq!(
            w.finish(),
            "<M>a\u{FFFD}b\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\t\n&#xD;&lt;&amp;&gt;</M>"
        );
        let e = crate::WireError::new(
            crate::ErrorCode::ValidationError,
            "Value '\u{1}' at 'userName'",
        );
        let r = e.render(crate::Protocol::Query(QueryService::Iam), "rid");
        let body = String::from_utf8(r.body).unwrap();
        assert!(body.contains("Value '\u{FFFD}' at 'userName'"), "{body}");
    }

    #[test]
    fn percent_encoding_matches_observed_policy_text() {
        assert_eq!(
            percent_encode("{\"Version\": \"2012-10-17\",\n\"x\":\"a+b/c~\"}"),
            "%7B%22Version%22%3A%20%222012-10-17%22%2C%0A%22x%22%3A%22a%2Bb%2Fc~%22%7D"
        );
        assert_eq!(percent_encode("é"), "%C3%A9");
    }

    #[test]
    fn lists_and_maps_have_aws_shape() {
        let mut w = XmlWriter::new();
        Vec::<String>::new().write_xml("Users", &mut w);
        vec!["a".to_owned(), "b<".to_owned()].write_xml("Names", &mut w);
        let mut m = BTreeMap::new();
        m.insert("Users".to_owned(), 3_i32);
        m.write_xml("SummaryMap", &mut w);
        assert_eq!(
            w.finish(),
            "<Users/><Names><member>a</member><member>b&lt;</member></Names>\
             <SummaryMap><entry><key>Users</key><value>3</value></entry></SummaryMap>"
        );
    }

    #[test]
    fn response_without_output_omits_result() {
        let r = query_response(QueryService::Iam, "DeleteUser", "rid", None);
        assert_eq!(
            String::from_utf8(r.body.clone()).unwrap(),
            "<DeleteUserResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><ResponseMetadata>\
             <RequestId>rid</RequestId></ResponseMetadata></DeleteUserResponse>"
        );
        assert_eq!(r.header("x-amzn-RequestId"), Some("rid"));
    }

    #[test]
    fn base64_matches_rfc4648_vectors() {
        for (input, output) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64_encode(input.as_bytes()), output);
        }
        assert_eq!(base64_encode(&[0xff, 0xfe]), "//4=");
        let mut w = XmlWriter::new();
        Blob(b"a,b\n".to_vec()).write_xml("Content", &mut w);
        assert_eq!(w.finish(), "<Content>YSxiCg==</Content>");
        assert_eq!(format!("{:?}", Blob(vec![1, 2])), "Blob(<2 bytes>)");
    }

    #[test]
    fn sensitive_debug_is_redacted() {
        assert_eq!(
            format!("{:?}", Sensitive::new("wJalr".into())),
            "Sensitive(<redacted>)"
        );
    }
}
