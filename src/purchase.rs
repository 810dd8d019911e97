//! Forged purchases that are new purchases.
//!
//! The templates of the purchase events carry one illustrative
//! `result.purchase._id`, the same in every body. A receiver that handles a
//! purchase once keys it on that `_id` (docs/exactly-once.md), so a second
//! forged purchase with the template's id is a repeat: it answers "already
//! handled" and grants nothing, and a developer testing their handler sees
//! `200` and wonders where the gold went. So `sign`, `send`, probe and the
//! inspector give every purchase they forge an id of its own, unless the
//! user set one.
//!
//! The id is written as the template's is, 24 hex digits like a MongoDB
//! ObjectId (GamePush's ids look like that; the format is a guess, and a
//! receiver must not depend on it): the first 8 are the Unix time in
//! seconds, the other 16 are random, so that two ids are distinct even
//! within one second and across processes.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher as _, Hasher as _};
use std::sync::atomic::{AtomicU64, Ordering};

use jiff::Timestamp;
use serde_json::Value;

/// Gives the purchase in `payload`, if it has one (`result.purchase._id`),
/// an id no other forged purchase has. Anything else is left as it is.
pub fn renew(payload: &mut Value) {
    if let Some(id) = payload.pointer_mut("/result/purchase/_id") {
        *id = Value::String(new_id());
    }
}

/// A purchase id never handed out before: the time in seconds, then 64
/// random bits, as 24 lowercase hex digits.
pub fn new_id() -> String {
    static ISSUED: AtomicU64 = AtomicU64::new(0);
    // RandomState is seeded from the operating system's random source once
    // per thread and then stepped, so every hasher of it is keyed anew; the
    // count and the clock make each id's input distinct too.
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u64(ISSUED.fetch_add(1, Ordering::Relaxed));
    let now = Timestamp::now();
    hasher.write_i128(now.as_nanosecond());
    hasher.write_u32(std::process::id());
    let seconds = u32::try_from(now.as_second()).unwrap_or(u32::MAX);
    format!("{seconds:08x}{:016x}", hasher.finish())
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use serde_json::json;

    use super::*;

    #[test]
    fn ids_are_24_hex_digits_and_never_repeat() {
        let ids: HashSet<String> = (0..10_000).map(|_| new_id()).collect();
        assert_eq!(ids.len(), 10_000);
        for id in &ids {
            assert_eq!(id.len(), 24);
            assert!(id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')));
        }
    }

    #[test]
    fn only_a_purchase_gets_a_new_id() {
        let template = |name| {
            gpwh_webhooks::Event::find(name)
                .unwrap()
                .template(gpwh_webhooks::EXAMPLE_TIME)
        };
        let mut bought = template("PurchasePlayerPurchase");
        let before = bought["result"]["purchase"]["_id"].clone();
        renew(&mut bought);
        let after = &bought["result"]["purchase"]["_id"];
        assert!(after.is_string());
        assert_ne!(after, &before);
        let mut again = template("PurchasePlayerPurchase");
        renew(&mut again);
        assert_ne!(again["result"]["purchase"]["_id"], *after);

        let mut reward = template("GivePlayerReward");
        let untouched = reward.clone();
        renew(&mut reward);
        assert_eq!(reward, untouched);
        let mut odd = json!({"result": {"purchase": "not an object"}});
        renew(&mut odd);
        assert_eq!(odd, json!({"result": {"purchase": "not an object"}}));
    }
}
