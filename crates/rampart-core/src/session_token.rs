//! Self-contained STS credentials: the session token *is* the session.
//!
//! `AssumeRole`, `GetSessionToken`, `GetFederationToken` and `AssumeRoot` store nothing:
//! the session (principal, expiry, MFA time, session policies, tags, the secret access
//! key) is deflated and sealed with XChaCha20-Poly1305 under a key derived from the master
//! key, with the `ASIA…` access key id as associated data, so a token opens only with the
//! key id it was issued with, and any node holding the master key verifies it without
//! having seen it. The token is `Rs` + the sealing key's id (one digit) + the sealed form;
//! keys are derived per id, so moving [`CURRENT_KEY_ID`] on rotates the sealing key while
//! tokens sealed under an older id keep opening until they expire. Revocation works as in
//! AWS, through `aws:TokenIssueTime` conditions on the principal.
//!
//! The temporary key id carries its account (`ASIA` + 8 base32 characters of the 12-digit
//! account id + 8 random ones), so `GetAccessKeyInfo` answers without a stored row, as AWS
//! does. This module owns the token format only; `auth` decides what a session may do.

use std::io::{Read, Write};

use serde::{Deserialize, Serialize};

use crate::error::CoreError;
use crate::model::{AccountId, SessionRecord};
use crate::random;
use crate::secrets::{MasterKey, SecretBytes};
use crate::state::SessionEntry;

/// The id of the key new tokens are sealed with.
pub const CURRENT_KEY_ID: u8 = 1;
/// What every token starts with, before the key id.
const PREFIX: &str = "Rs";
/// A token decompressing past this is refused (session policies are at most 2,048
/// characters packed, tags 50 pairs).
const MAX_PLAINTEXT: u64 = 64 * 1024;
const BASE32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// What a token seals.
#[derive(Serialize, Deserialize)]
struct Sealed {
    record: SessionRecord,
    secret: String,
}

/// The sealing key of key id `id`.
fn sealing_key(master: &MasterKey, id: u8) -> MasterKey {
    master.derive(&format!("rampart/sts-session-token/{id}"))
}

fn context(access_key_id: &str) -> String {
    format!("sts_session/{access_key_id}")
}

/// The session token for `record` and its secret access key.
pub fn seal(master: &MasterKey, record: &SessionRecord, secret: &str) -> Result<String, CoreError> {
    let internal = |what: &str| CoreError::Internal(format!("session token does not {what}"));
    let json = serde_json::to_vec(&Sealed {
        record: record.clone(),
        secret: secret.to_owned(),
    })
    .map_err(|_| internal("encode"))?;
    let mut deflate = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::fast());
    deflate.write_all(&json).map_err(|_| internal("compress"))?;
    let packed = deflate.finish().map_err(|_| internal("compress"))?;
    let sealed = sealing_key(master, CURRENT_KEY_ID)
        .seal(&packed, &context(&record.id))
        .map_err(|_| internal("seal"))?;
    Ok(format!("{PREFIX}{CURRENT_KEY_ID}{sealed}"))
}

/// The session `token` seals for `access_key_id`; `None` when it was not issued by a
/// holder of `master` for that key id (forged, altered, or another key's token).
pub fn open(master: &MasterKey, access_key_id: &str, token: &str) -> Option<SessionEntry> {
    let rest = token.strip_prefix(PREFIX)?;
    let mut chars = rest.chars();
    let id = u8::try_from(chars.next()?.to_digit(10)?).ok()?;
    let packed = sealing_key(master, id)
        .open(chars.as_str(), &context(access_key_id))
        .ok()?;
    let mut json = Vec::new();
    flate2::read::DeflateDecoder::new(packed.expose())
        .take(MAX_PLAINTEXT)
        .read_to_end(&mut json)
        .ok()?;
    let sealed: Sealed = serde_json::from_slice(&json).ok()?;
    if sealed.record.id != access_key_id {
        return None;
    }
    SessionEntry::new(sealed.record, SecretBytes::new(sealed.secret.into_bytes())).ok()
}

