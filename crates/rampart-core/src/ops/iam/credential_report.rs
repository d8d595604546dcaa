//! `GenerateCredentialReport` / `GetCredentialReport`: the account's credential report,
//! built from the snapshot (rendering lives in `crate::credential_report`).

use rampart_wire::Timestamp;
use rampart_wire::iam::{self as wire, Output};
use rampart_wire::xml::Blob;

use super::Cx;
use crate::credential_report::{self as report, AccessKeyFacts, ReportRow, ReportState};
use crate::engine::{Engine, WriteTxn};
use crate::error::CoreError;
use crate::model::{AccountId, CredentialReportRecord, MfaOwner};
use crate::password_policy;
use crate::state::State;

/// The report's rows: root first, then every user.
fn rows(engine: &Engine, state: &State, account: &AccountId) -> Result<Vec<ReportRow>, CoreError> {
    let record = state
        .account(account)
        .ok_or_else(|| CoreError::Internal(format!("account {account} vanished")))?;
    let policy = record.password_policy.as_ref();
    let key_facts = |user: Option<&str>| -> Vec<(bool, i64, Option<crate::model::KeyUsageRecord>)> {
        state
            .access_keys_of(account, user)
            .into_iter()
            .map(|k| {
                (
                    k.record.status == crate::model::KeyStatus::Active,
                    k.record.created,
                    engine.key_last_used(&k.record.id),
                )
            })
            .collect()
    };
    let apply_keys =
        |row: &mut ReportRow, facts: &[(bool, i64, Option<crate::model::KeyUsageRecord>)]| {
            let keys: Vec<AccessKeyFacts<'_>> = facts
                .iter()
                .map(|(active, created, usage)| AccessKeyFacts {
                    active: *active,
                    created: *created,
                    last_used: usage.as_ref().map(|u| u.at),
                    last_used_region: usage.as_ref().map(|u| u.region.as_str()),
                    last_used_service: usage.as_ref().map(|u| u.service.as_str()),
                })
                .collect();
            row.set_access_keys(&keys);
        };
    // cert_1 / cert_2 follow upload order, like the access key columns (credentials-and-mfa.md).
    let apply_certs = |row: &mut ReportRow, user: Option<&str>| {
        let certs = state.signing_certificates_of(account, user);
        if let Some(c) = certs.first() {
            row.cert_1_active = c.status == crate::model::KeyStatus::Active;
            row.cert_1_last_rotated = Some(c.uploaded);
        }
        if let Some(c) = certs.get(1) {
            row.cert_2_active = c.status == crate::model::KeyStatus::Active;
            row.cert_2_last_rotated = Some(c.uploaded);
        }
    };
    let mut root = ReportRow::root(account, record.created);
    apply_certs(&mut root, None);
    root.mfa_active = state
        .mfa_devices_of(account, &MfaOwner::Root)
        .next()
        .is_some();
    apply_keys(&mut root, &key_facts(None));
    let mut out = vec![root];
    for user in state.users(account) {
        let r = &user.record;
        let mut row = ReportRow::user(&r.name, &r.arn(), r.created);
        if let Some(profile) = &r.login_profile {
            row.password_enabled = Some(true);
            row.password_last_used = r.password_last_used;
            row.password_last_changed = Some(profile.password_changed);
            row.password_next_rotation =
                password_policy::next_rotation(policy, profile.password_changed);
        }
        row.mfa_active = state
            .mfa_devices_of(account, &MfaOwner::User(r.name.clone()))
            .next()
            .is_some();
        apply_keys(&mut row, &key_facts(Some(&r.name)));
        apply_certs(&mut row, Some(&r.name));
        out.push(row);
    }
    Ok(out)
}

/// `GenerateCredentialReport`: regenerates at most every four hours, as AWS does.
pub fn generate(
    engine: &Engine,
    txn: &mut WriteTxn<'_>,
    account: &AccountId,
    now: i64,
) -> Result<ReportState, CoreError> {
    let generated = txn.state().credential_report(account).map(|r| r.generated);
    let state = report::report_state(generated, now);
    if state == ReportState::Started {
        let content = report::render(&rows(engine, txn.state(), account)?);
        txn.put_under(
            account.as_str(),
            &CredentialReportRecord {
                generated: now,
                content,
            },
        )?;
    }
    Ok(state)
}

/// `GetCredentialReport`: the stored CSV and when it was made.
pub fn get(state: &State, account: &AccountId, now: i64) -> Result<(String, i64), CoreError> {
    let stored = state.credential_report(account);
    report::check_available(stored.map(|r| r.generated), now).map_err(|err| match err {
        report::ReportError::NotPresent => CoreError::ReportNotPresent(err.to_string()),
        report::ReportError::Expired => CoreError::ReportExpired(err.to_string()),
    })?;
    let stored = stored
        .ok_or_else(|| CoreError::ReportNotPresent("Credential report not present.".to_owned()))?;
    Ok((stored.content.clone(), stored.generated))
}

/// `GenerateCredentialReport`.
pub fn generate_credential_report(
    cx: &Cx<'_>,
    _: &wire::GenerateCredentialReportInput,
) -> Result<Output, CoreError> {
    let report_state = cx.write(|txn| generate(cx.engine, txn, cx.account(), cx.now))?;
    let state = match report_state {
        ReportState::Started => wire::ReportState::Started,
        ReportState::InProgress => wire::ReportState::InProgress,
        ReportState::Complete => wire::ReportState::Complete,
    };
    Ok(wire::GenerateCredentialReportOutput {
        state: Some(state),
        description: report_state.description().map(str::to_owned),
    }
    .into())
}

/// `GetCredentialReport`.
pub fn get_credential_report(
    cx: &Cx<'_>,
    _: &wire::GetCredentialReportInput,
) -> Result<Output, CoreError> {
    let (content, generated) = get(&cx.state(), cx.account(), cx.now)?;
    Ok(wire::GetCredentialReportOutput {
        content: Some(Blob(content.into_bytes())),
        report_format: Some(wire::ReportFormat::TextCsv),
        generated_time: Some(Timestamp(generated)),
    }
    .into())
}
