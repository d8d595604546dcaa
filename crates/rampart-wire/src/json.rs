//! awsJson1.1 and restJson1 success responses (wire-protocols.md §2.2, §3).
//!
//! Generic helpers only: the Organizations, Account and CloudTrail operation
//! types will live in their own modules. Timestamps are epoch seconds
//! ([`Timestamp::to_epoch_json`](crate::Timestamp::to_epoch_json)).

use crate::error::{CONTENT_TYPE_AWS_JSON, CONTENT_TYPE_JSON, WireResponse};

fn response(content_type: &'static str, body: Vec<u8>, request_id: &str) -> WireResponse {
    WireResponse {
        status: 200,
        content_type,
        headers: vec![("x-amzn-RequestId", request_id.to_owned())],
        body,
    }
}

/// A 200 awsJson1.1 response (`application/x-amz-json-1.1`) with `body`.
///
/// ```
/// let r = rampart_wire::json::aws_json_response(&serde_json::json!({"Roots": []}), "rid");
/// assert_eq!(r.content_type, "application/x-amz-json-1.1");
/// assert_eq!(r.body, b"{\"Roots\":[]}");
/// ```
#[must_use]
pub fn aws_json_response(body: &serde_json::Value, request_id: &str) -> WireResponse {
    response(
        CONTENT_TYPE_AWS_JSON,
        body.to_string().into_bytes(),
        request_id,
    )
}

/// A 200 restJson1 response (`application/json`) with `body`.
#[must_use]
pub fn rest_json_response(body: &serde_json::Value, request_id: &str) -> WireResponse {
    response(CONTENT_TYPE_JSON, body.to_string().into_bytes(), request_id)
}

/// A 200 restJson1 response with an empty body (operations without output, §3).
#[must_use]
pub fn rest_json_empty(request_id: &str) -> WireResponse {
    response(CONTENT_TYPE_JSON, Vec::new(), request_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn responses_carry_request_id_and_type() {
        let r = rest_json_response(&serde_json::json!({"AccountId": "123456789012"}), "r9");
        assert_eq!(r.status, 200);
        assert_eq!(r.content_type, "application/json");
        assert_eq!(r.header("x-amzn-RequestId"), Some("r9"));
        assert!(rest_json_empty("r").body.is_empty());
        assert_eq!(
            crate::Timestamp(1_714_566_896).to_epoch_json(),
            serde_json::json!(1_714_566_896)
        );
    }
}
