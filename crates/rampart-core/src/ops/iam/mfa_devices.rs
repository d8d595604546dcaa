//! Virtual MFA devices for IAM users and for the root user: create, enable, resync,
//! deactivate, delete, list, get, tags, and the one-time use of a code by STS.
//!
//! Seeds are sealed at rest and returned only by `CreateVirtualMFADevice`. A code is
//! accepted once: the device remembers the last TOTP counter it accepted. The root user's
//! devices are named in `UserName` by the account id and can be managed only with root
//! credentials.

use std::collections::BTreeMap;
use std::sync::Arc;

use rampart_wire::Timestamp;
use rampart_wire::iam::{self as wire, Output};
use rampart_wire::xml::Blob;

use super::Cx;
use super::tags::Taggable;
use crate::ops::paging::page;

use crate::auth::{Caller, Principal};
use crate::engine::{Engine, WriteTxn};
use crate::error::CoreError;
use crate::lockout;
use crate::mfa::{self, MfaError, TotpSeed};
use crate::model::{AccountId, MfaDeviceRecord, MfaOwner, Tag};
use crate::secrets::MasterKey;
use crate::state::State;

/// MFA devices in use per user and per root.
pub const DEVICES_PER_USER: usize = 8;

fn seed_context(serial: &str) -> String {
    format!("mfa_device/{serial}")
}

fn no_such_device(serial: &str) -> CoreError {
    CoreError::NoSuchEntity(format!(
        "MFA Device with serial number {serial} does not exist."
    ))
}

fn invalid_code() -> CoreError {
    CoreError::InvalidAuthenticationCode(mfa::INVALID_AUTHENTICATION_CODE_MESSAGE.to_owned())
}

/// The device `serial` of `account`.
pub fn get(state: &State, account: &AccountId, serial: &str) -> Result<MfaDeviceRecord, CoreError> {
    match state.mfa_device(serial) {
        Some(device) if &device.account == account => Ok(MfaDeviceRecord::clone(device)),
        _ => Err(no_such_device(serial)),
    }
}

/// Opens a device's seed.
pub fn seed(master: &MasterKey, device: &MfaDeviceRecord) -> Result<TotpSeed, CoreError> {
    let bytes = master
        .open(&device.sealed_seed, &seed_context(&device.serial()))
        .map_err(|err| CoreError::Internal(err.to_string()))?;
    Ok(TotpSeed::from_bytes(bytes.expose().to_vec()))
}

/// The owner a `UserName` names: the account id names root (only root may do so).
pub fn owner_for(
    state: &State,
    caller: &Caller,
    user_name: Option<&str>,
) -> Result<MfaOwner, CoreError> {
    match (user_name, &caller.principal) {
        (Some(name), Principal::Root) if name == caller.account.as_str() => Ok(MfaOwner::Root),
        (Some(name), _) => Ok(MfaOwner::User(
            super::users::get(state, &caller.account, name)?
                .record
                .name
                .clone(),
        )),
        (None, Principal::Root) => Ok(MfaOwner::Root),
        (None, Principal::User { name, .. }) => Ok(MfaOwner::User(name.clone())),
        (None, Principal::AssumedRole { .. } | Principal::FederatedUser { .. }) => {
            Err(CoreError::Validation(
                "Must specify userName when calling with non-User credentials".to_owned(),
            ))
        }
    }
}

/// Root's devices answer only to root credentials, administrators included.
fn require_root_for(caller: &Caller, owner: Option<&MfaOwner>) -> Result<(), CoreError> {
    if owner == Some(&MfaOwner::Root) && caller.principal != Principal::Root {
        return Err(CoreError::AccessDenied(format!(
            "User: {} is not authorized to perform this operation: the root user's MFA device can be managed only with root user credentials",
            caller.arn()
        )));
    }
    Ok(())
}

