"""The payload of each GamePush event, as TypedDicts.

Generated from gpwh's event catalog (src/event/) by tests/package_types.rs: do not edit.
`GPWH_UPDATE_TYPES=1 cargo test --test package_types` writes it again. The player and the
reward's result are documented by GamePush; every other result's shape is not, so its fields are optional.
"""

from typing import Any, List, Literal, Optional, TypedDict, Union

Player = TypedDict(
    "Player",
    {
        "id": int,
        "name": str,
        "avatar": str,
        "projectId": int,
        "credentials": str,
        "platformType": str,
        "active": bool,
        "removed": bool,
        "test": bool,
        "modifiedAt": str,
    },
)
"""The player a webhook is about, as GamePush's webhook page documents it."""

Channel = TypedDict(
    "Channel",
    {
        "__typename": Literal["Channel"],
        "id": int,
        "name": str,
        "description": str,
        "ownerId": int,
        "tags": List[str],
        "capacity": int,
        "private": bool,
        "visible": bool,
        "createdAt": str,
    },
    total=False,
)
"""The `result` of PlayerCreateChannel, PlayerUpdateChannel, PlayerDeleteChannel: its shape is illustrative: the vendor does not publish it."""

ChannelInvite = TypedDict(
    "ChannelInvite",
    {
        "__typename": Literal["ChannelInvite"],
        "channelId": int,
        "playerFromId": int,
        "playerToId": int,
        "status": str,
        "date": str,
    },
    total=False,
)
"""The `result` of PlayerSendInviteToChannel, PlayerCancelInviteToChannel, PlayerAcceptInviteToChannel, PlayerRejectInviteToChannel: its shape is illustrative: the vendor does not publish it."""

ChannelJoinRequest = TypedDict(
    "ChannelJoinRequest",
    {
        "__typename": Literal["ChannelJoinRequest"],
        "channelId": int,
        "playerId": int,
        "status": str,
        "date": str,
    },
    total=False,
)
"""The `result` of PlayerCancelJoinChannel, PlayerAcceptJoinRequestToChannel, PlayerRejectJoinRequestToChannel: its shape is illustrative: the vendor does not publish it."""

ChannelMember = TypedDict(
    "ChannelMember",
    {
        "__typename": Literal["ChannelMember"],
        "channelId": int,
        "playerId": int,
        "isOnline": bool,
        "isMuted": bool,
        "unmuteAt": Optional[str],
        "joinedAt": str,
    },
    total=False,
)
"""The `result` of PlayerJoinChannel, PlayerLeaveChannel, PlayerKickFromChannel, PlayerMutePlayerInChannel, PlayerUnmutePlayerInChannel: its shape is illustrative: the vendor does not publish it."""

ChannelMessage = TypedDict(
    "ChannelMessage",
    {
        "__typename": Literal["ChannelMessage"],
        "id": str,
        "channelId": int,
        "authorId": int,
        "text": str,
        "tags": List[Any],
        "createdAt": str,
    },
    total=False,
)
"""The `result` of PlayerSendPersonalMessage, PlayerSendFeedMessage, PlayerSendMessage, PlayerEditMessage, PlayerDeleteMessage: its shape is illustrative: the vendor does not publish it."""

PlayerAchievement = TypedDict(
    "PlayerAchievement",
    {
        "__typename": Literal["PlayerAchievement"],
        "achievementId": int,
        "createdAt": str,
        "progress": int,
        "unlocked": bool,
    },
    total=False,
)
"""The `result` of UnlockPlayerAchievement, PlayerSetAchievementProgress: its shape is from the vendor's SDK, not confirmed for webhooks."""

PlayerFile = TypedDict(
    "PlayerFile",
    {
        "__typename": Literal["PlayerFile"],
        "id": str,
        "playerId": int,
        "name": str,
        "src": str,
        "type": str,
        "size": int,
        "tags": List[Any],
        "createdAt": str,
    },
    total=False,
)
"""The `result` of UploadPlayerFile, UploadPlayerImage: its shape is illustrative: the vendor does not publish it."""

PlayerPurchaseOutputProduct = TypedDict(
    "PlayerPurchaseOutputProduct",
    {
        "id": int,
        "tag": str,
        "price": int,
        "currency": str,
        "currencySymbol": str,
        "isSubscription": bool,
        "period": int,
        "trialPeriod": int,
        "name": str,
        "description": str,
        "icon": str,
    },
    total=False,
)
"""Inside PlayerPurchaseOutput."""

