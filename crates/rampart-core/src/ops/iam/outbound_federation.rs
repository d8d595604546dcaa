//! Outbound web identity federation: an account's JWT issuer (`Enable…`, `Disable…`,
//! `GetOutboundWebIdentityFederationInfo`), its signing keys and the OpenID discovery
//! documents the server publishes at the issuer URL.
//!
//! Enabling creates the issuer once (a random id under this server's public URL) with an
//! RS256 and an ES384 key, sealed under the master key; disabling keeps both, so tokens
//! issued before stay verifiable (as AWS documents) and enabling again keeps the issuer.

use rampart_wire::iam::{self as wire, Output};
use serde_json::{Value, json};

use super::Cx;
use crate::error::CoreError;
use crate::jwt;
use crate::model::{AccountId, JwtAlgorithm, OutboundFederationRecord, SigningKeyRecord};
use crate::random;
use crate::secrets::MasterKey;
use crate::state::{FederationEntry, State, signing_key_context};

/// Where issuers live under the server's public URL.
pub const ISSUER_PATH: &str = "/outbound-federation/";

/// The issuer URL of `record` on a server reached at `public_url`.
pub fn issuer_url(public_url: &str, record: &OutboundFederationRecord) -> String {
    format!("{public_url}{ISSUER_PATH}{}", record.issuer_id)
}

fn enabled_message() -> CoreError {
    CoreError::FeatureEnabled(
        "Outbound web identity federation is already enabled for this account.".to_owned(),
    )
}

fn disabled_message() -> CoreError {
    CoreError::FeatureDisabled(
        "Outbound web identity federation is disabled for this account.".to_owned(),
    )
}

/// `EnableOutboundWebIdentityFederation`.
pub fn enable(
    cx: &Cx<'_>,
    _: &wire::EnableOutboundWebIdentityFederationInput,
) -> Result<Output, CoreError> {
    let account = cx.account().clone();
    if cx
        .state()
        .outbound_federation(&account)
        .is_some_and(|f| f.record.enabled)
    {
        return Err(enabled_message());
    }
    // Keys are generated outside the write (RSA generation takes a while) and used only
    // if this account has none yet.
    let fresh = [JwtAlgorithm::Rs256, JwtAlgorithm::Es384]
        .into_iter()
        .map(|algorithm| {
            let id = random::lower_alnum(16);
            let private = jwt::generate(algorithm)?;
            let sealed = cx
                .engine
                .master()
                .seal(private.expose(), &signing_key_context(&account, &id))
                .map_err(|err| CoreError::Internal(format!("signing key: {err}")))?;
            Ok(SigningKeyRecord {
                id,
                algorithm,
                sealed_private_key: sealed,
                created: cx.now,
            })
        })
        .collect::<Result<Vec<_>, CoreError>>()?;
    let record = cx.write(|txn| {
        let record = match txn.state().outbound_federation(&account) {
            Some(f) if f.record.enabled => return Err(enabled_message()),
            Some(f) => OutboundFederationRecord {
                enabled: true,
                ..f.record.clone()
            },
            None => OutboundFederationRecord {
                account: account.clone(),
                enabled: true,
                issuer_id: format!(
                    "{}-{}-{}",
                    random::lower_alnum(8),
                    random::lower_alnum(8),
                    random::lower_alnum(8)
                ),
                keys: fresh.clone(),
                created: cx.now,
            },
        };
        txn.put(&record)?;
        Ok(record)
    })?;
    Ok(wire::EnableOutboundWebIdentityFederationOutput {
        issuer_identifier: Some(issuer_url(cx.engine.public_url(), &record)),
    }
    .into())
}

/// `DisableOutboundWebIdentityFederation`.
pub fn disable(
    cx: &Cx<'_>,
    _: &wire::DisableOutboundWebIdentityFederationInput,
) -> Result<Output, CoreError> {
    let account = cx.account().clone();
    cx.write(|txn| {
        let record = match txn.state().outbound_federation(&account) {
            Some(f) if f.record.enabled => OutboundFederationRecord {
                enabled: false,
                ..f.record.clone()
            },
            _ => return Err(disabled_message()),
        };
        txn.put(&record)
    })?;
    Ok(Output::Empty)
}

/// `GetOutboundWebIdentityFederationInfo`: the issuer and whether tokens are vended.
pub fn get_info(
    cx: &Cx<'_>,
    _: &wire::GetOutboundWebIdentityFederationInfoInput,
) -> Result<Output, CoreError> {
    let state = cx.state();
    let entry = state
        .outbound_federation(cx.account())
        .filter(|f| f.record.enabled)
        .ok_or_else(disabled_message)?;
    Ok(wire::GetOutboundWebIdentityFederationInfoOutput {
        issuer_identifier: Some(issuer_url(cx.engine.public_url(), &entry.record)),
        jwt_vending_enabled: Some(entry.record.enabled),
    }
    .into())
}

/// The enabled federation of `account`, for `GetWebIdentityToken`.
pub fn enabled<'s>(state: &'s State, account: &AccountId) -> Option<&'s FederationEntry> {
    state
        .outbound_federation(account)
        .filter(|f| f.record.enabled)
        .map(AsRef::as_ref)
}