/// `CreateVirtualMFADevice`: the device plus its seed and QR code, shown this once.
pub fn create(
    txn: &mut WriteTxn<'_>,
    account: &AccountId,
    name: &str,
    path: Option<&str>,
    tags: Vec<Tag>,
    now: i64,
) -> Result<wire::VirtualMfaDevice, CoreError> {
    let path = path.unwrap_or("/");
    let serial = format!("arn:aws:iam::{account}:mfa{path}{name}");
    if txn
        .state()
        .mfa_devices(account)
        .any(|d| d.name.eq_ignore_ascii_case(name) && d.path == path)
    {
        return Err(CoreError::EntityAlreadyExists(
            "MFADevice entity at the same path and name already exists.".to_owned(),
        ));
    }
    let seed = TotpSeed::generate();
    let label = txn
        .state()
        .account(account)
        .and_then(|a| a.alias.clone())
        .unwrap_or_else(|| account.as_str().to_owned());
    let png = mfa::qr_png(&mfa::otpauth_uri(name, &label, &seed))
        .map_err(|err| CoreError::InvalidInput(err.to_string()))?;
    let sealed_seed = txn
        .master()
        .seal(seed.expose(), &seed_context(&serial))
        .map_err(|err| CoreError::Internal(err.to_string()))?;
    let record = MfaDeviceRecord {
        account: account.clone(),
        name: name.to_owned(),
        path: path.to_owned(),
        created: now,
        sealed_seed,
        owner: None,
        enabled: None,
        last_counter: None,
        drift: 0,
        tags: tags.clone(),
    };
    txn.put(&record)?;
    Ok(wire::VirtualMfaDevice {
        serial_number: serial,
        base32_string_seed: Some(Blob(seed.base32().as_bytes().to_vec())),
        qr_code_png: Some(Blob(png)),
        tags: super::tags::to_wire(&tags),
        ..Default::default()
    })
}

fn code_error(err: MfaError) -> CoreError {
    match err {
        MfaError::QrEncoding => CoreError::Internal(err.to_string()),
        MfaError::MalformedCode | MfaError::InvalidCode | MfaError::Replayed => invalid_code(),
    }
}

/// `EnableMFADevice`: two consecutive codes bind the device to its owner.
pub fn enable(
    txn: &mut WriteTxn<'_>,
    caller: &Caller,
    user_name: &str,
    serial: &str,
    code1: &str,
    code2: &str,
    now: i64,
) -> Result<(), CoreError> {
    let owner = owner_for(txn.state(), caller, Some(user_name))?;
    require_root_for(caller, Some(&owner))?;
    let mut device = get(txn.state(), &caller.account, serial)?;
    if device.owner.is_some() {
        return Err(CoreError::EntityAlreadyExists(
            "MFA Device is already in use.".to_owned(),
        ));
    }
    if txn.state().mfa_devices_of(&caller.account, &owner).count() >= DEVICES_PER_USER {
        return Err(CoreError::LimitExceeded(format!(
            "Cannot exceed quota for MFADevicesPerUser: {DEVICES_PER_USER}"
        )));
    }
    let counter = mfa::check_enable_pair(&seed(txn.master(), &device)?, code1, code2, now)
        .map_err(code_error)?;
    device.owner = Some(owner);
    device.enabled = Some(now);
    device.last_counter = Some(counter);
    device.drift = mfa::drift(counter, now);
    txn.put(&device)
}

/// `ResyncMFADevice`: two consecutive codes re-anchor the device's drift.
pub fn resync(
    txn: &mut WriteTxn<'_>,
    caller: &Caller,
    user_name: &str,
    serial: &str,
    code1: &str,
    code2: &str,
    now: i64,
) -> Result<(), CoreError> {
    let owner = owner_for(txn.state(), caller, Some(user_name))?;
    require_root_for(caller, Some(&owner))?;
    let mut device = get(txn.state(), &caller.account, serial)?;
    if device.owner.as_ref() != Some(&owner) {
        return Err(no_such_device(serial));
    }
    let counter = mfa::resync(
        &seed(txn.master(), &device)?,
        code1,
        code2,
        now,
        device.last_counter,
    )
    .map_err(code_error)?;
    device.last_counter = Some(counter);
    device.drift = mfa::drift(counter, now);
    txn.put(&device)
}

