//! The command line: `serve`, `init`, `account create`, `root`, `status`, `audit` and
//! `alerts` (in `cli_alerts`).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context, bail};
use clap::{Args, Parser, Subcommand};
use rampart_core::ops::test_mode::TestCaller;
use rampart_core::password;
use rampart_core::request::{Origin, RequestPath};

use crate::config::{
    ConnectionLimits, ServeConfig, StoreChoice, default_alert_retry_base_ms,
    default_alert_retry_cap_secs, default_audit_retention_days, default_body_timeout_secs,
    default_data_dir, default_header_timeout_secs, default_listen, default_max_connections,
    default_trail_delivery_interval_secs, default_trail_digest_interval_secs,
};
use crate::console::Console;
use crate::datadir::Missing;
use crate::mail::Mailer;
use crate::profile::{self, AwsFiles, Profile};
use crate::server::proxy::TrustedProxies;
use crate::server::tls::{self, TlsFiles};
use crate::trails::{self, TrailConfig};
use crate::{clock, datadir, server};

/// Rampart: a self-hosted, AWS-compatible identity and access management service.
#[derive(Debug, Parser)]
#[command(name = "rampart", version)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve IAM, STS and friends over the AWS wire protocols.
    Serve(ServeArgs),
    /// Create the management account, its root user and a first administrator profile.
    Init(InitArgs),
    /// Manage accounts.
    #[command(subcommand)]
    Account(AccountCommand),
    /// The root user's own credentials.
    #[command(subcommand)]
    Root(RootCommand),
    /// Print the security status of every account (or one).
    Status(StatusArgs),
    /// Print an account's audit trail, newest first, one JSON event per line.
    Audit(AuditArgs),
    /// Notification rules (root user activity and your own), their targets and deliveries.
    Alerts(crate::cli_alerts::AlertsArgs),
    /// TLS certificates for `serve`.
    #[command(subcommand)]
    Tls(TlsCommand),
}

#[derive(Debug, Subcommand)]
enum TlsCommand {
    /// Write a self-signed certificate for localhost (and --host names) with its key
    /// (mode 0600) into the data directory; `serve` then speaks HTTPS with it. Clients
    /// trust it with `--ca-bundle DATA_DIR/tls-cert.pem` (aws CLI) or `verify=` (boto3).
    SelfSigned(SelfSignedArgs),
}

