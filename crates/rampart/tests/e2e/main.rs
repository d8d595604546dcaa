//! End-to-end tests: the real `rampart` binary on a free loopback port with a temporary
//! data directory, driven by the `aws` CLI, boto3 and aws-sdk-rust, plus a hand signer for
//! what SDKs will not send. One test binary, one module per area.

mod harness;

mod access_advisor;
mod account;
mod alerts;
mod ansible;
mod audit;
mod cloudtrail;
mod console;
mod console_orgs;
mod credentials_more;
mod delegation;

mod mfa;
mod multinode;

mod cli_safety;
mod durability;
mod foundation;
mod limits;
mod managed_catalogue;
mod organizations;
mod policy;
mod protocol;
mod proxy;
mod roles;
mod root_user;
mod sdk;
mod sdk_go;
mod sdk_js;
mod test_mode;
mod tls;
mod trails;
