//! `GetWebIdentityToken`: a JWT, signed by the account's outbound federation issuer, that
//! says who the caller is, for an external service to verify against the issuer's JWKS.
//!
//! Claims follow "Understanding token claims" (IAM User Guide, outbound identity
//! federation): `iss`, `aud` (a string, or an array for several audiences), `sub` (the
//! principal's ARN; the role's for a role session), `iat`, `exp`, `jti`, and under the
//! `https://sts.amazonaws.com/` namespace the account, source region, organization and
//! OU path, principal and request tags and `principal_id`.

use rampart_wire::Timestamp;
use rampart_wire::sts::{self as wire, Output};
use rampart_wire::xml::Sensitive;
use serde_json::{Map, Value, json};

use crate::auth::{Caller, Principal};
use crate::engine::Engine;
use crate::error::CoreError;
use crate::model::JwtAlgorithm;
use crate::ops::iam::outbound_federation::{self, issuer_url};
use crate::{jwt, org_tree, random};

/// Lifetime when the request names none, seconds.
pub const DEFAULT_DURATION: i64 = 300;
/// The largest payload signed, bytes (Rampart's bound; AWS documents the error only).
pub const MAX_PAYLOAD: usize = 8192;
/// The namespace of AWS's own claims.
pub const NAMESPACE: &str = "https://sts.amazonaws.com/";
/// The region STS reports as the token's source.
const SOURCE_REGION: &str = "us-east-1";

/// The ARN the token is about: the principal's, or the role's for a role session.
fn subject(caller: &Caller) -> String {
    match &caller.principal {
        Principal::AssumedRole { role_arn, .. } => role_arn.clone(),
        _ => caller.arn(),
    }
}

/// `GetWebIdentityToken`.
pub fn get_web_identity_token(
    engine: &Engine,
    caller: &Caller,
    i: &wire::GetWebIdentityTokenInput,
    now: i64,
) -> Result<Output, CoreError> {
    let state = engine.snapshot();
    let federation = outbound_federation::enabled(&state, &caller.account).ok_or_else(|| {
        CoreError::OutboundWebIdentityFederationDisabled(
            "Outbound web identity federation is not enabled for this account.".to_owned(),
        )
    })?;
    let algorithm = JwtAlgorithm::parse(&i.signing_algorithm).ok_or_else(|| {
        CoreError::Validation(format!(
            "1 validation error detected: Value '{}' at 'signingAlgorithm' failed to satisfy constraint: Member must satisfy enum value set: [RS256, ES384]",
            i.signing_algorithm
        ))
    })?;
    let duration = i.duration_seconds.map_or(DEFAULT_DURATION, i64::from);
    let expires = now.saturating_add(duration);
    let session_end = caller
        .session
        .as_ref()
        .and_then(|s| s.sts.as_ref())
        .map(|s| s.0.record.expires);
    if session_end.is_some_and(|end| expires > end) {
        return Err(CoreError::SessionDurationEscalation(
            "The requested token duration would extend beyond the expiration of the calling session.".to_owned(),
        ));
    }
    let key = federation
        .key(algorithm)
        .ok_or_else(|| CoreError::Internal(format!("no {} key", algorithm.as_str())))?;
    let mut aws = Map::new();
    aws.insert("aws_account".into(), Value::from(caller.account.as_str()));
    aws.insert("source_region".into(), Value::from(SOURCE_REGION));
    aws.insert("principal_id".into(), Value::from(subject(caller)));
    if let Some((org, member)) = state.org_of(&caller.account) {
        aws.insert("org_id".into(), Value::from(org.id.as_str()));
        let path = org_tree::entity_path(&state, org, &member.parent, caller.account.as_str());
        aws.insert("ou_path".into(), Value::from(path));
    }
    let principal_tags = crate::authz::principal_tags(&state, caller);
    if !principal_tags.is_empty() {
        let tags: Map<String, Value> = principal_tags
            .into_iter()
            .map(|t| (t.key, Value::from(t.value)))
            .collect();
        aws.insert("principal_tags".into(), Value::Object(tags));
    }
    if let Some(tags) = i.tags.as_deref().filter(|t| !t.is_empty()) {
        let tags: Map<String, Value> = tags
            .iter()
            .map(|t| (t.key.clone(), Value::from(t.value.as_str())))
            .collect();
        aws.insert("request_tags".into(), Value::Object(tags));
    }
    let audience = match i.audience.as_slice() {
        [one] => Value::from(one.as_str()),
        many => Value::from(many.to_vec()),
    };
    let claims = json!({
        "iss": issuer_url(engine.public_url(), &federation.record),
        "aud": audience,
        "sub": subject(caller),
        "iat": now,
        "exp": expires,
        "jti": random::request_id(),
        NAMESPACE: Value::Object(aws),
    });
    if claims.to_string().len() > MAX_PAYLOAD {
        return Err(CoreError::JwtPayloadSizeExceeded(format!(
            "The token payload exceeds the maximum size of {MAX_PAYLOAD} bytes; pass fewer request tags."
        )));
    }
    let private_key = key.private_key(engine.master())?;
    let token = jwt::sign(algorithm, &key.id, private_key.expose(), &claims)?;
    Ok(wire::GetWebIdentityTokenOutput {
        web_identity_token: Some(Sensitive::new(token)),
        expiration: Some(Timestamp(expires)),
    }
    .into())
}
