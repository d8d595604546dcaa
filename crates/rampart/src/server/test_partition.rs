//! Test mode's partition: a request signed for a region of another partition
//! (`cn-north-1` → `aws-cn`, `us-gov-west-1` → `aws-us-gov`) is answered with ARNs of that
//! partition, as moto answers, while Rampart itself keeps one partition (`aws`).
//!
//! It is a translation at the edge, test mode only: an ARN value the client sends in the
//! request's partition is read as `aws`, and every `arn:aws:` in the answer is written in the
//! request's partition. Only values that are ARNs are translated on the way in (a parameter
//! that starts with `arn:PARTITION:`), never text inside a policy document, so a document
//! reads back exactly as it was sent. Normal mode never calls this module.

use rampart_core::model::{PARTITION, partition_of_region};

/// The partition to answer in, when the signing region is not in Rampart's own.
pub fn foreign_partition(region: &str) -> Option<&'static str> {
    let partition = partition_of_region(region);
    (partition != PARTITION).then_some(partition)
}

/// The request body (form-encoded or JSON) or query string with every ARN value of
/// `partition` written as an `aws` ARN.
pub fn request_to_aws(bytes: &[u8], partition: &str) -> Vec<u8> {
    let form = replace(
        bytes,
        format!("=arn%3A{partition}%3A").as_bytes(),
        format!("=arn%3A{PARTITION}%3A").as_bytes(),
    );
    let json = replace(
        &form,
        format!("\"arn:{partition}:").as_bytes(),
        format!("\"arn:{PARTITION}:").as_bytes(),
    );
    replace(
        &json,
        format!("=arn:{partition}:").as_bytes(),
        format!("=arn:{PARTITION}:").as_bytes(),
    )
}

/// A response body or error message with every `aws` ARN written in `partition`.
pub fn response_from_aws(bytes: &[u8], partition: &str) -> Vec<u8> {
    replace(
        bytes,
        format!("arn:{PARTITION}:").as_bytes(),
        format!("arn:{partition}:").as_bytes(),
    )
}

/// `haystack` with every occurrence of `from` replaced by `to`.
fn replace(haystack: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(haystack.len());
    let mut rest = haystack;
    while !rest.is_empty() {
        if rest.starts_with(from) {
            out.extend_from_slice(to);
            rest = rest.get(from.len()..).unwrap_or_default();
        } else if let Some((first, tail)) = rest.split_first() {
            out.push(*first);
            rest = tail;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn china_regions_answer_in_aws_cn_and_commercial_ones_not_at_all() {
        assert_eq!(foreign_partition("cn-north-1"), Some("aws-cn"));
        assert_eq!(foreign_partition("us-gov-west-1"), Some("aws-us-gov"));
        assert_eq!(foreign_partition("us-isob-east-1"), Some("aws-iso-b"));
        assert_eq!(foreign_partition("eu-west-1"), None);
    }

    #[test]
    fn arn_values_are_translated_but_policy_text_is_not() {
        let form = b"Action=AssumeRole&RoleArn=arn%3Aaws-cn%3Aiam%3A%3A123456789012%3Arole%2Fr&Policy=%7B%22Resource%22%3A%22arn%3Aaws-cn%3As3%3A%3A%3Ab%22%7D";
        let got = String::from_utf8(request_to_aws(form, "aws-cn")).unwrap();
        assert!(got.contains("RoleArn=arn%3Aaws%3Aiam"));
        assert!(got.contains("%22arn%3Aaws-cn%3As3"));
        let json = br#"{"PolicyId":"p","TargetId":"x","Arn":"arn:aws-cn:organizations::1"}"#;
        let got = String::from_utf8(request_to_aws(json, "aws-cn")).unwrap();
        assert!(got.contains(r#""Arn":"arn:aws:organizations::1""#));
    }

    #[test]
    fn answers_name_the_requests_partition() {
        let xml = b"<Arn>arn:aws:iam::123456789012:user/u</Arn>";
        assert_eq!(
            response_from_aws(xml, "aws-cn"),
            b"<Arn>arn:aws-cn:iam::123456789012:user/u</Arn>".to_vec()
        );
    }
}
