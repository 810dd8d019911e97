// Generated from gpwh's event catalog (src/event/) by tests/package_types.rs: do not edit.
// `GPWH_UPDATE_TYPES=1 cargo test --test package_types` writes it again. The player and the
// reward's result are documented by GamePush; every other result's shape is not, so its fields are optional.

/** The player a webhook is about, as GamePush's webhook page documents it. */
export interface Player {
  id: number;
  name: string;
  avatar: string;
  projectId: number;
  credentials: string;
  platformType: string;
  active: boolean;
  removed: boolean;
  test: boolean;
  modifiedAt: string;
}

/** The `result` of PlayerCreateChannel, PlayerUpdateChannel, PlayerDeleteChannel: its shape is illustrative: the vendor does not publish it. */
export interface Channel {
  __typename: 'Channel';
  id?: number;
  name?: string;
  description?: string;
  ownerId?: number;
  tags?: Array<string>;
  capacity?: number;
  private?: boolean;
  visible?: boolean;
  createdAt?: string;
}

/** The `result` of PlayerSendInviteToChannel, PlayerCancelInviteToChannel, PlayerAcceptInviteToChannel, PlayerRejectInviteToChannel: its shape is illustrative: the vendor does not publish it. */
export interface ChannelInvite {
  __typename: 'ChannelInvite';
  channelId?: number;
  playerFromId?: number;
  playerToId?: number;
  status?: string;
  date?: string;
}

/** The `result` of PlayerCancelJoinChannel, PlayerAcceptJoinRequestToChannel, PlayerRejectJoinRequestToChannel: its shape is illustrative: the vendor does not publish it. */
export interface ChannelJoinRequest {
  __typename: 'ChannelJoinRequest';
  channelId?: number;
  playerId?: number;
  status?: string;
  date?: string;
}

/** The `result` of PlayerJoinChannel, PlayerLeaveChannel, PlayerKickFromChannel, PlayerMutePlayerInChannel, PlayerUnmutePlayerInChannel: its shape is illustrative: the vendor does not publish it. */
export interface ChannelMember {
  __typename: 'ChannelMember';
  channelId?: number;
  playerId?: number;
  isOnline?: boolean;
  isMuted?: boolean;
  unmuteAt?: string | null;
  joinedAt?: string;
}

/** The `result` of PlayerSendPersonalMessage, PlayerSendFeedMessage, PlayerSendMessage, PlayerEditMessage, PlayerDeleteMessage: its shape is illustrative: the vendor does not publish it. */
export interface ChannelMessage {
  __typename: 'ChannelMessage';
  id?: string;
  channelId?: number;
  authorId?: number;
  text?: string;
  tags?: unknown[];
  createdAt?: string;
}

/** The `result` of UnlockPlayerAchievement, PlayerSetAchievementProgress: its shape is from the vendor's SDK, not confirmed for webhooks. */
export interface PlayerAchievement {
  __typename: 'PlayerAchievement';
  achievementId?: number;
  createdAt?: string;
  progress?: number;
  unlocked?: boolean;
}

/** The `result` of UploadPlayerFile, UploadPlayerImage: its shape is illustrative: the vendor does not publish it. */
export interface PlayerFile {
  __typename: 'PlayerFile';
  id?: string;
  playerId?: number;
  name?: string;
  src?: string;
  type?: string;
  size?: number;
  tags?: unknown[];
  createdAt?: string;
}

/** The `result` of PurchasePlayerPurchase, ConsumePlayerPurchase, UnsubscribePlayerSubscription, ResumePlayerSubscription, ExpirePlayerSubscription: its shape is from the vendor's SDK, not confirmed for webhooks. */
export interface PlayerPurchaseOutput {
  __typename: 'PlayerPurchaseOutput';
  product?: {
    id?: number;
    tag?: string;
    price?: number;
    currency?: string;
    currencySymbol?: string;
    isSubscription?: boolean;
    period?: number;
    trialPeriod?: number;
    name?: string;
    description?: string;
    icon?: string;
  };
  purchase?: {
    _id?: string;
    productId?: number;
    tag?: string;
    payload?: string;
    gift?: boolean;
    subscribed?: boolean;
    createdAt?: string;
    expiredAt?: string | null;
  };
}