PlayerPurchaseOutputPurchase = TypedDict(
    "PlayerPurchaseOutputPurchase",
    {
        "_id": str,
        "productId": int,
        "tag": str,
        "payload": str,
        "gift": bool,
        "subscribed": bool,
        "createdAt": str,
        "expiredAt": Optional[str],
    },
    total=False,
)
"""Inside PlayerPurchaseOutput."""

PlayerPurchaseOutput = TypedDict(
    "PlayerPurchaseOutput",
    {
        "__typename": Literal["PlayerPurchaseOutput"],
        "product": PlayerPurchaseOutputProduct,
        "purchase": PlayerPurchaseOutputPurchase,
    },
    total=False,
)
"""The `result` of PurchasePlayerPurchase, ConsumePlayerPurchase, UnsubscribePlayerSubscription, ResumePlayerSubscription, ExpirePlayerSubscription: its shape is from the vendor's SDK, not confirmed for webhooks."""

PlayerRecordRecord = TypedDict(
    "PlayerRecordRecord",
    {
        "id": int,
        "score": int,
        "level": int,
    },
    total=False,
)
"""Inside PlayerRecord."""

PlayerRecordFieldsItem = TypedDict(
    "PlayerRecordFieldsItem",
    {
        "key": str,
        "name": str,
        "type": str,
    },
    total=False,
)
"""Inside PlayerRecord."""

PlayerRecord = TypedDict(
    "PlayerRecord",
    {
        "__typename": Literal["PlayerRecord"],
        "record": PlayerRecordRecord,
        "fields": List[PlayerRecordFieldsItem],
    },
    total=False,
)
"""The `result` of PlayerPublishRecord: its shape is from the vendor's SDK, not confirmed for webhooks."""

PlayerReward = TypedDict(
    "PlayerReward",
    {
        "__typename": Literal["PlayerReward"],
        "countAccepted": int,
        "countTotal": int,
        "rewardId": int,
    },
)
"""The `result` of GivePlayerReward: its shape is documented on the vendor's webhook page."""

PlayerStateState = TypedDict(
    "PlayerStateState",
    {
        "score": int,
        "gold": int,
        "level": int,
    },
    total=False,
)
"""Inside PlayerState."""

PlayerState = TypedDict(
    "PlayerState",
    {
        "__typename": Literal["PlayerState"],
        "id": int,
        "state": PlayerStateState,
    },
    total=False,
)
"""The `result` of SyncPlayer, GetPlayer: its shape is illustrative: the vendor does not publish it."""

PurchasePlayerPurchasePayload = TypedDict(
    "PurchasePlayerPurchasePayload",
    {
        "event": Literal["PurchasePlayerPurchase"],
        "player": Player,
        "result": PlayerPurchaseOutput,
        "time": str,
    },
)
"""PurchasePlayerPurchase: Player made a purchase / subscribed."""

ConsumePlayerPurchasePayload = TypedDict(
    "ConsumePlayerPurchasePayload",
    {
        "event": Literal["ConsumePlayerPurchase"],
        "player": Player,
        "result": PlayerPurchaseOutput,
        "time": str,
    },
)
"""ConsumePlayerPurchase: Player consumed purchase."""

UnsubscribePlayerSubscriptionPayload = TypedDict(
    "UnsubscribePlayerSubscriptionPayload",
    {
        "event": Literal["UnsubscribePlayerSubscription"],
        "player": Player,
        "result": PlayerPurchaseOutput,
        "time": str,
    },
)
"""UnsubscribePlayerSubscription: Player unsubscribed from subscription."""

ResumePlayerSubscriptionPayload = TypedDict(
    "ResumePlayerSubscriptionPayload",
    {
        "event": Literal["ResumePlayerSubscription"],
        "player": Player,
        "result": PlayerPurchaseOutput,
        "time": str,
    },
)
"""ResumePlayerSubscription: Player resumed subscription."""

ExpirePlayerSubscriptionPayload = TypedDict(
    "ExpirePlayerSubscriptionPayload",
    {
        "event": Literal["ExpirePlayerSubscription"],
        "player": Player,
        "result": PlayerPurchaseOutput,
        "time": str,
    },
)
"""ExpirePlayerSubscription: Player's subscription expired."""

UnlockPlayerAchievementPayload = TypedDict(
    "UnlockPlayerAchievementPayload",
    {
        "event": Literal["UnlockPlayerAchievement"],
        "player": Player,
        "result": PlayerAchievement,
        "time": str,
    },
)
"""UnlockPlayerAchievement: Player unlocked an achievement."""

