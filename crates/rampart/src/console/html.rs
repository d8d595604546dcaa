//! HTML for the console: escaping, the page shell (header, navigation, alerts), the small
//! form and table helpers every page uses, the stylesheet, and the security headers every
//! answer carries. Pages build their bodies from these; nothing else writes markup around
//! user data.
//!
//! Every value that did not come from this source file goes through [`esc`].

use std::fmt::Write as _;

use rampart_wire::WireResponse;

/// The stylesheet, served at `/console/style.css` from the binary.
pub const STYLESHEET: &str = include_str!("style.css");

/// HTML-escapes text for element content and double-quoted attribute values.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
    out
}

/// Percent-encodes a path segment or query value.
pub fn url(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// The headers every console answer carries: no framing, no caching, no referrer, no
/// scripts or styles from anywhere but here, forms only to here.
pub fn security_headers() -> Vec<(&'static str, String)> {
    vec![
        (
            "content-security-policy",
            "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; \
             frame-ancestors 'none'; base-uri 'none'"
                .to_owned(),
        ),
        ("x-frame-options", "DENY".to_owned()),
        // `same-origin`, not `no-referrer`: with no referrer Chromium sends `Origin: null` on
        // the console's own form posts, which the cross-site check must refuse.
        ("referrer-policy", "same-origin".to_owned()),
        ("cache-control", "no-store".to_owned()),
        ("x-content-type-options", "nosniff".to_owned()),
    ]
}

/// A response with the security headers and `extra` headers.
pub fn respond(
    status: u16,
    content_type: &'static str,
    body: Vec<u8>,
    extra: Vec<(&'static str, String)>,
) -> WireResponse {
    let mut headers = security_headers();
    headers.extend(extra);
    WireResponse {
        status,
        content_type,
        headers,
        body,
    }
}

/// A redirect (303: the browser follows with a GET).
pub fn redirect(to: &str, extra: Vec<(&'static str, String)>) -> WireResponse {
    let mut headers = vec![("location", to.to_owned())];
    headers.extend(extra);
    respond(303, "text/html; charset=utf-8", Vec::new(), headers)
}

/// Who the page is shown to, for the header and the sign-out form.
#[derive(Debug, Clone)]
pub struct Shell {
    /// "Root user" or the IAM user name, with the account.
    pub identity: String,
    /// The account id.
    pub account: String,
    /// The session's CSRF token.
    pub csrf: String,
    /// The navigation entry to highlight.
    pub current: &'static str,
    /// While switched to a role: its label (`DisplayName @ account`), its colour and the
    /// signed-in user's name for "Back to …".
    pub role: Option<RoleBadge>,
    /// Whether the header offers "Switch role" (not to the root user, as in AWS).
    pub can_switch: bool,
}

/// The switched role as the navigation bar shows it.
#[derive(Debug, Clone)]
pub struct RoleBadge {
    /// `DisplayName @ account`.
    pub label: String,
    /// One of the five colours (a stylesheet class, since the CSP allows no inline style).
    pub colour: String,
    /// The user to go back to.
    pub back_to: String,
}

/// The navigation: (label, link) in AWS's order.
const NAV: &[(&str, &str)] = &[
    ("Dashboard", "/console/"),
    ("Users", "/console/users"),
    ("Groups", "/console/groups"),
    ("Roles", "/console/roles"),
    ("Policies", "/console/policies"),
    ("Account settings", "/console/account-settings"),
    ("Credential report", "/console/credential-report"),
    ("Security credentials", "/console/security-credentials"),
    ("Event history", "/console/event-history"),
    ("Alerts", "/console/alerts"),
    ("Account", "/console/account"),
    ("Organizations", "/console/organizations"),
];

/// A full page for a signed-in principal.
pub fn page(
    status: u16,
    shell: &Shell,
    title: &str,
    flash: Option<&str>,
    body: &str,
) -> WireResponse {
    let mut nav = String::new();
    for (label, link) in NAV {
        let current = if *label == shell.current {
            " aria-current=\"page\""
        } else {
            ""
        };
        let _ = write!(nav, "<li><a href=\"{link}\"{current}>{label}</a></li>");
    }
    let flash = flash
        .map(|f| {
            format!(
                "<div class=\"alert success\" role=\"status\">{}</div>",
                esc(f)
            )
        })
        .unwrap_or_default();
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} · Rampart IAM</title><link rel=\"stylesheet\" href=\"/console/style.css\"></head>\
         <body><header class=\"top\"><a class=\"brand\" href=\"/console/\">Rampart <span>IAM</span></a>\
         <div class=\"who\">{role}{switch}<span>{identity}</span><span class=\"muted\">Account ID {account}</span>\
         <form method=\"post\" action=\"/console/signout\">{csrf}<button class=\"link\">Sign out</button></form></div></header>\
         <div class=\"frame\"><nav aria-label=\"Identity and Access Management\"><h2>Identity and Access Management (IAM)</h2><ul>{nav}</ul></nav>\
         <main><h1>{title}</h1>{flash}{body}</main></div></body></html>",
        title = esc(title),
        identity = esc(&shell.identity),
        account = esc(&shell.account),
        csrf = csrf_field(&shell.csrf),
        role = shell
            .role
            .as_ref()
            .map(|r| role_badge(r, &shell.csrf))
            .unwrap_or_default(),
        switch = if shell.can_switch {
            "<a class=\"switch\" href=\"/console/switchrole\">Switch role</a>"
        } else {
            ""
        },
    );
    respond(
        status,
        "text/html; charset=utf-8",
        html.into_bytes(),
        Vec::new(),
    )
}

/// The switched role in the navigation bar: its label in its colour and "Back to <user>".
fn role_badge(role: &RoleBadge, csrf: &str) -> String {
    let colour: String = role
        .colour
        .chars()
        .filter(char::is_ascii_hexdigit)
        .collect();
    format!(
        "<span class=\"role role-{colour}\" id=\"switched-role\">{}</span>\
         <form method=\"post\" action=\"/console/switch-back\">{}<button class=\"link\">Back to {}</button></form>",
        esc(&role.label),
        csrf_field(csrf),
        esc(&role.back_to),
    )
}

/// A page outside a session (sign-in, recovery): a centred card.
pub fn card(
    status: u16,
    title: &str,
    body: &str,
    extra: Vec<(&'static str, String)>,
) -> WireResponse {
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} · Rampart</title><link rel=\"stylesheet\" href=\"/console/style.css\"></head>\
         <body class=\"signin\"><main class=\"card\"><p class=\"brand\">Rampart</p><h1>{title}</h1>{body}</main></body></html>",
        title = esc(title),
    );
    respond(status, "text/html; charset=utf-8", html.into_bytes(), extra)
}

