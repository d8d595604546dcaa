//! Wildcard matching: `*` (any run of characters, including none) and `?` (exactly one).
//!
//! Owns the compiled glob used for actions (case-insensitive), resource ids, ARN components and
//! `StringLike` values (case-sensitive), per `policy-language.md` §4–§6. No other character is
//! special: there is no escape syntax and no regex. Matching is linear-time with single-star
//! backtracking and never allocates.

/// One element of a compiled pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Tok {
    /// `*`: any run of characters, including none.
    Star,
    /// `?`: exactly one character.
    One,
    /// A literal character.
    Char(char),
}

/// A compiled wildcard pattern, specialised for the shapes policies use most.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Glob {
    /// `*` alone.
    Any,
    /// No wildcard at all.
    Exact(String),
    /// ASCII literal text followed by a single trailing `*`.
    Prefix(String),
    /// Anything else.
    Tokens(Vec<Tok>),
}

impl Glob {
    /// Compiles `pattern`; when `wildcards` is false `*` and `?` are literal characters.
    pub(crate) fn new(pattern: &str, wildcards: bool) -> Glob {
        let toks = pattern
            .chars()
            .map(|c| match c {
                '*' if wildcards => Tok::Star,
                '?' if wildcards => Tok::One,
                c => Tok::Char(c),
            })
            .collect();
        Glob::from_tokens(toks)
    }

    /// Picks the fastest representation for a token list.
    pub(crate) fn from_tokens(toks: Vec<Tok>) -> Glob {
        let literal_prefix: Option<String> = toks
            .iter()
            .take_while(|t| matches!(t, Tok::Char(_)))
            .map(|t| match t {
                Tok::Char(c) => *c,
                _ => ' ',
            })
            .collect::<String>()
            .into();
        let literal_len = toks.iter().take_while(|t| matches!(t, Tok::Char(_))).count();
        let prefix = literal_prefix.unwrap_or_default();
        if literal_len == toks.len() {
            return Glob::Exact(prefix);
        }
        if literal_len + 1 == toks.len() && toks.last() == Some(&Tok::Star) {
            if literal_len == 0 {
                return Glob::Any;
            }
            if prefix.is_ascii() {
                return Glob::Prefix(prefix);
            }
        }
        Glob::Tokens(toks)
    }

    /// Matches the whole of `input`; `ignore_case` folds case (used for actions).
    pub(crate) fn matches(&self, input: &str, ignore_case: bool) -> bool {
        match self {
            Glob::Any => true,
            Glob::Exact(s) => eq_text(s, input, ignore_case),
            Glob::Prefix(p) => match input.as_bytes().get(..p.len()) {
                Some(head) => {
                    if ignore_case {
                        head.eq_ignore_ascii_case(p.as_bytes())
                    } else {
                        head == p.as_bytes()
                    }
                }
                None => false,
            },
            Glob::Tokens(toks) => match_tokens(toks, input, ignore_case),
        }
    }
}

/// Compares two texts, optionally ignoring case (ASCII fast path, Unicode lowercase otherwise).
pub(crate) fn eq_text(a: &str, b: &str, ignore_case: bool) -> bool {
    if !ignore_case {
        a == b
    } else if a.is_ascii() && b.is_ascii() {
        a.eq_ignore_ascii_case(b)
    } else {
        a.chars().flat_map(char::to_lowercase).eq(b.chars().flat_map(char::to_lowercase))
    }
}

fn eq_char(a: char, b: char, ignore_case: bool) -> bool {
    a == b
        || (ignore_case
            && (a.eq_ignore_ascii_case(&b) || a.to_lowercase().eq(b.to_lowercase())))
}

fn char_at(input: &str, at: usize) -> Option<char> {
    input.get(at..).and_then(|rest| rest.chars().next())
}

