//! Wildcard matching: `*` (any run of characters, including none) and `?` (exactly one).
//!
//! Owns the compiled glob used for actions (case-insensitive), resource ids, ARN components and
//! `StringLike` values (case-sensitive), per `policy-language.md` §4–§6. No other character is
//! special: there is no escape syntax and no regex. Matching is linear-time with single-star
//! backtracking and never allocates. Splitting and matching whole ARNs lives in `arn`.

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
    /// ASCII text with `*` wildcards only: the literal runs between the stars (first and last
    /// may be empty), matched by prefix, suffix and leftmost search.
    Segments(Vec<String>),
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
        let prefix: String = toks
            .iter()
            .map_while(|t| match t {
                Tok::Char(c) => Some(*c),
                Tok::Star | Tok::One => None,
            })
            .collect();
        let literal_len = prefix.chars().count();
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
        let star_only_ascii = toks.iter().all(|t| match t {
            Tok::Star => true,
            Tok::One => false,
            Tok::Char(c) => c.is_ascii(),
        });
        if star_only_ascii {
            let mut segments = vec![String::new()];
            for t in &toks {
                match t {
                    Tok::Star => segments.push(String::new()),
                    Tok::Char(c) => {
                        if let Some(last) = segments.last_mut() {
                            last.push(*c);
                        }
                    }
                    Tok::One => {}
                }
            }
            return Glob::Segments(segments);
        }
        Glob::Tokens(toks)
    }

    /// Matches the whole of `input`; `ignore_case` folds case (used for actions).
    pub(crate) fn matches(&self, input: &str, ignore_case: bool) -> bool {
        match self {
            Glob::Any => true,
            Glob::Exact(s) => eq_text(s, input, ignore_case),
            Glob::Prefix(p) => match input.as_bytes().get(..p.len()) {
                Some(head) => bytes_eq(head, p.as_bytes(), ignore_case),
                None => false,
            },
            Glob::Segments(segments) => match_segments(segments, input.as_bytes(), ignore_case),
            Glob::Tokens(toks) => match_tokens(toks, input, ignore_case),
        }
    }
}

fn bytes_eq(a: &[u8], b: &[u8], ignore_case: bool) -> bool {
    if ignore_case {
        a.eq_ignore_ascii_case(b)
    } else {
        bytes_equal(a, b)
    }
}

/// `s0*s1*…*sn` with ASCII segments: `s0` prefix, `sn` suffix, the middle segments found
/// leftmost-first in order between them (greedy leftmost is exact for `*`-only globs).
fn match_segments(segments: &[String], input: &[u8], ignore_case: bool) -> bool {
    let Some((first, rest)) = segments.split_first() else {
        return input.is_empty();
    };
    let Some((last, middle)) = rest.split_last() else {
        return bytes_eq(first.as_bytes(), input, ignore_case);
    };
    let (first, last) = (first.as_bytes(), last.as_bytes());
    if input.len() < first.len() + last.len() {
        return false;
    }
    let (Some(head), Some(tail_start)) = (
        input.get(..first.len()),
        input.len().checked_sub(last.len()),
    ) else {
        return false;
    };
    if !bytes_eq(head, first, ignore_case)
        || !input
            .get(tail_start..)
            .is_some_and(|t| bytes_eq(t, last, ignore_case))
    {
        return false;
    }
    let mut window = input.get(first.len()..tail_start).unwrap_or_default();
    for seg in middle {
        let seg = seg.as_bytes();
        let found = window
            .windows(seg.len().max(1))
            .position(|w| seg.is_empty() || bytes_eq(w, seg, ignore_case));
        match found {
            Some(at) if !seg.is_empty() => {
                window = window.get(at + seg.len()..).unwrap_or_default()
            }
            _ if seg.is_empty() => {}
            _ => return false,
        }
    }
    true
}

/// Byte equality without a libc call for the short strings policies compare most.
#[inline]
pub(crate) fn bytes_equal(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        false
    } else if a.len() <= 32 {
        a.iter().zip(b).all(|(x, y)| x == y)
    } else {
        a == b
    }
}

