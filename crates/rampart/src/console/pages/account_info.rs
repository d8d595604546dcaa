//! Account: the account name (`GetAccountInformation`, `PutAccountName`), the contact
//! information (`GetContactInformation`, `PutContactInformation`), the three alternate
//! contacts (`GetAlternateContact`, `PutAlternateContact`, `DeleteAlternateContact`) — Account
//! API calls decided by IAM like any other — and, for the root user only, the security
//! challenge questions that password recovery asks (`RequestPath::put_security_questions`).

use serde_json::{Value, json};

use super::{Answer, invalid};
use crate::console::html::{self, esc};
use crate::console::{Ctx, Problem};

/// The alternate contact types, as the Account API spells them, with their titles.
const ALTERNATE: &[(&str, &str)] = &[
    ("BILLING", "Billing contact"),
    ("OPERATIONS", "Operations contact"),
    ("SECURITY", "Security contact"),
];

/// The contact information fields: (member, label, required).
const CONTACT: &[(&str, &str, bool)] = &[
    ("FullName", "Full name", true),
    ("CompanyName", "Company name", false),
    ("AddressLine1", "Address", true),
    ("City", "City", true),
    ("StateOrRegion", "State, province, or region", false),
    ("PostalCode", "Postal code", true),
    ("CountryCode", "Country code", true),
    ("PhoneNumber", "Phone number", true),
    ("WebsiteUrl", "Website URL", false),
];

/// The contact information's members by their Account API names.
fn contact_values(c: &rampart_wire::account::ContactInformation) -> Vec<(&'static str, String)> {
    let optional = |v: &Option<String>| v.clone().unwrap_or_default();
    vec![
        ("FullName", c.full_name.clone()),
        ("CompanyName", optional(&c.company_name)),
        ("AddressLine1", c.address_line1.clone()),
        ("City", c.city.clone()),
        ("StateOrRegion", optional(&c.state_or_region)),
        ("PostalCode", c.postal_code.clone()),
        ("CountryCode", c.country_code.clone()),
        ("PhoneNumber", c.phone_number.clone()),
        ("WebsiteUrl", optional(&c.website_url)),
    ]
}

/// The output of a Get call, or `None` when the Account API says there is none yet.
fn found(
    result: Result<rampart_wire::account::Output, Problem>,
) -> Result<Option<rampart_wire::account::Output>, Problem> {
    match result {
        Ok(out) => Ok(Some(out)),
        Err(p) if p.status == 404 => Ok(None),
        Err(p) => Err(p),
    }
}

/// `GET /console/account`.
pub fn show(ctx: &Ctx<'_>) -> Answer {
    use rampart_wire::account::Output;
    let csrf = ctx.csrf();
    let Output::GetAccountInformation(info) = ctx.account("GetAccountInformation", &json!({}))?
    else {
        return Err(Problem::unexpected());
    };
    let details = format!(
        "<p>Account ID <code>{}</code></p>{}",
        esc(&info.account_id),
        html::form(
            "/console/account/name",
            csrf,
            &html::input(
                "Account name",
                "AccountName",
                "text",
                &info.account_name,
                "required"
            ),
            "Update",
            "stack"
        ),
    );
    let contact = match found(ctx.account("GetContactInformation", &json!({})))? {
        Some(Output::GetContactInformation(c)) => contact_values(&c.contact_information),
        _ => Vec::new(),
    };
    let mut contact_fields = String::new();
    for (member, label, required) in CONTACT {
        let value = contact
            .iter()
            .find(|(m, _)| m == member)
            .map_or("", |(_, v)| v.as_str());
        contact_fields.push_str(&html::input(
            label,
            member,
            "text",
            value,
            if *required { "required" } else { "" },
        ));
    }
    let mut alternates = String::new();
    for (kind, title) in ALTERNATE {
        let current = match found(ctx.account(
            "GetAlternateContact",
            &json!({ "AlternateContactType": kind }),
        ))? {
            Some(Output::GetAlternateContact(a)) => Some(a.alternate_contact),
            _ => None,
        };
        let value = |f: fn(&rampart_wire::account::AlternateContact) -> &str| {
            current.as_ref().map_or("", f)
        };
        let fields = format!(
            "<input type=\"hidden\" name=\"AlternateContactType\" value=\"{kind}\">{}{}{}{}",
            html::input(
                "Name",
                &format!("{kind}-Name"),
                "text",
                value(|a| &a.name),
                "required"
            ),
            html::input(
                "Title",
                &format!("{kind}-Title"),
                "text",
                value(|a| &a.title),
                "required"
            ),
            html::input(
                "Email address",
                &format!("{kind}-EmailAddress"),
                "email",
                value(|a| &a.email_address),
                "required"
            ),
            html::input(
                "Phone number",
                &format!("{kind}-PhoneNumber"),
                "tel",
                value(|a| &a.phone_number),
                "required"
            ),
        );
        let delete = if current.is_some() {
            html::button_form(
                "/console/account/alternate-delete",
                csrf,
                &[("AlternateContactType", kind)],
                "Remove",
            )
        } else {
            String::new()
        };
        alternates.push_str(&format!(
            "<h3>{}</h3>{}{delete}",
            esc(title),
            html::form(
                "/console/account/alternate",
                csrf,
                &fields,
                "Update",
                "stack"
            )
        ));
    }
    let mut body = format!(
        "{}{}{}{}",
        html::section("Account details", &details),
        super::member_access::check(ctx)?,
        html::section(
            "Contact information",
            &html::form(
                "/console/account/contact",
                csrf,
                &contact_fields,
                "Update",
                "stack"
            )
        ),
        html::section("Alternate contacts", &alternates),
    );
    if ctx.is_root() {
        body.push_str(&security_questions(ctx));
    }
    Ok(ctx.page("Account", "Account", &body))
}