/// The hidden CSRF field of a state-changing form.
pub fn csrf_field(token: &str) -> String {
    format!(
        "<input type=\"hidden\" name=\"csrf\" value=\"{}\">",
        esc(token)
    )
}

/// An error alert.
pub fn alert_error(message: &str) -> String {
    format!(
        "<div class=\"alert error\" role=\"alert\">{}</div>",
        esc(message)
    )
}

/// A labelled text input; `kind` is the input type.
pub fn input(label: &str, name: &str, kind: &str, value: &str, extra: &str) -> String {
    format!(
        "<p class=\"field\"><label for=\"f-{name}\">{label}</label>\
         <input id=\"f-{name}\" name=\"{name}\" type=\"{kind}\" value=\"{value}\" {extra}></p>",
        label = esc(label),
        value = esc(value),
    )
}

/// A labelled checkbox.
pub fn checkbox(label: &str, name: &str, checked: bool) -> String {
    format!(
        "<p class=\"check\"><input id=\"f-{name}\" name=\"{name}\" type=\"checkbox\" value=\"true\"{c}>\
         <label for=\"f-{name}\">{label}</label></p>",
        label = esc(label),
        c = if checked { " checked" } else { "" },
    )
}

/// A labelled select of `(value, text)` options.
pub fn select(label: &str, name: &str, options: &[(String, String)]) -> String {
    select_with(label, name, options, None)
}

