//! What other services ask of Organizations: whether one account manages another.
//!
//! Until an account belongs to an organization, it manages nobody but itself.

use crate::model::AccountId;
use crate::state::State;

/// Whether `manager` is the management account of an organization that `member` belongs to.
pub fn manages(_state: &State, _manager: &AccountId, _member: &AccountId) -> bool {
    false
}
