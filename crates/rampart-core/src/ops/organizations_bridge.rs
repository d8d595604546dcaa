//! What other services ask of Organizations: whether one account manages another.

use crate::model::AccountId;
use crate::state::State;

/// Whether `manager` is the management account of the organization `member` belongs to
/// (and `member` is not the management account itself).
pub fn manages(state: &State, manager: &AccountId, member: &AccountId) -> bool {
    match state.org_of(member) {
        Some((org, _)) => &org.management == manager && manager != member,
        None => false,
    }
}