fn security_questions(ctx: &Ctx<'_>) -> String {
    let state = ctx.requests.engine().snapshot();
    let questions: Vec<String> = state
        .account(&ctx.session.caller.account)
        .map(|a| {
            a.security_questions
                .iter()
                .map(|q| q.question.clone())
                .collect()
        })
        .unwrap_or_default();
    let mut fields = String::new();
    for i in 1..=3 {
        let current = questions.get(i - 1).map_or("", String::as_str);
        fields.push_str(&html::input(
            &format!("Question {i}"),
            &format!("question{i}"),
            "text",
            current,
            "required",
        ));
        fields.push_str(&html::input(
            &format!("Answer {i}"),
            &format!("answer{i}"),
            "text",
            "",
            "required autocomplete=\"off\"",
        ));
    }
    let note = if questions.is_empty() {
        "<p>No security challenge questions are set. Password recovery by email will also ask them once they are.</p>"
    } else {
        "<p>Security challenge questions are set; answers are stored only as hashes. Saving replaces all three.</p>"
    };
    html::section(
        "Configure security challenge questions",
        &format!(
            "{note}{}",
            html::form(
                "/console/account/security-questions",
                ctx.csrf(),
                &fields,
                "Update",
                "stack"
            )
        ),
    )
}

/// `POST /console/account/ACTION`.
pub fn act(ctx: &Ctx<'_>, action: &str) -> Answer {
    let get = |name: &str| ctx.req.get(name).trim().to_owned();
    let message = match action {
        "name" => {
            ctx.account(
                "PutAccountName",
                &json!({ "AccountName": get("AccountName") }),
            )?;
            "Account name updated."
        }
        "contact" => {
            let mut info = serde_json::Map::new();
            for (member, _, _) in CONTACT {
                let value = get(member);
                if !value.is_empty() {
                    info.insert((*member).to_owned(), Value::String(value));
                }
            }
            ctx.account(
                "PutContactInformation",
                &json!({ "ContactInformation": info }),
            )?;
            "Contact information updated."
        }
        "alternate" => {
            let kind = get("AlternateContactType");
            let field = |name: &str| get(&format!("{kind}-{name}"));
            ctx.account(
                "PutAlternateContact",
                &json!({
                    "AlternateContactType": kind,
                    "Name": field("Name"),
                    "Title": field("Title"),
                    "EmailAddress": field("EmailAddress"),
                    "PhoneNumber": field("PhoneNumber"),
                }),
            )?;
            "Alternate contact updated."
        }
        "alternate-delete" => {
            ctx.account(
                "DeleteAlternateContact",
                &json!({ "AlternateContactType": get("AlternateContactType") }),
            )?;
            "Alternate contact removed."
        }
        "security-questions" => {
            if !ctx.is_root() {
                return Err(invalid(
                    "Only the root user can configure security challenge questions.",
                ));
            }
            let pairs: Vec<(String, String)> = (1..=3)
                .map(|i| (get(&format!("question{i}")), get(&format!("answer{i}"))))
                .collect();
            ctx.requests
                .put_security_questions(&ctx.req.origin, &ctx.session.caller.account, &pairs)
                .map_err(Problem::from)?;
            "Security challenge questions updated."
        }
        _ => return Err(super::not_found()),
    };
    Ok(ctx.done("/console/account", message))
}
