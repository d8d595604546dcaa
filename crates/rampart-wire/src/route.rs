//! Protocol detection: which service and operation an HTTP request addresses,
//! in the order wire-protocols.md §0 prescribes (X-Amz-Target, then a path
//! other than `/`, then awsQuery `Action` + `Version` from the form body and
//! query string). Produces raw parameters or JSON; decoding into typed inputs
//! is the service modules' job. Never consults the credential scope.

use crate::error::{ErrorCode, Protocol, WireError};
use crate::query::{QueryParams, QueryService};

/// A service that speaks awsJson1.1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JsonService {
    /// Organizations, target prefix `AWSOrganizationsV20161128`.
    Organizations,
    /// CloudTrail (LookupEvents), target prefix `com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101`.
    CloudTrail,
}

impl JsonService {
    /// The `X-Amz-Target` prefix (before the last `.`).
    #[must_use]
    pub fn target_prefix(self) -> &'static str {
        match self {
            Self::Organizations => "AWSOrganizationsV20161128",
            Self::CloudTrail => "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101",
        }
    }

    /// The SigV4 signing name.
    #[must_use]
    pub fn signing_name(self) -> &'static str {
        match self {
            Self::Organizations => "organizations",
            Self::CloudTrail => "cloudtrail",
        }
    }

    fn from_prefix(prefix: &str) -> Option<Self> {
        [Self::Organizations, Self::CloudTrail]
            .into_iter()
            .find(|s| s.target_prefix() == prefix)
    }
}

/// The Account API's operations and their paths (restJson1, wire-protocols.md §3).
pub const ACCOUNT_OPERATIONS: &[(&str, &str)] = &[
    ("AcceptPrimaryEmailUpdate", "/acceptPrimaryEmailUpdate"),
    ("DeleteAlternateContact", "/deleteAlternateContact"),
    ("DisableRegion", "/disableRegion"),
    ("EnableRegion", "/enableRegion"),
    ("GetAccountInformation", "/getAccountInformation"),
    ("GetAlternateContact", "/getAlternateContact"),
    ("GetContactInformation", "/getContactInformation"),
    (
        "GetGovCloudAccountInformation",
        "/getGovCloudAccountInformation",
    ),
    ("GetPrimaryEmail", "/getPrimaryEmail"),
    ("GetRegionOptStatus", "/getRegionOptStatus"),
    ("ListRegions", "/listRegions"),
    ("PutAccountName", "/putAccountName"),
    ("PutAlternateContact", "/putAlternateContact"),
    ("PutContactInformation", "/putContactInformation"),
    ("StartPrimaryEmailUpdate", "/startPrimaryEmailUpdate"),
];

/// Signing name of the Account API.
pub const ACCOUNT_SIGNING_NAME: &str = "account";

/// Where a request goes.
#[derive(Debug, Clone, PartialEq)]
pub enum Route {
    /// awsQuery (IAM, STS).
    Query {
        /// The service selected by `Version`.
        service: QueryService,
        /// The `Action` parameter.
        action: String,
        /// All parameters (body and query string), including `Action` and `Version`.
        params: QueryParams,
    },
    /// awsJson1.1 (Organizations, CloudTrail).
    Json {
        /// The service selected by the target prefix.
        service: JsonService,
        /// The operation after the last `.` of `X-Amz-Target`.
        operation: String,
        /// The JSON body (`{}` when the body is empty).
        body: serde_json::Value,
    },
    /// restJson1 (Account).
    RestJson {
        /// The operation (`PutAlternateContact` for `/putAlternateContact`).
        operation: String,
        /// The JSON body (`{}` when the body is empty).
        body: serde_json::Value,
    },
}

impl Route {
    /// The protocol to answer in (success and errors).
    #[must_use]
    pub fn protocol(&self) -> Protocol {
        match self {
            Self::Query { service, .. } => Protocol::Query(*service),
            Self::Json { service, .. } => Protocol::AwsJson(*service),
            Self::RestJson { .. } => Protocol::RestJson,
        }
    }

    /// The SigV4 signing name the credential scope must carry.
    #[must_use]
    pub fn signing_name(&self) -> &'static str {
        match self {
            Self::Query { service, .. } => service.signing_name(),
            Self::Json { service, .. } => service.signing_name(),
            Self::RestJson { .. } => ACCOUNT_SIGNING_NAME,
        }
    }

    /// The operation name.
    #[must_use]
    pub fn operation(&self) -> &str {
        match self {
            Self::Query { action, .. } => action,
            Self::Json { operation, .. } | Self::RestJson { operation, .. } => operation,
        }
    }
}

fn header<'a>(headers: &[(&str, &'a str)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| *v)
}

