//! ARN matching: a `Resource` entry or `Arn*` condition value compiled into six component
//! globs (`policy-language.md` §5), and request ARNs split once per evaluation.
//!
//! Wildcards never cross a colon in the first five components; the sixth (the resource id)
//! is one glob over the remainder. Variables (`${aws:username}`) are substituted per §7.

use crate::pattern::bytes_equal;

/// Splits an ARN at its first five colons into the six components of `policy-language.md` §5;
/// `None` when it has fewer.
pub(crate) fn split_arn(arn: &str) -> Option<[&str; 6]> {
    let mut it = arn.splitn(6, ':');
    Some([
        it.next()?,
        it.next()?,
        it.next()?,
        it.next()?,
        it.next()?,
        it.next()?,
    ])
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
    Parts(Box<ArnParts>),
}

/// The six compiled components, plus the first five joined when they are all literal (one
/// comparison instead of five).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ArnParts {
    head: Option<String>,
    parts: [crate::variables::Template; 6],
}

/// A request ARN split once per evaluation.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SplitArn<'a> {
    /// Components 1-5 with their colons (`arn:aws:iam::111111111111`).
    pub(crate) head: &'a str,
    pub(crate) parts: [&'a str; 6],
}

impl<'a> SplitArn<'a> {
    /// Splits `arn`; `None` when it has fewer than six components (or is `*`).
    pub(crate) fn new(arn: &'a str) -> Option<SplitArn<'a>> {
        let parts = split_arn(arn)?;
        let [_, _, _, _, _, last] = parts;
        let head_len = arn.len().checked_sub(last.len() + 1)?;
        Some(SplitArn {
            head: arn.get(..head_len)?,
            parts,
        })
    }
}

impl ArnPattern {
    /// Compiles `text`. In a `Resource` (`resource == true`) variables are substituted only in
    /// the resource id (§7); in `Arn*` condition values in every component.
    pub(crate) fn new(text: &str, variables: bool, resource: bool) -> ArnPattern {
        use crate::variables::Template;
        if text == "*" {
            return ArnPattern::Any;
        }
        let parts = if variables {
            split_arn_pattern(text)
        } else {
            split_arn(text)
        };
        let Some(parts) = parts else {
            return ArnPattern::Never;
        };
        let [a, b, c, d, e, f] = parts;
        let vars_in_head = variables && !resource;
        let literal = |t: &str| !(t.contains(['*', '?']) || (vars_in_head && t.contains("${")));
        let head = [a, b, c, d, e]
            .iter()
            .all(|t| literal(t))
            .then(|| [a, b, c, d, e].join(":"));
        ArnPattern::Parts(Box::new(ArnParts {
            head,
            parts: [
                Template::new(a, true, vars_in_head),
                Template::new(b, true, vars_in_head),
                Template::new(c, true, vars_in_head),
                Template::new(d, true, vars_in_head),
                Template::new(e, true, vars_in_head),
                Template::new(f, true, variables),
            ],
        }))
    }

    /// Matches a request ARN already split with [`SplitArn::new`] (`None`: `*` or not an ARN).
    pub(crate) fn matches(
        &self,
        arn: Option<&SplitArn<'_>>,
        ctx: &crate::context::RequestContext,
    ) -> bool {
        match self {
            ArnPattern::Any => true,
            ArnPattern::Never => false,
            ArnPattern::Parts(pattern) => match arn {
                Some(arn) => match (&pattern.head, &pattern.parts, &arn.parts) {
                    (Some(head), [.., last], [.., request_last]) => {
                        bytes_equal(head.as_bytes(), arn.head.as_bytes())
                            && last.matches(request_last, ctx, false)
                    }
                    _ => pattern
                        .parts
                        .iter()
                        .zip(arn.parts.iter())
                        .all(|(p, s)| p.matches(s, ctx, false)),
                },
                None => false,
            },
        }
    }

    /// Matches an unsplit ARN.
    pub(crate) fn matches_text(&self, arn: &str, ctx: &crate::context::RequestContext) -> bool {
        self.matches(SplitArn::new(arn).as_ref(), ctx)
    }
}