/// A fresh temporary access key id for `account`: `ASIA`, the account id in 8 base32
/// characters (40 bits), 8 random ones.
pub fn temporary_key_id(account: &AccountId) -> String {
    let mut number: u64 = account.as_str().parse().unwrap_or(0);
    let mut encoded = [b'A'; 8];
    for slot in encoded.iter_mut().rev() {
        let digit = usize::try_from(number % 32).unwrap_or(0);
        *slot = BASE32.get(digit).copied().unwrap_or(b'A');
        number /= 32;
    }
    format!(
        "ASIA{}{}",
        String::from_utf8_lossy(&encoded),
        random::base32(8)
    )
}

/// The account a temporary key id issued by [`temporary_key_id`] belongs to.
pub fn account_of_temporary_key(access_key_id: &str) -> Option<AccountId> {
    let encoded = access_key_id.strip_prefix("ASIA")?.get(..8)?;
    let mut number: u64 = 0;
    for c in encoded.bytes() {
        let digit = BASE32.iter().position(|&b| b == c)?;
        number = number
            .checked_mul(32)?
            .checked_add(u64::try_from(digit).ok()?)?;
    }
    AccountId::parse(&format!("{number:012}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SessionPrincipal;

    fn record(id: &str) -> SessionRecord {
        SessionRecord {
            id: id.to_owned(),
            account: AccountId::parse("123456789012").unwrap(),
            principal: SessionPrincipal::AssumedRole {
                role: "admin".into(),
                session_name: "s".into(),
            },
            issued: 100,
            expires: 200,
            mfa_authenticated_at: Some(90),
            session_policies: Some(vec![
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#.into(),
            ]),
            source_identity: None,
            tags: vec![],
            chained: false,
            assumed_root: None,
            delegation_request: None,
        }
    }

    #[test]
    fn a_token_opens_only_for_its_key_id_and_master_key() {
        let master = MasterKey::from_bytes([3; 32]);
        let account = AccountId::parse("123456789012").unwrap();
        let id = temporary_key_id(&account);
        let token = seal(&master, &record(&id), "secret").unwrap();
        let session = open(&master, &id, &token).unwrap();
        assert_eq!(session.secret.expose(), b"secret");
        assert_eq!(session.record.expires, 200);
        assert_eq!(session.policies.as_ref().map(Vec::len), Some(1));
        let other = temporary_key_id(&account);
        assert!(open(&master, &other, &token).is_none(), "another key id");
        assert!(open(&MasterKey::from_bytes([4; 32]), &id, &token).is_none());
        let mut altered = token.clone();
        altered.push('A');
        assert!(open(&master, &id, &altered).is_none());
        assert!(open(&master, &id, "Rs9v1:AAAA").is_none());
    }

    #[test]
    fn tokens_sealed_under_an_older_key_id_still_open() {
        let master = MasterKey::from_bytes([5; 32]);
        let id = temporary_key_id(&AccountId::parse("111122223333").unwrap());
        let rec = record(&id);
        let json = serde_json::to_vec(&Sealed {
            record: rec,
            secret: "old".into(),
        })
        .unwrap();
        let mut deflate =
            flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::fast());
        deflate.write_all(&json).unwrap();
        let sealed = sealing_key(&master, 0)
            .seal(&deflate.finish().unwrap(), &context(&id))
            .unwrap();
        let token = format!("{PREFIX}0{sealed}");
        assert_eq!(open(&master, &id, &token).unwrap().secret.expose(), b"old");
    }

    #[test]
    fn a_temporary_key_id_carries_its_account() {
        for account in ["000000000001", "123456789012", "999999999999"] {
            let account = AccountId::parse(account).unwrap();
            let id = temporary_key_id(&account);
            assert_eq!(id.len(), 20);
            assert!(id.starts_with("ASIA"));
            assert_eq!(account_of_temporary_key(&id), Some(account));
        }
        assert_eq!(account_of_temporary_key("AKIAAAAAAAAAAAAAAAAA"), None);
    }
}
