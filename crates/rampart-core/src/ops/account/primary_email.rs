//! Changing a member account's root email (`StartPrimaryEmailUpdate`,
//! `AcceptPrimaryEmailUpdate`): the management account asks for a new address, a
//! six-digit one-time code is mailed to that address, and presenting the code with the
//! address makes it the account's primary (root sign-in) email.
//!
//! Both operations name a member (`AccountId` is required; the management account cannot
//! name itself, as for every Account API call). The code is sealed under the master key,
//! works for [`CODE_LIFETIME_SECS`], and [`MAX_WRONG_CODES`] wrong codes cancel the update
//! so a code cannot be guessed; starting again mails a new code and replaces the old one.
//! An address another account already uses is a `ConflictException`, as AWS documents.

use rampart_wire::account::{self as wire, Output, PrimaryEmailUpdateStatus};
use subtle::ConstantTimeEq;

use super::{record, target};
use crate::auth::Caller;
use crate::engine::Engine;
use crate::error::CoreError;
use crate::model::{AccountId, PrimaryEmailUpdate};
use crate::state::State;

/// How long a mailed code works, in seconds.
pub const CODE_LIFETIME_SECS: i64 = 24 * 60 * 60;
/// Wrong codes that cancel a pending update.
pub const MAX_WRONG_CODES: u32 = 3;

fn seal_context(account: &AccountId) -> String {
    format!("primary-email-otp:{account}")
}

fn in_use(state: &State, email: &str) -> Result<(), CoreError> {
    if state.account_by_email(email).is_some() {
        return Err(CoreError::Conflict(
            "The email address is already in use by another AWS account.".to_owned(),
        ));
    }
    Ok(())
}

/// A uniformly drawn six-digit code.
fn new_code() -> String {
    loop {
        let n = u32::from_le_bytes(crate::random::bytes::<4>());
        // Reject the top partial range so every code is equally likely.
        if n < 4_294_000_000 {
            return format!("{:06}", n % 1_000_000);
        }
    }
}

/// `StartPrimaryEmailUpdate`: records the pending update, then mails the code.
pub fn start(
    engine: &Engine,
    caller: &Caller,
    i: &wire::StartPrimaryEmailUpdateInput,
    now: i64,
) -> Result<Output, CoreError> {
    let account = target(&engine.snapshot(), caller, Some(&i.account_id))?;
    let email = i.primary_email.trim().to_owned();
    if !crate::ops::signup::looks_like_email(&email) {
        return Err(CoreError::Validation(
            "The primary email address is not a valid email address.".to_owned(),
        ));
    }
    let code = new_code();
    let sealed_code = engine
        .master()
        .seal(code.as_bytes(), &seal_context(&account))
        .map_err(|e| CoreError::Internal(e.to_string()))?;
    engine.write(|txn| {
        in_use(txn.state(), &email)?;
        let mut rec = record(txn.state(), &account)?;
        rec.primary_email_update = Some(PrimaryEmailUpdate {
            email: email.clone(),
            sealed_code: sealed_code.clone(),
            expires: now.saturating_add(CODE_LIFETIME_SECS),
            failures: 0,
        });
        txn.put(&rec)
    })?;
    let body = format!(
        "A request was made to change the primary email address of AWS account {account} to \
         this address.\n\nVerification code: {code}\n\nThe code expires in 24 hours. If you did \
         not expect this request, ignore this message.\n"
    );
    engine.send_mail(
        &email,
        "Verify your new AWS account email address",
        &body,
        now,
    )?;
    Ok(wire::StartPrimaryEmailUpdateOutput {
        status: Some(PrimaryEmailUpdateStatus::Pending),
    }
    .into())
}

/// What checking a presented code found.
enum Verdict {
    Accepted,
    Wrong { cancelled: bool },
    Expired,
}