/// [`select`] with the option whose value is `selected` chosen.
pub fn select_with(
    label: &str,
    name: &str,
    options: &[(String, String)],
    selected: Option<&str>,
) -> String {
    let mut opts = String::new();
    for (value, text) in options {
        let chosen = if selected == Some(value.as_str()) {
            " selected"
        } else {
            ""
        };
        let _ = write!(
            opts,
            "<option value=\"{}\"{chosen}>{}</option>",
            esc(value),
            esc(text)
        );
    }
    format!(
        "<p class=\"field\"><label for=\"f-{name}\">{label}</label><select id=\"f-{name}\" name=\"{name}\">{opts}</select></p>",
        label = esc(label),
    )
}

/// A form posting to `action` with a CSRF field, `fields` (already HTML) and a button.
pub fn form(action: &str, csrf: &str, fields: &str, button: &str, class: &str) -> String {
    format!(
        "<form method=\"post\" action=\"{action}\" class=\"{class}\">{csrf}{fields}<button class=\"primary\">{button}</button></form>",
        action = esc(action),
        csrf = csrf_field(csrf),
        button = esc(button),
    )
}

/// A one-button form (delete, deactivate, …).
pub fn button_form(action: &str, csrf: &str, hidden: &[(&str, &str)], button: &str) -> String {
    let mut fields = String::new();
    for (name, value) in hidden {
        let _ = write!(
            fields,
            "<input type=\"hidden\" name=\"{}\" value=\"{}\">",
            esc(name),
            esc(value)
        );
    }
    format!(
        "<form method=\"post\" action=\"{action}\" class=\"inline\">{csrf}{fields}<button class=\"secondary\">{button}</button></form>",
        action = esc(action),
        csrf = csrf_field(csrf),
        button = esc(button),
    )
}

/// A table with a header row; cells are already HTML.
pub fn table(caption: &str, headers: &[&str], rows: &[Vec<String>], empty: &str) -> String {
    let mut out = format!(
        "<div class=\"table\"><table><caption>{}</caption><thead><tr>",
        esc(caption)
    );
    for h in headers {
        let _ = write!(out, "<th scope=\"col\">{}</th>", esc(h));
    }
    out.push_str("</tr></thead><tbody>");
    if rows.is_empty() {
        let _ = write!(
            out,
            "<tr><td colspan=\"{}\" class=\"empty\">{}</td></tr>",
            headers.len(),
            esc(empty)
        );
    }
    for row in rows {
        out.push_str("<tr>");
        for cell in row {
            let _ = write!(out, "<td>{cell}</td>");
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table></div>");
    out
}

/// A section with a heading.
pub fn section(heading: &str, body: &str) -> String {
    format!(
        "<section class=\"panel\"><h2>{}</h2>{body}</section>",
        esc(heading)
    )
}

/// A timestamp as the console shows it (UTC, to the minute).
pub fn when(unix: i64) -> String {
    let iso = rampart_wire::Timestamp(unix).to_iso8601();
    let short: String = iso.chars().take(16).collect();
    format!("{} UTC", short.replace('T', " "))
}

/// A link to `href` with escaped text.
pub fn link(href: &str, text: &str) -> String {
    format!("<a href=\"{}\">{}</a>", esc(href), esc(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn esc_neutralises_markup_and_quotes() {
        assert_eq!(
            esc("<script>\"x\"&'y'</script>"),
            "&lt;script&gt;&quot;x&quot;&amp;&#39;y&#39;&lt;/script&gt;"
        );
    }

    #[test]
    fn every_answer_forbids_framing_and_caching() {
        let response = card(200, "t", "", Vec::new());
        for name in [
            "content-security-policy",
            "x-frame-options",
            "referrer-policy",
            "cache-control",
        ] {
            assert!(response.header(name).is_some(), "{name}");
        }
        assert_eq!(response.header("x-frame-options"), Some("DENY"));
        assert_eq!(response.header("cache-control"), Some("no-store"));
    }

    #[test]
    fn url_encodes_reserved_characters() {
        assert_eq!(url("a b/c+d@e"), "a%20b%2Fc%2Bd%40e");
    }
}
