//! Fuzz target: awsQuery form decoding never panics.
//!
//! The first byte picks the service (low bit: IAM or STS) and the action (the
//! rest, an index into the served operations); the remaining bytes are the
//! form body. The same body also goes through `classify`, as the server sees it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rampart_wire::record::Recorded;
use rampart_wire::{QueryParams, classify, iam, sts};

fuzz_target!(|data: &[u8]| {
    let Some((&selector, form)) = data.split_first() else {
        return;
    };
    let _ = classify("POST", "/", "", &[], form);
    let _ = classify("GET", "/", &String::from_utf8_lossy(form), &[], b"");
    let Ok(params) = QueryParams::parse(form) else {
        return;
    };
    let index = usize::from(selector >> 1);
    if selector & 1 == 0 {
        let ops = iam::SERVED_OPERATIONS;
        let Some(op) = ops.get(index % ops.len()) else {
            return;
        };
        if let Ok(decoded) = iam::Operation::decode(op.name, &params) {
            assert_eq!(decoded.name(), op.name);
            let _ = decoded.recorded();
        }
        let _ = iam::Operation::decode(params.get("Action").unwrap_or(""), &params);
    } else {
        let ops = sts::SERVED_OPERATIONS;
        let Some(op) = ops.get(index % ops.len()) else {
            return;
        };
        if let Ok(decoded) = sts::Operation::decode(op.name, &params) {
            assert_eq!(decoded.name(), op.name);
            let _ = decoded.recorded();
        }
        let _ = sts::Operation::decode(params.get("Action").unwrap_or(""), &params);
    }
});