fn unknown_operation(what: &str) -> WireError {
    WireError::new(
        ErrorCode::UnknownOperationException,
        format!("Unknown operation {what}"),
    )
}

fn json_body(body: &[u8]) -> Result<serde_json::Value, WireError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(serde_json::Value::Object(serde_json::Map::new()));
    }
    match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(v @ serde_json::Value::Object(_)) => Ok(v),
        Ok(_) => Err(WireError::new(
            ErrorCode::SerializationException,
            "Request body must be a JSON object",
        )),
        Err(_) => Err(WireError::new(
            ErrorCode::SerializationException,
            "Request body is not valid JSON",
        )),
    }
}

/// The protocol to render an error in when [`classify`] itself failed or was
/// never reached (an oversized body): the same precedence as routing, without
/// parsing the body. An unknown `X-Amz-Target` prefix answers as Organizations,
/// an awsQuery request whose service is unknown in IAM's namespace.
///
/// ```
/// use rampart_wire::{route::fallback_protocol, JsonService, Protocol, QueryService};
/// let target = [("X-Amz-Target", "AWSOrganizationsV20161128.ListRoots")];
/// assert_eq!(fallback_protocol("/", &target), Protocol::AwsJson(JsonService::Organizations));
/// assert_eq!(fallback_protocol("/", &[]), Protocol::Query(QueryService::Iam));
/// ```
#[must_use]
pub fn fallback_protocol(path: &str, headers: &[(&str, &str)]) -> Protocol {
    if let Some(target) = header(headers, "x-amz-target") {
        let service = target
            .rsplit_once('.')
            .and_then(|(prefix, _)| JsonService::from_prefix(prefix))
            .unwrap_or(JsonService::Organizations);
        Protocol::AwsJson(service)
    } else if !path.is_empty() && path != "/" {
        Protocol::RestJson
    } else {
        Protocol::Query(QueryService::Iam)
    }
}