PlayerSetAchievementProgressPayload = TypedDict(
    "PlayerSetAchievementProgressPayload",
    {
        "event": Literal["PlayerSetAchievementProgress"],
        "player": Player,
        "result": PlayerAchievement,
        "time": str,
    },
)
"""PlayerSetAchievementProgress: Player set achievement progress."""

PlayerPublishRecordPayload = TypedDict(
    "PlayerPublishRecordPayload",
    {
        "event": Literal["PlayerPublishRecord"],
        "player": Player,
        "result": PlayerRecord,
        "time": str,
    },
)
"""PlayerPublishRecord: Player published a record."""

SyncPlayerPayload = TypedDict(
    "SyncPlayerPayload",
    {
        "event": Literal["SyncPlayer"],
        "player": Player,
        "result": PlayerState,
        "time": str,
    },
)
"""SyncPlayer: Player synchronized progress."""

GetPlayerPayload = TypedDict(
    "GetPlayerPayload",
    {
        "event": Literal["GetPlayer"],
        "player": Player,
        "result": PlayerState,
        "time": str,
    },
)
"""GetPlayer: Player loaded progress."""

GivePlayerRewardPayload = TypedDict(
    "GivePlayerRewardPayload",
    {
        "event": Literal["GivePlayerReward"],
        "player": Player,
        "result": PlayerReward,
        "time": str,
    },
)
"""GivePlayerReward: Player rewarded."""

PlayerSendInviteToChannelPayload = TypedDict(
    "PlayerSendInviteToChannelPayload",
    {
        "event": Literal["PlayerSendInviteToChannel"],
        "player": Player,
        "result": ChannelInvite,
        "time": str,
    },
)
"""PlayerSendInviteToChannel: Player sent an invitation to a channel."""

PlayerCancelInviteToChannelPayload = TypedDict(
    "PlayerCancelInviteToChannelPayload",
    {
        "event": Literal["PlayerCancelInviteToChannel"],
        "player": Player,
        "result": ChannelInvite,
        "time": str,
    },
)
"""PlayerCancelInviteToChannel: Player canceled an invitation to a channel."""

PlayerAcceptInviteToChannelPayload = TypedDict(
    "PlayerAcceptInviteToChannelPayload",
    {
        "event": Literal["PlayerAcceptInviteToChannel"],
        "player": Player,
        "result": ChannelInvite,
        "time": str,
    },
)
"""PlayerAcceptInviteToChannel: Player accepted an invitation to a channel."""

PlayerRejectInviteToChannelPayload = TypedDict(
    "PlayerRejectInviteToChannelPayload",
    {
        "event": Literal["PlayerRejectInviteToChannel"],
        "player": Player,
        "result": ChannelInvite,
        "time": str,
    },
)
"""PlayerRejectInviteToChannel: Player rejected an invitation to a channel."""

PlayerJoinChannelPayload = TypedDict(
    "PlayerJoinChannelPayload",
    {
        "event": Literal["PlayerJoinChannel"],
        "player": Player,
        "result": ChannelMember,
        "time": str,
    },
)
"""PlayerJoinChannel: Player joined a channel."""

PlayerLeaveChannelPayload = TypedDict(
    "PlayerLeaveChannelPayload",
    {
        "event": Literal["PlayerLeaveChannel"],
        "player": Player,
        "result": ChannelMember,
        "time": str,
    },
)
"""PlayerLeaveChannel: Player left a channel."""

PlayerCancelJoinChannelPayload = TypedDict(
    "PlayerCancelJoinChannelPayload",
    {
        "event": Literal["PlayerCancelJoinChannel"],
        "player": Player,
        "result": ChannelJoinRequest,
        "time": str,
    },
)
"""PlayerCancelJoinChannel: Player canceled a join request to a channel."""

PlayerAcceptJoinRequestToChannelPayload = TypedDict(
    "PlayerAcceptJoinRequestToChannelPayload",
    {
        "event": Literal["PlayerAcceptJoinRequestToChannel"],
        "player": Player,
        "result": ChannelJoinRequest,
        "time": str,
    },
)
"""PlayerAcceptJoinRequestToChannel: Player accepted a join request to a channel."""

PlayerRejectJoinRequestToChannelPayload = TypedDict(
    "PlayerRejectJoinRequestToChannelPayload",
    {
        "event": Literal["PlayerRejectJoinRequestToChannel"],
        "player": Player,
        "result": ChannelJoinRequest,
        "time": str,
    },
)
"""PlayerRejectJoinRequestToChannel: Player rejected a join request to a channel."""

