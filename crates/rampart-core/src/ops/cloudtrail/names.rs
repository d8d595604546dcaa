//! CloudTrail's naming rules, each with its own exception: trail names
//! (`InvalidTrailNameException`), trail ARNs (`CloudTrailARNInvalidException`), bucket
//! names (`InvalidS3BucketNameException`) and key prefixes (`InvalidS3PrefixException`),
//! as the `CreateTrail` reference states them; and how a `Name` member (a name or an ARN)
//! finds a trail the caller may see.
//!
//! The bucket and prefix rules also make them safe as folder names under the server's
//! trail root: no `/` in a bucket, no `..` or empty segment in a prefix.

use std::sync::Arc;

use crate::error::{CoreError, TrailRule};
use crate::model::{AccountId, PARTITION, TrailRecord};
use crate::state::State;

/// The most trails an account may have in one region.
pub const TRAILS_PER_REGION: usize = 5;
/// The longest key prefix.
pub const PREFIX_MAX: usize = 200;

/// The ARN of trail `name` of `account` created in `region`.
pub fn trail_arn(region: &str, account: &AccountId, name: &str) -> String {
    format!("arn:{PARTITION}:cloudtrail:{region}:{account}:trail/{name}")
}

/// Checks a trail name: 3–128 ASCII letters, digits, `.`, `_` and `-`, starting and ending
/// with a letter or digit, no two of `._-` in a row, not an IP address.
pub fn check_trail_name(name: &str) -> Result<(), CoreError> {
    let invalid = |message: String| Err(TrailRule::InvalidName.error(message));
    let length = name.chars().count();
    if length < 3 {
        return invalid(format!(
            "Trail name too short. Minimum allowed length: 3 characters. Specified name length: {length} characters."
        ));
    }
    if length > 128 {
        return invalid(format!(
            "Trail name too long. Maximum allowed length: 128 characters. Specified name length: {length} characters."
        ));
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
    {
        return invalid(
            "Trail name or ARN can only contain uppercase letters, lowercase letters, numbers, periods (.), hyphens (-), and underscores (_)."
                .to_owned(),
        );
    }
    if !name.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return invalid("Trail name must starts with a letter or number.".to_owned());
    }
    if !name.ends_with(|c: char| c.is_ascii_alphanumeric()) {
        return invalid("Trail name must ends with a letter or number.".to_owned());
    }
    let punctuation = |c: char| "._-".contains(c);
    if name
        .chars()
        .zip(name.chars().skip(1))
        .any(|(a, b)| punctuation(a) && punctuation(b))
    {
        return invalid(
            "Trail name cannot contain adjacent periods, hyphens or underscores.".to_owned(),
        );
    }
    if name.parse::<std::net::Ipv4Addr>().is_ok() {
        return invalid("Trail name cannot be formatted as an IP address.".to_owned());
    }
    Ok(())
}

/// A trail ARN's parts: region, account, name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrailArn {
    /// The home region.
    pub region: String,
    /// The owning account.
    pub account: AccountId,
    /// The trail name.
    pub name: String,
}

/// Parses `arn:aws:cloudtrail:REGION:ACCOUNT:trail/NAME`.
pub fn parse_trail_arn(arn: &str) -> Result<TrailArn, CoreError> {
    let invalid = || {
        TrailRule::InvalidArn.error(format!(
            "Invalid trail ARN: {arn}. The ARN must be in the format arn:aws:cloudtrail:region:account-id:trail/trail-name."
        ))
    };
    let mut parts = arn.splitn(6, ':');
    let (Some("arn"), Some(PARTITION), Some("cloudtrail"), Some(region), Some(account), Some(rest)) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return Err(invalid());
    };
    let account = AccountId::parse(account).ok_or_else(invalid)?;
    let name = rest.strip_prefix("trail/").ok_or_else(invalid)?;
    if region.is_empty() {
        return Err(invalid());
    }
    check_trail_name(name)?;
    Ok(TrailArn {
        region: region.to_owned(),
        account,
        name: name.to_owned(),
    })
}

/// Checks a bucket name as S3 names buckets: 3–63 lowercase letters, digits, `.` and `-`,
/// starting and ending with a letter or digit, no `..`, not an IP address.
pub fn check_bucket_name(bucket: &str) -> Result<(), CoreError> {
    let valid = (3..=63).contains(&bucket.len())
        && bucket
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-')
        && bucket.starts_with(|c: char| c.is_ascii_alphanumeric())
        && bucket.ends_with(|c: char| c.is_ascii_alphanumeric())
        && !bucket.contains("..")
        && !bucket.contains(".-")
        && !bucket.contains("-.")
        && bucket.parse::<std::net::Ipv4Addr>().is_err();
    if valid {
        Ok(())
    } else {
        Err(TrailRule::InvalidBucketName.error(format!(
            "Bucket name is not valid: {bucket}. Bucket names must be 3 to 63 lowercase letters, numbers, periods and hyphens, starting and ending with a letter or number."
        )))
    }
}