/// `DeactivateMFADevice`: unassigns; the virtual device remains.
pub fn deactivate(
    txn: &mut WriteTxn<'_>,
    caller: &Caller,
    user_name: Option<&str>,
    serial: &str,
) -> Result<(), CoreError> {
    let mut device = get(txn.state(), &caller.account, serial)?;
    require_root_for(caller, device.owner.as_ref())?;
    let owner = match user_name {
        Some(_) => Some(owner_for(txn.state(), caller, user_name)?),
        None => device.owner.clone(),
    };
    if device.owner.is_none() || device.owner != owner {
        return Err(no_such_device(serial));
    }
    device.owner = None;
    device.enabled = None;
    device.last_counter = None;
    device.drift = 0;
    txn.put(&device)
}

/// `DeleteVirtualMFADevice`: only once unassigned.
pub fn delete(txn: &mut WriteTxn<'_>, caller: &Caller, serial: &str) -> Result<(), CoreError> {
    // DeleteVirtualMFADevice names the resource type in its own not-found sentence.
    let device = get(txn.state(), &caller.account, serial).map_err(|_| {
        CoreError::NoSuchEntity(format!(
            "VirtualMFADevice with serial number {serial} doesn't exist."
        ))
    })?;
    require_root_for(caller, device.owner.as_ref())?;
    if device.owner.is_some() {
        return Err(CoreError::DeleteConflict(
            "MFA Device is in use and cannot be deleted.".to_owned(),
        ));
    }
    txn.delete::<MfaDeviceRecord>(serial)
}

/// Checks a code from `owner`'s device `serial` without consuming it, returning the device
/// and the code's time step. Used by STS before authorization; any failure is AWS's one
/// `AccessDenied` sentence.
pub fn check_code(
    state: &State,
    master: &MasterKey,
    account: &AccountId,
    owner: &MfaOwner,
    serial: &str,
    code: &str,
    now: i64,
) -> Result<(MfaDeviceRecord, u64), CoreError> {
    let failed = || CoreError::AccessDenied(mfa::STS_MFA_FAILED_MESSAGE.to_owned());
    let device = get(state, account, serial).map_err(|_| failed())?;
    if device.owner.as_ref() != Some(owner) {
        return Err(failed());
    }
    let counter = mfa::check_code(
        &seed(master, &device)?,
        code,
        now,
        device.drift,
        device.last_counter,
    )
    .map_err(|_| failed())?;
    Ok((device, counter))
}

/// Checks a code as [`check_code`] does and consumes it: a code is accepted once.
pub fn use_code(
    txn: &mut WriteTxn<'_>,
    account: &AccountId,
    owner: &MfaOwner,
    serial: &str,
    code: &str,
    now: i64,
) -> Result<(), CoreError> {
    let (mut device, counter) =
        check_code(txn.state(), txn.master(), account, owner, serial, code, now)?;
    device.last_counter = Some(counter);
    txn.put(&device)
}

/// The user a device is assigned to, as the wire shows it (root as its ARN and id).
pub fn wire_owner(state: &State, device: &MfaDeviceRecord) -> Option<wire::User> {
    match device.owner.as_ref()? {
        MfaOwner::Root => Some(wire::User {
            path: "/".to_owned(),
            user_name: String::new(),
            user_id: device.account.as_str().to_owned(),
            arn: device.account.root_arn(),
            create_date: Timestamp(state.account(&device.account).map_or(0, |a| a.created)),
            ..Default::default()
        }),
        MfaOwner::User(name) => state.user(&device.account, name).map(|u| wire::User {
            path: u.record.path.clone(),
            user_name: u.record.name.clone(),
            user_id: u.record.id.clone(),
            arn: u.record.arn(),
            create_date: Timestamp(u.record.created),
            ..Default::default()
        }),
    }
}

/// The name `MFADevice.UserName` shows for an owner.
pub fn owner_name(account: &AccountId, owner: &MfaOwner) -> String {
    match owner {
        MfaOwner::Root => account.as_str().to_owned(),
        MfaOwner::User(name) => name.clone(),
    }
}