#[derive(Debug, Args)]
struct SelfSignedArgs {
    /// Directory holding the master key; the certificate is written beside it.
    #[arg(long, env = "RAMPART_DATA_DIR", default_value_os_t = default_data_dir())]
    data_dir: PathBuf,
    /// Another name or address the certificate is valid for (localhost, 127.0.0.1 and ::1
    /// always are); repeat for several.
    #[arg(long = "host", value_name = "NAME")]
    hosts: Vec<String>,
    /// Replace a certificate already in the data directory.
    #[arg(long)]
    force: bool,
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
struct AuditArgs {
    #[command(subcommand)]
    action: Option<Box<AuditAction>>,
    #[command(flatten)]
    data: DataDirArg,
    /// The account whose events to print.
    #[arg(long, required = true)]
    account: Option<String>,
    /// Only events at or after this many seconds ago.
    #[arg(long, conflicts_with = "start_time")]
    since_seconds: Option<i64>,
    /// Only events at or after this time (`2024-05-01T12:00:00Z` or epoch seconds).
    #[arg(long, value_parser = parse_time)]
    start_time: Option<i64>,
    /// Only events at or before this time (`2024-05-01T12:00:00Z` or epoch seconds).
    #[arg(long, value_parser = parse_time)]
    end_time: Option<i64>,
    #[command(flatten)]
    lookup: AuditLookup,
    /// At most this many events.
    #[arg(long, default_value_t = 100)]
    limit: usize,
}

/// Where trail buckets live (`serve` and `audit verify` must agree).
#[derive(Debug, Args)]
struct TrailRootArg {
    /// The directory trail buckets are folders of: a trail's S3BucketName `B` is
    /// TRAIL_ROOT/B (default: DATA_DIR/trails).
    #[arg(long = "trail-root", env = "RAMPART_TRAIL_ROOT")]
    trail_root: Option<PathBuf>,
}

impl TrailRootArg {
    fn root(&self, data_dir: &std::path::Path) -> PathBuf {
        self.trail_root
            .clone()
            .unwrap_or_else(|| trails::default_trail_root(data_dir))
    }
}

/// How `serve` delivers trails.
#[derive(Debug, Args)]
struct TrailArgs {
    #[command(flatten)]
    root: TrailRootArg,
    /// Seconds between trail deliveries (CloudTrail delivers about every 5 minutes).
    #[arg(long, env = "RAMPART_TRAIL_DELIVERY_INTERVAL_SECS", default_value_t = default_trail_delivery_interval_secs(), value_parser = clap::value_parser!(u64).range(1..))]
    trail_delivery_interval_secs: u64,
    /// Seconds between the digest files of a trail's folder (CloudTrail: one hour).
    #[arg(long, env = "RAMPART_TRAIL_DIGEST_INTERVAL_SECS", default_value_t = default_trail_digest_interval_secs(), value_parser = clap::value_parser!(u64).range(1..))]
    trail_digest_interval_secs: u64,
}

impl TrailArgs {
    fn root(&self, data_dir: &std::path::Path) -> PathBuf {
        self.root.root(data_dir)
    }
}

#[derive(Debug, Subcommand)]
enum AuditAction {
    /// Validate a trail's log files against its signed digests, as `aws cloudtrail
    /// validate-logs` does; exits non-zero when a file is missing or changed.
    Verify {
        #[command(flatten)]
        data: DataDirArg,
        #[command(flatten)]
        root: TrailRootArg,
        /// The trail: its name or ARN.
        #[arg(long)]
        trail: String,
        /// The account owning the trail, when several accounts have one of that name.
        #[arg(long)]
        account: Option<String>,
        /// Only digests ending at or after this time (`2024-05-01T12:00:00Z` or epoch seconds).
        #[arg(long, value_parser = parse_time)]
        start_time: Option<i64>,
        /// Only digests starting at or before this time.
        #[arg(long, value_parser = parse_time)]
        end_time: Option<i64>,
        /// Check with this public key (hex, from `rampart audit public-key`) instead of the
        /// data directory's.
        #[arg(long)]
        public_key: Option<PathBuf>,
    },
    /// Print (or write) the public key digest signatures verify with.
    PublicKey {
        #[command(flatten)]
        data: DataDirArg,
        /// Write the key to this file instead of printing it.
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

/// One LookupEvents attribute at most, as CloudTrail allows.
#[derive(Debug, Args)]
#[group(multiple = false)]
struct AuditLookup {
    /// Only events with this id.
    #[arg(long)]
    event_id: Option<String>,
    /// Only calls of this operation (`CreateUser`).
    #[arg(long)]
    event_name: Option<String>,
    /// Only read-only (`true`) or mutating (`false`) calls.
    #[arg(long)]
    read_only: Option<bool>,
    /// Only calls by this user name (`root`, an IAM user, a role session name).
    #[arg(long)]
    username: Option<String>,
    /// Only calls on resources of this type (`AWS::IAM::User`).
    #[arg(long)]
    resource_type: Option<String>,
    /// Only calls on a resource with this name.
    #[arg(long)]
    resource_name: Option<String>,
    /// Only calls to this service (`iam.amazonaws.com`).
    #[arg(long)]
    event_source: Option<String>,
    /// Only calls signed with this access key.
    #[arg(long)]
    access_key_id: Option<String>,
}

impl AuditLookup {
    /// The `(attribute, value)` key to filter on, named as LookupEvents names it.
    fn key(&self) -> Option<(&'static str, String)> {
        let text =
            |name: &'static str, value: &Option<String>| value.as_ref().map(|v| (name, v.clone()));
        text("EventId", &self.event_id)
            .or_else(|| text("EventName", &self.event_name))
            .or_else(|| self.read_only.map(|r| ("ReadOnly", r.to_string())))
            .or_else(|| text("Username", &self.username))
            .or_else(|| text("ResourceType", &self.resource_type))
            .or_else(|| text("ResourceName", &self.resource_name))
            .or_else(|| text("EventSource", &self.event_source))
            .or_else(|| text("AccessKeyId", &self.access_key_id))
    }
}

/// A time given as ISO 8601 UTC or as epoch seconds.
fn parse_time(text: &str) -> Result<i64, String> {
    text.parse::<i64>()
        .ok()
        .or_else(|| rampart_wire::Timestamp::parse_iso8601(text).map(|t| t.0))
        .ok_or_else(|| {
            format!("`{text}` is neither ISO 8601 (2024-05-01T12:00:00Z) nor epoch seconds")
        })
}

#[derive(Debug, Args)]
struct MailArgs {
    /// `smtp://host:port` for outgoing mail; without it mail goes to DATA_DIR/outbox.
    #[arg(long, env = "RAMPART_SMTP_URL")]
    smtp_url: Option<String>,
    /// The URL links in mail point at.
    #[arg(long, env = "RAMPART_PUBLIC_URL", default_value_t = format!("http://{}", default_listen()))]
    public_url: String,
}

#[derive(Debug, Subcommand)]
enum RootCommand {
    /// Mail a single-use password reset link to the root user's email address.
    Recover {
        #[command(flatten)]
        data: DataDirArg,
        #[command(flatten)]
        mail: MailArgs,
        /// The root user's email address.
        #[arg(long)]
        email: String,
    },
    /// Register the three legacy security challenge questions (answers are hashed).
    SecurityQuestions {
        #[command(flatten)]
        data: DataDirArg,
        /// The root user's email address.
        #[arg(long)]
        email: String,
        /// `QUESTION=ANSWER`, exactly three times.
        #[arg(long = "question", value_name = "QUESTION=ANSWER")]
        questions: Vec<String>,
    },
}

#[derive(Debug, Args)]
struct StatusArgs {
    #[command(flatten)]
    data: DataDirArg,
    /// Only this account.
    #[arg(long)]
    account: Option<String>,
}

#[derive(Debug, Args)]
pub(crate) struct DataDirArg {
    /// Directory holding the master key (and the database, with SQLite).
    // Global: `rampart alerts SUBCOMMAND --data-dir …` takes it after the subcommand.
    #[arg(long, env = "RAMPART_DATA_DIR", default_value_os_t = default_data_dir(), global = true)]
    data_dir: PathBuf,
    /// Where the rows live: `sqlite` (a file in the data directory) or a
    /// `postgres://user@host/dbname` URL that several nodes share (each with a copy of the
    /// master key in its data directory).
    #[arg(
        long,
        env = "RAMPART_STORE",
        hide_env_values = true,
        default_value = "sqlite",
        global = true
    )]
    store: StoreChoice,
}

#[derive(Debug, Args)]
struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "RAMPART_LISTEN", default_value_t = default_listen())]
    listen: SocketAddr,
    #[command(flatten)]
    data: DataDirArg,
    /// `smtp://host:port` for outgoing mail; without it mail goes to DATA_DIR/outbox.
    #[arg(long, env = "RAMPART_SMTP_URL")]
    smtp_url: Option<String>,
    /// The URL links in mail point at (defaults to the listen address).
    #[arg(long, env = "RAMPART_PUBLIC_URL")]
    public_url: Option<String>,
    /// Test mode for suites written against moto or LocalStack: access keys Rampart never
    /// issued act as the root user of account 123456789012 (signed at any time), answers
    /// name the partition of the signing region, and POST /moto-api/reset wipes all state.
    /// Refused on a non-loopback address without --test-mode-allow-remote.
    #[arg(long, env = "RAMPART_TEST_MODE")]
    test_mode: bool,
    /// Who never-issued keys act as in test mode: the account's root user, or an IAM user
    /// `moto` with administrator access (AWS lets no root user assume a role).
    #[arg(
        long,
        env = "RAMPART_TEST_MODE_CALLER",
        value_enum,
        default_value = "root",
        requires = "test_mode"
    )]
    test_mode_caller: TestModeCaller,
    /// Confirm test mode on a non-loopback address (anyone reaching it is root).
    #[arg(long, requires = "test_mode")]
    test_mode_allow_remote: bool,
    /// Seconds a client may take to send request headers; also the idle keep-alive timeout.
    #[arg(long, env = "RAMPART_HEADER_TIMEOUT_SECS", default_value_t = default_header_timeout_secs(), value_parser = clap::value_parser!(u64).range(1..))]
    header_timeout_secs: u64,
    /// Seconds a client may take to send a request body.
    #[arg(long, env = "RAMPART_BODY_TIMEOUT_SECS", default_value_t = default_body_timeout_secs(), value_parser = clap::value_parser!(u64).range(1..))]
    body_timeout_secs: u64,
    /// Connections served at once; more clients wait until one closes.
    #[arg(long, env = "RAMPART_MAX_CONNECTIONS", default_value_t = default_max_connections())]
    max_connections: usize,
    /// Days audit events are kept (CloudTrail's event history keeps 90); older ones are
    /// deleted in the background.
    #[arg(long, env = "RAMPART_AUDIT_RETENTION_DAYS", default_value_t = default_audit_retention_days(), value_parser = clap::value_parser!(u32).range(1..))]
    audit_retention_days: u32,
    /// Record no audit event (bench/load.sh's baseline for the trail's cost; test mode only).
    #[arg(long, hide = true, requires = "test_mode")]
    unaudited_benchmark: bool,
    /// Milliseconds an alert delivery waits after its first failure (doubling after each).
    #[arg(long, env = "RAMPART_ALERT_RETRY_BASE_MS", default_value_t = default_alert_retry_base_ms(), value_parser = clap::value_parser!(i64).range(1..))]
    alert_retry_base_ms: i64,
    /// The longest wait between two attempts of an alert delivery, in seconds.
    #[arg(long, env = "RAMPART_ALERT_RETRY_CAP_SECS", default_value_t = default_alert_retry_cap_secs(), value_parser = clap::value_parser!(i64).range(1..))]
    alert_retry_cap_secs: i64,
    /// Serve HTTPS with this certificate chain (PEM, leaf first). Without --tls-cert and
    /// --tls-key, a certificate made by `rampart tls self-signed` (or `init
    /// --self-signed-cert`) in the data directory is used if there is one.
    #[arg(long, env = "RAMPART_TLS_CERT", requires = "tls_key")]
    tls_cert: Option<PathBuf>,
    /// The private key of --tls-cert (PEM).
    #[arg(long, env = "RAMPART_TLS_KEY", requires = "tls_cert")]
    tls_key: Option<PathBuf>,
    /// Serve plain HTTP even when the data directory holds a certificate.
    #[arg(long, conflicts_with = "tls_cert")]
    no_tls: bool,
    /// A proxy address range (`10.0.0.0/8`, `192.0.2.10/32`) whose X-Forwarded-For and
    /// X-Forwarded-Proto headers are believed; repeat for several. From any other peer
    /// those headers are ignored.
    #[arg(long = "trusted-proxy", value_name = "CIDR", env = "RAMPART_TRUSTED_PROXIES", value_delimiter = ',', value_parser = parse_cidr)]
    trusted_proxies: Vec<ipnet::IpNet>,
    #[command(flatten)]
    trails: TrailArgs,
}

