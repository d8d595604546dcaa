//! The one error type of this crate, [`SigV4Error`].
//!
//! Owns the mapping of every SigV4 failure to its [`SigV4ErrorKind`] (AWS's
//! error code and HTTP status) and message text (`shared/reference/sigv4.md` §2, §3, §7). It must never carry a
//! secret, a signing key, an expected signature or a session token: everything
//! here may be shown to the client.

/// Why a request failed SigV4 authentication.
///
/// `Display` is the exact message AWS sends for the case (see
/// `shared/reference/sigv4.md` §3); [`SigV4Error::kind`] says which AWS error
/// it is ([`SigV4Error::code`] and [`SigV4Error::http_status`] spell it out).
/// Unknown or unusable access keys (`InvalidClientTokenId`) and expired
/// sessions (`ExpiredToken`) are not here: the server decides those.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SigV4Error {
    /// A `%` in the query string is not followed by two hex digits.
    #[error("Illegal hex character in escape % pattern: {pattern}")]
    IllegalQueryEscape {
        /// The `%` and the two characters after it, as received.
        pattern: String,
    },
    /// The query string ends in the middle of a `%XX` escape.
    #[error("Incomplete trailing escape % sequence")]
    IncompleteQueryEscape,
    /// Neither an `Authorization` header nor an `X-Amz-Algorithm` query parameter.
    #[error("Request is missing Authentication Token")]
    MissingAuthenticationToken,
    /// Both header auth and query (presigned) auth were sent.
    // AWS's behaviour is not verified (sigv4.md §1); the wording is S3's.
    #[error(
        "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter or the Authorization header should be specified"
    )]
    MultipleAuthMechanisms,
    /// The algorithm is not `AWS4-HMAC-SHA256` (SigV2, SigV4a, anything else).
    #[error("Unsupported AWS 'algorithm': '{algorithm}'.")]
    UnsupportedAlgorithm {
        /// The algorithm the client named.
        algorithm: String,
    },
    /// An item of the `Authorization` header has no `=`.
    #[error(
        "'{item}' not a valid key=value pair (missing equal-sign) in Authorization header: '{header}'"
    )]
    MissingEqualSign {
        /// The offending item, trimmed.
        item: String,
        /// The whole `Authorization` header value.
        header: String,
    },
    /// Some of `Credential`, `Signature`, `SignedHeaders` and a date header are missing.
    #[error("{}", missing_parameters_message(*.credential, *.signature, *.signed_headers, *.date, algorithm))]
    MissingAuthorizationParameters {
        /// `Credential=` is missing.
        credential: bool,
        /// `Signature=` is missing.
        signature: bool,
        /// `SignedHeaders=` is missing.
        signed_headers: bool,
        /// Neither `X-Amz-Date` nor `Date` is present.
        date: bool,
        /// The first token of the header (the algorithm).
        algorithm: String,
    },
    /// A required `X-Amz-*` query parameter of a presigned request is missing.
    #[error(
        "AWS query-string parameters must include '{parameter}'. Re-examine the query-string parameters."
    )]
    MissingQueryParameter {
        /// The parameter name, e.g. `X-Amz-Credential`.
        parameter: &'static str,
    },
    /// `X-Amz-Expires` is not an integer in `1..=604800`.
    // Our wording: STS ignores X-Amz-Expires, so AWS has no message for it (sigv4.md §7).
    #[error("X-Amz-Expires must be an integer between 1 and 604800 seconds, got '{value}'")]
    InvalidExpires {
        /// The value received.
        value: String,
    },
    /// The request time is not in ISO 8601 basic format (or, for `Date`, RFC 7231).
    #[error(
        "Date must be in ISO-8601 'basic format'. Got '{value}'. See http://en.wikipedia.org/wiki/ISO_8601"
    )]
    MalformedDate {
        /// The value received.
        value: String,
    },
    /// The credential does not have exactly five `/`-separated parts.
    #[error(
        "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '{credential}'"
    )]
    MalformedCredential {
        /// The credential received.
        credential: String,
    },
    /// `host` is not in `SignedHeaders`.
    #[error("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.")]
    HostNotSigned,
    /// A header that must be signed (the date header in use, `X-Amz-Security-Token`) is not.
    #[error("'{header}' must be a 'SignedHeader' in the AWS Authorization.")]
    HeaderNotSigned {
        /// The header, spelled as AWS spells it in the message.
        header: &'static str,
    },
    /// The request time is more than 15 minutes before the server's time.
    #[error("Signature expired: {request_time} is now earlier than {earliest} ({now} - 15 min.)")]
    SignatureExpired {
        /// Request time, `YYYYMMDDTHHMMSSZ`.
        request_time: String,
        /// Server time minus 15 minutes.
        earliest: String,
        /// Server time.
        now: String,
    },
    /// The request time is more than 15 minutes after the server's time.
    #[error(
        "Signature not yet current: {request_time} is still later than {latest} ({now} + 15 min.)"
    )]
    SignatureNotYetCurrent {
        /// Request time, `YYYYMMDDTHHMMSSZ`.
        request_time: String,
        /// Server time plus 15 minutes.
        latest: String,
        /// Server time.
        now: String,
    },
    /// `X-Amz-Date + X-Amz-Expires` of a presigned request has passed.
    #[error(
        "The request reached the service more than 15 minutes after the date stamp on the request or more than 15 minutes after the request expiration date (such as for pre-signed URLs), or the date stamp on the request is more than 15 minutes in the future."
    )]
    PresignedExpired,
    /// The credential scope is wrong; the message lists every wrong part, in AWS's order.
    #[error("{message}")]
    CredentialScope {
        /// The space-separated sentences AWS sends (sigv4.md §3 row 12).
        message: String,
    },
    /// `x-amz-content-sha256` is `UNSIGNED-PAYLOAD` or `STREAMING-*`, which these services do not take.
    // Our wording (sigv4.md §4.5 recommends rejecting; AWS IAM/STS have no message for it).
    #[error(
        "x-amz-content-sha256 value '{value}' is not supported by this service; sign the payload"
    )]
    UnsupportedPayloadHash {
        /// The header value received.
        value: String,
    },
    /// `x-amz-content-sha256` does not match the body that arrived (wording from S3).
    #[error("The provided 'x-amz-content-sha256' header does not match what was computed.")]
    PayloadHashMismatch,
    /// The recomputed signature differs from the one sent (or a signed header is absent).
    #[error(
        "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
    )]
    SignatureMismatch,
}

