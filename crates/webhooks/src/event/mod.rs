//! The event catalog: the operations the vendor's webhook page lists, in its
//! order, with its descriptions, the type of their `result`, and a template
//! payload for each. It is the one place that knows an event. It is a guide,
//! not a gate: bodies with other event names are valid, because the vendor
//! adds operations.

mod player;
mod results;

use serde_json::{Value, json};

use results::Example;
pub use results::Shape;

/// One event type a webhook can report.
///
/// ```
/// use gpwh_webhooks::{EVENTS, EXAMPLE_TIME, Event};
///
/// let reward = Event::find("giveplayerreward").expect("listed");
/// assert_eq!(reward.name(), "GivePlayerReward");
/// assert_eq!(reward.template(EXAMPLE_TIME)["event"], "GivePlayerReward");
/// assert!(EVENTS.len() > 30);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Event {
    name: &'static str,
    description: &'static str,
    example: Example,
}

macro_rules! events {
    ($($name:literal => $description:literal, $example:expr;)*) => {
        /// Every event type in the vendor's table, in its order.
        ///
        /// ```
        /// use gpwh_webhooks::EVENTS;
        ///
        /// // What a game server does not handle yet, to log at start-up.
        /// let handled = ["GivePlayerReward", "PurchasePlayerPurchase"];
        /// let unhandled = EVENTS.iter().filter(|event| !handled.contains(&event.name()));
        /// assert_eq!(unhandled.count(), EVENTS.len() - 2);
        /// ```
        pub const EVENTS: &[Event] = &[
            $(Event { name: $name, description: $description, example: $example },)*
        ];
    };
}

events! {
    "PurchasePlayerPurchase" => "Player made a purchase / subscribed", Example::Purchase;
    "ConsumePlayerPurchase" => "Player consumed purchase", Example::Purchase;
    "UnsubscribePlayerSubscription" => "Player unsubscribed from subscription",
        Example::Subscription { subscribed: false, expired: false };
    "ResumePlayerSubscription" => "Player resumed subscription",
        Example::Subscription { subscribed: true, expired: false };
    "ExpirePlayerSubscription" => "Player's subscription expired",
        Example::Subscription { subscribed: false, expired: true };
    "UnlockPlayerAchievement" => "Player unlocked an achievement",
        Example::Achievement { progress: 100 };
    "PlayerSetAchievementProgress" => "Player set achievement progress",
        Example::Achievement { progress: 40 };
    "PlayerPublishRecord" => "Player published a record", Example::Record;
    "SyncPlayer" => "Player synchronized progress", Example::PlayerState;
    "GetPlayer" => "Player loaded progress", Example::PlayerState;
    "GivePlayerReward" => "Player rewarded", Example::Reward;
    "PlayerSendInviteToChannel" => "Player sent an invitation to a channel",
        Example::Invite { status: "PENDING" };
    "PlayerCancelInviteToChannel" => "Player canceled an invitation to a channel",
        Example::Invite { status: "CANCELED" };
    "PlayerAcceptInviteToChannel" => "Player accepted an invitation to a channel",
        Example::Invite { status: "ACCEPTED" };
    "PlayerRejectInviteToChannel" => "Player rejected an invitation to a channel",
        Example::Invite { status: "REJECTED" };
    "PlayerJoinChannel" => "Player joined a channel",
        Example::Member { player_id: player::ID, muted: false };
    "PlayerLeaveChannel" => "Player left a channel",
        Example::Member { player_id: player::ID, muted: false };
    "PlayerCancelJoinChannel" => "Player canceled a join request to a channel",
        Example::JoinRequest { status: "CANCELED" };
    "PlayerAcceptJoinRequestToChannel" => "Player accepted a join request to a channel",
        Example::JoinRequest { status: "ACCEPTED" };
    "PlayerRejectJoinRequestToChannel" => "Player rejected a join request to a channel",
        Example::JoinRequest { status: "REJECTED" };
    "PlayerKickFromChannel" => "Player kicked another player from a channel",
        Example::Member { player_id: 1820284, muted: false };
    "PlayerSendPersonalMessage" => "Player sent a personal message",
        Example::Message { channel_id: 0, text: "gg, rematch?" };
    "PlayerSendFeedMessage" => "Player sent a message to a channel",
        Example::Message { channel_id: 31, text: "Raid at 20:00" };
    "PlayerSendMessage" => "Player sent a message",
        Example::Message { channel_id: 31, text: "Hello!" };
    "PlayerEditMessage" => "Player edited a message",
        Example::Message { channel_id: 31, text: "Hello, everyone!" };
    "PlayerDeleteMessage" => "Player deleted a message",
        Example::Message { channel_id: 31, text: "Hello!" };
    "PlayerMutePlayerInChannel" => "Player muted in a channel",
        Example::Member { player_id: 1820284, muted: true };
    "PlayerUnmutePlayerInChannel" => "Player unmuted in a channel",
        Example::Member { player_id: 1820284, muted: false };
    "PlayerCreateChannel" => "Player created a channel", Example::Channel { name: "Night Owls" };
    "PlayerUpdateChannel" => "Player updated a channel", Example::Channel { name: "Night Owls Guild" };
    "PlayerDeleteChannel" => "Player deleted a channel", Example::Channel { name: "Night Owls" };
    "UploadPlayerFile" => "Player uploaded a file",
        Example::File { kind: "application/json", name: "save-slot-1.json" };
    "UploadPlayerImage" => "Player uploaded an image",
        Example::File { kind: "image/png", name: "screenshot.png" };
}