/// A CIDR range, or a single address (as a /32 or /128).
fn parse_cidr(text: &str) -> Result<ipnet::IpNet, String> {
    text.parse::<ipnet::IpNet>()
        .or_else(|_| text.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
        .map_err(|_| format!("`{text}` is not an address range like 10.0.0.0/8 or an address"))
}

/// `--test-mode-caller`.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum TestModeCaller {
    Root,
    User,
}

#[derive(Debug, Args)]
struct InitArgs {
    #[command(flatten)]
    data: DataDirArg,
    /// Email address of the management account's root user.
    #[arg(long, default_value = "root@rampart.local")]
    root_email: String,
    /// Root password; generated to the root rules and printed once when absent.
    #[arg(long, env = "RAMPART_ROOT_PASSWORD", hide_env_values = true)]
    root_password: Option<String>,
    /// Name of the AWS CLI profile written for the first administrator.
    #[arg(long, default_value = "rampart")]
    profile: String,
    /// URL the profile points clients at (default http://127.0.0.1:4566, or https:// with
    /// --self-signed-cert).
    #[arg(long)]
    endpoint_url: Option<String>,
    /// Region the profile signs for.
    #[arg(long, default_value = "us-east-1")]
    region: String,
    /// Also write a self-signed certificate for localhost into the data directory (as
    /// `rampart tls self-signed` does): `serve` then speaks HTTPS, and the profile points
    /// at https:// with the certificate as its `ca_bundle`.
    #[arg(long)]
    self_signed_cert: bool,
}