/// The AWS error a [`SigV4Error`] is answered with: one kind per AWS error code
/// this crate can produce (`shared/reference/sigv4.md` §3).
///
/// Exhaustive on purpose: the server maps each kind to its wire code with a
/// `match` that has no catch-all, so a new kind cannot slip through unmapped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SigV4ErrorKind {
    /// `MalformedQueryString` (400): the query string does not decode (§3 row 1).
    MalformedQueryString,
    /// `MissingAuthenticationToken` (403): no signature at all (§3 row 2).
    MissingAuthenticationToken,
    /// `IncompleteSignature` (400): the signature is malformed or incomplete.
    IncompleteSignature,
    /// `RequestExpired` (400): a presigned request is past its expiry.
    RequestExpired,
    /// `SignatureDoesNotMatch` (403): the signature, its scope or its time is wrong.
    SignatureDoesNotMatch,
}

impl SigV4ErrorKind {
    /// The AWS error code as awsQuery spells it, e.g. `"SignatureDoesNotMatch"`.
    ///
    /// ```
    /// assert_eq!(rampart_sigv4::SigV4ErrorKind::RequestExpired.code(), "RequestExpired");
    /// ```
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Self::MalformedQueryString => "MalformedQueryString",
            Self::MissingAuthenticationToken => "MissingAuthenticationToken",
            Self::IncompleteSignature => "IncompleteSignature",
            Self::RequestExpired => "RequestExpired",
            Self::SignatureDoesNotMatch => "SignatureDoesNotMatch",
        }
    }

    /// The HTTP status AWS answers with for this kind.
    #[must_use]
    pub fn http_status(self) -> u16 {
        match self {
            // sigv4.md §3: IncompleteSignature, MalformedQueryString (scratchstack) and
            // RequestExpired (AWS common errors) are 400; the rest is 403.
            Self::IncompleteSignature | Self::MalformedQueryString | Self::RequestExpired => 400,
            Self::MissingAuthenticationToken | Self::SignatureDoesNotMatch => 403,
        }
    }
}