/** The `result` of PlayerPublishRecord: its shape is from the vendor's SDK, not confirmed for webhooks. */
export interface PlayerRecord {
  __typename: 'PlayerRecord';
  record?: {
    id?: number;
    score?: number;
    level?: number;
  };
  fields?: Array<{
    key?: string;
    name?: string;
    type?: string;
  }>;
}

/** The `result` of GivePlayerReward: its shape is documented on the vendor's webhook page. */
export interface PlayerReward {
  __typename: 'PlayerReward';
  countAccepted: number;
  countTotal: number;
  rewardId: number;
}

/** The `result` of SyncPlayer, GetPlayer: its shape is illustrative: the vendor does not publish it. */
export interface PlayerState {
  __typename: 'PlayerState';
  id?: number;
  state?: {
    score?: number;
    gold?: number;
    level?: number;
  };
}

/** PurchasePlayerPurchase: Player made a purchase / subscribed. */
export interface PurchasePlayerPurchasePayload {
  event: 'PurchasePlayerPurchase';
  player: Player;
  result: PlayerPurchaseOutput;
  /** When the operation happened, in RFC 3339. */
  time: string;
}

/** ConsumePlayerPurchase: Player consumed purchase. */
export interface ConsumePlayerPurchasePayload {
  event: 'ConsumePlayerPurchase';
  player: Player;
  result: PlayerPurchaseOutput;
  /** When the operation happened, in RFC 3339. */
  time: string;
}

/** UnsubscribePlayerSubscription: Player unsubscribed from subscription. */
export interface UnsubscribePlayerSubscriptionPayload {
  event: 'UnsubscribePlayerSubscription';
  player: Player;
  result: PlayerPurchaseOutput;
  /** When the operation happened, in RFC 3339. */
  time: string;
}

/** ResumePlayerSubscription: Player resumed subscription. */
export interface ResumePlayerSubscriptionPayload {
  event: 'ResumePlayerSubscription';
  player: Player;
  result: PlayerPurchaseOutput;
  /** When the operation happened, in RFC 3339. */
  time: string;
}

/** ExpirePlayerSubscription: Player's subscription expired. */
export interface ExpirePlayerSubscriptionPayload {
  event: 'ExpirePlayerSubscription';
  player: Player;
  result: PlayerPurchaseOutput;
  /** When the operation happened, in RFC 3339. */
  time: string;
}

/** UnlockPlayerAchievement: Player unlocked an achievement. */
export interface UnlockPlayerAchievementPayload {
  event: 'UnlockPlayerAchievement';
  player: Player;
  result: PlayerAchievement;
  /** When the operation happened, in RFC 3339. */
  time: string;
}

/** PlayerSetAchievementProgress: Player set achievement progress. */
export interface PlayerSetAchievementProgressPayload {
  event: 'PlayerSetAchievementProgress';
  player: Player;
  result: PlayerAchievement;
  /** When the operation happened, in RFC 3339. */
  time: string;
}

/** PlayerPublishRecord: Player published a record. */
export interface PlayerPublishRecordPayload {
  event: 'PlayerPublishRecord';
  player: Player;
  result: PlayerRecord;
  /** When the operation happened, in RFC 3339. */
  time: string;
}

/** SyncPlayer: Player synchronized progress. */
export interface SyncPlayerPayload {
  event: 'SyncPlayer';
  player: Player;
  result: PlayerState;
  /** When the operation happened, in RFC 3339. */
  time: string;
}

/** GetPlayer: Player loaded progress. */
export interface GetPlayerPayload {
  event: 'GetPlayer';
  player: Player;
  result: PlayerState;
  /** When the operation happened, in RFC 3339. */
  time: string;
}

/** GivePlayerReward: Player rewarded. */
export interface GivePlayerRewardPayload {
  event: 'GivePlayerReward';
  player: Player;
  result: PlayerReward;
  /** When the operation happened, in RFC 3339. */
  time: string;
}

/** PlayerSendInviteToChannel: Player sent an invitation to a channel. */
export interface PlayerSendInviteToChannelPayload {
  event: 'PlayerSendInviteToChannel';
  player: Player;
  result: ChannelInvite;
  /** When the operation happened, in RFC 3339. */
  time: string;
}

/** PlayerCancelInviteToChannel: Player canceled an invitation to a channel. */
export interface PlayerCancelInviteToChannelPayload {
  event: 'PlayerCancelInviteToChannel';
  player: Player;
  result: ChannelInvite;
  /** When the operation happened, in RFC 3339. */
  time: string;
}