impl Taggable for MfaDeviceRecord {
    fn tags(state: &State, account: &AccountId, id: &str) -> Result<Vec<Tag>, CoreError> {
        Ok(get(state, account, id)?.tags)
    }

    fn retag(
        txn: &mut WriteTxn<'_>,
        account: &AccountId,
        id: &str,
        change: impl FnOnce(&mut Vec<Tag>) -> Result<(), CoreError>,
    ) -> Result<(), CoreError> {
        let mut device = get(txn.state(), account, id)?;
        change(&mut device.tags)?;
        txn.put(&device)
    }
}

/// `CreateVirtualMFADevice`.
pub fn create_virtual_mfa_device(
    cx: &Cx<'_>,
    i: &wire::CreateVirtualMfaDeviceInput,
) -> Result<Output, CoreError> {
    let tags = super::tags::from_wire(i.tags.as_deref())?;
    let virtual_mfa_device = cx.write(|txn| {
        let name = &i.virtual_mfa_device_name;
        create(
            txn,
            cx.account(),
            name,
            i.path.as_deref(),
            tags.clone(),
            cx.now,
        )
    })?;
    Ok(wire::CreateVirtualMfaDeviceOutput { virtual_mfa_device }.into())
}

/// `EnableMFADevice`.
pub fn enable_mfa_device(cx: &Cx<'_>, i: &wire::EnableMfaDeviceInput) -> Result<Output, CoreError> {
    let (code1, code2) = (&i.authentication_code1, &i.authentication_code2);
    guarded_pair(cx, &i.serial_number, || {
        cx.write(|txn| {
            enable(
                txn,
                cx.caller,
                &i.user_name,
                &i.serial_number,
                code1,
                code2,
                cx.now,
            )
        })
    })?;
    Ok(Output::Empty)
}

/// `ResyncMFADevice`.
pub fn resync_mfa_device(cx: &Cx<'_>, i: &wire::ResyncMfaDeviceInput) -> Result<Output, CoreError> {
    let (code1, code2) = (&i.authentication_code1, &i.authentication_code2);
    guarded_pair(cx, &i.serial_number, || {
        cx.write(|txn| {
            resync(
                txn,
                cx.caller,
                &i.user_name,
                &i.serial_number,
                code1,
                code2,
                cx.now,
            )
        })
    })?;
    Ok(Output::Empty)
}

/// The failed-attempt key of device `serial`.
fn attempt_key(serial: &str) -> String {
    format!("mfa:{serial}")
}

/// Runs a code check of device `serial` under its failed-attempt limit
/// ([`lockout::MFA_CODES`]): a locked device answers `locked()` without checking, a result
/// for which `wrong_code` holds counts towards the lock, and a success clears it. The one
/// guard for every API path that checks MFA codes (STS, EnableMFADevice, ResyncMFADevice).
pub fn guarded<T>(
    engine: &Engine,
    serial: &str,
    now: i64,
    locked: impl FnOnce() -> CoreError,
    wrong_code: impl FnOnce(&CoreError) -> bool,
    check: impl FnOnce() -> Result<T, CoreError>,
) -> Result<T, CoreError> {
    engine.lockout().guard(
        &attempt_key(serial),
        &lockout::MFA_CODES,
        now,
        |_| locked(),
        wrong_code,
        check,
    )
}

/// [`guarded`] for the two-code IAM operations: a locked device answers as for wrong codes.
fn guarded_pair(
    cx: &Cx<'_>,
    serial: &str,
    check: impl FnOnce() -> Result<(), CoreError>,
) -> Result<(), CoreError> {
    guarded(
        cx.engine,
        serial,
        cx.now,
        invalid_code,
        |err| matches!(err, CoreError::InvalidAuthenticationCode(_)),
        check,
    )
}

/// `DeactivateMFADevice`.
pub fn deactivate_mfa_device(
    cx: &Cx<'_>,
    i: &wire::DeactivateMfaDeviceInput,
) -> Result<Output, CoreError> {
    cx.write(|txn| deactivate(txn, cx.caller, i.user_name.as_deref(), &i.serial_number))?;
    Ok(Output::Empty)
}