/// `AcceptPrimaryEmailUpdate`: checks the address and code; a wrong code is counted (the
/// count is written even though the call fails).
pub fn accept(
    engine: &Engine,
    caller: &Caller,
    i: &wire::AcceptPrimaryEmailUpdateInput,
    now: i64,
) -> Result<Output, CoreError> {
    let account = target(&engine.snapshot(), caller, Some(&i.account_id))?;
    let email = i.primary_email.trim();
    let verdict = engine.write(|txn| {
        let mut rec = record(txn.state(), &account)?;
        let pending = rec
            .primary_email_update
            .clone()
            .filter(|p| p.email.eq_ignore_ascii_case(email))
            .ok_or_else(|| {
                CoreError::ResourceNotFound(format!(
                    "No primary email update to {email} is pending for account {account}."
                ))
            })?;
        if now >= pending.expires {
            rec.primary_email_update = None;
            txn.put(&rec)?;
            return Ok(Verdict::Expired);
        }
        let code = engine
            .master()
            .open(&pending.sealed_code, &seal_context(&account))
            .map_err(|e| CoreError::Internal(e.to_string()))?;
        if !bool::from(code.expose().ct_eq(i.otp.as_bytes())) {
            let failures = pending.failures.saturating_add(1);
            let cancelled = failures >= MAX_WRONG_CODES;
            rec.primary_email_update = (!cancelled).then_some(PrimaryEmailUpdate {
                failures,
                ..pending
            });
            txn.put(&rec)?;
            return Ok(Verdict::Wrong { cancelled });
        }
        in_use(txn.state(), &pending.email)?;
        rec.email = pending.email;
        rec.primary_email_update = None;
        txn.put(&rec)?;
        Ok(Verdict::Accepted)
    })?;
    match verdict {
        Verdict::Accepted => Ok(wire::AcceptPrimaryEmailUpdateOutput {
            status: Some(PrimaryEmailUpdateStatus::Accepted),
        }
        .into()),
        Verdict::Wrong { cancelled: false } => Err(CoreError::Validation(
            "The one-time password is not valid.".to_owned(),
        )),
        Verdict::Wrong { cancelled: true } => Err(CoreError::Validation(
            "The one-time password is not valid. Too many attempts: start the primary email \
             update again."
                .to_owned(),
        )),
        Verdict::Expired => Err(CoreError::Validation(
            "The one-time password has expired. Start the primary email update again.".to_owned(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::mail::testing::Recorder;
    use crate::ops::account::tests::Fixture;

    fn setup() -> (Fixture, Arc<Recorder>, String) {
        let f = Fixture::with_member();
        let mail = Arc::new(Recorder::default());
        f.engine.set_mail(mail.clone());
        let member = f.member.as_ref().unwrap().as_str().to_owned();
        (f, mail, member)
    }

    fn start_input(member: &str, email: &str) -> wire::StartPrimaryEmailUpdateInput {
        wire::StartPrimaryEmailUpdateInput {
            account_id: member.to_owned(),
            primary_email: email.to_owned(),
        }
    }

    fn accept_input(member: &str, email: &str, otp: &str) -> wire::AcceptPrimaryEmailUpdateInput {
        wire::AcceptPrimaryEmailUpdateInput {
            account_id: member.to_owned(),
            primary_email: email.to_owned(),
            otp: otp.to_owned(),
        }
    }

    fn mailed_code(mail: &Recorder) -> String {
        let sent = mail.0.lock().unwrap();
        let (_, _, body) = sent.last().unwrap();
        let line = body
            .lines()
            .find(|l| l.starts_with("Verification code: "))
            .unwrap();
        line.trim_start_matches("Verification code: ").to_owned()
    }

    #[test]
    fn the_mailed_code_changes_the_members_email() {
        let (f, mail, member) = setup();
        let out = start(
            &f.engine,
            &f.root,
            &start_input(&member, "new@example.com"),
            10,
        )
        .unwrap();
        assert_eq!(
            out,
            Output::StartPrimaryEmailUpdate(wire::StartPrimaryEmailUpdateOutput {
                status: Some(PrimaryEmailUpdateStatus::Pending)
            })
        );
        assert_eq!(mail.0.lock().unwrap()[0].0, "new@example.com");
        let code = mailed_code(&mail);
        assert_eq!(code.len(), 6);
        // The stored record never holds the code in the clear.
        let state = f.engine.snapshot();
        let stored =
            serde_json::to_string(&**state.account(f.member.as_ref().unwrap()).unwrap()).unwrap();
        assert!(!stored.contains(&format!("\"{code}\"")));
        let out = accept(
            &f.engine,
            &f.root,
            &accept_input(&member, "NEW@example.com", &code),
            20,
        )
        .unwrap();
        assert_eq!(
            out,
            Output::AcceptPrimaryEmailUpdate(wire::AcceptPrimaryEmailUpdateOutput {
                status: Some(PrimaryEmailUpdateStatus::Accepted)
            })
        );
        let state = f.engine.snapshot();
        assert_eq!(
            state.account(f.member.as_ref().unwrap()).unwrap().email,
            "new@example.com"
        );
        assert!(state.account_by_email("member@example.com").is_none());
        // Used once: accepting again finds nothing pending.
        let err = accept(
            &f.engine,
            &f.root,
            &accept_input(&member, "new@example.com", &code),
            30,
        )
        .unwrap_err();
        assert!(matches!(err, CoreError::ResourceNotFound(_)), "{err:?}");
    }

    #[test]
    fn three_wrong_codes_cancel_the_update() {
        let (f, mail, member) = setup();
        start(
            &f.engine,
            &f.root,
            &start_input(&member, "new@example.com"),
            0,
        )
        .unwrap();
        let code = mailed_code(&mail);
        let wrong = if code == "000000" { "111111" } else { "000000" };
        for _ in 0..MAX_WRONG_CODES {
            let err = accept(
                &f.engine,
                &f.root,
                &accept_input(&member, "new@example.com", wrong),
                1,
            )
            .unwrap_err();
            assert!(matches!(err, CoreError::Validation(_)), "{err:?}");
        }
        let err = accept(
            &f.engine,
            &f.root,
            &accept_input(&member, "new@example.com", &code),
            2,
        )
        .unwrap_err();
        assert!(matches!(err, CoreError::ResourceNotFound(_)), "{err:?}");
        // Starting again mails a new code that works.
        start(
            &f.engine,
            &f.root,
            &start_input(&member, "new@example.com"),
            3,
        )
        .unwrap();
        let code = mailed_code(&mail);
        accept(
            &f.engine,
            &f.root,
            &accept_input(&member, "new@example.com", &code),
            4,
        )
        .unwrap();
    }

    #[test]
    fn an_expired_code_or_an_address_in_use_is_refused() {
        let (f, mail, member) = setup();
        start(
            &f.engine,
            &f.root,
            &start_input(&member, "late@example.com"),
            0,
        )
        .unwrap();
        let code = mailed_code(&mail);
        let err = accept(
            &f.engine,
            &f.root,
            &accept_input(&member, "late@example.com", &code),
            CODE_LIFETIME_SECS,
        )
        .unwrap_err();
        assert!(matches!(err, CoreError::Validation(_)), "{err:?}");
        let err = start(
            &f.engine,
            &f.root,
            &start_input(&member, "mgmt@example.com"),
            0,
        )
        .unwrap_err();
        assert_eq!(
            err.code(),
            rampart_wire::ErrorCode::AccountApiConflictException
        );
        let err = start(
            &f.engine,
            &f.root,
            &start_input(&member, "not-an-address"),
            0,
        )
        .unwrap_err();
        assert!(matches!(err, CoreError::Validation(_)), "{err:?}");
        // The management account cannot name itself, nor an account outside its organization.
        let own = f.root.account.as_str().to_owned();
        let err = start(&f.engine, &f.root, &start_input(&own, "x@example.com"), 0).unwrap_err();
        assert!(matches!(err, CoreError::AccessDenied(_)), "{err:?}");
    }

    #[test]
    fn without_a_mail_transport_the_start_fails_loudly() {
        let f = Fixture::with_member();
        let member = f.member.as_ref().unwrap().as_str().to_owned();
        let err = start(
            &f.engine,
            &f.root,
            &start_input(&member, "new@example.com"),
            0,
        )
        .unwrap_err();
        assert!(matches!(err, CoreError::Internal(_)), "{err:?}");
    }
}