/** PlayerAcceptInviteToChannel: Player accepted an invitation to a channel. */
export interface PlayerAcceptInviteToChannelPayload {
  event: 'PlayerAcceptInviteToChannel';
  player: Player;
  result: ChannelInvite;
  /** When the operation happened, in RFC 3339. */
  time: string;
}

/** PlayerRejectInviteToChannel: Player rejected an invitation to a channel. */
export interface PlayerRejectInviteToChannelPayload {
  event: 'PlayerRejectInviteToChannel';
  player: Player;
  result: ChannelInvite;
  /** When the operation happened, in RFC 3339. */
  time: string;
}

/** PlayerJoinChannel: Player joined a channel. */
export interface PlayerJoinChannelPayload {
  event: 'PlayerJoinChannel';
  player: Player;
  result: ChannelMember;
  /** When the operation happened, in RFC 3339. */
  time: string;
}

/** PlayerLeaveChannel: Player left a channel. */
export interface PlayerLeaveChannelPayload {
  event: 'PlayerLeaveChannel';
  player: Player;
  result: ChannelMember;
  /** When the operation happened, in RFC 3339. */
  time: string;
}

/** PlayerCancelJoinChannel: Player canceled a join request to a channel. */
export interface PlayerCancelJoinChannelPayload {
  event: 'PlayerCancelJoinChannel';
  player: Player;
  result: ChannelJoinRequest;
  /** When the operation happened, in RFC 3339. */
  time: string;
}

/** PlayerAcceptJoinRequestToChannel: Player accepted a join request to a channel. */
export interface PlayerAcceptJoinRequestToChannelPayload {
  event: 'PlayerAcceptJoinRequestToChannel';
  player: Player;
  result: ChannelJoinRequest;
  /** When the operation happened, in RFC 3339. */
  time: string;
}

/** PlayerRejectJoinRequestToChannel: Player rejected a join request to a channel. */
export interface PlayerRejectJoinRequestToChannelPayload {
  event: 'PlayerRejectJoinRequestToChannel';
  player: Player;
  result: ChannelJoinRequest;
  /** When the operation happened, in RFC 3339. */
  time: string;
}

/** PlayerKickFromChannel: Player kicked another player from a channel. */
export interface PlayerKickFromChannelPayload {
  event: 'PlayerKickFromChannel';
  player: Player;
  result: ChannelMember;
  /** When the operation happened, in RFC 3339. */
  time: string;
}

/** PlayerSendPersonalMessage: Player sent a personal message. */
export interface PlayerSendPersonalMessagePayload {
  event: 'PlayerSendPersonalMessage';
  player: Player;
  result: ChannelMessage;
  /** When the operation happened, in RFC 3339. */
  time: string;
}

/** PlayerSendFeedMessage: Player sent a message to a channel. */
export interface PlayerSendFeedMessagePayload {
  event: 'PlayerSendFeedMessage';
  player: Player;
  result: ChannelMessage;
  /** When the operation happened, in RFC 3339. */
  time: string;
}

/** PlayerSendMessage: Player sent a message. */
export interface PlayerSendMessagePayload {
  event: 'PlayerSendMessage';
  player: Player;
  result: ChannelMessage;
  /** When the operation happened, in RFC 3339. */
  time: string;
}

/** PlayerEditMessage: Player edited a message. */
export interface PlayerEditMessagePayload {
  event: 'PlayerEditMessage';
  player: Player;
  result: ChannelMessage;
  /** When the operation happened, in RFC 3339. */
  time: string;
}

/** PlayerDeleteMessage: Player deleted a message. */
export interface PlayerDeleteMessagePayload {
  event: 'PlayerDeleteMessage';
  player: Player;
  result: ChannelMessage;
  /** When the operation happened, in RFC 3339. */
  time: string;
}

/** PlayerMutePlayerInChannel: Player muted in a channel. */
export interface PlayerMutePlayerInChannelPayload {
  event: 'PlayerMutePlayerInChannel';
  player: Player;
  result: ChannelMember;
  /** When the operation happened, in RFC 3339. */
  time: string;
}

/** PlayerUnmutePlayerInChannel: Player unmuted in a channel. */
export interface PlayerUnmutePlayerInChannelPayload {
  event: 'PlayerUnmutePlayerInChannel';
  player: Player;
  result: ChannelMember;
  /** When the operation happened, in RFC 3339. */
  time: string;
}