/// `DeleteVirtualMFADevice`.
pub fn delete_virtual_mfa_device(
    cx: &Cx<'_>,
    i: &wire::DeleteVirtualMfaDeviceInput,
) -> Result<Output, CoreError> {
    cx.write(|txn| delete(txn, cx.caller, &i.serial_number))?;
    Ok(Output::Empty)
}

/// `ListMFADevices`: the devices enabled for the named user, else the caller.
pub fn list_mfa_devices(cx: &Cx<'_>, i: &wire::ListMfaDevicesInput) -> Result<Output, CoreError> {
    let state = cx.state();
    let account = cx.account();
    let owner = owner_for(&state, cx.caller, i.user_name.as_deref())?;
    let all: Vec<_> = state
        .mfa_devices_of(account, &owner)
        .map(Arc::clone)
        .collect();
    let (chunk, is_truncated, marker) =
        page(all, i.marker.as_deref(), i.max_items, |d| d.serial())?;
    let mfa_devices = (chunk.iter())
        .map(|d| wire::MfaDevice {
            user_name: owner_name(account, &owner),
            serial_number: d.serial(),
            enable_date: Timestamp(d.enabled.unwrap_or(d.created)),
        })
        .collect();
    Ok(wire::ListMfaDevicesOutput {
        mfa_devices,
        is_truncated,
        marker,
    }
    .into())
}

/// `ListVirtualMFADevices`, filtered by assignment.
pub fn list_virtual_mfa_devices(
    cx: &Cx<'_>,
    i: &wire::ListVirtualMfaDevicesInput,
) -> Result<Output, CoreError> {
    let state = cx.state();
    let status = i.assignment_status.unwrap_or(wire::AssignmentStatus::Any);
    let all: Vec<_> = (state.mfa_devices(cx.account()))
        .filter(|d| match status {
            wire::AssignmentStatus::Assigned => d.owner.is_some(),
            wire::AssignmentStatus::Unassigned => d.owner.is_none(),
            wire::AssignmentStatus::Any => true,
        })
        .map(Arc::clone)
        .collect();
    let (chunk, is_truncated, marker) =
        page(all, i.marker.as_deref(), i.max_items, |d| d.serial())?;
    let virtual_mfa_devices = (chunk.iter())
        .map(|d| wire::VirtualMfaDevice {
            serial_number: d.serial(),
            user: wire_owner(&state, d),
            enable_date: d.enabled.map(Timestamp),
            ..Default::default()
        })
        .collect();
    Ok(wire::ListVirtualMfaDevicesOutput {
        virtual_mfa_devices,
        is_truncated,
        marker,
    }
    .into())
}

/// `GetMFADevice`.
pub fn get_mfa_device(cx: &Cx<'_>, i: &wire::GetMfaDeviceInput) -> Result<Output, CoreError> {
    let account = cx.account();
    let device = get(&cx.state(), account, &i.serial_number)?;
    Ok(wire::GetMfaDeviceOutput {
        user_name: device.owner.as_ref().map(|o| owner_name(account, o)),
        serial_number: device.serial(),
        enable_date: device.enabled.map(Timestamp),
        certifications: BTreeMap::new(),
    }
    .into())
}

#[cfg(test)]
mod lockout_tests {
    use rampart_wire::iam::{self as wire, Operation as Op, Output};

    use super::super::fixture::{Fixture, NOW};
    use crate::error::CoreError;
    use crate::mfa::{self, TotpSeed};