#[derive(Debug, Subcommand)]
enum AccountCommand {
    /// Create a standalone account, as if signed up.
    Create(AccountCreateArgs),
}

#[derive(Debug, Args)]
struct AccountCreateArgs {
    #[command(flatten)]
    data: DataDirArg,
    /// The root user's email address.
    #[arg(long)]
    email: String,
    /// The account name (defaults to the email's local part).
    #[arg(long)]
    name: Option<String>,
    /// Also create a root access key (for automation and tests; flagged by security checks).
    #[arg(long)]
    root_access_key: bool,
    /// Print one JSON object instead of text.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    contact: ContactArgs,
}

/// The primary contact AWS asks for at sign-up (`GetContactInformation` answers it). The
/// required ones are asked for on a terminal when missing.
#[derive(Debug, Args)]
struct ContactArgs {
    /// Contact: full name (required).
    #[arg(long)]
    full_name: Option<String>,
    /// Contact: phone number, `+` and digits (required).
    #[arg(long)]
    phone_number: Option<String>,
    /// Contact: first address line (required).
    #[arg(long)]
    address_line1: Option<String>,
    /// Contact: city (required).
    #[arg(long)]
    city: Option<String>,
    /// Contact: postal code (required).
    #[arg(long)]
    postal_code: Option<String>,
    /// Contact: ISO 3166 two-letter country code (required).
    #[arg(long)]
    country_code: Option<String>,
    /// Contact: state or region.
    #[arg(long)]
    state_or_region: Option<String>,
    /// Contact: company name.
    #[arg(long)]
    company_name: Option<String>,
    /// Contact: website URL.
    #[arg(long)]
    website_url: Option<String>,
}

