//! The delivery key: what makes a delivery the same delivery again, so that
//! a receiver acts on each once. GamePush does not say whether or when it
//! sends a delivery again; a repeat most likely carries the same body, and a
//! purchase is what must never be granted twice, so a purchase is known by
//! its `_id` and anything else by its decoded payload. Never by the body as
//! received: anyone can rewrite that (whitespace, the digest's case or
//! encoding) without the key. docs/exactly-once.md defines the key for every
//! language, and conformance/delivery-keys.json pins it.

use std::fmt::Write as _;

use serde_json::{Number, Value};

use crate::Payload;
use crate::signature::sha256;

/// Events that happen once per purchase, whichever body carries them. The
/// subscription events may happen again for one purchase (unsubscribed,
/// resumed, unsubscribed), so they are keyed on their payload.
const ONCE_PER_PURCHASE: [&str; 2] = ["PurchasePlayerPurchase", "ConsumePlayerPurchase"];

/// The longest string `_id`, in UTF-8 bytes, used as a key.
const MAX_ID_BYTES: usize = 200;

/// The largest whole number every language's JSON holds exactly: 2^53 - 1.
const MAX_WHOLE: i64 = (1 << 53) - 1;

impl Payload {
    /// What makes a delivery of this payload the same delivery again, for a
    /// receiver that acts on each delivery once (as it should: GamePush
    /// does not say whether it sends a delivery again, and a repeat most
    /// likely carries the same body).
    ///
    /// For `PurchasePlayerPurchase` and `ConsumePlayerPurchase`, which
    /// happen once per purchase whichever body carries them, it is
    /// `EVENT:ID` with the purchase's `result.purchase._id`: a string of 1
    /// to 200 UTF-8 bytes, percent-encoded (every byte but `A`-`Z`, `a`-`z`,
    /// `0`-`9`, `-`, `.`, `_`, `~` as `%XX`), or a whole number up to
    /// 2^53 - 1 in plain decimal (`777.0` is `777`). For anything else, it is
    /// `sha256:` and the hex SHA-256 of the decoded payload, which the
    /// signature covers: the same whatever the digest's form or the base64
    /// alphabet of a repeat, and out of reach of anyone without the key.
    ///
    /// Keep it under a unique constraint, inserted in the same transaction
    /// as the effect, and answer a repeat 2xx without acting
    /// (docs/exactly-once.md). Keys are printable ASCII.
    ///
    /// ```
    /// use gpwh_webhooks::{Secret, Verifier};
    ///
    /// let body = b"eyJldmVudCI6IkdpdmVQbGF5ZXJSZXdhcmQifQ==.\
    ///              36bc6dd34438883834cc41d2dfeeb6cfffdd0b2e532f72614979b78091ffc40a";
    /// let webhook = Verifier::new([Secret::from("demo")]).verify(body)?;
    /// // printf '%s' '{"event":"GivePlayerReward"}' | sha256sum
    /// assert_eq!(
    ///     webhook.payload().delivery_key(),
    ///     "sha256:8edade7bc160aad4b15da5d3cdbe348933b369a2aa4c04491ccf0e09b64d1f9c"
    /// );
    /// # Ok::<(), gpwh_webhooks::Error>(())
    /// ```
    pub fn delivery_key(&self) -> String {
        let event = self.event().filter(|e| ONCE_PER_PURCHASE.contains(e));
        let id = match &self.json()["result"]["purchase"]["_id"] {
            Value::String(id) => string_id(id),
            Value::Number(id) => whole(id).map(|id| id.to_string()),
            _ => None,
        };
        match (event, id) {
            (Some(event), Some(id)) => format!("{event}:{id}"),
            _ => format!("sha256:{}", hex::encode(sha256(self.bytes()))),
        }
    }
}

/// A string `_id` as a key's part: percent-encoded when it is 1 to
/// [`MAX_ID_BYTES`] bytes of UTF-8, else none.
fn string_id(id: &str) -> Option<String> {
    if !(1..=MAX_ID_BYTES).contains(&id.len()) {
        return None;
    }
    let mut encoded = String::with_capacity(id.len());
    for byte in id.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            encoded.push(char::from(byte));
        } else {
            write!(encoded, "%{byte:02X}").expect("writing to a String cannot fail");
        }
    }
    Some(encoded)
}

/// A number `_id` as a whole number within [`MAX_WHOLE`], however it is
/// spelled (`777`, `777.0`, `7.77e2`), else none.
fn whole(id: &Number) -> Option<i64> {
    let whole = match id.as_i64() {
        Some(whole) => Some(whole),
        // Past i64: past the limit too.
        None if id.is_u64() => None,
        None => id
            .as_f64()
            .filter(|f| f.fract() == 0.0 && f.abs() <= MAX_WHOLE as f64)
            // Exact: a whole f64 within 2^53 is an integer i64 holds.
            .map(|f| f as i64),
    };
    // `-0.0` becomes the integer 0, which has no sign.
    whole.filter(|w| w.abs() <= MAX_WHOLE)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// conformance/delivery-keys.json: payloads and the keys every
    /// implementation gives them, computed outside gpwh (sha256sum,
    /// Python's hashlib and urllib.parse.quote; the file says how).
    #[test]
    fn a_key_is_printable_ascii_whatever_the_id() {
        // JSON escapes, as a body spells them.
        for id in [
            r"\u001b]52;c;aGk=\u0007",
            r"\u202e",
            r"\u0000",
            r"a\nb",
            r#"\""#,
            "%41",
        ] {
            let json = format!(
                r#"{{"event":"PurchasePlayerPurchase","result":{{"purchase":{{"_id":"{id}"}}}}}}"#
            );
            let key = Payload::from_bytes(json.into_bytes())
                .unwrap()
                .delivery_key();
            assert!(key.bytes().all(|b| b.is_ascii_graphic()), "{key}");
        }
        // A percent sign is itself encoded, so no two ids share a key.
        let percent = r#"{"event":"PurchasePlayerPurchase","result":{"purchase":{"_id":"%41"}}}"#;
        let a = r#"{"event":"PurchasePlayerPurchase","result":{"purchase":{"_id":"A"}}}"#;
        let [percent, a] = [percent, a].map(|json| {
            Payload::from_bytes(json.as_bytes().to_vec())
                .unwrap()
                .delivery_key()
        });
        assert_eq!(percent, "PurchasePlayerPurchase:%2541");
        assert_ne!(percent, a);
    }
}
