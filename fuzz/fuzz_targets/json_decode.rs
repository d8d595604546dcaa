//! Fuzz target: awsJson (Organizations, CloudTrail) and restJson (Account)
//! decoding never panics.
//!
//! The first byte picks the service (mod 3) and the operation (the rest, an
//! index into the served operations); the remaining bytes are the JSON body,
//! also routed through `classify` as the server sees it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rampart_wire::record::Recorded;
use rampart_wire::{account, classify, cloudtrail, organizations};

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else {
        return;
    };
    let index = usize::from(selector / 3);
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(body) else {
        let _ = classify("POST", "/getContactInformation", "", &[], body);
        return;
    };
    match selector % 3 {
        0 => {
            let ops = organizations::SERVED_OPERATIONS;
            let Some(op) = ops.get(index % ops.len()) else {
                return;
            };
            let target = format!("AWSOrganizationsV20161128.{}", op.name);
            let _ = classify("POST", "/", "", &[("X-Amz-Target", &target)], body);
            if let Ok(decoded) = organizations::Operation::decode(op.name, &value) {
                assert_eq!(decoded.name(), op.name);
                let _ = decoded.recorded();
            }
        }
        1 => {
            let ops = cloudtrail::SERVED_OPERATIONS;
            let Some(op) = ops.get(index % ops.len()) else {
                return;
            };
            if let Ok(decoded) = cloudtrail::Operation::decode(op.name, &value) {
                assert_eq!(decoded.name(), op.name);
                let _ = decoded.recorded();
            }
            let _ = cloudtrail::Operation::decode_checked(op.name, &value);
        }
        _ => {
            let ops = account::SERVED_OPERATIONS;
            let Some(op) = ops.get(index % ops.len()) else {
                return;
            };
            if let Ok(decoded) = account::Operation::decode(op.name, &value) {
                assert_eq!(decoded.name(), op.name);
                let _ = decoded.recorded();
            }
        }
    }
});