impl ContactArgs {
    /// The `PutContactInformation` these options (and answers on a terminal) make, checked
    /// by the Account API's own decoder before anything is created.
    fn operation(self) -> anyhow::Result<rampart_wire::account::Operation> {
        use std::io::IsTerminal;
        let required = [
            ("FullName", "--full-name", self.full_name),
            ("PhoneNumber", "--phone-number", self.phone_number),
            ("AddressLine1", "--address-line1", self.address_line1),
            ("City", "--city", self.city),
            ("PostalCode", "--postal-code", self.postal_code),
            ("CountryCode", "--country-code", self.country_code),
        ];
        let interactive = std::io::stdin().is_terminal();
        let mut contact = serde_json::Map::new();
        let mut missing = Vec::new();
        for (member, flag, value) in required {
            let value = match value {
                Some(value) => value,
                None if interactive => prompt(member)?,
                None => {
                    missing.push(flag);
                    continue;
                }
            };
            contact.insert(member.to_owned(), value.into());
        }
        if !missing.is_empty() {
            bail!(
                "AWS asks for contact information at sign-up: add {}",
                missing.join(" ")
            );
        }
        let optional = [
            ("StateOrRegion", self.state_or_region),
            ("CompanyName", self.company_name),
            ("WebsiteUrl", self.website_url),
        ];
        for (member, value) in optional {
            if let Some(value) = value {
                contact.insert(member.to_owned(), value.into());
            }
        }
        let body = serde_json::json!({ "ContactInformation": contact });
        rampart_wire::account::Operation::decode("PutContactInformation", &body)
            .map_err(|err| anyhow::anyhow!("contact information: {}", err.message))
    }
}

/// Asks for one contact field on the terminal.
fn prompt(member: &str) -> anyhow::Result<String> {
    use std::io::Write;
    eprint!("{member}: ");
    std::io::stderr().flush()?;
    let mut line = String::new();
    std::io::stdin().read_line(&mut line)?;
    Ok(line.trim().to_owned())
}