    #[test]
    fn repeated_wrong_codes_lock_the_device_even_against_the_right_codes() {
        let f = Fixture::new();
        f.user("alice");
        let created = f
            .run(Op::CreateVirtualMFADevice(
                wire::CreateVirtualMfaDeviceInput {
                    virtual_mfa_device_name: "phone".into(),
                    ..Default::default()
                },
            ))
            .unwrap();
        let Output::CreateVirtualMFADevice(out) = created else {
            panic!("unexpected output");
        };
        let device = out.virtual_mfa_device;
        let seed_text = String::from_utf8(device.base32_string_seed.unwrap().0).unwrap();
        let seed = TotpSeed::from_base32(&seed_text).unwrap();
        let enable = |code1: String, code2: String| {
            f.run(Op::EnableMFADevice(wire::EnableMfaDeviceInput {
                user_name: "alice".into(),
                serial_number: device.serial_number.clone(),
                authentication_code1: code1,
                authentication_code2: code2,
            }))
        };
        let counter = mfa::counter_at(NOW);
        let right = |c: u64| mfa::format_code(mfa::code_at(&seed, c));
        for _ in 0..crate::lockout::MFA_CODES.free {
            let err = enable("000000".into(), "000001".into()).unwrap_err();
            assert!(
                matches!(err, CoreError::InvalidAuthenticationCode(_)),
                "{err:?}"
            );
        }
        let err = enable(right(counter - 1), right(counter)).unwrap_err();
        assert!(
            matches!(err, CoreError::InvalidAuthenticationCode(_)),
            "{err:?}"
        );
        // Once the lock has passed, the same codes are accepted.
        f.engine
            .lockout()
            .clear(&super::attempt_key(&device.serial_number));
        enable(right(counter - 1), right(counter)).unwrap();
    }

    #[test]
    fn sts_mfa_codes_lock_the_device_after_repeated_wrong_codes() {
        use rampart_wire::sts as sts_wire;

        use crate::auth::{Caller, Principal};
        let f = Fixture::new();
        f.user("alice");
        let Output::CreateVirtualMFADevice(out) = f
            .run(Op::CreateVirtualMFADevice(
                wire::CreateVirtualMfaDeviceInput {
                    virtual_mfa_device_name: "phone".into(),
                    ..Default::default()
                },
            ))
            .unwrap()
        else {
            panic!("unexpected output");
        };
        let serial = out.virtual_mfa_device.serial_number;
        let seed_text = String::from_utf8(out.virtual_mfa_device.base32_string_seed.unwrap().0);
        let seed = TotpSeed::from_base32(&seed_text.unwrap()).unwrap();
        let counter = mfa::counter_at(NOW);
        let right = |c: u64| mfa::format_code(mfa::code_at(&seed, c));
        f.run(Op::EnableMFADevice(wire::EnableMfaDeviceInput {
            user_name: "alice".into(),
            serial_number: serial.clone(),
            authentication_code1: right(counter - 1),
            authentication_code2: right(counter),
        }))
        .unwrap();
        let user = f.state().user(f.account(), "alice").unwrap().record.clone();
        let alice = Caller {
            account: f.account().clone(),
            principal: Principal::User {
                name: user.name.clone(),
                id: user.id.clone(),
                arn: user.arn(),
            },
            access_key_id: String::new(),
            session: None,
        };
        let session_token = |code: String| {
            let op = sts_wire::Operation::GetSessionToken(sts_wire::GetSessionTokenInput {
                serial_number: Some(serial.clone()),
                token_code: Some(code),
                ..Default::default()
            });
            crate::ops::sts::check_mfa(&f.engine, &f.state(), &alice, &op, NOW)
        };
        for _ in 0..crate::lockout::MFA_CODES.free {
            session_token("000000".into()).unwrap_err();
        }
        let err = session_token(right(counter + 1)).unwrap_err();
        assert!(matches!(err, CoreError::AccessDenied(_)), "{err:?}");
        f.engine.lockout().clear(&super::attempt_key(&serial));
        assert!(session_token(right(counter + 1)).unwrap().is_some());
    }

    #[test]
    fn deleting_a_virtual_device_that_does_not_exist_names_its_type() {
        let f = Fixture::new();
        let serial = format!("arn:aws:iam::{}:mfa/not-existing", f.account());
        let err = f
            .run(Op::DeleteVirtualMFADevice(
                wire::DeleteVirtualMfaDeviceInput {
                    serial_number: serial.clone(),
                },
            ))
            .unwrap_err();
        let want = format!("VirtualMFADevice with serial number {serial} doesn't exist.");
        assert!(
            matches!(err, CoreError::NoSuchEntity(ref m) if *m == want),
            "{err:?}"
        );
    }
}
