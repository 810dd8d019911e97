//! The event catalog: the operations the vendor's webhook page lists, in its
//! order, with its descriptions. It is a guide, not a gate: bodies with other
//! event names are valid, because the vendor adds operations.

/// One event type a webhook can report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Event {
    /// The operation's name, as in a payload's `event` field.
    pub name: &'static str,
    /// What the player did, in the vendor's words.
    pub description: &'static str,
}

macro_rules! events {
    ($($name:literal => $description:literal,)*) => {
        /// Every event type in the vendor's table, in its order.
        pub const EVENTS: &[Event] = &[$(Event { name: $name, description: $description },)*];
    };
}

events! {
    "PurchasePlayerPurchase" => "Player made a purchase / subscribed",
    "ConsumePlayerPurchase" => "Player consumed purchase",
    "UnsubscribePlayerSubscription" => "Player unsubscribed from subscription",
    "ResumePlayerSubscription" => "Player resumed subscription",
    "ExpirePlayerSubscription" => "Player's subscription expired",
    "UnlockPlayerAchievement" => "Player unlocked an achievement",
    "PlayerSetAchievementProgress" => "Player set achievement progress",
    "PlayerPublishRecord" => "Player published a record",
    "SyncPlayer" => "Player synchronized progress",
    "GetPlayer" => "Player loaded progress",
    "GivePlayerReward" => "Player rewarded",
    "PlayerSendInviteToChannel" => "Player sent an invitation to a channel",
    "PlayerCancelInviteToChannel" => "Player canceled an invitation to a channel",
    "PlayerAcceptInviteToChannel" => "Player accepted an invitation to a channel",
    "PlayerRejectInviteToChannel" => "Player rejected an invitation to a channel",
    "PlayerJoinChannel" => "Player joined a channel",
    "PlayerLeaveChannel" => "Player left a channel",
    "PlayerCancelJoinChannel" => "Player canceled a join request to a channel",
    "PlayerAcceptJoinRequestToChannel" => "Player accepted a join request to a channel",
    "PlayerRejectJoinRequestToChannel" => "Player rejected a join request to a channel",
    "PlayerKickFromChannel" => "Player kicked another player from a channel",
    "PlayerSendPersonalMessage" => "Player sent a personal message",
    "PlayerSendFeedMessage" => "Player sent a message to a channel",
    "PlayerSendMessage" => "Player sent a message",
    "PlayerEditMessage" => "Player edited a message",
    "PlayerDeleteMessage" => "Player deleted a message",
    "PlayerMutePlayerInChannel" => "Player muted in a channel",
    "PlayerUnmutePlayerInChannel" => "Player unmuted in a channel",
    "PlayerCreateChannel" => "Player created a channel",
    "PlayerUpdateChannel" => "Player updated a channel",
    "PlayerDeleteChannel" => "Player deleted a channel",
    "UploadPlayerFile" => "Player uploaded a file",
    "UploadPlayerImage" => "Player uploaded an image",
}

impl Event {
    /// The listed event called `name`, in any letter case.
    pub fn find(name: &str) -> Option<&'static Event> {
        EVENTS.iter().find(|e| e.name.eq_ignore_ascii_case(name))
    }

    /// Up to three listed events whose names are closest to `name`: those
    /// that contain it, or else those spelled most alike.
    pub fn suggest(name: &str) -> Vec<&'static Event> {
        let wanted = name.to_ascii_lowercase();
        let mut scored: Vec<(f64, &'static Event)> = EVENTS
            .iter()
            .filter_map(|event| {
                let candidate = event.name.to_ascii_lowercase();
                let score = if wanted.len() >= 3 && candidate.contains(&wanted) {
                    1.0 + wanted.len() as f64 / candidate.len() as f64
                } else {
                    strsim::jaro_winkler(&wanted, &candidate)
                };
                (score >= 0.8).then_some((score, event))
            })
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0));
        // Only names about as close as the best: a near miss hides the rest.
        let best = scored.first().map_or(0.0, |&(score, _)| score);
        let floor = if best >= 1.0 { 1.0 } else { best - 0.05 };
        scored
            .into_iter()
            .take_while(|&(score, _)| score >= floor)
            .take(3)
            .map(|(_, event)| event)
            .collect()
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
    fn suggests_close_names() {
        let names = |q| Event::suggest(q).iter().map(|e| e.name).collect::<Vec<_>>();
        assert_eq!(names("GivePlayerRewad"), ["GivePlayerReward"]);
        assert_eq!(names("GivePlayerRewards"), ["GivePlayerReward"]);
        assert_eq!(names("reward"), ["GivePlayerReward"]);
        assert!(names("achievement").contains(&"UnlockPlayerAchievement"));
        assert!(names("zzzz").is_empty());
    }
}