/// Decides the protocol, service and operation of a request.
///
/// `query` is the raw query string without `?`; `headers` are (name, value)
/// with any case of name.
///
/// ```
/// use rampart_wire::{classify, JsonService, Route};
/// let r = classify("POST", "/", "", &[("X-Amz-Target", "AWSOrganizationsV20161128.DescribeOrganization")], b"{}").unwrap();
/// assert!(matches!(r, Route::Json { service: JsonService::Organizations, ref operation, .. } if operation == "DescribeOrganization"));
/// ```
///
/// # Errors
/// `UnknownOperationException` / `SerializationException` for JSON protocols;
/// `MalformedQueryString`, `InvalidParameterValue` (duplicate key),
/// `MissingAction`, `MissingParameter` (no `Version`) or `InvalidAction`
/// (unknown `Version`) for awsQuery.
pub fn classify(
    method: &str,
    path: &str,
    query: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Result<Route, WireError> {
    if let Some(target) = header(headers, "x-amz-target") {
        let (prefix, operation) = target
            .rsplit_once('.')
            .ok_or_else(|| unknown_operation(target))?;
        let service = JsonService::from_prefix(prefix).ok_or_else(|| unknown_operation(target))?;
        if operation.is_empty() || !method.eq_ignore_ascii_case("POST") {
            return Err(unknown_operation(target));
        }
        return Ok(Route::Json {
            service,
            operation: operation.to_owned(),
            body: json_body(body)?,
        });
    }

    if !path.is_empty() && path != "/" {
        let (operation, _) = ACCOUNT_OPERATIONS
            .iter()
            .find(|(_, p)| *p == path)
            .filter(|_| method.eq_ignore_ascii_case("POST"))
            .ok_or_else(|| unknown_operation(path))?;
        return Ok(Route::RestJson {
            operation: (*operation).to_owned(),
            body: json_body(body)?,
        });
    }

    let mut params = QueryParams::parse(query.as_bytes())?;
    if method.eq_ignore_ascii_case("POST") {
        params.extend_from(body)?;
    }
    let action = match params.get("Action") {
        Some(a) if !a.is_empty() => a.to_owned(),
        _ => {
            return Err(WireError::new(
                ErrorCode::MissingAction,
                "Could not find action in the request",
            ));
        }
    };
    let version = match params.get("Version") {
        Some(v) if !v.is_empty() => v,
        _ => {
            return Err(WireError::new(
                ErrorCode::MissingParameter,
                "The request must contain the parameter Version",
            ));
        }
    };
    let service = QueryService::from_version(version)
        .ok_or_else(|| crate::schema::invalid_action(&action, version))?;
    Ok(Route::Query {
        service,
        action,
        params,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const FORM: &[(&str, &str)] = &[(
        "Content-Type",
        "application/x-www-form-urlencoded; charset=utf-8",
    )];

    #[test]
    fn form_post_routes_by_version() {
        let r = classify(
            "POST",
            "/",
            "",
            FORM,
            b"Action=CreateUser&Version=2010-05-08&UserName=alice",
        )
        .unwrap();
        let Route::Query {
            service,
            action,
            params,
        } = r
        else {
            panic!("not query")
        };
        assert_eq!(service, QueryService::Iam);
        assert_eq!(action, "CreateUser");
        assert_eq!(params.get("UserName"), Some("alice"));
        let r = classify(
            "POST",
            "/",
            "",
            FORM,
            b"Action=GetCallerIdentity&Version=2011-06-15",
        )
        .unwrap();
        assert_eq!(r.protocol(), Protocol::Query(QueryService::Sts));
        assert_eq!(r.signing_name(), "sts");
    }

    #[test]
    fn get_query_string_routes_and_duplicates_across_parts_fail() {
        let r = classify(
            "GET",
            "/",
            "Action=ListUsers&Version=2010-05-08&MaxItems=2",
            &[],
            b"",
        )
        .unwrap();
        assert_eq!(r.operation(), "ListUsers");
        let e = classify(
            "POST",
            "/",
            "Action=ListUsers",
            FORM,
            b"Action=ListUsers&Version=2010-05-08",
        )
        .unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidParameterValue);
    }

    #[test]
    fn missing_action_unknown_version_and_bad_encoding() {
        assert_eq!(
            classify("POST", "/", "", FORM, b"Version=2010-05-08")
                .unwrap_err()
                .code,
            ErrorCode::MissingAction
        );
        assert_eq!(
            classify("POST", "/", "", FORM, b"").unwrap_err().code,
            ErrorCode::MissingAction
        );
        let e = classify(
            "POST",
            "/",
            "",
            FORM,
            b"Action=ListUsers&Version=2099-01-01",
        )
        .unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidAction);
        assert_eq!(
            e.message,
            "Could not find operation ListUsers for version 2099-01-01"
        );
        assert_eq!(
            classify("POST", "/", "", FORM, b"Action=ListUsers")
                .unwrap_err()
                .code,
            ErrorCode::MissingParameter
        );
        assert_eq!(
            classify("POST", "/", "", FORM, b"Action=%G1")
                .unwrap_err()
                .code,
            ErrorCode::MalformedQueryString
        );
    }

    #[test]
    fn target_header_wins_and_empty_body_is_object() {
        let h = [(
            "x-amz-target",
            "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents",
        )];
        let r = classify("POST", "/", "", &h, b"").unwrap();
        assert_eq!(
            r,
            Route::Json {
                service: JsonService::CloudTrail,
                operation: "LookupEvents".into(),
                body: serde_json::json!({})
            }
        );
        assert_eq!(r.signing_name(), "cloudtrail");
        let bad = [("X-Amz-Target", "AWSNope.Foo")];
        assert_eq!(
            classify("POST", "/", "", &bad, b"{}").unwrap_err().code,
            ErrorCode::UnknownOperationException
        );
        let org = [("X-Amz-Target", "AWSOrganizationsV20161128.ListAccounts")];
        assert_eq!(
            classify("POST", "/", "", &org, b"{nope").unwrap_err().code,
            ErrorCode::SerializationException
        );
        assert_eq!(
            classify("POST", "/", "", &org, b"[1]").unwrap_err().code,
            ErrorCode::SerializationException
        );
    }

    #[test]
    fn account_paths_route_to_rest_json() {
        let r = classify(
            "POST",
            "/putAlternateContact",
            "",
            &[("content-type", "application/json")],
            b"{\"Name\":\"x\"}",
        )
        .unwrap();
        assert_eq!(
            r,
            Route::RestJson {
                operation: "PutAlternateContact".into(),
                body: serde_json::json!({"Name": "x"})
            }
        );
        assert_eq!(r.protocol(), Protocol::RestJson);
        assert_eq!(
            classify("POST", "/nope", "", &[], b"").unwrap_err().code,
            ErrorCode::UnknownOperationException
        );
        assert_eq!(fallback_protocol("/nope", &[]), Protocol::RestJson);
    }

    #[test]
    fn fallback_protocol_names_the_json_service_of_the_target() {
        let cloudtrail = [(
            "x-amz-target",
            "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents",
        )];
        assert_eq!(
            fallback_protocol("/", &cloudtrail),
            Protocol::AwsJson(JsonService::CloudTrail)
        );
        assert_eq!(
            fallback_protocol("/", &[("X-Amz-Target", "Nonsense")]),
            Protocol::AwsJson(JsonService::Organizations)
        );
        assert_eq!(
            fallback_protocol("/", &[]),
            Protocol::Query(QueryService::Iam)
        );
    }
}
