//! The root user's protections: password rules, recovery by email through the outbox (a
//! single-use link), password change, legacy security questions, and `rampart status`.

use crate::harness::Server;

fn form_post(server: &Server, path: &str, form: &str) -> (u16, String) {
    server.raw("POST", path, &[("content-type", "application/x-www-form-urlencoded")], form.as_bytes())
}

fn encode(value: &str) -> String {
    value.bytes().map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

/// The reset token from the newest message in the outbox.
fn mailed_token(server: &Server) -> String {
    let outbox = server.data_dir().join("outbox");
    let mut mails: Vec<_> = std::fs::read_dir(&outbox).unwrap().map(|e| e.unwrap().path()).collect();
    mails.sort();
    let raw = std::fs::read_to_string(mails.last().unwrap()).unwrap();
    // Long lines travel quoted-printable: undo soft line breaks and `=3D`.
    let text = raw.replace("=\r\n", "").replace("=3D", "=");
    assert!(text.contains("To: root-owner@example.com"), "{text}");
    assert!(text.contains("Subject: Reset your root user password"), "{text}");
    let start = text.find("/console/root/reset?token=").unwrap() + "/console/root/reset?token=".len();
    text[start..].split_whitespace().next().unwrap().to_owned()
}

#[test]
fn root_password_recovery_mail_lands_in_the_outbox_and_its_link_works_once() {
    let server = Server::start();
    server.create_account("root-owner@example.com");
    let (status, body) = form_post(&server, "/console/root/recover", "email=root-owner%40example.com");
    assert_eq!(status, 200, "{body}");
    // Unknown addresses get the same answer and no mail.
    let (status, _) = form_post(&server, "/console/root/recover", "email=nobody%40example.com");
    assert_eq!(status, 200);
    let token = mailed_token(&server);
    let (status, page) = server.raw("GET", &format!("/console/root/reset?token={token}"), &[], b"");
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("name=password"), "{page}");

    // The root rules refuse each kind of weak password, and the link survives a refusal.
    for weak in ["Ab1!", "alllowercase1", "ALLUPPER-CASE", "root-owner@example.com", &"Ab1!".repeat(40)] {
        let (status, body) = form_post(&server, "/console/root/reset", &format!("token={token}&password={}", encode(weak)));
        assert_eq!(status, 400, "{weak} was accepted: {body}");
    }
    let (status, body) = form_post(&server, "/console/root/reset", &format!("token={token}&password={}", encode("New-Root-Passw0rd")));
    assert_eq!(status, 200, "{body}");
    let (status, _) = form_post(&server, "/console/root/reset", &format!("token={token}&password={}", encode("Other-Root-Passw0rd")));
    assert_eq!(status, 403, "the link must work once");
    let (status, _) = server.raw("GET", &format!("/console/root/reset?token={token}"), &[], b"");
    assert_eq!(status, 400);

    // Password change needs the current password.
    let change = |old: &str, new: &str| {
        form_post(
            &server,
            "/console/root/password",
            &format!("email=root-owner%40example.com&old_password={}&new_password={}", encode(old), encode(new)),
        )
    };
    assert_eq!(change("wrong-Passw0rd", "Third-Root-Passw0rd").0, 403);
    assert_eq!(change("New-Root-Passw0rd", "weak").0, 400);
    assert_eq!(change("New-Root-Passw0rd", "Third-Root-Passw0rd").0, 200);
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
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = server.rampart(&["root", "recover", "--email", "root-owner@example.com"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let token = mailed_token(&server);
    let (_, page) = server.raw("GET", &format!("/console/root/reset?token={token}"), &[], b"");
    assert!(page.contains("Birth city"), "{page}");
    let attempt = |answers: &str| {
        form_post(&server, "/console/root/reset", &format!("token={token}&password={}&{answers}", encode("Brand-New-Passw0rd")))
    };
    assert_eq!(attempt("answer1=rex&answer2=Paris&answer3=mini").0, 403);
    assert_eq!(attempt("answer1=%20REX&answer2=lyon&answer3=Mini").0, 200);

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
    std::io::BufReader::new(sink.stdout.take().unwrap()).read_line(&mut port).unwrap();
    let out = server.rampart(&["root", "recover", "--email", "root-owner@example.com", "--smtp-url", &format!("smtp://127.0.0.1:{}", port.trim())]);
    let _ = sink.kill();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let received = std::fs::read_to_string(&sink_file).unwrap();
    assert!(received.starts_with("RCPT root-owner@example.com"), "{received}");
    assert!(received.contains("Reset your root user password"), "{received}");
    assert!(!server.data_dir().join("outbox").exists(), "with SMTP configured nothing goes to the outbox");
}