/// Classic iterative wildcard match: on a mismatch, retry from the most recent `*` consuming
/// one more input character. Linear in practice, O(n·m) worst case, no recursion.
pub(crate) fn match_tokens(toks: &[Tok], input: &str, ignore_case: bool) -> bool {
    let mut p = 0usize;
    let mut i = 0usize;
    // (token index after the last star, input index the star currently stops at)
    let mut star: Option<(usize, usize)> = None;
    loop {
        let advanced = match toks.get(p) {
            Some(Tok::Star) => {
                star = Some((p + 1, i));
                p += 1;
                continue;
            }
            Some(Tok::One) => match char_at(input, i) {
                Some(c) => {
                    i += c.len_utf8();
                    p += 1;
                    true
                }
                None => false,
            },
            Some(Tok::Char(pc)) => match char_at(input, i) {
                Some(c) if eq_char(c, *pc, ignore_case) => {
                    i += c.len_utf8();
                    p += 1;
                    true
                }
                _ => false,
            },
            None => {
                if i >= input.len() {
                    return true;
                }
                false
            }
        };
        if advanced {
            continue;
        }
        match star {
            Some((after_star, stop)) => match char_at(input, stop) {
                Some(c) => {
                    let next = stop + c.len_utf8();
                    star = Some((after_star, next));
                    p = after_star;
                    i = next;
                }
                None => return false,
            },
            None => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(pattern: &str, input: &str) -> bool {
        Glob::new(pattern, true).matches(input, false)
    }

    #[test]
    fn star_matches_any_run_including_empty() {
        assert!(m("*", ""));
        assert!(m("a*", "a"));
        assert!(m("a*c", "abbbc"));
        assert!(m("*AccessKey*", "CreateAccessKey"));
        assert!(!m("a*c", "abbbd"));
        assert!(m("*a*a*a*b", "aaaaaaaaaaaaab"));
        assert!(!m("*a*a*a*b", "aaaaaaaaaaaaaa"));
    }

    #[test]
    fn question_mark_matches_exactly_one_character() {
        assert!(m("a?c", "abc"));
        assert!(m("a?c", "aéc"));
        assert!(!m("a?c", "ac"));
        assert!(!m("a?c", "abbc"));
    }

    #[test]
    fn literal_mode_treats_wildcards_as_text() {
        let g = Glob::new("a*", false);
        assert!(g.matches("a*", false));
        assert!(!g.matches("ab", false));
    }

    #[test]
    fn ignore_case_folds_prefix_exact_and_tokens() {
        assert!(Glob::new("iam:list*", true).matches("IAM:ListUsers", true));
        assert!(Glob::new("iam:listusers", true).matches("IAM:ListUsers", true));
        assert!(Glob::new("iam:*user?", true).matches("IAM:ListUsers", true));
        assert!(!Glob::new("iam:listusers", true).matches("IAM:ListUsers", false));
    }

    #[test]
    fn shapes_are_specialised() {
        assert_eq!(Glob::new("*", true), Glob::Any);
        assert_eq!(Glob::new("ab", true), Glob::Exact("ab".into()));
        assert_eq!(Glob::new("ab*", true), Glob::Prefix("ab".into()));
        assert!(matches!(Glob::new("a*b", true), Glob::Tokens(_)));
    }
}

/// Splits an ARN at its first five colons into the six components of `policy-language.md` §5;
/// `None` when it has fewer.
pub(crate) fn split_arn(arn: &str) -> Option<[&str; 6]> {
    let mut it = arn.splitn(6, ':');
    Some([it.next()?, it.next()?, it.next()?, it.next()?, it.next()?, it.next()?])
}

/// Like [`split_arn`], but a colon inside `${…}` (a variable such as `${aws:username}`) does not
/// separate components.
fn split_arn_pattern(text: &str) -> Option<[&str; 6]> {
    let mut cuts = [0usize; 5];
    let mut found = 0usize;
    let mut depth = false;
    let bytes = text.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        match b {
            b'{' if i > 0 && bytes.get(i - 1) == Some(&b'$') => depth = true,
            b'}' => depth = false,
            b':' if !depth && found < 5 => {
                if let Some(slot) = cuts.get_mut(found) {
                    *slot = i;
                }
                found += 1;
            }
            _ => {}
        }
    }
    if found < 5 {
        return None;
    }
    let [c0, c1, c2, c3, c4] = cuts;
    Some([
        text.get(..c0)?,
        text.get(c0 + 1..c1)?,
        text.get(c1 + 1..c2)?,
        text.get(c2 + 1..c3)?,
        text.get(c3 + 1..c4)?,
        text.get(c4 + 1..)?,
    ])
}

/// A `Resource` entry or an `Arn*` condition value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ArnPattern {
    /// `*`: every resource, including the `*` of actions without a resource type.
    Any,
    /// Fewer than six components: matches nothing (*choice*, §5).
    Never,
    /// Six components matched one by one; wildcards never cross a colon in the first five,
    /// the sixth is one glob over the remainder.
    Parts(Box<[crate::variables::Template; 6]>),
}

impl ArnPattern {
    /// Compiles `text`. In a `Resource` (`resource == true`) variables are substituted only in
    /// the resource id (§7); in `Arn*` condition values in every component.
    pub(crate) fn new(text: &str, variables: bool, resource: bool) -> ArnPattern {
        use crate::variables::Template;
        if text == "*" {
            return ArnPattern::Any;
        }
        let parts = if variables { split_arn_pattern(text) } else { split_arn(text) };
        let Some(parts) = parts else { return ArnPattern::Never };
        let [a, b, c, d, e, f] = parts;
        let head = variables && !resource;
        ArnPattern::Parts(Box::new([
            Template::new(a, true, head),
            Template::new(b, true, head),
            Template::new(c, true, head),
            Template::new(d, true, head),
            Template::new(e, true, head),
            Template::new(f, true, variables),
        ]))
    }

    /// Matches a request ARN already split with [`split_arn`] (`None`: `*` or not an ARN).
    pub(crate) fn matches(&self, arn: Option<&[&str; 6]>, ctx: &crate::context::RequestContext) -> bool {
        match self {
            ArnPattern::Any => true,
            ArnPattern::Never => false,
            ArnPattern::Parts(pattern) => match arn {
                Some(arn) => pattern.iter().zip(arn.iter()).all(|(p, s)| p.matches(s, ctx, false)),
                None => false,
            },
        }
    }

    /// Matches an unsplit ARN.
    pub(crate) fn matches_text(&self, arn: &str, ctx: &crate::context::RequestContext) -> bool {
        self.matches(split_arn(arn).as_ref(), ctx)
    }
}