/// The time in the examples that `gpwh events NAME` shows: the one in the
/// vendor's example.
///
/// ```
/// use gpwh_webhooks::{EXAMPLE_TIME, Event};
///
/// let sync = Event::find("SyncPlayer").expect("listed").template(EXAMPLE_TIME);
/// assert_eq!(sync["time"], "2024-04-26T11:34:23.415923998Z");
/// ```
pub const EXAMPLE_TIME: &str = "2024-04-26T11:34:23.415923998Z";

impl Event {
    /// The operation's name, as in a payload's `event` field.
    ///
    /// ```
    /// use gpwh_webhooks::Event;
    ///
    /// // The name as the payload spells it, from a name typed in any case.
    /// assert_eq!(Event::find("syncplayer").expect("listed").name(), "SyncPlayer");
    /// ```
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// What the player did, in the vendor's words.
    ///
    /// ```
    /// use gpwh_webhooks::Event;
    ///
    /// let reward = Event::find("GivePlayerReward").expect("listed");
    /// assert_eq!(reward.description(), "Player rewarded");
    /// ```
    pub fn description(&self) -> &'static str {
        self.description
    }

    /// The GraphQL `__typename` of this event's `result`.
    ///
    /// ```
    /// use gpwh_webhooks::Event;
    ///
    /// let reward = Event::find("GivePlayerReward").expect("listed");
    /// assert_eq!(reward.result_type(), "PlayerReward");
    /// ```
    pub fn result_type(&self) -> &'static str {
        self.example.type_name()
    }

    /// How much is known about the shape of this event's `result`.
    ///
    /// ```
    /// use gpwh_webhooks::{Event, Shape};
    ///
    /// // A purchase's `result` is the SDK's: read it leniently.
    /// let purchase = Event::find("PurchasePlayerPurchase").expect("listed");
    /// assert_eq!(purchase.result_shape(), Shape::Sdk);
    /// ```
    pub fn result_shape(&self) -> Shape {
        self.example.shape()
    }

    /// A realistic payload for this event, in the vendor's key order
    /// (`event`, `player`, `result`, `time`), with `time` as the operation's
    /// time and the player's `modifiedAt`.
    ///
    /// The payload depends only on `time`: the same time gives the same
    /// payload, byte for byte.
    ///
    /// ```
    /// use gpwh_webhooks::{EXAMPLE_TIME, Event, Secret, SignatureEncoding, Verifier, sign};
    ///
    /// // A body like GamePush's, to test a handler with.
    /// let secret = Secret::from("test key");
    /// let reward = Event::find("GivePlayerReward").expect("listed").template(EXAMPLE_TIME);
    /// let body = sign(reward.to_string().as_bytes(), &secret, SignatureEncoding::Hex);
    /// let webhook = Verifier::new([secret]).verify(body.as_bytes())?;
    /// assert_eq!(webhook.payload().json()["result"]["rewardId"], 685);
    /// # Ok::<(), gpwh_webhooks::Error>(())
    /// ```
    pub fn template(&self, time: &str) -> Value {
        json!({
            "event": self.name,
            "player": player::template(time),
            "result": self.example.build(time),
            "time": time,
        })
    }

    /// The listed event called `name`, in any letter case.
    ///
    /// ```
    /// use gpwh_webhooks::Event;
    ///
    /// assert!(Event::find("giveplayerreward").is_some());
    /// // Not listed, yet a valid event: the vendor adds operations.
    /// assert!(Event::find("PlayerOpenChest").is_none());
    /// ```
    pub fn find(name: &str) -> Option<&'static Event> {
        EVENTS.iter().find(|e| e.name.eq_ignore_ascii_case(name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_the_33_events_of_the_vendor_table_once_each() {
        assert_eq!(EVENTS.len(), 33);
        let mut names: Vec<_> = EVENTS.iter().map(|e| e.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), 33);
    }

    #[test]
    fn finds_names_in_any_case() {
        assert_eq!(
            Event::find("giveplayerreward").unwrap().name,
            "GivePlayerReward"
        );
        assert_eq!(
            Event::find("GIVEPLAYERREWARD").unwrap().description,
            "Player rewarded"
        );
        assert!(Event::find("GivePlayerRewards").is_none());
    }

    #[test]
    fn every_template_has_the_vendor_shape() {
        for event in EVENTS {
            let template = event.template(EXAMPLE_TIME);
            let keys: Vec<&str> = template
                .as_object()
                .unwrap()
                .keys()
                .map(String::as_str)
                .collect();
            assert_eq!(
                keys,
                ["event", "player", "result", "time"],
                "{}",
                event.name
            );
            assert_eq!(template["event"], event.name);
            assert_eq!(template["time"], EXAMPLE_TIME);
            assert_eq!(template["player"]["modifiedAt"], EXAMPLE_TIME);
            let result = template["result"].as_object().unwrap();
            assert_eq!(result.keys().next().map(String::as_str), Some("__typename"));
            assert_eq!(result["__typename"], event.result_type(), "{}", event.name);
        }
    }

    #[test]
    fn the_reward_template_is_the_vendor_example() {
        // webhooks.txt, compacted.
        let vendor =
            r#"{"__typename":"PlayerReward","countAccepted":0,"countTotal":1,"rewardId":685}"#;
        let reward = Event::find("GivePlayerReward").unwrap();
        assert_eq!(
            serde_json::to_string(&reward.template(EXAMPLE_TIME)["result"]).unwrap(),
            vendor
        );
        assert_eq!(reward.result_shape(), Shape::Documented);
    }

    #[test]
    fn shapes_follow_what_is_known() {
        let shape = |name| Event::find(name).unwrap().result_shape();
        assert_eq!(shape("PurchasePlayerPurchase"), Shape::Sdk);
        assert_eq!(shape("PlayerSetAchievementProgress"), Shape::Sdk);
        assert_eq!(shape("PlayerPublishRecord"), Shape::Sdk);
        assert_eq!(shape("PlayerJoinChannel"), Shape::Illustrative);
        assert_eq!(shape("UploadPlayerImage"), Shape::Illustrative);
        let documented = EVENTS
            .iter()
            .filter(|e| e.result_shape() == Shape::Documented)
            .count();
        assert_eq!(documented, 1);
    }
}
