//! JSON Web Tokens for outbound web identity federation: signing keys (generated, kept as
//! PKCS#8), compact JWS signing with RS256 or ES384 (RFC 7515/7518), and each key's public
//! JWK (RFC 7517) for the issuer's JWKS document.
//!
//! Pure functions over key bytes: which key an account uses, the claims and sealing the
//! keys at rest belong to `ops::iam::outbound_federation` and `ops::sts::web_identity`.

use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::rsa::KeySize;
use aws_lc_rs::signature::{
    ECDSA_P384_SHA384_FIXED_SIGNING, EcdsaKeyPair, KeyPair, RSA_PKCS1_SHA256, RsaKeyPair,
};
use data_encoding::BASE64URL_NOPAD;
use serde_json::{Value, json};

use crate::error::CoreError;
use crate::model::JwtAlgorithm;
use crate::secrets::SecretBytes;

fn failed(what: &str) -> CoreError {
    CoreError::Internal(format!("jwt signing key does not {what}"))
}

/// A new private key for `algorithm`, as PKCS#8 DER.
pub fn generate(algorithm: JwtAlgorithm) -> Result<SecretBytes, CoreError> {
    let der = match algorithm {
        JwtAlgorithm::Rs256 => {
            let pair = RsaKeyPair::generate(KeySize::Rsa2048).map_err(|_| failed("generate"))?;
            let der = pair.as_der().map_err(|_| failed("encode"))?;
            der.as_ref().to_vec()
        }
        JwtAlgorithm::Es384 => {
            let doc = EcdsaKeyPair::generate_pkcs8(
                &ECDSA_P384_SHA384_FIXED_SIGNING,
                &SystemRandom::new(),
            )
            .map_err(|_| failed("generate"))?;
            doc.as_ref().to_vec()
        }
    };
    Ok(SecretBytes::new(der))
}

/// The public JWK of the PKCS#8 key `pkcs8`, named `kid`.
pub fn public_jwk(algorithm: JwtAlgorithm, kid: &str, pkcs8: &[u8]) -> Result<Value, CoreError> {
    let b64 = |bytes: &[u8]| BASE64URL_NOPAD.encode(bytes);
    match algorithm {
        JwtAlgorithm::Rs256 => {
            let pair = RsaKeyPair::from_pkcs8(pkcs8).map_err(|_| failed("parse"))?;
            let public = pair.public_key();
            Ok(json!({
                "kty": "RSA", "use": "sig", "alg": "RS256", "kid": kid,
                "n": b64(public.modulus().big_endian_without_leading_zero()),
                "e": b64(public.exponent().big_endian_without_leading_zero()),
            }))
        }
        JwtAlgorithm::Es384 => {
            let pair = EcdsaKeyPair::from_pkcs8(&ECDSA_P384_SHA384_FIXED_SIGNING, pkcs8)
                .map_err(|_| failed("parse"))?;
            // An uncompressed point: 0x04, then x and y of 48 bytes each.
            let point = pair.public_key().as_ref();
            let (x, y) = point
                .get(1..)
                .filter(|xy| xy.len() == 96)
                .map(|xy| xy.split_at(48))
                .ok_or_else(|| failed("have a P-384 point"))?;
            Ok(json!({
                "kty": "EC", "use": "sig", "alg": "ES384", "kid": kid, "crv": "P-384",
                "x": b64(x), "y": b64(y),
            }))
        }
    }
}

