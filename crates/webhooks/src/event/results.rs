//! Example `result` objects, one per kind of operation. The vendor
//! documents one shape (PlayerReward); its SDK queries show four more; the
//! rest are modelled plausibly and marked illustrative.
//!
//! An example depends only on the time it is given, so a template made with
//! a fixed time is byte-for-byte reproducible.

use serde_json::{Value, json};

use super::player::ID as PLAYER_ID;

/// How much is known about the shape of an event's `result`.
///
/// ```
/// use gpwh_webhooks::{Event, Shape};
///
/// let reward = Event::find("GivePlayerReward").expect("listed");
/// assert_eq!(reward.result_shape(), Shape::Documented);
/// assert_eq!(reward.result_shape().name(), "documented");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Shape {
    /// Shown on the vendor's webhook page.
    Documented,
    /// Taken from the result type the vendor's SDK queries for the same
    /// operation; likely, but not confirmed for webhooks.
    Sdk,
    /// Not published: modelled plausibly, for trying a handler out.
    Illustrative,
}

impl Shape {
    /// `"documented"`, `"sdk"` or `"illustrative"`.
    ///
    /// ```
    /// use gpwh_webhooks::Event;
    ///
    /// let purchase = Event::find("PurchasePlayerPurchase").expect("listed");
    /// assert_eq!(purchase.result_shape().name(), "sdk");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Shape::Documented => "documented",
            Shape::Sdk => "sdk",
            Shape::Illustrative => "illustrative",
        }
    }

    /// Where the shape comes from, in a few words.
    ///
    /// ```
    /// use gpwh_webhooks::Shape;
    ///
    /// assert_eq!(Shape::Illustrative.source(), "illustrative: the vendor does not publish it");
    /// ```
    pub fn source(self) -> &'static str {
        match self {
            Shape::Documented => "documented on the vendor's webhook page",
            Shape::Sdk => "from the vendor's SDK, not confirmed for webhooks",
            Shape::Illustrative => "illustrative: the vendor does not publish it",
        }
    }
}

/// The example `result` of one operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Example {
    Reward,
    Purchase,
    Subscription {
        subscribed: bool,
        expired: bool,
    },
    Achievement {
        progress: u32,
    },
    Record,
    PlayerState,
    Invite {
        status: &'static str,
    },
    JoinRequest {
        status: &'static str,
    },
    Member {
        player_id: u64,
        muted: bool,
    },
    Message {
        channel_id: u64,
        text: &'static str,
    },
    Channel {
        name: &'static str,
    },
    File {
        kind: &'static str,
        name: &'static str,
    },
}

