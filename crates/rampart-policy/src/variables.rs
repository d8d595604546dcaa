//! Policy variables: `${key}`, `${key, 'default'}` and the escapes `${*}`, `${?}`, `${$}`.
//!
//! A [`Template`] is a wildcard pattern some of whose parts are filled from the request
//! context at evaluation time (`policy-language.md` §7). Substituted text is always literal:
//! a `*` coming from a tag value never becomes a wildcard. Templates are built only for
//! `2012-10-17` documents and only where AWS substitutes (resource ids and string/ARN/Bool
//! condition values); everywhere else `${…}` is plain text.

use crate::context::RequestContext;
use std::borrow::Cow;

use crate::pattern::{Glob, Tok, TokenSource, match_source};

const MAX_INLINE_VARS: usize = 4;

enum Resolved<'v, 'a> {
    Inline(&'v [Option<Cow<'a, str>>; MAX_INLINE_VARS]),
    Spill(&'v [Cow<'a, str>]),
}

impl Resolved<'_, '_> {
    fn get(&self, n: usize) -> &str {
        match self {
            Resolved::Inline(v) => v.get(n).and_then(Option::as_deref).unwrap_or_default(),
            Resolved::Spill(v) => v.get(n).map(AsRef::as_ref).unwrap_or_default(),
        }
    }
}

/// A template with its variables resolved, walked token by token.
struct Source<'t, 'v, 'a> {
    parts: &'t [Part],
    values: Resolved<'v, 'a>,
}

/// (part index, variable ordinal of that part, offset inside the part)
type SourcePos = (usize, usize, usize);

impl TokenSource for Source<'_, '_, '_> {
    type Pos = SourcePos;
    fn start(&self) -> SourcePos {
        (0, 0, 0)
    }
    fn next(&self, pos: SourcePos) -> Option<(Tok, SourcePos)> {
        let (mut part, mut var, mut off) = pos;
        loop {
            match self.parts.get(part)? {
                Part::Text(toks) => match toks.get(off) {
                    Some(t) => return Some((t.clone(), (part, var, off + 1))),
                    None => {
                        part += 1;
                        off = 0;
                    }
                },
                Part::Var { .. } => {
                    let text = self.values.get(var);
                    match text.get(off..).and_then(|rest| rest.chars().next()) {
                        // Substituted text is literal (§7).
                        Some(c) => return Some((Tok::Char(c), (part, var, off + c.len_utf8()))),
                        None => {
                            part += 1;
                            var += 1;
                            off = 0;
                        }
                    }
                }
            }
        }
    }
}

/// One piece of a template with variables.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Part {
    /// Pattern text (wildcards active if the template has them) or escape characters.
    Text(Vec<Tok>),
    /// A variable: lowercase key name and optional default.
    Var {
        key: String,
        default: Option<String>,
    },
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
                // Resolve each variable once; up to MAX_INLINE_VARS without allocating.
                let mut inline: [Option<Cow<'_, str>>; MAX_INLINE_VARS] = Default::default();
                let mut spill: Vec<Cow<'_, str>> = Vec::new();
                let vars = parts
                    .iter()
                    .filter(|p| matches!(p, Part::Var { .. }))
                    .count();
                for (n, part) in parts
                    .iter()
                    .filter_map(|p| match p {
                        Part::Var { key, default } => Some((key, default)),
                        Part::Text(_) => None,
                    })
                    .enumerate()
                {
                    let (key, default) = part;
                    let value = match (ctx.variable(key), default) {
                        (Some(v), _) => v,
                        (None, Some(d)) => Cow::Borrowed(d.as_str()),
                        (None, None) => return false,
                    };
                    if vars <= MAX_INLINE_VARS {
                        if let Some(slot) = inline.get_mut(n) {
                            *slot = Some(value);
                        }
                    } else {
                        spill.push(value);
                    }
                }
                let values: Resolved<'_, '_> = if vars <= MAX_INLINE_VARS {
                    Resolved::Inline(&inline)
                } else {
                    Resolved::Spill(&spill)
                };
                match_source(&Source { parts, values }, input, ignore_case)
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
        RequestContext::new(
            "s3:GetObject",
            "*",
            PrincipalInfo::user("arn:aws:iam::1:user/alice"),
        )
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
        assert!(
            Template::new("${aws:userid, 'nobody'}", true, true).matches("nobody", &ctx(), false)
        );
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