/// The compact JWS of `claims`, signed with the PKCS#8 key `pkcs8` named `kid`.
pub fn sign(
    algorithm: JwtAlgorithm,
    kid: &str,
    pkcs8: &[u8],
    claims: &Value,
) -> Result<String, CoreError> {
    let header = json!({"alg": algorithm.as_str(), "typ": "JWT", "kid": kid});
    let encode = |v: &Value| {
        serde_json::to_vec(v)
            .map(|bytes| BASE64URL_NOPAD.encode(&bytes))
            .map_err(|_| failed("encode claims"))
    };
    let signing_input = format!("{}.{}", encode(&header)?, encode(claims)?);
    let signature = match algorithm {
        JwtAlgorithm::Rs256 => {
            let pair = RsaKeyPair::from_pkcs8(pkcs8).map_err(|_| failed("parse"))?;
            let mut signature = vec![0; pair.public_modulus_len()];
            pair.sign(
                &RSA_PKCS1_SHA256,
                &SystemRandom::new(),
                signing_input.as_bytes(),
                &mut signature,
            )
            .map_err(|_| failed("sign"))?;
            signature
        }
        JwtAlgorithm::Es384 => {
            let pair = EcdsaKeyPair::from_pkcs8(&ECDSA_P384_SHA384_FIXED_SIGNING, pkcs8)
                .map_err(|_| failed("parse"))?;
            pair.sign(&SystemRandom::new(), signing_input.as_bytes())
                .map_err(|_| failed("sign"))?
                .as_ref()
                .to_vec()
        }
    };
    Ok(format!(
        "{signing_input}.{}",
        BASE64URL_NOPAD.encode(&signature)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_lc_rs::signature::{ECDSA_P384_SHA384_FIXED, RSA_PKCS1_2048_8192_SHA256};
    use aws_lc_rs::signature::{RsaPublicKeyComponents, UnparsedPublicKey};

    fn parts(token: &str) -> (String, Vec<u8>) {
        let (input, sig) = token.rsplit_once('.').unwrap();
        (
            input.to_owned(),
            BASE64URL_NOPAD.decode(sig.as_bytes()).unwrap(),
        )
    }

    #[test]
    fn rs256_tokens_verify_against_the_published_jwk() {
        let key = generate(JwtAlgorithm::Rs256).unwrap();
        let jwk = public_jwk(JwtAlgorithm::Rs256, "k1", key.expose()).unwrap();
        let token = sign(
            JwtAlgorithm::Rs256,
            "k1",
            key.expose(),
            &json!({"sub": "x"}),
        )
        .unwrap();
        let (input, sig) = parts(&token);
        let n = BASE64URL_NOPAD
            .decode(jwk["n"].as_str().unwrap().as_bytes())
            .unwrap();
        let e = BASE64URL_NOPAD
            .decode(jwk["e"].as_str().unwrap().as_bytes())
            .unwrap();
        RsaPublicKeyComponents { n: &n, e: &e }
            .verify(&RSA_PKCS1_2048_8192_SHA256, input.as_bytes(), &sig)
            .unwrap();
        let header: Value = serde_json::from_slice(
            &BASE64URL_NOPAD
                .decode(input.split('.').next().unwrap().as_bytes())
                .unwrap(),
        )
        .unwrap();
        assert_eq!(header, json!({"alg": "RS256", "typ": "JWT", "kid": "k1"}));
    }

    #[test]
    fn es384_tokens_verify_against_the_published_jwk_and_not_when_altered() {
        let key = generate(JwtAlgorithm::Es384).unwrap();
        let jwk = public_jwk(JwtAlgorithm::Es384, "k2", key.expose()).unwrap();
        let token = sign(
            JwtAlgorithm::Es384,
            "k2",
            key.expose(),
            &json!({"aud": "a"}),
        )
        .unwrap();
        let (input, sig) = parts(&token);
        assert_eq!(sig.len(), 96);
        let mut point = vec![4u8];
        point.extend(
            BASE64URL_NOPAD
                .decode(jwk["x"].as_str().unwrap().as_bytes())
                .unwrap(),
        );
        point.extend(
            BASE64URL_NOPAD
                .decode(jwk["y"].as_str().unwrap().as_bytes())
                .unwrap(),
        );
        let public = UnparsedPublicKey::new(&ECDSA_P384_SHA384_FIXED, &point);
        public.verify(input.as_bytes(), &sig).unwrap();
        let altered = format!("{input}x");
        assert!(public.verify(altered.as_bytes(), &sig).is_err());
    }
}