impl Example {
    /// The result's GraphQL `__typename`.
    pub(super) fn type_name(self) -> &'static str {
        match self {
            Example::Reward => "PlayerReward",
            Example::Purchase | Example::Subscription { .. } => "PlayerPurchaseOutput",
            Example::Achievement { .. } => "PlayerAchievement",
            Example::Record => "PlayerRecord",
            Example::PlayerState => "PlayerState",
            Example::Invite { .. } => "ChannelInvite",
            Example::JoinRequest { .. } => "ChannelJoinRequest",
            Example::Member { .. } => "ChannelMember",
            Example::Message { .. } => "ChannelMessage",
            Example::Channel { .. } => "Channel",
            Example::File { .. } => "PlayerFile",
        }
    }

    pub(super) fn shape(self) -> Shape {
        match self {
            Example::Reward => Shape::Documented,
            Example::Purchase
            | Example::Subscription { .. }
            | Example::Achievement { .. }
            | Example::Record => Shape::Sdk,
            _ => Shape::Illustrative,
        }
    }

    /// The example, with `time` wherever the operation's own time goes.
    pub(super) fn build(self, time: &str) -> Value {
        let typename = self.type_name();
        let mut result = match self {
            // The vendor's own example, word for word.
            Example::Reward => json!({"countAccepted": 0, "countTotal": 1, "rewardId": 685}),
            Example::Purchase => purchase(time, false, false, Value::Null),
            Example::Subscription {
                subscribed,
                expired,
            } => {
                let expired_at = if expired {
                    time
                } else {
                    "2099-01-01T00:00:00Z"
                };
                purchase(time, true, subscribed, json!(expired_at))
            }
            Example::Achievement { progress } => json!({
                "achievementId": 12,
                "createdAt": time,
                "progress": progress,
                "unlocked": progress >= 100,
            }),
            Example::Record => json!({
                "record": {"id": PLAYER_ID, "score": 1500, "level": 7},
                "fields": [
                    {"key": "score", "name": "Score", "type": "stats"},
                    {"key": "level", "name": "Level", "type": "stats"},
                ],
            }),
            Example::PlayerState => json!({
                "id": PLAYER_ID,
                "state": {"score": 1500, "gold": 250, "level": 7},
            }),
            Example::Invite { status } => json!({
                "channelId": 31,
                "playerFromId": PLAYER_ID,
                "playerToId": 1820284,
                "status": status,
                "date": time,
            }),
            Example::JoinRequest { status } => json!({
                "channelId": 31,
                "playerId": PLAYER_ID,
                "status": status,
                "date": time,
            }),
            Example::Member { player_id, muted } => json!({
                "channelId": 31,
                "playerId": player_id,
                "isOnline": true,
                "isMuted": muted,
                "unmuteAt": if muted { json!("2099-01-01T00:00:00Z") } else { Value::Null },
                "joinedAt": time,
            }),
            Example::Message { channel_id, text } => json!({
                "id": "65f1c0ffee0000000000abcd",
                "channelId": channel_id,
                "authorId": PLAYER_ID,
                "text": text,
                "tags": [],
                "createdAt": time,
            }),
            Example::Channel { name } => json!({
                "id": 31,
                "name": name,
                "description": "Raid planning",
                "ownerId": PLAYER_ID,
                "tags": ["guild"],
                "capacity": 50,
                "private": false,
                "visible": true,
                "createdAt": time,
            }),
            Example::File { kind, name } => json!({
                "id": "65f1c0ffee0000000000f11e",
                "playerId": PLAYER_ID,
                "name": name,
                "src": format!("https://cdn.example.com/files/{name}"),
                "type": kind,
                "size": 20480,
                "tags": [],
                "createdAt": time,
            }),
        };
        // `__typename` leads, as in the vendor's example.
        let mut ordered = serde_json::Map::new();
        ordered.insert("__typename".to_owned(), json!(typename));
        if let Value::Object(fields) = &mut result {
            ordered.append(fields);
        }
        Value::Object(ordered)
    }
}

/// A `PlayerPurchaseOutput`: the product, and the player's purchase of it.
///
/// The purchase's fields are those the vendor's Unity SDK reads for a
/// player's purchase (GamePushService/GamePush-Unity-plugin, class
/// `FetchPlayerPurchases` in `Demo/Assets/Plugins/GamePush/Runtime/Modules/GP_Payments.cs`,
/// snapshot of 2026-06-30: `tag`, `productId`, `payload`, `createdAt`,
/// `expiredAt`, `gift`, `subscribed`), plus `_id`, which that snapshot does
/// not read but an earlier `PaymentsModuleData.cs` is reported to: likely,
/// not confirmed, and written here as a 24-digit hex id like the other
/// illustrative ids. A receiver keys a purchase on it, to grant it once.
fn purchase(time: &str, subscription: bool, subscribed: bool, expired_at: Value) -> Value {
    let (purchase_id, id, tag, price, name, description, period, trial) = if subscription {
        (
            "65f1c0ffee00000000005b01",
            2,
            "VIP",
            299,
            "VIP pass",
            "Double rewards every day",
            30,
            7,
        )
    } else {
        (
            "65f1c0ffee00000000009a01",
            1,
            "GOLD_100",
            99,
            "100 gold",
            "A pouch of 100 gold coins",
            0,
            0,
        )
    };
    json!({
        "product": {
            "id": id,
            "tag": tag,
            "price": price,
            "currency": "YAN",
            "currencySymbol": "YAN",
            "isSubscription": subscription,
            "period": period,
            "trialPeriod": trial,
            "name": name,
            "description": description,
            "icon": format!("https://cdn.example.com/products/{tag}.png"),
        },
        "purchase": {
            "_id": purchase_id,
            "productId": id,
            "tag": tag,
            "payload": "",
            "gift": false,
            "subscribed": subscribed,
            "createdAt": time,
            "expiredAt": expired_at,
        },
    })
}