/** PlayerCreateChannel: Player created a channel. */
export interface PlayerCreateChannelPayload {
  event: 'PlayerCreateChannel';
  player: Player;
  result: Channel;
  /** When the operation happened, in RFC 3339. */
  time: string;
}

/** PlayerUpdateChannel: Player updated a channel. */
export interface PlayerUpdateChannelPayload {
  event: 'PlayerUpdateChannel';
  player: Player;
  result: Channel;
  /** When the operation happened, in RFC 3339. */
  time: string;
}

/** PlayerDeleteChannel: Player deleted a channel. */
export interface PlayerDeleteChannelPayload {
  event: 'PlayerDeleteChannel';
  player: Player;
  result: Channel;
  /** When the operation happened, in RFC 3339. */
  time: string;
}

/** UploadPlayerFile: Player uploaded a file. */
export interface UploadPlayerFilePayload {
  event: 'UploadPlayerFile';
  player: Player;
  result: PlayerFile;
  /** When the operation happened, in RFC 3339. */
  time: string;
}

/** UploadPlayerImage: Player uploaded an image. */
export interface UploadPlayerImagePayload {
  event: 'UploadPlayerImage';
  player: Player;
  result: PlayerFile;
  /** When the operation happened, in RFC 3339. */
  time: string;
}

/** Every event GamePush's webhook page lists. */
export type EventName =
  | 'PurchasePlayerPurchase'
  | 'ConsumePlayerPurchase'
  | 'UnsubscribePlayerSubscription'
  | 'ResumePlayerSubscription'
  | 'ExpirePlayerSubscription'
  | 'UnlockPlayerAchievement'
  | 'PlayerSetAchievementProgress'
  | 'PlayerPublishRecord'
  | 'SyncPlayer'
  | 'GetPlayer'
  | 'GivePlayerReward'
  | 'PlayerSendInviteToChannel'
  | 'PlayerCancelInviteToChannel'
  | 'PlayerAcceptInviteToChannel'
  | 'PlayerRejectInviteToChannel'
  | 'PlayerJoinChannel'
  | 'PlayerLeaveChannel'
  | 'PlayerCancelJoinChannel'
  | 'PlayerAcceptJoinRequestToChannel'
  | 'PlayerRejectJoinRequestToChannel'
  | 'PlayerKickFromChannel'
  | 'PlayerSendPersonalMessage'
  | 'PlayerSendFeedMessage'
  | 'PlayerSendMessage'
  | 'PlayerEditMessage'
  | 'PlayerDeleteMessage'
  | 'PlayerMutePlayerInChannel'
  | 'PlayerUnmutePlayerInChannel'
  | 'PlayerCreateChannel'
  | 'PlayerUpdateChannel'
  | 'PlayerDeleteChannel'
  | 'UploadPlayerFile'
  | 'UploadPlayerImage';

/** A webhook's payload: narrow it by `event`. GamePush adds events, so a server answers 2xx to one it does not know. */
export type Payload =
  | PurchasePlayerPurchasePayload
  | ConsumePlayerPurchasePayload
  | UnsubscribePlayerSubscriptionPayload
  | ResumePlayerSubscriptionPayload
  | ExpirePlayerSubscriptionPayload
  | UnlockPlayerAchievementPayload
  | PlayerSetAchievementProgressPayload
  | PlayerPublishRecordPayload
  | SyncPlayerPayload
  | GetPlayerPayload
  | GivePlayerRewardPayload
  | PlayerSendInviteToChannelPayload
  | PlayerCancelInviteToChannelPayload
  | PlayerAcceptInviteToChannelPayload
  | PlayerRejectInviteToChannelPayload
  | PlayerJoinChannelPayload
  | PlayerLeaveChannelPayload
  | PlayerCancelJoinChannelPayload
  | PlayerAcceptJoinRequestToChannelPayload
  | PlayerRejectJoinRequestToChannelPayload
  | PlayerKickFromChannelPayload
  | PlayerSendPersonalMessagePayload
  | PlayerSendFeedMessagePayload
  | PlayerSendMessagePayload
  | PlayerEditMessagePayload
  | PlayerDeleteMessagePayload
  | PlayerMutePlayerInChannelPayload
  | PlayerUnmutePlayerInChannelPayload
  | PlayerCreateChannelPayload
  | PlayerUpdateChannelPayload
  | PlayerDeleteChannelPayload
  | UploadPlayerFilePayload
  | UploadPlayerImagePayload;
