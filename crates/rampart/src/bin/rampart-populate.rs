//! `rampart-populate`: fills a data directory with benchmark identities, directly through
//! the core in large transactions (not over HTTP, which would take hours at a million); `bench/scale.sh`
//! times it.
//! For `bench/scale.sh` only; never part of a deployment.
//!
//! Each of `--accounts` accounts (`bench-N@example.com`, created when missing) gets a
//! customer managed policy `bench` and is topped up to `--users-per-account` users
//! (`u000000`, `u000001`, …), each with the policy attached and one access key. Running it
//! again with a larger count grows the same accounts.

use std::path::PathBuf;

use anyhow::Context;
use clap::Parser;
use rampart::config::StoreChoice;
use rampart::datadir::{self, Missing};
use rampart_core::engine::Engine;
use rampart_core::model::AccountId;
use rampart_core::ops::iam::{access_keys, policies, users};
use rampart_core::ops::signup;

/// Fills a data directory with benchmark accounts and users.
#[derive(Debug, Parser)]
struct Args {
    /// The data directory (SQLite), as `rampart serve --data-dir` names it.
    #[arg(long)]
    data_dir: PathBuf,
    /// How many accounts.
    #[arg(long, default_value_t = 1000)]
    accounts: usize,
    /// How many users each account ends up with.
    #[arg(long, default_value_t = 1)]
    users_per_account: usize,
    /// Users created per transaction.
    #[arg(long, default_value_t = 2000)]
    batch: usize,
}

const DOCUMENT: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","iam:GetUser"],"Resource":"*"}]}"#;

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let engine = datadir::open(&args.data_dir, &StoreChoice::Sqlite, Missing::Refuse)?;
    let now = rampart::clock::now();
    let mut created = 0usize;
    for n in 0..args.accounts {
        let account = account(&engine, n, now)?;
        let arn = format!("arn:aws:iam::{account}:policy/bench");
        let have = engine.snapshot().users(&account).count();
        let mut next = have;
        while next < args.users_per_account {
            let end = args.users_per_account.min(next + args.batch);
            engine.write(|txn| {
                for u in next..end {
                    let name = format!("u{u:06}");
                    users::create(txn, &account, &name, None, vec![], None, now)?;
                    policies::attach_to_user(txn, &account, &name, &arn)?;
                    access_keys::create(txn, &account, Some(&name), now)?;
                }
                Ok(())
            })?;
            created += end - next;
            next = end;
        }
    }
    println!("created {created} users");
    Ok(())
}

/// The `n`th benchmark account with its `bench` policy, created when missing.
fn account(engine: &Engine, n: usize, now: i64) -> anyhow::Result<AccountId> {
    let email = format!("bench-{n}@example.com");
    if let Some(found) = engine.snapshot().account_by_email(&email) {
        return Ok(found.id.clone());
    }
    let id = engine.write(|txn| {
        let account = signup::create_account(txn, &email, &format!("bench-{n}"), None, now)?;
        let policy = policies::NewPolicy {
            name: "bench",
            path: None,
            document: DOCUMENT,
            description: None,
            tags: vec![],
        };
        policies::create(txn, &account.id, &policy, now)?;
        Ok(account.id)
    });
    id.with_context(|| format!("cannot create account {email}"))
}