/// Runs the parsed command.
pub fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve(args) => {
            if args.test_mode && !args.listen.ip().is_loopback() && !args.test_mode_allow_remote {
                bail!(
                    "test mode makes unknown access keys root; refusing it on {} (add --test-mode-allow-remote to confirm)",
                    args.listen
                );
            }
            let trail_root = args.trails.root(&args.data.data_dir);
            let tls = match (args.tls_cert, args.tls_key) {
                (Some(cert), Some(key)) => Some(TlsFiles { cert, key }),
                _ if args.no_tls => None,
                _ => TlsFiles::found_in(&args.data.data_dir),
            };
            server::serve(ServeConfig {
                listen: args.listen,
                data_dir: args.data.data_dir,
                smtp_url: args.smtp_url,
                public_url: args.public_url,
                test_mode: args.test_mode.then_some(match args.test_mode_caller {
                    TestModeCaller::Root => TestCaller::Root,
                    TestModeCaller::User => TestCaller::User,
                }),
                store: args.data.store,
                limits: ConnectionLimits {
                    header_timeout_secs: args.header_timeout_secs,
                    body_timeout_secs: args.body_timeout_secs,
                    max_connections: args.max_connections.max(1),
                },
                audit_retention_days: args.audit_retention_days,
                audited: !args.unaudited_benchmark,
                alert_backoff: crate::delivery::Backoff {
                    base_ms: args.alert_retry_base_ms,
                    cap_ms: args.alert_retry_cap_secs.saturating_mul(1000),
                },
                tls,
                trusted_proxies: TrustedProxies::new(args.trusted_proxies),
                trails: TrailConfig {
                    root: trail_root,
                    interval_secs: args.trails.trail_delivery_interval_secs,
                    digest_interval_secs: args.trails.trail_digest_interval_secs,
                },
            })
        }
        Command::Init(args) => init(args),
        Command::Account(AccountCommand::Create(args)) => account_create(args),
        Command::Root(RootCommand::Recover { data, mail, email }) => {
            let console = Console::new(
                Mailer::from_config(mail.smtp_url.as_deref(), &data.data_dir)?,
                mail.public_url,
            );
            with_requests(&data, Missing::Refuse, |requests| {
                console.start_recovery(requests, &Origin::cli(clock::now()), &email)
            })?;
            println!("If an account uses {email}, a password reset link was sent to it.");
            Ok(())
        }
        Command::Root(RootCommand::SecurityQuestions {
            data,
            email,
            questions,
        }) => {
            let pairs: Vec<(String, String)> = questions
                .iter()
                .map(|qa| {
                    qa.split_once('=')
                        .map(|(q, a)| (q.to_owned(), a.to_owned()))
                        .context("each --question must be QUESTION=ANSWER")
                })
                .collect::<anyhow::Result<_>>()?;
            let account = with_requests(&data, Missing::Refuse, |requests| {
                let account = requests
                    .engine()
                    .snapshot()
                    .account_by_email(&email)
                    .map(|a| a.id.clone())
                    .context("no account uses that email address")?;
                requests.put_security_questions(&Origin::cli(clock::now()), &account, &pairs)?;
                Ok(account)
            })?;
            println!(
                "Registered {} security questions for account {account} (legacy; answers are hashed).",
                pairs.len()
            );
            Ok(())
        }
        Command::Status(args) => status(args),
        Command::Audit(args) => match args.action.as_deref() {
            Some(action) => audit_action(action),
            None => audit(&args),
        },
        Command::Alerts(args) => crate::cli_alerts::run(args),
        Command::Tls(TlsCommand::SelfSigned(args)) => {
            let files =
                tls::write_self_signed(&args.data_dir, &args.hosts, clock::now(), args.force)?;
            print_self_signed(&files);
            Ok(())
        }
    }
}

fn print_self_signed(files: &TlsFiles) {
    println!("Wrote a self-signed certificate for localhost");
    println!("  certificate: {}", files.cert.display());
    println!("  private key: {}   (mode 0600)", files.key.display());
    println!("`rampart serve` on this data directory now speaks HTTPS; clients trust it with");
    println!(
        "  aws --ca-bundle {} ...   or   boto3 ...client(..., verify=\"{}\")",
        files.cert.display(),
        files.cert.display()
    );
}

