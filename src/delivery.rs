//! The delivery key: what makes a delivery the same delivery again, so that
//! a receiver acts on each once. GamePush does not say whether or when it
//! sends a delivery again; a repeat most likely carries the same body, and
//! a purchase is what must never be granted twice, so a purchase is known
//! by its `_id` and anything else by its payload.

use serde_json::Value;

use crate::Payload;
use crate::signature::sha256;

/// Events that happen once per purchase, whichever body carries them. The
/// subscription events may happen again for one purchase (unsubscribed,
/// resumed, unsubscribed), so they are keyed on their payload.
const ONCE_PER_PURCHASE: [&str; 2] = ["PurchasePlayerPurchase", "ConsumePlayerPurchase"];

/// The longest purchase id used as a key.
const MAX_ID: usize = 200;

impl Payload {
    /// What makes a delivery of this payload the same delivery again, for a
    /// receiver that acts on each delivery once (as it should: GamePush
    /// does not say whether it sends a delivery again, and a repeat most
    /// likely carries the same body).
    ///
    /// For `PurchasePlayerPurchase` and `ConsumePlayerPurchase`, which
    /// happen once per purchase whichever body carries them, it is
    /// `EVENT:ID` with the purchase's `result.purchase._id` (when that is
    /// plain printable ASCII of 1 to 200 characters, or a whole number);
    /// for anything else, `sha256:` and the hex SHA-256 of the decoded
    /// payload, the same whatever the digest's form or the base64 alphabet
    /// of a repeat. Keep it under a unique constraint, inserted in the same
    /// transaction as the effect, and answer a repeat 2xx without acting.
    ///
    /// ```
    /// use gpwh::{Secret, verify};
    ///
    /// let body = b"eyJldmVudCI6IkdpdmVQbGF5ZXJSZXdhcmQifQ==.\
    ///              36bc6dd34438883834cc41d2dfeeb6cfffdd0b2e532f72614979b78091ffc40a";
    /// let verified = verify(body, &[Secret::from("demo")])?;
    /// // printf '%s' '{"event":"GivePlayerReward"}' | sha256sum
    /// assert_eq!(
    ///     verified.payload().delivery_key(),
    ///     "sha256:8edade7bc160aad4b15da5d3cdbe348933b369a2aa4c04491ccf0e09b64d1f9c"
    /// );
    /// # Ok::<(), gpwh::Error>(())
    /// ```
    pub fn delivery_key(&self) -> String {
        key(self)
    }
}

/// `EVENT:ID` for a purchase or its consumption whose `result.purchase._id`
/// is plain printable ASCII (a string, or a whole number), else `sha256:`
/// and the hex SHA-256 of the decoded payload.
fn key(payload: &Payload) -> String {
    let event = payload.event().filter(|e| ONCE_PER_PURCHASE.contains(e));
    let id = match &payload.json()["result"]["purchase"]["_id"] {
        Value::String(id) => Some(id.clone()),
        Value::Number(id) if id.is_u64() || id.is_i64() => Some(id.to_string()),
        _ => None,
    };
    let plain =
        |id: &String| (1..=MAX_ID).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_graphic());
    match (event, id.filter(plain)) {
        (Some(event), Some(id)) => format!("{event}:{id}"),
        _ => format!("sha256:{}", hex::encode(sha256(payload.bytes()))),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn payload(json: &Value) -> Payload {
        Payload::from_bytes(serde_json::to_vec(json).unwrap()).unwrap()
    }

    #[test]
    fn a_purchase_is_known_by_its_id_whatever_else_changes() {
        let first = json!({"event": "PurchasePlayerPurchase", "result": {"purchase": {"_id": "65f1c0ffee"}}, "time": "a"});
        let again = json!({"event": "PurchasePlayerPurchase", "result": {"purchase": {"_id": "65f1c0ffee"}}, "time": "b"});
        assert_eq!(key(&payload(&first)), "PurchasePlayerPurchase:65f1c0ffee");
        assert_eq!(key(&payload(&first)), key(&payload(&again)));
        let consumed =
            json!({"event": "ConsumePlayerPurchase", "result": {"purchase": {"_id": 42}}});
        assert_eq!(key(&payload(&consumed)), "ConsumePlayerPurchase:42");
    }

    #[test]
    fn anything_else_is_known_by_its_payload() {
        // printf '%s' '{"event":"GivePlayerReward"}' | sha256sum
        let reward = payload(&json!({"event": "GivePlayerReward"}));
        assert_eq!(
            key(&reward),
            "sha256:8edade7bc160aad4b15da5d3cdbe348933b369a2aa4c04491ccf0e09b64d1f9c"
        );
        for odd in [
            json!({"event": "UnsubscribePlayerSubscription", "result": {"purchase": {"_id": "x"}}}),
            json!({"event": "PurchasePlayerPurchase", "result": {"purchase": {"_id": ""}}}),
            json!({"event": "PurchasePlayerPurchase", "result": {"purchase": {"_id": "a b"}}}),
            json!({"event": "PurchasePlayerPurchase", "result": {"purchase": {"_id": "\u{1b}[2J"}}}),
            json!({"event": "PurchasePlayerPurchase", "result": {"purchase": {"_id": 1.5}}}),
            json!({"event": "PurchasePlayerPurchase", "result": {"purchase": {"_id": "x".repeat(201)}}}),
            json!({"event": "PurchasePlayerPurchase", "result": []}),
        ] {
            assert!(key(&payload(&odd)).starts_with("sha256:"), "{odd}");
        }
    }
}
