//! What the server publishes and delivers for IAM's 2025 additions: the OpenID discovery
//! documents of each account's outbound federation issuer (`GET` under
//! `/outbound-federation/`, unauthenticated, as any OIDC issuer), and the partner
//! notifications of delegation requests, written as SNS notification documents to
//! `DATA_DIR/outbox/sns/` (Rampart has no SNS; one file per request and state).

use std::path::Path;

use rampart_core::engine::Engine;
use rampart_core::ops::iam::{delegation_requests, outbound_federation};
use rampart_wire::WireResponse;

/// The discovery document at `path`, or `None` when `path` is not an issuer's.
pub fn discovery(engine: &Engine, method: &str, path: &str) -> Option<WireResponse> {
    if method != "GET" || !path.starts_with(outbound_federation::ISSUER_PATH) {
        return None;
    }
    let document = outbound_federation::discovery_document(
        &engine.snapshot(),
        engine.master(),
        engine.public_url(),
        path,
    );
    Some(match document {
        Some(doc) => WireResponse {
            status: 200,
            content_type: "application/json",
            headers: vec![("cache-control", "max-age=300".to_owned())],
            body: doc.to_string().into_bytes(),
        },
        None => WireResponse {
            status: 404,
            content_type: "application/json",
            headers: Vec::new(),
            body: br#"{"error":"not_found"}"#.to_vec(),
        },
    })
}

/// Writes the notices not written yet; returns how many were written.
pub fn write_notices(engine: &Engine, data_dir: &Path) -> std::io::Result<usize> {
    let notices = delegation_requests::notices(&engine.snapshot(), engine.master());
    if notices.is_empty() {
        return Ok(0);
    }
    let dir = data_dir.join("outbox").join("sns");
    std::fs::create_dir_all(&dir)?;
    let mut written = 0;
    for notice in notices {
        let path = dir.join(&notice.name);
        if path.exists() {
            continue;
        }
        // Written whole under a temporary name, then renamed: a reader never sees half.
        let partial = dir.join(format!(".{}", notice.name));
        std::fs::write(&partial, notice.body.as_bytes())?;
        std::fs::rename(&partial, &path)?;
        written += 1;
    }
    Ok(written)
}