/// The document at `path` under [`ISSUER_PATH`] (`{id}/.well-known/openid-configuration`
/// or `{id}/.well-known/jwks.json`); `None` when there is no such issuer or document.
/// Published while the feature is disabled too, so earlier tokens stay verifiable.
pub fn discovery_document(
    state: &State,
    master: &MasterKey,
    public_url: &str,
    path: &str,
) -> Option<Value> {
    let rest = path.strip_prefix(ISSUER_PATH)?;
    let (issuer_id, document) = rest.split_once('/')?;
    let entry = state.outbound_federation_by_issuer(issuer_id)?;
    let issuer = issuer_url(public_url, &entry.record);
    match document {
        ".well-known/openid-configuration" => Some(json!({
            "issuer": issuer,
            "jwks_uri": format!("{issuer}/.well-known/jwks.json"),
            "response_types_supported": ["id_token"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256", "ES384"],
            "claims_supported": ["iss", "sub", "aud", "iat", "exp", "jti", "https://sts.amazonaws.com/"],
        })),
        ".well-known/jwks.json" => Some(json!({
            "keys": entry
                .keys
                .iter()
                .filter_map(|k| k.jwk(master).ok().cloned())
                .collect::<Vec<_>>(),
        })),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use rampart_wire::iam::Operation as Op;
    use rampart_wire::sts;

    use super::*;
    use crate::ops::iam::fixture::{Fixture, NOW};

    fn enable_op() -> Op {
        Op::EnableOutboundWebIdentityFederation(wire::EnableOutboundWebIdentityFederationInput {})
    }

    fn issuer(out: Output) -> String {
        match out {
            Output::EnableOutboundWebIdentityFederation(o) => o.issuer_identifier.unwrap(),
            Output::GetOutboundWebIdentityFederationInfo(o) => o.issuer_identifier.unwrap(),
            other => panic!("wrong output {other:?}"),
        }
    }

    fn token(f: &Fixture, algorithm: &str) -> Result<sts::Output, CoreError> {
        let op = sts::Operation::GetWebIdentityToken(sts::GetWebIdentityTokenInput {
            audience: vec!["aud-1".into()],
            signing_algorithm: algorithm.into(),
            ..Default::default()
        });
        crate::ops::sts::execute(
            &f.engine,
            &f.root,
            &op,
            crate::ops::sts::StsAdmission {
                mfa: None,
                region: "us-east-1".into(),
            },
            NOW,
        )
    }

    #[test]
    fn enabling_twice_is_feature_enabled_and_disabling_keeps_the_issuer_and_keys() {
        let f = Fixture::new();
        f.engine.set_public_url("https://iam.example.com/");
        let info = || {
            f.run(Op::GetOutboundWebIdentityFederationInfo(
                wire::GetOutboundWebIdentityFederationInfoInput {},
            ))
        };
        assert!(matches!(info(), Err(CoreError::FeatureDisabled(_))));
        assert!(matches!(
            token(&f, "RS256"),
            Err(CoreError::OutboundWebIdentityFederationDisabled(_))
        ));
        let url = issuer(f.run(enable_op()).unwrap());
        assert!(
            url.starts_with("https://iam.example.com/outbound-federation/"),
            "{url}"
        );
        assert!(matches!(
            f.run(enable_op()),
            Err(CoreError::FeatureEnabled(_))
        ));
        assert_eq!(issuer(info().unwrap()), url);
        let path = url.trim_start_matches("https://iam.example.com");
        let jwks = |state: &State| {
            discovery_document(
                state,
                f.engine.master(),
                "https://iam.example.com",
                &format!("{path}/.well-known/jwks.json"),
            )
            .unwrap()
        };
        let keys = jwks(&f.state());
        assert_eq!(keys["keys"].as_array().unwrap().len(), 2);
        let config = discovery_document(
            &f.state(),
            f.engine.master(),
            "https://iam.example.com",
            &format!("{path}/.well-known/openid-configuration"),
        )
        .unwrap();
        assert_eq!(config["issuer"], url.as_str());
        let disable = Op::DisableOutboundWebIdentityFederation(
            wire::DisableOutboundWebIdentityFederationInput {},
        );
        f.run(disable.clone()).unwrap();
        assert!(matches!(f.run(disable), Err(CoreError::FeatureDisabled(_))));
        assert_eq!(jwks(&f.state()), keys, "keys stay published while disabled");
        assert_eq!(issuer(f.run(enable_op()).unwrap()), url);
        assert!(
            discovery_document(
                &f.state(),
                f.engine.master(),
                "https://iam.example.com",
                "/outbound-federation/nope/.well-known/jwks.json"
            )
            .is_none()
        );
    }

    #[test]
    fn a_web_identity_token_carries_the_callers_identity_and_the_issuer() {
        let f = Fixture::new();
        let url = issuer(f.run(enable_op()).unwrap());
        let Ok(sts::Output::GetWebIdentityToken(out)) = token(&f, "ES384") else {
            panic!("no token")
        };
        assert_eq!(out.expiration, Some(rampart_wire::Timestamp(NOW + 300)));
        let jwt = out.web_identity_token.unwrap();
        let payload = jwt.expose().split('.').nth(1).unwrap();
        let claims: Value = serde_json::from_slice(
            &data_encoding::BASE64URL_NOPAD
                .decode(payload.as_bytes())
                .unwrap(),
        )
        .unwrap();
        assert_eq!(claims["iss"], url.as_str());
        assert_eq!(claims["aud"], "aud-1");
        assert_eq!(claims["sub"], f.root.arn().as_str());
        assert_eq!(claims["exp"], NOW + 300);
        assert_eq!(
            claims["https://sts.amazonaws.com/"]["aws_account"],
            f.account().as_str()
        );
        assert!(matches!(token(&f, "HS256"), Err(CoreError::Validation(_))));
    }
}
