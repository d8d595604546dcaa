//! Account aliases (`CreateAccountAlias`, `DeleteAccountAlias`, `ListAccountAliases`): at
//! most one per account, unique across the service.

use rampart_wire::iam::{self as wire, Output};

use super::Cx;
use crate::engine::WriteTxn;
use crate::error::CoreError;
use crate::model::{AccountId, AccountRecord};
use crate::state::State;

fn account_record(state: &State, account: &AccountId) -> Result<AccountRecord, CoreError> {
    state
        .account(account)
        .map(|a| AccountRecord::clone(a))
        .ok_or_else(|| CoreError::Internal(format!("account {account} vanished")))
}

/// Sets the account's alias; an alias any account already has is `EntityAlreadyExists`.
pub fn create(txn: &mut WriteTxn<'_>, account: &AccountId, alias: &str) -> Result<(), CoreError> {
    if (txn.state().accounts()).any(|a| a.alias.as_deref() == Some(alias)) {
        return Err(CoreError::EntityAlreadyExists(format!(
            "The account alias {alias} already exists."
        )));
    }
    let mut record = account_record(txn.state(), account)?;
    record.alias = Some(alias.to_owned());
    txn.put(&record)
}

/// Removes the account's alias, which must be `alias`.
pub fn delete(txn: &mut WriteTxn<'_>, account: &AccountId, alias: &str) -> Result<(), CoreError> {
    let mut record = account_record(txn.state(), account)?;
    if record.alias.as_deref() != Some(alias) {
        return Err(CoreError::NoSuchEntity(format!(
            "The account alias {alias} cannot be found."
        )));
    }
    record.alias = None;
    txn.put(&record)
}

/// `CreateAccountAlias`.
pub fn create_account_alias(
    cx: &Cx<'_>,
    i: &wire::CreateAccountAliasInput,
) -> Result<Output, CoreError> {
    cx.write(|txn| create(txn, cx.account(), &i.account_alias))?;
    Ok(Output::Empty)
}

/// `DeleteAccountAlias`.
pub fn delete_account_alias(
    cx: &Cx<'_>,
    i: &wire::DeleteAccountAliasInput,
) -> Result<Output, CoreError> {
    cx.write(|txn| delete(txn, cx.account(), &i.account_alias))?;
    Ok(Output::Empty)
}

/// `ListAccountAliases`: the one alias, if any, never truncated.
pub fn list_account_aliases(
    cx: &Cx<'_>,
    _: &wire::ListAccountAliasesInput,
) -> Result<Output, CoreError> {
    let account_aliases = account_record(&cx.state(), cx.account())?
        .alias
        .into_iter()
        .collect();
    Ok(wire::ListAccountAliasesOutput {
        account_aliases,
        is_truncated: false,
        marker: None,
    }
    .into())
}

#[cfg(test)]
mod tests {
    use rampart_wire::iam::{self as wire, Operation as Op, Output};

    use super::super::fixture::{Fixture, NOW};
    use crate::error::CoreError;
    use crate::ops::signup;

    fn create(alias: &str) -> Op {
        Op::CreateAccountAlias(wire::CreateAccountAliasInput {
            account_alias: alias.to_owned(),
        })
    }

    #[test]
    fn an_alias_belongs_to_one_account_and_is_deleted_by_name() {
        let f = Fixture::new();
        f.run(create("acme")).unwrap();
        let other = f
            .engine
            .write(|txn| signup::create_account(txn, "other@example.com", "o", None, NOW))
            .unwrap();
        let err = f
            .engine
            .write(|txn| super::create(txn, &other.id, "acme"))
            .unwrap_err();
        assert!(matches!(err, CoreError::EntityAlreadyExists(_)), "{err:?}");

        let delete = |alias: &str| {
            f.run(Op::DeleteAccountAlias(wire::DeleteAccountAliasInput {
                account_alias: alias.to_owned(),
            }))
        };
        let err = delete("other").unwrap_err();
        assert!(matches!(err, CoreError::NoSuchEntity(_)), "{err:?}");
        delete("acme").unwrap();
        let listed = f
            .run(Op::ListAccountAliases(
                wire::ListAccountAliasesInput::default(),
            ))
            .unwrap();
        assert!(
            matches!(listed, Output::ListAccountAliases(ref o) if o.account_aliases.is_empty()),
            "{listed:?}"
        );
    }
}