PlayerKickFromChannelPayload = TypedDict(
    "PlayerKickFromChannelPayload",
    {
        "event": Literal["PlayerKickFromChannel"],
        "player": Player,
        "result": ChannelMember,
        "time": str,
    },
)
"""PlayerKickFromChannel: Player kicked another player from a channel."""

PlayerSendPersonalMessagePayload = TypedDict(
    "PlayerSendPersonalMessagePayload",
    {
        "event": Literal["PlayerSendPersonalMessage"],
        "player": Player,
        "result": ChannelMessage,
        "time": str,
    },
)
"""PlayerSendPersonalMessage: Player sent a personal message."""

PlayerSendFeedMessagePayload = TypedDict(
    "PlayerSendFeedMessagePayload",
    {
        "event": Literal["PlayerSendFeedMessage"],
        "player": Player,
        "result": ChannelMessage,
        "time": str,
    },
)
"""PlayerSendFeedMessage: Player sent a message to a channel."""

PlayerSendMessagePayload = TypedDict(
    "PlayerSendMessagePayload",
    {
        "event": Literal["PlayerSendMessage"],
        "player": Player,
        "result": ChannelMessage,
        "time": str,
    },
)
"""PlayerSendMessage: Player sent a message."""

PlayerEditMessagePayload = TypedDict(
    "PlayerEditMessagePayload",
    {
        "event": Literal["PlayerEditMessage"],
        "player": Player,
        "result": ChannelMessage,
        "time": str,
    },
)
"""PlayerEditMessage: Player edited a message."""

PlayerDeleteMessagePayload = TypedDict(
    "PlayerDeleteMessagePayload",
    {
        "event": Literal["PlayerDeleteMessage"],
        "player": Player,
        "result": ChannelMessage,
        "time": str,
    },
)
"""PlayerDeleteMessage: Player deleted a message."""

PlayerMutePlayerInChannelPayload = TypedDict(
    "PlayerMutePlayerInChannelPayload",
    {
        "event": Literal["PlayerMutePlayerInChannel"],
        "player": Player,
        "result": ChannelMember,
        "time": str,
    },
)
"""PlayerMutePlayerInChannel: Player muted in a channel."""

PlayerUnmutePlayerInChannelPayload = TypedDict(
    "PlayerUnmutePlayerInChannelPayload",
    {
        "event": Literal["PlayerUnmutePlayerInChannel"],
        "player": Player,
        "result": ChannelMember,
        "time": str,
    },
)
"""PlayerUnmutePlayerInChannel: Player unmuted in a channel."""

PlayerCreateChannelPayload = TypedDict(
    "PlayerCreateChannelPayload",
    {
        "event": Literal["PlayerCreateChannel"],
        "player": Player,
        "result": Channel,
        "time": str,
    },
)
"""PlayerCreateChannel: Player created a channel."""

PlayerUpdateChannelPayload = TypedDict(
    "PlayerUpdateChannelPayload",
    {
        "event": Literal["PlayerUpdateChannel"],
        "player": Player,
        "result": Channel,
        "time": str,
    },
)
"""PlayerUpdateChannel: Player updated a channel."""

PlayerDeleteChannelPayload = TypedDict(
    "PlayerDeleteChannelPayload",
    {
        "event": Literal["PlayerDeleteChannel"],
        "player": Player,
        "result": Channel,
        "time": str,
    },
)
"""PlayerDeleteChannel: Player deleted a channel."""

UploadPlayerFilePayload = TypedDict(
    "UploadPlayerFilePayload",
    {
        "event": Literal["UploadPlayerFile"],
        "player": Player,
        "result": PlayerFile,
        "time": str,
    },
)
"""UploadPlayerFile: Player uploaded a file."""

UploadPlayerImagePayload = TypedDict(
    "UploadPlayerImagePayload",
    {
        "event": Literal["UploadPlayerImage"],
        "player": Player,
        "result": PlayerFile,
        "time": str,
    },
)
"""UploadPlayerImage: Player uploaded an image."""

