//! The Account API: alternate contacts and contact information, as root and as IAM users.

use crate::harness::Server;

#[test]
fn boto3_alternate_contacts_round_trip_for_all_three_types() {
    let server = Server::start();
    let (_, root) = server.create_account("contacts@example.com");
    server.boto3("account_contacts.py", &root, &[]);
}

/// AWS asks for contact information at sign-up: `account create` takes it (refusing to
/// create an account without it) and `GetContactInformation` answers it at once.
#[test]
fn a_signed_up_account_has_its_contact_information() {
    let server = Server::start();
    let refused = server.rampart(&["account", "create", "--email", "nocontact@example.com"]);
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("--full-name") && stderr.contains("--country-code"),
        "{stderr}"
    );
    let invalid = server.rampart(&[
        "account",
        "create",
        "--email",
        "badphone@example.com",
        "--full-name",
        "Pat",
        "--phone-number",
        "call me",
        "--address-line1",
        "1 Main",
        "--city",
        "Oslo",
        "--postal-code",
        "0150",
        "--country-code",
        "NO",
    ]);
    assert!(
        !invalid.status.success(),
        "an invalid phone number was accepted"
    );
    let (_, root) = server.create_account("contact-owner@example.com");
    let got = server
        .aws_as(&root, &["account", "get-contact-information"])
        .json();
    assert_eq!(got["ContactInformation"]["FullName"], "Pat Owner");
    assert_eq!(got["ContactInformation"]["CountryCode"], "US");
}

#[test]
fn cli_alternate_contact() {
    let server = Server::start();
    server
        .aws(&[
            "account",
            "put-alternate-contact",
            "--alternate-contact-type",
            "SECURITY",
            "--name",
            "Sec",
            "--title",
            "CISO",
            "--email-address",
            "sec@example.com",
            "--phone-number",
            "+1-555-0100",
        ])
        .json();
    let got = server
        .aws(&[
            "account",
            "get-alternate-contact",
            "--alternate-contact-type",
            "SECURITY",
        ])
        .json();
    assert_eq!(got["AlternateContact"]["Title"], "CISO");
    server
        .aws(&[
            "account",
            "get-alternate-contact",
            "--alternate-contact-type",
            "BILLING",
        ])
        .expect_error("ResourceNotFoundException");
}

#[test]
fn boto3_regions_primary_email_update_and_govcloud() {
    use std::io::BufRead;
    let mail_dir = crate::harness::TempDir::new();
    let mail_file = mail_dir.0.join("smtp-received.txt");
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/e2e/py/smtp_sink.py");
    let mut sink = std::process::Command::new("python3")
        .arg(script)
        .arg(&mail_file)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut port = String::new();
    std::io::BufReader::new(sink.stdout.take().unwrap())
        .read_line(&mut port)
        .unwrap();
    let smtp_url = format!("smtp://127.0.0.1:{}", port.trim());
    let server = Server::start_with(&["--smtp-url", &smtp_url]);
    let (_, root) = server.create_account("regions@example.com");
    let mail = mail_file.to_string_lossy().into_owned();
    let result = std::panic::catch_unwind(|| {
        server.boto3("account_regions.py", &root, &[("RAMPART_MAIL_FILE", &mail)]);
    });
    let _ = sink.kill();
    let _ = sink.wait();
    if let Err(panic) = result {
        std::panic::resume_unwind(panic);
    }
}
