//! The Account API: alternate contacts and contact information, as root and as IAM users.

use crate::harness::Server;

#[test]
fn boto3_alternate_contacts_round_trip_for_all_three_types() {
    let server = Server::start();
    let (_, root) = server.create_account("contacts@example.com");
    server.boto3("account_contacts.py", &root, &[]);
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