/// `rampart audit verify` and `rampart audit public-key`.
fn audit_action(action: &AuditAction) -> anyhow::Result<()> {
    match action {
        AuditAction::Verify {
            data,
            root,
            trail,
            account,
            start_time,
            end_time,
            public_key,
        } => {
            let engine = datadir::open(&data.data_dir, &data.store, Missing::Refuse)?;
            let trail = trails::find_trail(&engine, trail, account.as_deref())?;
            let range = rampart_core::delivery::verify::VerifyRange {
                start: start_time.unwrap_or(i64::MIN),
                end: end_time.unwrap_or(i64::MAX),
            };
            trails::verify_command(
                &engine,
                &root.root(&data.data_dir),
                &trail,
                public_key.as_deref(),
                range,
            )
        }
        AuditAction::PublicKey { data, out } => {
            let engine = datadir::open(&data.data_dir, &data.store, Missing::Refuse)?;
            trails::public_key_command(&engine, out.as_deref())
        }
    }
}

/// `rampart audit`: one account's events, newest first, filtered like LookupEvents.
fn audit(args: &AuditArgs) -> anyhow::Result<()> {
    let engine = datadir::open(&args.data.data_dir, &args.data.store, Missing::Refuse)?;
    let account = args.account.as_deref().unwrap_or_default();
    let account = rampart_core::model::AccountId::parse(account)
        .context("--account must be a 12-digit account id")?;
    if engine.snapshot().account(&account).is_none() {
        bail!("account {account} does not exist in this data directory");
    }
    let start = match (args.since_seconds, args.start_time) {
        (Some(seconds), _) => clock::now().saturating_sub(seconds),
        (None, Some(start)) => start,
        (None, None) => i64::MIN,
    };
    let end = args.end_time.unwrap_or(i64::MAX);
    if start > end {
        bail!("--start-time is after --end-time");
    }
    let key = args.lookup.key();
    let query = rampart_core::store::AuditQuery {
        account: account.as_str(),
        start,
        end,
        key: key.as_ref().map(|(name, value)| (*name, value.as_str())),
        after: None,
        limit: args.limit,
    };
    for event in engine.lookup_audit(&query)? {
        println!("{}", event.record.body);
    }
    Ok(())
}

fn status(args: StatusArgs) -> anyhow::Result<()> {
    let engine = datadir::open(&args.data.data_dir, &args.data.store, Missing::Refuse)?;
    let state = engine.snapshot();
    let now = clock::now();
    for account in state.accounts() {
        if args
            .account
            .as_deref()
            .is_some_and(|only| only != account.id.as_str())
        {
            continue;
        }
        println!("account {} ({})", account.id, account.email);
        for finding in rampart_core::security::status(&state, &account.id, now, |id| {
            engine.key_last_used(id).map(|u| u.at)
        }) {
            println!(
                "  [{}] {:<28} {}",
                if finding.ok { " ok " } else { "WARN" },
                finding.check,
                finding.detail
            );
        }
    }
    Ok(())
}

/// Runs an admin command on the request path over the data directory, as the account's
/// root; the command's audit events are written before it returns.
pub(crate) fn with_requests<T>(
    data: &DataDirArg,
    missing: Missing,
    command: impl FnOnce(&RequestPath) -> anyhow::Result<T>,
) -> anyhow::Result<T> {
    let engine = Arc::new(datadir::open(&data.data_dir, &data.store, missing)?);
    let requests = RequestPath::new(Arc::clone(&engine), None);
    let result = command(&requests);
    engine
        .flush_audit()
        .context("cannot write the audit trail")?;
    result
}

fn init(args: InitArgs) -> anyhow::Result<()> {
    with_requests(&args.data, Missing::Create, |requests| {
        init_with(requests, &args)
    })
}

