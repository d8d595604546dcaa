//! The root user's protections: password rules, recovery by email through the outbox (a
//! single-use link), password change, legacy security questions, and `rampart status`.

use crate::harness::Server;

fn form_post(server: &Server, path: &str, form: &str) -> (u16, String) {
    server.raw(
        "POST",
        path,
        &[("content-type", "application/x-www-form-urlencoded")],
        form.as_bytes(),
    )
}

fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The reset token from the newest message in the outbox.
fn mailed_token(server: &Server) -> String {
    // The newest reset mail (root activity alerts may land in the outbox too).
    let raw = server.reset_mails(1).pop().unwrap();
    // Long lines travel quoted-printable: undo soft line breaks and `=3D`.
    let text = raw.replace("=\r\n", "").replace("=3D", "=");
    assert!(text.contains("To: root-owner@example.com"), "{text}");
    assert!(
        text.contains("Subject: Reset your root user password"),
        "{text}"
    );
    let start =
        text.find("/console/root/reset?token=").unwrap() + "/console/root/reset?token=".len();
    text[start..].split_whitespace().next().unwrap().to_owned()
}

#[test]
fn root_password_recovery_mail_lands_in_the_outbox_and_its_link_works_once() {
    let server = Server::start();
    server.create_account("root-owner@example.com");
    let (status, body) = form_post(
        &server,
        "/console/root/recover",
        "email=root-owner%40example.com",
    );
    assert_eq!(status, 200, "{body}");
    // Unknown addresses get the same answer and no mail.
    let (status, _) = form_post(
        &server,
        "/console/root/recover",
        "email=nobody%40example.com",
    );
    assert_eq!(status, 200);
    let token = mailed_token(&server);
    let (status, page) = server.raw(
        "GET",
        &format!("/console/root/reset?token={token}"),
        &[],
        b"",
    );
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("name=password"), "{page}");

    // The root rules refuse each kind of weak password, and the link survives a refusal.
    for weak in [
        "Ab1!",
        "alllowercase1",
        "ALLUPPER-CASE",
        "root-owner@example.com",
        &"Ab1!".repeat(40),
    ] {
        let (status, body) = form_post(
            &server,
            "/console/root/reset",
            &format!("token={token}&password={}", encode(weak)),
        );
        assert_eq!(status, 400, "{weak} was accepted: {body}");
    }
    let (status, body) = form_post(
        &server,
        "/console/root/reset",
        &format!("token={token}&password={}", encode("New-Root-Passw0rd")),
    );
    assert_eq!(status, 200, "{body}");
    let (status, _) = form_post(
        &server,
        "/console/root/reset",
        &format!("token={token}&password={}", encode("Other-Root-Passw0rd")),
    );
    assert_eq!(status, 403, "the link must work once");
    let (status, _) = server.raw(
        "GET",
        &format!("/console/root/reset?token={token}"),
        &[],
        b"",
    );
    assert_eq!(status, 400);

    // Changing the password needs a signed-in session and the current password; the
    // anonymous form is gone.
    let anonymous = form_post(
        &server,
        "/console/root/password",
        &format!(
            "email=root-owner%40example.com&old_password={}&new_password={}",
            encode("New-Root-Passw0rd"),
            encode("Third-Root-Passw0rd")
        ),
    );
    assert_eq!(anonymous.0, 404, "{}", anonymous.1);
    let (cookie, csrf) =
        root_console_session(&server, "root-owner@example.com", "New-Root-Passw0rd");
    let change = |old: &str, new: &str| {
        let form = format!(
            "csrf={csrf}&old_password={}&new_password={}&confirm_password={}",
            encode(old),
            encode(new),
            encode(new)
        );
        let (head, body) = crate::console::exchange(
            &server,
            &format!(
                "POST /console/security-credentials/password HTTP/1.1\r\nhost: x\r\ncookie: {cookie}\r\ncontent-type: application/x-www-form-urlencoded\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{form}",
                form.len()
            ),
        );
        let status: u16 = head.split(' ').nth(1).unwrap().parse().unwrap();
        (status, body)
    };
    assert_eq!(change("wrong-Passw0rd", "Third-Root-Passw0rd").0, 403);
    assert_eq!(change("New-Root-Passw0rd", "weak").0, 400);
    let (status, body) = change("New-Root-Passw0rd", "Third-Root-Passw0rd");
    assert_eq!(status, 303, "{body}");
    // The new password signs in.
    root_console_session(&server, "root-owner@example.com", "Third-Root-Passw0rd");
}