impl SigV4Error {
    /// Which AWS error this is.
    ///
    /// ```
    /// use rampart_sigv4::{SigV4Error, SigV4ErrorKind};
    /// assert_eq!(SigV4Error::PresignedExpired.kind(), SigV4ErrorKind::RequestExpired);
    /// ```
    #[must_use]
    pub fn kind(&self) -> SigV4ErrorKind {
        match self {
            Self::IllegalQueryEscape { .. } | Self::IncompleteQueryEscape => {
                SigV4ErrorKind::MalformedQueryString
            }
            Self::MissingAuthenticationToken => SigV4ErrorKind::MissingAuthenticationToken,
            Self::MultipleAuthMechanisms
            | Self::UnsupportedAlgorithm { .. }
            | Self::MissingEqualSign { .. }
            | Self::MissingAuthorizationParameters { .. }
            | Self::MissingQueryParameter { .. }
            | Self::InvalidExpires { .. }
            | Self::MalformedDate { .. }
            | Self::MalformedCredential { .. } => SigV4ErrorKind::IncompleteSignature,
            Self::PresignedExpired => SigV4ErrorKind::RequestExpired,
            Self::HostNotSigned
            | Self::HeaderNotSigned { .. }
            | Self::SignatureExpired { .. }
            | Self::SignatureNotYetCurrent { .. }
            | Self::CredentialScope { .. }
            | Self::UnsupportedPayloadHash { .. }
            | Self::PayloadHashMismatch
            | Self::SignatureMismatch => SigV4ErrorKind::SignatureDoesNotMatch,
        }
    }

    /// The AWS error code, e.g. `"SignatureDoesNotMatch"` (the code of [`SigV4Error::kind`]).
    #[must_use]
    pub fn code(&self) -> &'static str {
        self.kind().code()
    }

    /// The HTTP status AWS answers with for this error.
    #[must_use]
    pub fn http_status(&self) -> u16 {
        self.kind().http_status()
    }
}

/// Builds the message of [`SigV4Error::MissingAuthorizationParameters`] in AWS's order.
fn missing_parameters_message(
    credential: bool,
    signature: bool,
    signed_headers: bool,
    date: bool,
    algorithm: &str,
) -> String {
    let mut message = String::new();
    if credential {
        message.push_str("Authorization header requires 'Credential' parameter. ");
    }
    if signature {
        message.push_str("Authorization header requires 'Signature' parameter. ");
    }
    if signed_headers {
        message.push_str("Authorization header requires 'SignedHeaders' parameter. ");
    }
    if date {
        message.push_str(
            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ",
        );
    }
    message.push_str("Authorization=");
    message.push_str(algorithm);
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_parameters_message_lists_all_in_aws_order() {
        let e = SigV4Error::MissingAuthorizationParameters {
            credential: true,
            signature: true,
            signed_headers: true,
            date: true,
            algorithm: "AWS4-HMAC-SHA256".into(),
        };
        assert_eq!(
            e.to_string(),
            "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=AWS4-HMAC-SHA256"
        );
        assert_eq!(e.code(), "IncompleteSignature");
        assert_eq!(e.http_status(), 400);
    }

    #[test]
    fn codes_and_statuses() {
        assert_eq!(SigV4Error::MissingAuthenticationToken.http_status(), 403);
        assert_eq!(
            SigV4Error::SignatureMismatch.code(),
            "SignatureDoesNotMatch"
        );
        assert_eq!(SigV4Error::SignatureMismatch.http_status(), 403);
        assert_eq!(
            SigV4Error::IncompleteQueryEscape.code(),
            "MalformedQueryString"
        );
        assert_eq!(SigV4Error::IncompleteQueryEscape.http_status(), 400);
        assert_eq!(SigV4Error::PresignedExpired.code(), "RequestExpired");
        assert_eq!(
            SigV4Error::CredentialScope {
                message: "m".into()
            }
            .kind(),
            SigV4ErrorKind::SignatureDoesNotMatch
        );
        assert_eq!(
            SigV4Error::MalformedDate { value: "x".into() }.kind(),
            SigV4ErrorKind::IncompleteSignature
        );
        assert_eq!(
            SigV4Error::UnsupportedAlgorithm {
                algorithm: "AWS5-HMAC-SHA256".into()
            }
            .to_string(),
            "Unsupported AWS 'algorithm': 'AWS5-HMAC-SHA256'."
        );
    }
}
