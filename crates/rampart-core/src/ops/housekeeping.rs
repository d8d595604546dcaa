//! Records that are deleted on their own once spent, as AWS deletes them: root recovery
//! tokens past their hour, Organizations handshakes 30 days after they complete. The
//! server runs [`drop_spent`] at its prune interval, so what is stored stays bounded by what
//! is live.

use crate::engine::WriteTxn;
use crate::error::CoreError;

/// Deletes every record spent at `now`; returns how many.
pub fn drop_spent(txn: &mut WriteTxn<'_>, now: i64) -> Result<usize, CoreError> {
    Ok(super::root::drop_expired_recoveries(txn, now)?
        + super::organizations::handshakes::drop_unlisted(txn, now)?)
}
