//! Policy variables: `${key}`, `${key, 'default'}` and the escapes `${*}`, `${?}`, `${$}`.
//!
//! A [`Template`] is a wildcard pattern some of whose parts are filled from the request
//! context at evaluation time (`policy-language.md` §7). Substituted text is always literal:
//! a `*` coming from a tag value never becomes a wildcard. Templates are built only for
//! `2012-10-17` documents and only where AWS substitutes (resource ids and string/ARN/Bool
//! condition values); everywhere else `${…}` is plain text.

use crate::context::RequestContext;
use crate::pattern::{Glob, Tok, match_tokens};

/// One piece of a template with variables.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Part {
    /// Pattern text (wildcards active if the template has them) or escape characters.
    Text(Vec<Tok>),
    /// A variable: lowercase key name and optional default.
    Var { key: String, default: Option<String> },
}

/// A pattern that may contain policy variables.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Template {
    /// No variables: matched directly, without allocation.
    Static(Glob),
    /// Contains variables: resolved against the request, then matched.
    Dynamic(Vec<Part>),
}

impl Template {
    /// Compiles `text`. `wildcards`: `*`/`?` are wildcards; `variables`: `${…}` is substituted.
    pub(crate) fn new(text: &str, wildcards: bool, variables: bool) -> Template {
        if !variables || !text.contains("${") {
            return Template::Static(Glob::new(text, wildcards));
        }
        let mut parts = Vec::new();
        let mut toks = Vec::new();
        let mut rest = text;
        while let Some(start) = rest.find("${") {
            let (before, after) = rest.split_at(start);
            push_text(&mut toks, before, wildcards);
            let body_and_more = after.get(2..).unwrap_or_default();
            let Some(end) = body_and_more.find('}') else {
                // Unterminated: the rest is text.
                push_text(&mut toks, after, wildcards);
                rest = "";
                break;
            };
            let body = body_and_more.get(..end).unwrap_or_default();
            rest = body_and_more.get(end + 1..).unwrap_or_default();
            match body {
                "*" => toks.push(Tok::Char('*')),
                "?" => toks.push(Tok::Char('?')),
                "$" => toks.push(Tok::Char('$')),
                _ => match parse_variable(body) {
                    Some((key, default)) => {
                        if !toks.is_empty() {
                            parts.push(Part::Text(std::mem::take(&mut toks)));
                        }
                        parts.push(Part::Var { key, default });
                    }
                    None => {
                        // Not a variable: keep `${body}` as text.
                        push_text(&mut toks, "${", false);
                        push_text(&mut toks, body, wildcards);
                        toks.push(Tok::Char('}'));
                    }
                },
            }
        }
        push_text(&mut toks, rest, wildcards);
        if parts.is_empty() {
            // Only escapes: still static.
            return Template::Static(Glob::from_tokens(toks));
        }
        if !toks.is_empty() {
            parts.push(Part::Text(toks));
        }
        Template::Dynamic(parts)
    }

    /// Matches `input`. A variable that is absent from the context and has no default makes
    /// the template match nothing (§7).
    pub(crate) fn matches(&self, input: &str, ctx: &RequestContext, ignore_case: bool) -> bool {
        match self {
            Template::Static(glob) => glob.matches(input, ignore_case),
            Template::Dynamic(parts) => {
                let mut toks = Vec::new();
                for part in parts {
                    match part {
                        Part::Text(t) => toks.extend_from_slice(t),
                        Part::Var { key, default } => {
                            let value = ctx.variable(key);
                            let text = match (&value, default) {
                                (Some(v), _) => v.as_ref(),
                                (None, Some(d)) => d.as_str(),
                                (None, None) => return false,
                            };
                            toks.extend(text.chars().map(Tok::Char));
                        }
                    }
                }
                match_tokens(&toks, input, ignore_case)
            }
        }
    }
}

fn push_text(toks: &mut Vec<Tok>, text: &str, wildcards: bool) {
    toks.extend(text.chars().map(|c| match c {
        '*' if wildcards => Tok::Star,
        '?' if wildcards => Tok::One,
        c => Tok::Char(c),
    }));
}

/// `key` or `key, 'default'` → (lowercase key, default).
fn parse_variable(body: &str) -> Option<(String, Option<String>)> {
    let (key, default) = match body.split_once(", '") {
        Some((key, tail)) => (key, Some(tail.strip_suffix('\'')?.to_owned())),
        None => (body, None),
    };
    let key = key.trim();
    if key.is_empty() || key.contains(char::is_whitespace) || key.contains(['$', '{', '\'']) {
        return None;
    }
    Some((key.to_ascii_lowercase(), default))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context::{PrincipalInfo, RequestContext};

    fn ctx() -> RequestContext {
        RequestContext::new("s3:GetObject", "*", PrincipalInfo::user("arn:aws:iam::1:user/alice"))
            .with_key("aws:username", "alice")
            .with_key("aws:PrincipalTag/team", "a*")
    }

    #[test]
    fn variable_is_substituted_case_insensitively() {
        let t = Template::new("home/${AWS:UserName}/*", true, true);
        assert!(t.matches("home/alice/x", &ctx(), false));
        assert!(!t.matches("home/bob/x", &ctx(), false));
    }

    #[test]
    fn substituted_text_is_literal() {
        let t = Template::new("${aws:PrincipalTag/team}", true, true);
        assert!(t.matches("a*", &ctx(), false));
        assert!(!t.matches("abc", &ctx(), false));
    }

    #[test]
    fn absent_variable_matches_nothing_unless_defaulted() {
        assert!(!Template::new("${aws:userid}", true, true).matches("", &ctx(), false));
        assert!(Template::new("${aws:userid, 'nobody'}", true, true).matches("nobody", &ctx(), false));
    }

    #[test]
    fn escapes_are_literal_characters() {
        let t = Template::new("a${*}b${?}${$}", true, true);
        assert!(t.matches("a*b?$", &ctx(), false));
        assert!(!t.matches("axb?$", &ctx(), false));
    }

    #[test]
    fn without_variables_support_text_is_literal() {
        let t = Template::new("${aws:username}", true, false);
        assert!(t.matches("${aws:username}", &ctx(), false));
        assert!(!t.matches("alice", &ctx(), false));
    }
}