/// Signs the root in at the console: its session cookie and the session's CSRF token.
fn root_console_session(server: &Server, email: &str, password: &str) -> (String, String) {
    let form = format!("email={}&password={}", encode(email), encode(password));
    let (head, body) = crate::console::exchange(
        server,
        &format!(
            "POST /console/signin/root/password HTTP/1.1\r\nhost: x\r\ncontent-type: application/x-www-form-urlencoded\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{form}",
            form.len()
        ),
    );
    let cookie = head
        .lines()
        .find_map(|l| l.strip_prefix("set-cookie: "))
        .and_then(|c| c.split(';').next())
        .unwrap_or_else(|| panic!("no session cookie: {head}\n{body}"))
        .to_owned();
    let (_, page) = crate::console::exchange(
        server,
        &format!(
            "GET /console/security-credentials HTTP/1.1\r\nhost: x\r\ncookie: {cookie}\r\nconnection: close\r\n\r\n"
        ),
    );
    let csrf = page
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_else(|| panic!("no CSRF token on the page: {page}"))
        .to_owned();
    (cookie, csrf)
}

#[test]
fn security_questions_guard_recovery_and_status_reports_the_account() {
    let server = Server::start();
    let (account, _root) = server.create_account("root-owner@example.com");
    let out = server.rampart(&[
        "root",
        "security-questions",
        "--email",
        "root-owner@example.com",
        "--question",
        "First pet=Rex",
        "--question",
        "Birth city=Lyon",
        "--question",
        "First car=Mini",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = server.rampart(&["root", "recover", "--email", "root-owner@example.com"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let token = mailed_token(&server);
    let (_, page) = server.raw(
        "GET",
        &format!("/console/root/reset?token={token}"),
        &[],
        b"",
    );
    assert!(page.contains("Birth city"), "{page}");
    let attempt = |token: &str, answers: &str| {
        form_post(
            &server,
            "/console/root/reset",
            &format!(
                "token={token}&password={}&{answers}",
                encode("Brand-New-Passw0rd")
            ),
        )
    };
    let right = "answer1=%20REX&answer2=lyon&answer3=Mini";
    // Wrong answers use up the link (issue 13: no unlimited guessing for an hour).
    assert_eq!(
        attempt(&token, "answer1=rex&answer2=Paris&answer3=mini").0,
        403
    );
    assert_eq!(attempt(&token, right).0, 403);
    // A new link (the old mail removed: outbox names order by the second only).
    std::fs::remove_dir_all(server.data_dir().join("outbox")).unwrap();
    let out = server.rampart(&["root", "recover", "--email", "root-owner@example.com"]);
    assert!(out.status.success());
    let token = mailed_token(&server);
    assert_eq!(attempt(&token, right).0, 200);

    let out = server.rampart(&["status", "--account", &account]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains(&format!("account {account}")), "{text}");
    assert!(text.contains("[WARN] root-access-keys"), "{text}");
    assert!(text.contains("[WARN] root-mfa"), "{text}");
    assert!(text.contains("[WARN] password-policy"), "{text}");
}

#[test]
fn recovery_mail_goes_out_over_smtp_when_a_server_is_configured() {
    use std::io::BufRead;
    let server = Server::start();
    server.create_account("root-owner@example.com");
    let sink_file = server.dir.0.join("smtp-received.txt");
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/e2e/py/smtp_sink.py");
    let mut sink = std::process::Command::new("python3")
        .arg(script)
        .arg(&sink_file)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut port = String::new();
    std::io::BufReader::new(sink.stdout.take().unwrap())
        .read_line(&mut port)
        .unwrap();
    let out = server.rampart(&[
        "root",
        "recover",
        "--email",
        "root-owner@example.com",
        "--smtp-url",
        &format!("smtp://127.0.0.1:{}", port.trim()),
    ]);
    let _ = sink.kill();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let received = std::fs::read_to_string(&sink_file).unwrap();
    assert!(
        received.starts_with("RCPT root-owner@example.com"),
        "{received}"
    );
    assert!(
        received.contains("Reset your root user password"),
        "{received}"
    );
    assert!(
        !server.data_dir().join("outbox").exists(),
        "with SMTP configured nothing goes to the outbox"
    );
}

#[test]
fn iam_user_sign_in_enforces_password_age_and_hard_expiry() {
    let mut server = Server::start();
    let account = server.aws(&["sts", "get-caller-identity"]).json()["Account"]
        .as_str()
        .unwrap()
        .to_owned();
    server
        .aws(&["iam", "create-user", "--user-name", "sam"])
        .json();
    server
        .aws(&[
            "iam",
            "create-login-profile",
            "--user-name",
            "sam",
            "--password",
            "Sam-Passw0rd-1",
        ])
        .json();
    let key = server
        .aws(&["iam", "create-access-key", "--user-name", "sam"])
        .json();
    let sam = crate::harness::Keys {
        access_key_id: key["AccessKey"]["AccessKeyId"].as_str().unwrap().to_owned(),
        secret_access_key: key["AccessKey"]["SecretAccessKey"]
            .as_str()
            .unwrap()
            .to_owned(),
    };
    let sign_in = |server: &Server, password: &str| {
        form_post(
            server,
            "/console/signin",
            &format!(
                "account={account}&username=sam&password={}",
                encode(password)
            ),
        )
    };
    assert_eq!(sign_in(&server, "wrong").0, 403);
    let (status, page) = sign_in(&server, "Sam-Passw0rd-1");
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("Signed in as sam"), "{page}");
    let user = server
        .aws(&["iam", "get-user", "--user-name", "sam"])
        .json();
    assert!(user["User"]["PasswordLastUsed"].is_string(), "{user}");

    // MaxPasswordAge of one day; two days later the password must change, and with
    // HardExpiry only an administrator can reset it.
    server
        .aws(&[
            "iam",
            "update-account-password-policy",
            "--max-password-age",
            "1",
            "--allow-users-to-change-password",
        ])
        .json();
    server.kill9();
    server.serve_env = vec![(
        "RAMPART_CLOCK_OFFSET_SECONDS".into(),
        (2 * 86_400).to_string(),
    )];
    let port = server.port;
    server.spawn(port);
    let (status, page) = sign_in(&server, "Sam-Passw0rd-1");
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("must be changed"), "{page}");
    let later = crate::harness::amz_date(crate::harness::unix_now() + 2 * 86_400);
    let admin = server.admin_keys();
    let (status, body) = server.signed_form(
        &admin,
        "iam",
        "Action=UpdateAccountPasswordPolicy&Version=2010-05-08&MaxPasswordAge=1&HardExpiry=true&AllowUsersToChangePassword=true",
        &later,
    );
    assert_eq!(status, 200, "{body}");
    let (status, page) = sign_in(&server, "Sam-Passw0rd-1");
    assert_eq!(status, 403, "{page}");
    assert!(page.contains("administrator must reset"), "{page}");
    let change = "Action=ChangePassword&Version=2010-05-08&OldPassword=Sam-Passw0rd-1&NewPassword=Sam-Passw0rd-2";
    let (status, body) = server.signed_form(&sam, "iam", change, &later);
    assert_eq!(status, 409, "{body}");
    assert!(
        body.contains("<Code>EntityTemporarilyUnmodifiable</Code>"),
        "{body}"
    );
    // An administrator's reset brings the user back.
    let (status, body) = server.signed_form(
        &admin,
        "iam",
        "Action=UpdateLoginProfile&Version=2010-05-08&UserName=sam&Password=Sam-Passw0rd-3",
        &later,
    );
    assert_eq!(status, 200, "{body}");
    assert_eq!(sign_in(&server, "Sam-Passw0rd-3").0, 200);
}