/// Compares two texts, optionally ignoring case (ASCII fast path, Unicode lowercase otherwise).
pub(crate) fn eq_text(a: &str, b: &str, ignore_case: bool) -> bool {
    if !ignore_case {
        bytes_equal(a.as_bytes(), b.as_bytes())
    } else if a.eq_ignore_ascii_case(b) {
        true
    } else if a.is_ascii() || b.is_ascii() {
        // Lowercasing maps non-ASCII letters only to non-ASCII letters (for the Latin-1 range
        // policies allow), so an ASCII side cannot equal a non-ASCII one.
        false
    } else {
        a.chars()
            .flat_map(char::to_lowercase)
            .eq(b.chars().flat_map(char::to_lowercase))
    }
}

#[inline]
fn eq_char(a: char, b: char, ignore_case: bool) -> bool {
    if a == b {
        return true;
    }
    if !ignore_case {
        return false;
    }
    if a.is_ascii() && b.is_ascii() {
        return a.eq_ignore_ascii_case(&b);
    }
    a.to_lowercase().eq(b.to_lowercase())
}

fn char_at(input: &str, at: usize) -> Option<char> {
    input.get(at..).and_then(|rest| rest.chars().next())
}

/// A pattern as a sequence of tokens addressed by a copyable position, so the matcher can
/// walk templates whose variables are substituted without building a token list.
pub(crate) trait TokenSource {
    /// A position in the pattern.
    type Pos: Copy;
    /// The first position.
    fn start(&self) -> Self::Pos;
    /// The token at `pos` and the position after it; `None` at the end.
    fn next(&self, pos: Self::Pos) -> Option<(Tok, Self::Pos)>;
}

impl TokenSource for [Tok] {
    type Pos = usize;
    fn start(&self) -> usize {
        0
    }
    fn next(&self, pos: usize) -> Option<(Tok, usize)> {
        self.get(pos).map(|t| (t.clone(), pos + 1))
    }
}

/// Classic iterative wildcard match over a slice of tokens.
pub(crate) fn match_tokens(toks: &[Tok], input: &str, ignore_case: bool) -> bool {
    match_source(toks, input, ignore_case)
}

/// Classic iterative wildcard match: on a mismatch, retry from the most recent `*` consuming
/// one more input character. Linear in practice, O(n·m) worst case, no recursion, no
/// allocation.
pub(crate) fn match_source<S: TokenSource + ?Sized>(
    toks: &S,
    input: &str,
    ignore_case: bool,
) -> bool {
    let mut p = toks.start();
    let mut i = 0usize;
    // (pattern position after the last star, input index the star currently stops at)
    let mut star: Option<(S::Pos, usize)> = None;
    loop {
        let current = toks.next(p);
        let advanced = match current {
            Some((Tok::Star, after)) => {
                star = Some((after, i));
                p = after;
                continue;
            }
            Some((Tok::One, after)) => match char_at(input, i) {
                Some(c) => {
                    i += c.len_utf8();
                    p = after;
                    true
                }
                None => false,
            },
            Some((Tok::Char(pc), after)) => match char_at(input, i) {
                Some(c) if eq_char(c, pc, ignore_case) => {
                    i += c.len_utf8();
                    p = after;
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
        assert!(matches!(Glob::new("a*b", true), Glob::Segments(_)));
        assert!(matches!(Glob::new("a?b", true), Glob::Tokens(_)));
    }

    #[test]
    fn segments_match_like_tokens() {
        let cases = [
            ("*AccessKey*", "CreateAccessKey"),
            ("*AccessKey*", "AccessKeys"),
            ("a*b*c", "abc"),
            ("a*b*c", "aXbYc"),
            ("a*b*c", "acb"),
            ("*a*a*", "a"),
            ("*a*a*", "aa"),
            ("ab*ba", "aba"),
            ("ab*ba", "abba"),
            ("**x", "x"),
        ];
        for (p, i) in cases {
            let toks: Vec<Tok> = p
                .chars()
                .map(|c| if c == '*' { Tok::Star } else { Tok::Char(c) })
                .collect();
            assert_eq!(
                Glob::new(p, true).matches(i, true),
                match_tokens(&toks, i, true),
                "{p} {i}"
            );
        }
    }
}
