//! Fuzz target: policy parsing never panics, and whatever parses survives print → parse.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rampart_policy::{Policy, PolicyKind};

const KINDS: [PolicyKind; 8] = [
    PolicyKind::Identity,
    PolicyKind::Managed,
    PolicyKind::Resource,
    PolicyKind::Trust,
    PolicyKind::ServiceControl,
    PolicyKind::ResourceControl,
    PolicyKind::PermissionsBoundary,
    PolicyKind::Session,
];

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for kind in KINDS {
        if let Ok(policy) = Policy::parse(text, kind) {
            assert_eq!(policy.text(), text);
            let printed = policy.document().to_json();
            let again = Policy::parse(&printed, kind);
            // The printed form is compact, so it can only fail on the size limits (which the
            // original, counted the same way, already passed) — never on validation.
            assert_eq!(
                again.as_ref().ok(),
                Some(&policy),
                "round trip of {printed}"
            );
        }
    }
});