/// Checks a key prefix: at most 200 characters, `/`-separated segments none of which is
/// empty, `.` or `..`, no control characters or backslashes.
pub fn check_prefix(prefix: &str) -> Result<(), CoreError> {
    let valid = prefix.chars().count() <= PREFIX_MAX
        && !prefix.chars().any(|c| c.is_control() || c == '\\')
        && prefix
            .trim_end_matches('/')
            .split('/')
            .all(|segment| !segment.is_empty() && segment != "." && segment != "..");
    if valid {
        Ok(())
    } else {
        Err(TrailRule::InvalidPrefix.error(format!(
            "The S3 prefix is not valid: {prefix}. Prefixes are at most 200 characters of `/`-separated names."
        )))
    }
}

/// `TrailNotFoundException` for `name` (as given) in `account`.
pub fn not_found(name: &str, account: &AccountId) -> CoreError {
    TrailRule::NotFound.error(format!("Unknown trail: {name} for the user: {account}"))
}

/// How a caller sees a trail it found.
#[derive(Debug, Clone)]
pub struct Found {
    /// The trail.
    pub trail: Arc<TrailRecord>,
    /// Whether the caller sees it as a shadow: a multi-region trail from another region,
    /// or an organization trail owned by the management account.
    pub shadow: bool,
}

/// The trail a `Name` member (name or ARN) names, as `account` calling in `region` sees it:
/// its own trails, multi-region trails of other regions, and its organization's trails.
pub fn find(
    state: &State,
    account: &AccountId,
    region: &str,
    name: &str,
) -> Result<Found, CoreError> {
    if name.is_empty() {
        return Err(TrailRule::NotProvided.error("Trail name or ARN must be specified."));
    }
    let trail = if name.starts_with("arn:") {
        let arn = parse_trail_arn(name)?;
        state
            .trail(&trail_arn(&arn.region, &arn.account, &arn.name))
            .cloned()
    } else {
        check_trail_name(name)?;
        let own = |t: &&Arc<TrailRecord>| &t.account == account && t.name == name;
        let in_region = state
            .trails_of(account)
            .find(|t| own(t) && t.home_region == region);
        in_region
            .or_else(|| state.trails_of(account).find(|t| own(t) && t.multi_region))
            .cloned()
    };
    let trail = trail
        .filter(|t| visible(state, t, account, region))
        .ok_or_else(|| not_found(name, account))?;
    let shadow = &trail.account != account || trail.home_region != region;
    Ok(Found { trail, shadow })
}

/// Whether `account` calling in `region` sees `trail`.
pub fn visible(state: &State, trail: &TrailRecord, account: &AccountId, region: &str) -> bool {
    let in_region = trail.home_region == region || trail.multi_region;
    if &trail.account == account {
        return in_region;
    }
    trail.organization
        && in_region
        && state
            .org_of(account)
            .is_some_and(|(org, _)| trail.org_id.as_deref() == Some(org.id.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(result: Result<(), CoreError>) -> Option<TrailRule> {
        match result {
            Ok(()) => None,
            Err(CoreError::Trail(rule, _)) => Some(rule),
            Err(other) => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn trail_names_follow_the_create_trail_rules() {
        for good in ["abc", "My.Trail_1-x", "a1b", &"a".repeat(128)] {
            assert_eq!(rule(check_trail_name(good)), None, "{good}");
        }
        for bad in [
            "ab",
            &"a".repeat(129),
            "-abc",
            "abc_",
            "my--trail",
            "my-_trail",
            "a b c",
            "trail/x",
            "192.168.5.4",
        ] {
            assert_eq!(
                rule(check_trail_name(bad)),
                Some(TrailRule::InvalidName),
                "{bad}"
            );
        }
    }

    #[test]
    fn trail_arns_parse_and_bad_ones_are_arn_errors() {
        let arn = parse_trail_arn("arn:aws:cloudtrail:eu-west-1:123456789012:trail/main").unwrap();
        assert_eq!(arn.region, "eu-west-1");
        assert_eq!(arn.name, "main");
        for bad in [
            "arn:aws:cloudtrail:eu-west-1:123:trail/main",
            "arn:aws:iam::123456789012:user/main",
            "arn:aws:cloudtrail:eu-west-1:123456789012:eventdatastore/x",
        ] {
            assert_eq!(
                rule(parse_trail_arn(bad).map(|_| ())),
                Some(TrailRule::InvalidArn),
                "{bad}"
            );
        }
    }

    #[test]
    fn buckets_and_prefixes_cannot_leave_their_folder() {
        assert_eq!(rule(check_bucket_name("my-logs.example")), None);
        for bad in [
            "ab", "My-Logs", "a..b", "../x", "a/b", "10.0.0.1", "-ab", "ab-",
        ] {
            assert_eq!(
                rule(check_bucket_name(bad)),
                Some(TrailRule::InvalidBucketName),
                "{bad}"
            );
        }
        assert_eq!(rule(check_prefix("team/audit")), None);
        assert_eq!(rule(check_prefix("team/audit/")), None);
        for bad in ["../x", "a//b", "/abs", "a/./b", "a\\b", &"p".repeat(201)] {
            assert_eq!(
                rule(check_prefix(bad)),
                Some(TrailRule::InvalidPrefix),
                "{bad}"
            );
        }
    }
}