fn init_with(requests: &RequestPath, args: &InitArgs) -> anyhow::Result<()> {
    if requests.engine().snapshot().accounts().next().is_some() {
        bail!(
            "{} is already initialized",
            datadir::describe(&args.data.data_dir, &args.data.store)
        );
    }
    // The root password and the administrator's secret exist only in this process until
    // the profile is written: make sure it can be before creating them.
    let files = AwsFiles::from_env()?;
    profile::check_writable(&files).context("cannot write the AWS profile; nothing was created")?;
    // The certificate first: if it cannot be written, nothing else was created yet.
    let tls = if args.self_signed_cert {
        let files = tls::write_self_signed(&args.data.data_dir, &[], clock::now(), false)?;
        Some(files)
    } else {
        None
    };
    let scheme = if tls.is_some() { "https" } else { "http" };
    let endpoint_url = args
        .endpoint_url
        .clone()
        .unwrap_or_else(|| format!("{scheme}://{}", default_listen()));
    let ca_bundle = tls
        .as_ref()
        .map(|files| std::path::absolute(&files.cert))
        .transpose()
        .context("cannot name the certificate's absolute path")?;
    let generated = args.root_password.is_none();
    let root_password = args
        .root_password
        .clone()
        .unwrap_or_else(password::generate_root_password);
    let origin = Origin::cli(clock::now());
    let account = requests.create_account(
        &origin,
        &args.root_email,
        "management",
        Some(&root_password),
    )?;
    let key = requests.first_administrator(&origin, &account.id)?;
    let written = profile::write(
        &files,
        &Profile {
            name: &args.profile,
            endpoint_url: &endpoint_url,
            region: &args.region,
            ca_bundle: ca_bundle.as_deref(),
            access_key_id: &key.id,
            secret_access_key: &key.secret,
        },
    );
    if let Err(err) = written {
        // Last resort: the credentials are shown rather than lost.
        eprintln!("could not write the AWS profile; keep these credentials:");
        if generated {
            eprintln!("  root password:          {root_password}");
        }
        eprintln!("  admin access key id:     {}", key.id);
        eprintln!("  admin secret access key: {}", key.secret);
        return Err(err.context("cannot write the AWS profile"));
    }
    println!(
        "Initialized {}",
        datadir::describe(&args.data.data_dir, &args.data.store)
    );
    println!("  management account: {}", account.id);
    println!("  root user:          {}", account.email);
    if generated {
        println!("  root password:      {root_password}   (shown once; store it safely)");
    }
    println!("  administrator:      user `admin` in group `Administrators` (AdministratorAccess)");
    println!(
        "  AWS profile:        `{}` in {} and {}",
        args.profile,
        files.config.display(),
        files.credentials.display()
    );
    if let Some(files) = &tls {
        println!(
            "  TLS certificate:    {} (self-signed; the profile trusts it as its ca_bundle)",
            files.cert.display()
        );
    }
    println!("Try: aws --profile {} iam list-users", args.profile);
    Ok(())
}

fn account_create(args: AccountCreateArgs) -> anyhow::Result<()> {
    let name = args
        .name
        .clone()
        .unwrap_or_else(|| args.email.split('@').next().unwrap_or("account").to_owned());
    let origin = Origin::cli(clock::now());
    let contact = args.contact;
    let (account, key) = with_requests(&args.data, Missing::Refuse, |requests| {
        // Asked (and checked) once the data directory is known to be there.
        let contact = contact.operation()?;
        let account = requests.create_account(&origin, &args.email, &name, None)?;
        requests.put_contact_information(&origin, &account.id, &contact)?;
        let key = if args.root_access_key {
            Some(requests.root_access_key(&origin, &account.id)?)
        } else {
            None
        };
        Ok((account, key))
    })?;
    if args.json {
        let mut out =
            serde_json::json!({ "account_id": account.id.as_str(), "email": account.email });
        if let (Some(key), Some(object)) = (&key, out.as_object_mut()) {
            object.insert("access_key_id".into(), key.id.clone().into());
            object.insert("secret_access_key".into(), key.secret.clone().into());
        }
        println!("{out}");
    } else {
        println!("Created account {} for {}", account.id, account.email);
        if let Some(key) = &key {
            println!("  root access key id:     {}", key.id);
            println!("  root secret access key: {}   (shown once)", key.secret);
            println!(
                "  warning: root access keys are flagged by every security check; prefer IAM users"
            );
        }
    }
    Ok(())
}
