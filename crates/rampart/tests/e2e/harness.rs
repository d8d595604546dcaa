//! Starting the server, running clients against it, and raw signed HTTP.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

pub const REGION: &str = "us-east-1";
const BIN: &str = env!("CARGO_BIN_EXE_rampart");

static NEXT_DIR: AtomicUsize = AtomicUsize::new(0);

/// A fresh directory under the system temp dir, removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new() -> TempDir {
        let n = NEXT_DIR.fetch_add(1, Ordering::SeqCst);
        let path = std::env::temp_dir().join(format!("rampart-e2e-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).unwrap();
        TempDir(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Credentials of one principal.
#[derive(Debug, Clone)]
pub struct Keys {
    pub access_key_id: String,
    pub secret_access_key: String,
}

/// A running server with an initialized management account and an `admin` profile.
pub struct Server {
    child: Option<Child>,
    pub dir: TempDir,
    pub endpoint: String,
    pub port: u16,
    serve_args: Vec<String>,
    /// Extra environment for `serve` (e.g. `RAMPART_CLOCK_OFFSET_SECONDS`).
    pub serve_env: Vec<(String, String)>,
    /// `--store` for every command, when not the default SQLite.
    store: Option<String>,
}

impl Server {
    /// Starts `rampart serve` on 127.0.0.1:0 and runs `rampart init` against its data dir.
    pub fn start() -> Server {
        Server::start_with(&[])
    }

    /// [`Server::start`] with extra `serve` arguments.
    pub fn start_with(serve_args: &[&str]) -> Server {
        Server::launch(serve_args, None, &[])
    }

    /// [`Server::start`] with extra `init` arguments (e.g. `--root-password`).
    pub fn start_with_init_args(init_args: &[&str]) -> Server {
        Server::launch(&[], None, init_args)
    }

    /// [`Server::start`] with the rows in the PostgreSQL database at `url`.
    pub fn start_with_store(url: &str) -> Server {
        Server::launch(&[], Some(url), &[])
    }

    /// Starts `rampart serve` over HTTPS after `rampart init --self-signed-cert` (with
    /// `init_args`) wrote the certificate and a profile that trusts it, then `serve_args`.
    pub fn start_https(init_args: &[&str], serve_args: &[&str]) -> Server {
        let mut server = Server {
            child: None,
            dir: TempDir::new(),
            endpoint: String::new(),
            port: 0,
            serve_args: serve_args.iter().map(|a| (*a).to_owned()).collect(),
            serve_env: vec![],
            store: None,
        };
        // The profile must name the port before the server runs: take a free one.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let endpoint = format!("https://localhost:{port}");
        let mut args = vec!["init", "--self-signed-cert", "--endpoint-url", &endpoint];
        args.extend_from_slice(init_args);
        let out = server.rampart(&args);
        assert!(
            out.status.success(),
            "init failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        server.spawn(port);
        server
    }

    /// The self-signed certificate `init --self-signed-cert` wrote, for clients to trust.
    pub fn ca_bundle(&self) -> PathBuf {
        self.data_dir().join("tls-cert.pem")
    }

    /// Another node on the same store as `self`, with a copy of its master key; no `init`.
    pub fn another_node(&self) -> Server {
        let dir = TempDir::new();
        let mut node = Server {
            child: None,
            dir,
            endpoint: String::new(),
            port: 0,
            serve_args: self.serve_args.clone(),
            serve_env: vec![],
            store: self.store.clone(),
        };
        std::fs::create_dir_all(node.data_dir()).unwrap();
        std::fs::copy(
            self.data_dir().join("master.key"),
            node.data_dir().join("master.key"),
        )
        .unwrap();
        node.spawn(0);
        node
    }

    fn launch(serve_args: &[&str], store: Option<&str>, init_args: &[&str]) -> Server {
        let dir = TempDir::new();
        let serve_args = serve_args.iter().map(|a| (*a).to_owned()).collect();
        let mut server = Server {
            child: None,
            dir,
            endpoint: String::new(),
            port: 0,
            serve_args,
            serve_env: vec![],
            store: store.map(str::to_owned),
        };
        server.spawn(0);
        // Test mode brings its own default account; everything else starts from `init`.
        if !server.serve_args.iter().any(|a| a == "--test-mode") {
            let endpoint = server.endpoint.clone();
            let mut args = vec!["init", "--endpoint-url", &endpoint];
            args.extend_from_slice(init_args);
            let out = server.rampart(&args);
            assert!(
                out.status.success(),
                "init failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        server
    }

    pub fn data_dir(&self) -> PathBuf {
        self.dir.0.join("data")
    }

    /// The root password reset mails in the outbox (oldest first), once there are at least
    /// `n`: the server mails from its recovery worker after answering, so they are waited for.
    pub fn reset_mails(&self, n: usize) -> Vec<String> {
        let outbox = self.data_dir().join("outbox");
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let mut paths: Vec<PathBuf> = std::fs::read_dir(&outbox)
                .map(|dir| dir.map(|e| e.unwrap().path()).collect())
                .unwrap_or_default();
            paths.sort();
            let mails: Vec<String> = paths
                .iter()
                .map(|path| std::fs::read_to_string(path).unwrap())
                .filter(|mail| mail.contains("Reset your root user password"))
                .collect();
            if mails.len() >= n {
                return mails;
            }
            assert!(
                Instant::now() < deadline,
                "{} reset mails in {}, want {n}",
                mails.len(),
                outbox.display()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Starts the server process; `port` 0 picks a free one.
    pub fn spawn(&mut self, port: u16) {
        let mut child = Command::new(BIN)
            .args([
                "serve",
                "--listen",
                &format!("127.0.0.1:{port}"),
                "--data-dir",
            ])
            .arg(self.data_dir())
            .args(&self.serve_args)
            .args(self.store_args())
            .env("RAMPART_LOG", "warn")
            .envs(self.serve_env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .env_remove("RAMPART_STORE")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start rampart serve");
        let stdout = child.stdout.take().unwrap();
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).unwrap();
        let url = line
            .trim()
            .strip_prefix("rampart listening on ")
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"));
        self.endpoint = url.to_owned();
        self.port = url.rsplit(':').next().unwrap().parse().unwrap();
        self.child = Some(child);
    }

    /// Kills the server with SIGKILL and waits for it.
    pub fn kill9(&mut self) {
        if let Some(mut child) = self.child.take() {
            child.kill().unwrap();
            child.wait().unwrap();
        }
    }

    /// Runs a `rampart` subcommand on this server's data directory.
    pub fn rampart(&self, args: &[&str]) -> Output {
        Command::new(BIN)
            .args(args)
            .arg("--data-dir")
            .arg(self.data_dir())
            .args(self.store_args())
            .env_remove("RAMPART_STORE")
            .envs(self.aws_file_env())
            .output()
            .unwrap()
    }

    fn store_args(&self) -> Vec<&str> {
        self.store
            .as_deref()
            .map(|url| vec!["--store", url])
            .unwrap_or_default()
    }

    fn aws_file_env(&self) -> Vec<(&'static str, PathBuf)> {
        vec![
            ("AWS_CONFIG_FILE", self.dir.0.join("aws-config")),
            (
                "AWS_SHARED_CREDENTIALS_FILE",
                self.dir.0.join("aws-credentials"),
            ),
        ]
    }

    /// `rampart account create --root-access-key --json`: a new account's id and root keys.
    pub fn create_account(&self, email: &str) -> (String, Keys) {
        let out = self.rampart(&[
            "account",
            "create",
            "--email",
            email,
            "--root-access-key",
            "--json",
            "--full-name",
            "Pat Owner",
            "--phone-number",
            "+15555550100",
            "--address-line1",
            "1 Main Street",
            "--city",
            "Seattle",
            "--postal-code",
            "98101",
            "--country-code",
            "US",
        ]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let keys = Keys {
            access_key_id: json["access_key_id"].as_str().unwrap().to_owned(),
            secret_access_key: json["secret_access_key"].as_str().unwrap().to_owned(),
        };
        (json["account_id"].as_str().unwrap().to_owned(), keys)
    }

    /// The admin's keys, read back from the credentials file `init` wrote.
    pub fn admin_keys(&self) -> Keys {
        let text = std::fs::read_to_string(self.dir.0.join("aws-credentials")).unwrap();
        let value = |name: &str| {
            text.lines()
                .find_map(|l| {
                    l.strip_prefix(name)
                        .map(|rest| rest.trim_start_matches([' ', '=']).trim().to_owned())
                })
                .unwrap()
        };
        Keys {
            access_key_id: value("aws_access_key_id"),
            secret_access_key: value("aws_secret_access_key"),
        }
    }

    /// The `aws` CLI with the `rampart` profile that `init` wrote.
    pub fn aws(&self, args: &[&str]) -> CliResult {
        let mut cmd = Command::new("aws");
        cmd.args(args)
            .envs(self.aws_file_env())
            .env("AWS_PROFILE", "rampart");
        CliResult::run(cmd)
    }

    /// The `aws` CLI with explicit keys (profile files ignored).
    pub fn aws_as(&self, keys: &Keys, args: &[&str]) -> CliResult {
        let mut cmd = Command::new("aws");
        cmd.args(args)
            .env("AWS_CONFIG_FILE", "/dev/null")
            .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
            .env_remove("AWS_PROFILE")
            .env("AWS_ACCESS_KEY_ID", &keys.access_key_id)
            .env("AWS_SECRET_ACCESS_KEY", &keys.secret_access_key)
            .env("AWS_ENDPOINT_URL", &self.endpoint)
            .env("AWS_DEFAULT_REGION", REGION);
        CliResult::run(cmd)
    }

    /// Runs a boto3 script from `tests/e2e/py` with the endpoint and keys in its environment.
    pub fn boto3(&self, script: &str, keys: &Keys, extra_env: &[(&str, &str)]) {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/e2e/py")
            .join(script);
        let out = Command::new("python3")
            .arg(path)
            .env("RAMPART_ENDPOINT", &self.endpoint)
            .env("RAMPART_ACCESS_KEY_ID", &keys.access_key_id)
            .env("RAMPART_SECRET_ACCESS_KEY", &keys.secret_access_key)
            .env("AWS_CONFIG_FILE", "/dev/null")
            .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
            .envs(extra_env.iter().copied())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{script} failed\nstdout:\n{}\nstderr:\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Sends one raw HTTP/1.1 request and returns (status, body).
    pub fn raw(
        &self,
        method: &str,
        path_and_query: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> (u16, String) {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        let mut req = format!(
            "{method} {path_and_query} HTTP/1.1\r\nconnection: close\r\ncontent-length: {}\r\n",
            body.len()
        );
        for (name, value) in headers {
            req.push_str(&format!("{name}: {value}\r\n"));
        }
        req.push_str("\r\n");
        stream.write_all(req.as_bytes()).unwrap();
        stream.write_all(body).unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        let status = response.split(' ').nth(1).unwrap().parse().unwrap();
        let body = response
            .split_once("\r\n\r\n")
            .map(|(_, b)| b.to_owned())
            .unwrap_or_default();
        (status, body)
    }

    /// A form POST signed with our own signer at `amz_date` (`YYYYMMDDTHHMMSSZ`).
    pub fn signed_form(
        &self,
        keys: &Keys,
        service: &str,
        form: &str,
        amz_date: &str,
    ) -> (u16, String) {
        self.signed_form_with_token(keys, None, service, form, amz_date)
    }

    /// [`Server::signed_form`] with session credentials (`X-Amz-Security-Token`).
    pub fn signed_form_with_token(
        &self,
        keys: &Keys,
        token: Option<&str>,
        service: &str,
        form: &str,
        amz_date: &str,
    ) -> (u16, String) {
        self.signed_form_with_headers(keys, token, service, form, amz_date, &[])
    }

    /// [`Server::signed_form_with_token`] plus `unsigned` headers (as a proxy adds them).
    pub fn signed_form_with_headers(
        &self,
        keys: &Keys,
        token: Option<&str>,
        service: &str,
        form: &str,
        amz_date: &str,
        unsigned: &[(&str, &str)],
    ) -> (u16, String) {
        let host = format!("127.0.0.1:{}", self.port);
        let mut headers = vec![
            ("host", host.as_str()),
            ("content-type", "application/x-www-form-urlencoded"),
            ("x-amz-date", amz_date),
        ];
        let mut signed = vec!["content-type", "host", "x-amz-date"];
        if let Some(token) = token {
            headers.push(("x-amz-security-token", token));
            signed.push("x-amz-security-token");
        }
        let http = rampart_sigv4::HttpRequest {
            method: "POST",
            path: "/",
            query: "",
            headers: &headers,
            body: form.as_bytes(),
        };
        let auth = rampart_sigv4::sign(
            &http,
            &keys.access_key_id,
            &keys.secret_access_key,
            REGION,
            service,
            amz_date,
            token,
            &signed,
        );
        let mut all: Vec<(&str, &str)> = headers.clone();
        all.push(("authorization", &auth));
        all.extend_from_slice(unsigned);
        self.raw("POST", "/", &all, form.as_bytes())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill9();
    }
}

/// The outcome of one CLI call.
#[derive(Debug)]
pub struct CliResult {
    pub success: bool,
    pub stdout: String,
    pub stderr: String,
}

impl CliResult {
    fn run(mut cmd: Command) -> CliResult {
        cmd.env("AWS_EC2_METADATA_DISABLED", "true")
            .env("AWS_PAGER", "")
            // A machine-wide bundle would override the profile's own `ca_bundle`.
            .env_remove("AWS_CA_BUNDLE")
            .env_remove("AWS_ENDPOINT_URL_IAM")
            .env_remove("AWS_ENDPOINT_URL_STS");
        let out = cmd.output().expect("run aws");
        CliResult {
            success: out.status.success(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// The JSON the CLI printed; panics with the CLI's stderr when the call failed.
    pub fn json(&self) -> serde_json::Value {
        assert!(self.success, "aws failed: {}", self.stderr);
        serde_json::from_str(&self.stdout).unwrap_or(serde_json::Value::Null)
    }

    /// Asserts the call failed with the AWS error `code` and returns stderr.
    pub fn expect_error(&self, code: &str) -> &str {
        assert!(
            !self.success,
            "expected {code}, got success: {}",
            self.stdout
        );
        assert!(
            self.stderr.contains(&format!("({code})")),
            "expected {code}, got: {}",
            self.stderr
        );
        &self.stderr
    }
}

/// The AWS date format for unix seconds.
pub fn amz_date(unix: i64) -> String {
    rampart_sigv4::format_amz_date(unix)
}

/// Now, in unix seconds (tests may read the clock; the server never trusts the client's).
pub fn unix_now() -> i64 {
    #[expect(
        clippy::disallowed_methods,
        reason = "tests sign requests at real times"
    )]
    let now = std::time::SystemTime::now();
    now.duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64
}