EventName = Literal[
    "PurchasePlayerPurchase",
    "ConsumePlayerPurchase",
    "UnsubscribePlayerSubscription",
    "ResumePlayerSubscription",
    "ExpirePlayerSubscription",
    "UnlockPlayerAchievement",
    "PlayerSetAchievementProgress",
    "PlayerPublishRecord",
    "SyncPlayer",
    "GetPlayer",
    "GivePlayerReward",
    "PlayerSendInviteToChannel",
    "PlayerCancelInviteToChannel",
    "PlayerAcceptInviteToChannel",
    "PlayerRejectInviteToChannel",
    "PlayerJoinChannel",
    "PlayerLeaveChannel",
    "PlayerCancelJoinChannel",
    "PlayerAcceptJoinRequestToChannel",
    "PlayerRejectJoinRequestToChannel",
    "PlayerKickFromChannel",
    "PlayerSendPersonalMessage",
    "PlayerSendFeedMessage",
    "PlayerSendMessage",
    "PlayerEditMessage",
    "PlayerDeleteMessage",
    "PlayerMutePlayerInChannel",
    "PlayerUnmutePlayerInChannel",
    "PlayerCreateChannel",
    "PlayerUpdateChannel",
    "PlayerDeleteChannel",
    "UploadPlayerFile",
    "UploadPlayerImage",
]
"""Every event GamePush's webhook page lists."""

Payload = Union[
    PurchasePlayerPurchasePayload,
    ConsumePlayerPurchasePayload,
    UnsubscribePlayerSubscriptionPayload,
    ResumePlayerSubscriptionPayload,
    ExpirePlayerSubscriptionPayload,
    UnlockPlayerAchievementPayload,
    PlayerSetAchievementProgressPayload,
    PlayerPublishRecordPayload,
    SyncPlayerPayload,
    GetPlayerPayload,
    GivePlayerRewardPayload,
    PlayerSendInviteToChannelPayload,
    PlayerCancelInviteToChannelPayload,
    PlayerAcceptInviteToChannelPayload,
    PlayerRejectInviteToChannelPayload,
    PlayerJoinChannelPayload,
    PlayerLeaveChannelPayload,
    PlayerCancelJoinChannelPayload,
    PlayerAcceptJoinRequestToChannelPayload,
    PlayerRejectJoinRequestToChannelPayload,
    PlayerKickFromChannelPayload,
    PlayerSendPersonalMessagePayload,
    PlayerSendFeedMessagePayload,
    PlayerSendMessagePayload,
    PlayerEditMessagePayload,
    PlayerDeleteMessagePayload,
    PlayerMutePlayerInChannelPayload,
    PlayerUnmutePlayerInChannelPayload,
    PlayerCreateChannelPayload,
    PlayerUpdateChannelPayload,
    PlayerDeleteChannelPayload,
    UploadPlayerFilePayload,
    UploadPlayerImagePayload,
]
"""A webhook's payload: narrow it by its "event". GamePush adds events, so a server
answers 2xx to one it does not know."""

__all__ = [
    "Player",
    "Channel",
    "ChannelInvite",
    "ChannelJoinRequest",
    "ChannelMember",
    "ChannelMessage",
    "PlayerAchievement",
    "PlayerFile",
    "PlayerPurchaseOutputProduct",
    "PlayerPurchaseOutputPurchase",
    "PlayerPurchaseOutput",
    "PlayerRecordRecord",
    "PlayerRecordFieldsItem",
    "PlayerRecord",
    "PlayerReward",
    "PlayerStateState",
    "PlayerState",
    "PurchasePlayerPurchasePayload",
    "ConsumePlayerPurchasePayload",
    "UnsubscribePlayerSubscriptionPayload",
    "ResumePlayerSubscriptionPayload",
    "ExpirePlayerSubscriptionPayload",
    "UnlockPlayerAchievementPayload",
    "PlayerSetAchievementProgressPayload",
    "PlayerPublishRecordPayload",
    "SyncPlayerPayload",
    "GetPlayerPayload",
    "GivePlayerRewardPayload",
    "PlayerSendInviteToChannelPayload",
    "PlayerCancelInviteToChannelPayload",
    "PlayerAcceptInviteToChannelPayload",
    "PlayerRejectInviteToChannelPayload",
    "PlayerJoinChannelPayload",
    "PlayerLeaveChannelPayload",
    "PlayerCancelJoinChannelPayload",
    "PlayerAcceptJoinRequestToChannelPayload",
    "PlayerRejectJoinRequestToChannelPayload",
    "PlayerKickFromChannelPayload",
    "PlayerSendPersonalMessagePayload",
    "PlayerSendFeedMessagePayload",
    "PlayerSendMessagePayload",
    "PlayerEditMessagePayload",
    "PlayerDeleteMessagePayload",
    "PlayerMutePlayerInChannelPayload",
    "PlayerUnmutePlayerInChannelPayload",
    "PlayerCreateChannelPayload",
    "PlayerUpdateChannelPayload",
    "PlayerDeleteChannelPayload",
    "UploadPlayerFilePayload",
    "UploadPlayerImagePayload",
    "EventName",
    "Payload",
]
