# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_gpwh_global_optspecs
    string join \n color= h/help V/version
end

function __fish_gpwh_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_gpwh_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_gpwh_using_subcommand
    set -l cmd (__fish_gpwh_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c gpwh -n "__fish_gpwh_needs_command" -l color -d 'When to colour JSON output: auto colours only on a terminal, and never when NO_COLOR is set or TERM is dumb' -r -f -a "auto\t'Colour on a terminal, unless NO_COLOR is set or TERM is dumb'
always\t'Always colour, even into a pipe or a file'
never\t'Never colour'"
complete -c gpwh -n "__fish_gpwh_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c gpwh -n "__fish_gpwh_needs_command" -s V -l version -d 'Print version'
complete -c gpwh -n "__fish_gpwh_needs_command" -f -a "decode" -d 'Show a body\'s payload as JSON, without checking its signature'
complete -c gpwh -n "__fish_gpwh_needs_command" -f -a "verify" -d 'Check that a body was signed with your secret key, and show its payload'
complete -c gpwh -n "__fish_gpwh_needs_command" -f -a "sign" -d 'Sign JSON as GamePush does, to make test bodies'
complete -c gpwh -n "__fish_gpwh_needs_command" -f -a "events" -d 'List the event types, or show one'
complete -c gpwh -n "__fish_gpwh_needs_command" -f -a "send" -d 'Sign a body as sign does, or take a captured one, and POST it to a URL'
complete -c gpwh -n "__fish_gpwh_needs_command" -f -a "listen" -d 'Receive webhooks on a local HTTP server, verify each, and show or forward them'
complete -c gpwh -n "__fish_gpwh_needs_command" -f -a "probe" -d 'Grade your webhook handler: send it valid, forged and malformed bodies and check each answer'
complete -c gpwh -n "__fish_gpwh_needs_command" -f -a "replay" -d 'Send the deliveries that listen logged (--log) again to a URL, byte for byte'
complete -c gpwh -n "__fish_gpwh_needs_command" -f -a "facts" -d 'Tell what the deliveries that listen logged (--log) say about their sender'
complete -c gpwh -n "__fish_gpwh_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c gpwh -n "__fish_gpwh_needs_command" -f -a "man" -d 'Print the man page (roff)'
complete -c gpwh -n "__fish_gpwh_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c gpwh -n "__fish_gpwh_using_subcommand decode" -s f -l file -d 'Read the body from a file; with --lines, repeatable, read after any BODY arguments' -r -F
complete -c gpwh -n "__fish_gpwh_using_subcommand decode" -l color -d 'When to colour JSON output: auto colours only on a terminal, and never when NO_COLOR is set or TERM is dumb' -r -f -a "auto\t'Colour on a terminal, unless NO_COLOR is set or TERM is dumb'
always\t'Always colour, even into a pipe or a file'
never\t'Never colour'"
complete -c gpwh -n "__fish_gpwh_using_subcommand decode" -l lines -d 'Read many bodies, one per non-empty line (LF or CRLF), using every core; write one NDJSON record per body, in input order'
complete -c gpwh -n "__fish_gpwh_using_subcommand decode" -s c -l compact -d 'Print JSON on one line instead of pretty'
complete -c gpwh -n "__fish_gpwh_using_subcommand decode" -s r -l raw -d 'Print the decoded payload bytes exactly as they were encoded'
complete -c gpwh -n "__fish_gpwh_using_subcommand decode" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c gpwh -n "__fish_gpwh_using_subcommand verify" -s f -l file -d 'Read the body from a file; with --lines, repeatable, read after any BODY arguments' -r -F
complete -c gpwh -n "__fish_gpwh_using_subcommand verify" -l secret -d 'Your project\'s secret key. Where bodies are checked (verify, listen), repeat it to accept any of several, for key rotation. On a shared machine prefer GPWH_SECRET or --secret-file: arguments are seen in shell history and by `ps`' -r
complete -c gpwh -n "__fish_gpwh_using_subcommand verify" -l secret-file -d 'Read the secret key from a file (one trailing newline is removed); repeatable like --secret. When neither is given, the environment variable GPWH_SECRET is used' -r -F
complete -c gpwh -n "__fish_gpwh_using_subcommand verify" -l max-age -d 'Refuse a validly signed body whose payload time is older than DURATION (90s, 5m, 2h, 1d) or more than 60s in the future: a replayed capture. Without it, the time is not checked' -r
complete -c gpwh -n "__fish_gpwh_using_subcommand verify" -l color -d 'When to colour JSON output: auto colours only on a terminal, and never when NO_COLOR is set or TERM is dumb' -r -f -a "auto\t'Colour on a terminal, unless NO_COLOR is set or TERM is dumb'
always\t'Always colour, even into a pipe or a file'
never\t'Never colour'"
complete -c gpwh -n "__fish_gpwh_using_subcommand verify" -l lines -d 'Read many bodies, one per non-empty line (LF or CRLF), using every core; write one NDJSON record per body, in input order'
complete -c gpwh -n "__fish_gpwh_using_subcommand verify" -s c -l compact -d 'Print JSON on one line instead of pretty'
complete -c gpwh -n "__fish_gpwh_using_subcommand verify" -s r -l raw -d 'Print the decoded payload bytes exactly as they were encoded'
complete -c gpwh -n "__fish_gpwh_using_subcommand verify" -l json -d 'Print a JSON verdict instead of the payload, for valid and invalid bodies alike (the exit code stays the same)'
complete -c gpwh -n "__fish_gpwh_using_subcommand verify" -s q -l quiet -d 'Print nothing on standard output: the exit code is the answer'
complete -c gpwh -n "__fish_gpwh_using_subcommand verify" -l invalid-only -d 'With --lines, write verdicts only for bodies that fail'
complete -c gpwh -n "__fish_gpwh_using_subcommand verify" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c gpwh -n "__fish_gpwh_using_subcommand sign" -s f -l file -d 'Read the JSON payload from a file' -r -F
complete -c gpwh -n "__fish_gpwh_using_subcommand sign" -l event -d 'Sign a realistic template payload for this event (any letter case) instead of reading JSON; see `gpwh events NAME`' -r -f -a "PurchasePlayerPurchase\t'Player made a purchase / subscribed'
ConsumePlayerPurchase\t'Player consumed purchase'
UnsubscribePlayerSubscription\t'Player unsubscribed from subscription'
ResumePlayerSubscription\t'Player resumed subscription'
ExpirePlayerSubscription\t'Player\'s subscription expired'
UnlockPlayerAchievement\t'Player unlocked an achievement'
PlayerSetAchievementProgress\t'Player set achievement progress'
PlayerPublishRecord\t'Player published a record'
SyncPlayer\t'Player synchronized progress'
GetPlayer\t'Player loaded progress'
GivePlayerReward\t'Player rewarded'
PlayerSendInviteToChannel\t'Player sent an invitation to a channel'
PlayerCancelInviteToChannel\t'Player canceled an invitation to a channel'
PlayerAcceptInviteToChannel\t'Player accepted an invitation to a channel'
PlayerRejectInviteToChannel\t'Player rejected an invitation to a channel'
PlayerJoinChannel\t'Player joined a channel'
PlayerLeaveChannel\t'Player left a channel'
PlayerCancelJoinChannel\t'Player canceled a join request to a channel'
PlayerAcceptJoinRequestToChannel\t'Player accepted a join request to a channel'
PlayerRejectJoinRequestToChannel\t'Player rejected a join request to a channel'
PlayerKickFromChannel\t'Player kicked another player from a channel'
PlayerSendPersonalMessage\t'Player sent a personal message'
PlayerSendFeedMessage\t'Player sent a message to a channel'
PlayerSendMessage\t'Player sent a message'
PlayerEditMessage\t'Player edited a message'
PlayerDeleteMessage\t'Player deleted a message'
PlayerMutePlayerInChannel\t'Player muted in a channel'
PlayerUnmutePlayerInChannel\t'Player unmuted in a channel'
PlayerCreateChannel\t'Player created a channel'
PlayerUpdateChannel\t'Player updated a channel'
PlayerDeleteChannel\t'Player deleted a channel'
UploadPlayerFile\t'Player uploaded a file'
UploadPlayerImage\t'Player uploaded an image'"
complete -c gpwh -n "__fish_gpwh_using_subcommand sign" -l secret -d 'Your project\'s secret key. Where bodies are checked (verify, listen), repeat it to accept any of several, for key rotation. On a shared machine prefer GPWH_SECRET or --secret-file: arguments are seen in shell history and by `ps`' -r
complete -c gpwh -n "__fish_gpwh_using_subcommand sign" -l secret-file -d 'Read the secret key from a file (one trailing newline is removed); repeatable like --secret. When neither is given, the environment variable GPWH_SECRET is used' -r -F
complete -c gpwh -n "__fish_gpwh_using_subcommand sign" -l encoding -d 'How to write the signature' -r -f -a "hex\t'64 lowercase hex digits'
base64\t'Standard base64 with padding'"
complete -c gpwh -n "__fish_gpwh_using_subcommand sign" -l set -d 'Set a field: PATH is dotted (player.id), VALUE is taken as JSON when it parses as JSON, else as a string; missing objects are created' -r
complete -c gpwh -n "__fish_gpwh_using_subcommand sign" -l set-str -d 'Set a field to a string, whatever VALUE looks like' -r
complete -c gpwh -n "__fish_gpwh_using_subcommand sign" -l unset -d 'Remove a field' -r
complete -c gpwh -n "__fish_gpwh_using_subcommand sign" -l player-id -d 'Set player.id' -r
complete -c gpwh -n "__fish_gpwh_using_subcommand sign" -l project-id -d 'Set player.projectId' -r
complete -c gpwh -n "__fish_gpwh_using_subcommand sign" -l platform -d 'Set player.platformType (NONE, YANDEX, VK, CRAZY_GAMES, GOOGLE_PLAY, ...)' -r
complete -c gpwh -n "__fish_gpwh_using_subcommand sign" -l time -d 'Set time (with --event, every time in the template): an RFC 3339 time, or now. A fixed time makes the output the same on every run: a purchase then keeps the template\'s id, where otherwise each is new' -r
complete -c gpwh -n "__fish_gpwh_using_subcommand sign" -l color -d 'When to colour JSON output: auto colours only on a terminal, and never when NO_COLOR is set or TERM is dumb' -r -f -a "auto\t'Colour on a terminal, unless NO_COLOR is set or TERM is dumb'
always\t'Always colour, even into a pipe or a file'
never\t'Never colour'"
complete -c gpwh -n "__fish_gpwh_using_subcommand sign" -l verbatim -d 'Sign the JSON text as given instead of compacting it first (the whitespace around it is still dropped)'
complete -c gpwh -n "__fish_gpwh_using_subcommand sign" -l test-player -d 'Make the player a test player (player.test = true)'
complete -c gpwh -n "__fish_gpwh_using_subcommand sign" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c gpwh -n "__fish_gpwh_using_subcommand events" -l color -d 'When to colour JSON output: auto colours only on a terminal, and never when NO_COLOR is set or TERM is dumb' -r -f -a "auto\t'Colour on a terminal, unless NO_COLOR is set or TERM is dumb'
always\t'Always colour, even into a pipe or a file'
never\t'Never colour'"
complete -c gpwh -n "__fish_gpwh_using_subcommand events" -l json -d 'Print JSON instead of text'
complete -c gpwh -n "__fish_gpwh_using_subcommand events" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c gpwh -n "__fish_gpwh_using_subcommand send" -s f -l file -d 'Read the JSON payload from a file' -r -F
complete -c gpwh -n "__fish_gpwh_using_subcommand send" -l event -d 'Sign a realistic template payload for this event (any letter case) instead of reading JSON; see `gpwh events NAME`' -r -f -a "PurchasePlayerPurchase\t'Player made a purchase / subscribed'
ConsumePlayerPurchase\t'Player consumed purchase'
UnsubscribePlayerSubscription\t'Player unsubscribed from subscription'
ResumePlayerSubscription\t'Player resumed subscription'
ExpirePlayerSubscription\t'Player\'s subscription expired'
UnlockPlayerAchievement\t'Player unlocked an achievement'
PlayerSetAchievementProgress\t'Player set achievement progress'
PlayerPublishRecord\t'Player published a record'
SyncPlayer\t'Player synchronized progress'
GetPlayer\t'Player loaded progress'
GivePlayerReward\t'Player rewarded'
PlayerSendInviteToChannel\t'Player sent an invitation to a channel'
PlayerCancelInviteToChannel\t'Player canceled an invitation to a channel'
PlayerAcceptInviteToChannel\t'Player accepted an invitation to a channel'
PlayerRejectInviteToChannel\t'Player rejected an invitation to a channel'
PlayerJoinChannel\t'Player joined a channel'
PlayerLeaveChannel\t'Player left a channel'
PlayerCancelJoinChannel\t'Player canceled a join request to a channel'
PlayerAcceptJoinRequestToChannel\t'Player accepted a join request to a channel'
PlayerRejectJoinRequestToChannel\t'Player rejected a join request to a channel'
PlayerKickFromChannel\t'Player kicked another player from a channel'
PlayerSendPersonalMessage\t'Player sent a personal message'
PlayerSendFeedMessage\t'Player sent a message to a channel'
PlayerSendMessage\t'Player sent a message'
PlayerEditMessage\t'Player edited a message'
PlayerDeleteMessage\t'Player deleted a message'
PlayerMutePlayerInChannel\t'Player muted in a channel'
PlayerUnmutePlayerInChannel\t'Player unmuted in a channel'
PlayerCreateChannel\t'Player created a channel'
PlayerUpdateChannel\t'Player updated a channel'
PlayerDeleteChannel\t'Player deleted a channel'
UploadPlayerFile\t'Player uploaded a file'
UploadPlayerImage\t'Player uploaded an image'"
complete -c gpwh -n "__fish_gpwh_using_subcommand send" -l secret -d 'Your project\'s secret key. Where bodies are checked (verify, listen), repeat it to accept any of several, for key rotation. On a shared machine prefer GPWH_SECRET or --secret-file: arguments are seen in shell history and by `ps`' -r
complete -c gpwh -n "__fish_gpwh_using_subcommand send" -l secret-file -d 'Read the secret key from a file (one trailing newline is removed); repeatable like --secret. When neither is given, the environment variable GPWH_SECRET is used' -r -F
complete -c gpwh -n "__fish_gpwh_using_subcommand send" -l encoding -d 'How to write the signature' -r -f -a "hex\t'64 lowercase hex digits'
base64\t'Standard base64 with padding'"
complete -c gpwh -n "__fish_gpwh_using_subcommand send" -l set -d 'Set a field: PATH is dotted (player.id), VALUE is taken as JSON when it parses as JSON, else as a string; missing objects are created' -r
complete -c gpwh -n "__fish_gpwh_using_subcommand send" -l set-str -d 'Set a field to a string, whatever VALUE looks like' -r
complete -c gpwh -n "__fish_gpwh_using_subcommand send" -l unset -d 'Remove a field' -r
complete -c gpwh -n "__fish_gpwh_using_subcommand send" -l player-id -d 'Set player.id' -r
complete -c gpwh -n "__fish_gpwh_using_subcommand send" -l project-id -d 'Set player.projectId' -r
complete -c gpwh -n "__fish_gpwh_using_subcommand send" -l platform -d 'Set player.platformType (NONE, YANDEX, VK, CRAZY_GAMES, GOOGLE_PLAY, ...)' -r
complete -c gpwh -n "__fish_gpwh_using_subcommand send" -l time -d 'Set time (with --event, every time in the template): an RFC 3339 time, or now. A fixed time makes the output the same on every run: a purchase then keeps the template\'s id, where otherwise each is new' -r
complete -c gpwh -n "__fish_gpwh_using_subcommand send" -l body -d 'Send this captured body unchanged instead of signing one: the body, \'-\' for standard input, or @PATH' -r
complete -c gpwh -n "__fish_gpwh_using_subcommand send" -s H -l header -d 'Add a request header, or replace one (Content-Type is "text/plain; charset=utf-8" unless replaced); repeatable' -r
complete -c gpwh -n "__fish_gpwh_using_subcommand send" -l timeout -d 'How long to wait for the whole exchange: seconds (3) or a duration (3s, 1m)' -r
complete -c gpwh -n "__fish_gpwh_using_subcommand send" -l cacert -d 'Trust the certificate authority in FILE (PEM) on top of the system\'s store: for a server whose certificate a private or company CA issued; repeatable. SSL_CERT_FILE and SSL_CERT_DIR, when set, replace the system\'s store' -r -F
complete -c gpwh -n "__fish_gpwh_using_subcommand send" -l color -d 'When to colour JSON output: auto colours only on a terminal, and never when NO_COLOR is set or TERM is dumb' -r -f -a "auto\t'Colour on a terminal, unless NO_COLOR is set or TERM is dumb'
always\t'Always colour, even into a pipe or a file'
never\t'Never colour'"
complete -c gpwh -n "__fish_gpwh_using_subcommand send" -l verbatim -d 'Sign the JSON text as given instead of compacting it first (the whitespace around it is still dropped)'
complete -c gpwh -n "__fish_gpwh_using_subcommand send" -l test-player -d 'Make the player a test player (player.test = true)'
complete -c gpwh -n "__fish_gpwh_using_subcommand send" -l dry-run -d 'Print the equivalent curl command, body inline, instead of sending'
complete -c gpwh -n "__fish_gpwh_using_subcommand send" -s k -l insecure -d 'Do not check the server\'s certificate at all. Anyone on the way can then read and change what is sent: prefer --cacert'
complete -c gpwh -n "__fish_gpwh_using_subcommand send" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c gpwh -n "__fish_gpwh_using_subcommand listen" -l host -d 'The address to listen on' -r
complete -c gpwh -n "__fish_gpwh_using_subcommand listen" -l port -d 'The port to listen on; 0 picks a free one (the address is printed on stderr as soon as gpwh listens)' -r
complete -c gpwh -n "__fish_gpwh_using_subcommand listen" -l secret -d 'Your project\'s secret key. Where bodies are checked (verify, listen), repeat it to accept any of several, for key rotation. On a shared machine prefer GPWH_SECRET or --secret-file: arguments are seen in shell history and by `ps`' -r
complete -c gpwh -n "__fish_gpwh_using_subcommand listen" -l secret-file -d 'Read the secret key from a file (one trailing newline is removed); repeatable like --secret. When neither is given, the environment variable GPWH_SECRET is used' -r -F
complete -c gpwh -n "__fish_gpwh_using_subcommand listen" -l max-age -d 'Refuse validly signed bodies older than DURATION or more than 60s in the future, as verify does' -r
complete -c gpwh -n "__fish_gpwh_using_subcommand listen" -l max-body -d 'Answer 413 to bodies larger than this: bytes, or with K or M (KiB, MiB), at most 16M, the largest body gpwh verifies' -r
complete -c gpwh -n "__fish_gpwh_using_subcommand listen" -l log -d 'Append one JSON line per request to FILE (time, remote address, path, headers, verdict, event and the raw body), written before answering' -r -F
complete -c gpwh -n "__fish_gpwh_using_subcommand listen" -l forward-to -d 'Forward each valid body, with its headers, to your app at URL, and answer with the app\'s status and body' -r
complete -c gpwh -n "__fish_gpwh_using_subcommand listen" -l forward-timeout -d 'With --forward-to, how long the app may take to answer before the sender gets 504' -r
complete -c gpwh -n "__fish_gpwh_using_subcommand listen" -l forward-cacert -d 'With --forward-to an https:// URL, trust the certificate authority in FILE (PEM) on top of the system\'s store; repeatable' -r -F
complete -c gpwh -n "__fish_gpwh_using_subcommand listen" -l max-connections -d 'How many connections to serve at once; past it, new ones wait until one ends. By default 512, or fewer if the limit on open files leaves room for fewer' -r
complete -c gpwh -n "__fish_gpwh_using_subcommand listen" -l max-buffered -d 'How many bytes of requests to hold at once, across all connections: bodies being read or answered (through --delay too) and the inspector\'s deliveries. Past it, a sender gets 503 with Retry-After. Bytes, or with K or M (KiB, MiB); at least --max-body' -r
complete -c gpwh -n "__fish_gpwh_using_subcommand listen" -l read-timeout -d 'How long a body may take to arrive once its headers are in; past it the sender gets 408 (headers themselves must arrive within 10s)' -r
complete -c gpwh -n "__fish_gpwh_using_subcommand listen" -l respond -d 'Answer every delivery with STATUS, whatever its verdict (and, with --forward-to, whatever the app answered): to see what the sender does with it. Logged as given' -r
complete -c gpwh -n "__fish_gpwh_using_subcommand listen" -l fail-first -d 'Answer 503 to the first N deliveries of each body, then as usual (or --respond): a sender that retries shows its repeats' -r
complete -c gpwh -n "__fish_gpwh_using_subcommand listen" -l delay -d 'Answer each delivery only after DURATION (15s, 1m), once it is logged: to find the sender\'s timeout' -r
complete -c gpwh -n "__fish_gpwh_using_subcommand listen" -l tunnel -d 'Start this tunnel program, pointed at the listener, and print the public https:// URL it announces, to paste into GamePush\'s project settings (Trusted Sites > Webhooks); it is stopped with listen' -r -f -a "cloudflared\t'cloudflared\'s quick tunnel (`cloudflared tunnel --url`): no account'
ngrok\t'ngrok (`ngrok http PORT`): needs its authtoken set up once'"
complete -c gpwh -n "__fish_gpwh_using_subcommand listen" -l tunnel-wait -d 'With --tunnel, how long to wait for the program to announce its URL' -r
complete -c gpwh -n "__fish_gpwh_using_subcommand listen" -l ui-addr -d 'Serve the inspector on ADDR (IP:PORT; port 0 picks a free one); implies --ui. An address other machines can reach is allowed, with a warning: the page shows player data' -r
complete -c gpwh -n "__fish_gpwh_using_subcommand listen" -l ui-token -d 'The inspector\'s token, which its page and API ask for, instead of a random one each run; implies --ui. Every user of the machine sees it in `ps`: prefer GPWH_UI_TOKEN. 16 or more letters, digits, \'-\', \'_\', \'.\' or \'~\', hard to guess (`openssl rand -hex 16` makes one)' -r
complete -c gpwh -n "__fish_gpwh_using_subcommand listen" -l ui-keep -d 'How many deliveries the inspector keeps and shows on opening' -r
complete -c gpwh -n "__fish_gpwh_using_subcommand listen" -l color -d 'When to colour JSON output: auto colours only on a terminal, and never when NO_COLOR is set or TERM is dumb' -r -f -a "auto\t'Colour on a terminal, unless NO_COLOR is set or TERM is dumb'
always\t'Always colour, even into a pipe or a file'
never\t'Never colour'"
complete -c gpwh -n "__fish_gpwh_using_subcommand listen" -l json -d 'Print one NDJSON record per request instead of a line and the payload'
complete -c gpwh -n "__fish_gpwh_using_subcommand listen" -l forward-invalid -d 'With --forward-to, forward invalid and malformed bodies too'
complete -c gpwh -n "__fish_gpwh_using_subcommand listen" -l ui -d 'Also serve the inspector, a page where deliveries appear live, open into their payload and replay, on http://127.0.0.1:8788/'
complete -c gpwh -n "__fish_gpwh_using_subcommand listen" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c gpwh -n "__fish_gpwh_using_subcommand probe" -l secret -d 'Your project\'s secret key. Where bodies are checked (verify, listen), repeat it to accept any of several, for key rotation. On a shared machine prefer GPWH_SECRET or --secret-file: arguments are seen in shell history and by `ps`' -r
complete -c gpwh -n "__fish_gpwh_using_subcommand probe" -l secret-file -d 'Read the secret key from a file (one trailing newline is removed); repeatable like --secret. When neither is given, the environment variable GPWH_SECRET is used' -r -F
complete -c gpwh -n "__fish_gpwh_using_subcommand probe" -l event -d 'The event of the valid body (any letter case)' -r -f -a "PurchasePlayerPurchase\t'Player made a purchase / subscribed'
ConsumePlayerPurchase\t'Player consumed purchase'
UnsubscribePlayerSubscription\t'Player unsubscribed from subscription'
ResumePlayerSubscription\t'Player resumed subscription'
ExpirePlayerSubscription\t'Player\'s subscription expired'
UnlockPlayerAchievement\t'Player unlocked an achievement'
PlayerSetAchievementProgress\t'Player set achievement progress'
PlayerPublishRecord\t'Player published a record'
SyncPlayer\t'Player synchronized progress'
GetPlayer\t'Player loaded progress'
GivePlayerReward\t'Player rewarded'
PlayerSendInviteToChannel\t'Player sent an invitation to a channel'
PlayerCancelInviteToChannel\t'Player canceled an invitation to a channel'
PlayerAcceptInviteToChannel\t'Player accepted an invitation to a channel'
PlayerRejectInviteToChannel\t'Player rejected an invitation to a channel'
PlayerJoinChannel\t'Player joined a channel'
PlayerLeaveChannel\t'Player left a channel'
PlayerCancelJoinChannel\t'Player canceled a join request to a channel'
PlayerAcceptJoinRequestToChannel\t'Player accepted a join request to a channel'
PlayerRejectJoinRequestToChannel\t'Player rejected a join request to a channel'
PlayerKickFromChannel\t'Player kicked another player from a channel'
PlayerSendPersonalMessage\t'Player sent a personal message'
PlayerSendFeedMessage\t'Player sent a message to a channel'
PlayerSendMessage\t'Player sent a message'
PlayerEditMessage\t'Player edited a message'
PlayerDeleteMessage\t'Player deleted a message'
PlayerMutePlayerInChannel\t'Player muted in a channel'
PlayerUnmutePlayerInChannel\t'Player unmuted in a channel'
PlayerCreateChannel\t'Player created a channel'
PlayerUpdateChannel\t'Player updated a channel'
PlayerDeleteChannel\t'Player deleted a channel'
UploadPlayerFile\t'Player uploaded a file'
UploadPlayerImage\t'Player uploaded an image'"
complete -c gpwh -n "__fish_gpwh_using_subcommand probe" -s H -l header -d 'Add a request header, or replace one (Content-Type is "text/plain; charset=utf-8" unless replaced; the content-type-* cases set their own); repeatable' -r
complete -c gpwh -n "__fish_gpwh_using_subcommand probe" -l timeout -d 'How long to wait for each answer: seconds (3) or a duration (3s, 1m)' -r
complete -c gpwh -n "__fish_gpwh_using_subcommand probe" -l skip -d 'Do not send the case called CASE (a name from the report, such as replayed-body); repeatable. Skipped cases are reported as skipped' -r
complete -c gpwh -n "__fish_gpwh_using_subcommand probe" -l wait -d 'Before the first case, wait until the URL answers HTTP, for up to DURATION (30s, 2m): for a server started a moment ago' -r
complete -c gpwh -n "__fish_gpwh_using_subcommand probe" -l junit -d 'Also write a JUnit XML report to PATH, for the test reports of GitHub, GitLab and Jenkins; written whatever the grades' -r -F
complete -c gpwh -n "__fish_gpwh_using_subcommand probe" -l cacert -d 'Trust the certificate authority in FILE (PEM) on top of the system\'s store: for a server whose certificate a private or company CA issued; repeatable. SSL_CERT_FILE and SSL_CERT_DIR, when set, replace the system\'s store' -r -F
complete -c gpwh -n "__fish_gpwh_using_subcommand probe" -l color -d 'When to colour JSON output: auto colours only on a terminal, and never when NO_COLOR is set or TERM is dumb' -r -f -a "auto\t'Colour on a terminal, unless NO_COLOR is set or TERM is dumb'
always\t'Always colour, even into a pipe or a file'
never\t'Never colour'"
complete -c gpwh -n "__fish_gpwh_using_subcommand probe" -l all-events -d 'Also send a valid body of each of the 33 listed events'
complete -c gpwh -n "__fish_gpwh_using_subcommand probe" -l real-players -d 'Send players as real ones are (player.test: false). By default every body\'s player is a test player, so that a handler can tell probe\'s deliveries, which take effect as real ones do, from a real player\'s'
complete -c gpwh -n "__fish_gpwh_using_subcommand probe" -l json -d 'Print one JSON report instead of lines: the URL, each case (name, grade, status, ms, reason, what the handler said), the counts and the advice'
complete -c gpwh -n "__fish_gpwh_using_subcommand probe" -l strict -d 'Exit 1 on warnings too, not only on failures'
complete -c gpwh -n "__fish_gpwh_using_subcommand probe" -l dry-run -d 'Print each case and the curl command that sends it, and send nothing'
complete -c gpwh -n "__fish_gpwh_using_subcommand probe" -s k -l insecure -d 'Do not check the server\'s certificate at all. Anyone on the way can then read and change what is sent: prefer --cacert'
complete -c gpwh -n "__fish_gpwh_using_subcommand probe" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c gpwh -n "__fish_gpwh_using_subcommand replay" -l to -d 'Where to send them' -r
complete -c gpwh -n "__fish_gpwh_using_subcommand replay" -l event -d 'Only deliveries of this event (any letter case)' -r
complete -c gpwh -n "__fish_gpwh_using_subcommand replay" -l since -d 'Only deliveries received at or after TIME (RFC 3339, or a duration ago: 2h, 1d)' -r
complete -c gpwh -n "__fish_gpwh_using_subcommand replay" -l until -d 'Only deliveries received at or before TIME (RFC 3339, or a duration ago)' -r
complete -c gpwh -n "__fish_gpwh_using_subcommand replay" -l only -d 'Only valid ones, refused ones, or those the app failed (answered other than 2xx, or could not be reached, with listen --forward-to)' -r -f -a "valid\t'Deliveries whose signature listen found valid'
refused\t'Deliveries listen refused'
failed\t'Deliveries the app answered other than 2xx, or did not answer'"
complete -c gpwh -n "__fish_gpwh_using_subcommand replay" -l id -d 'Only delivery N, as numbered in replay\'s output (the Nth record of the logs, from 1)' -r
complete -c gpwh -n "__fish_gpwh_using_subcommand replay" -l secret -d 'Your project\'s secret key. Where bodies are checked (verify, listen), repeat it to accept any of several, for key rotation. On a shared machine prefer GPWH_SECRET or --secret-file: arguments are seen in shell history and by `ps`' -r
complete -c gpwh -n "__fish_gpwh_using_subcommand replay" -l secret-file -d 'Read the secret key from a file (one trailing newline is removed); repeatable like --secret. When neither is given, the environment variable GPWH_SECRET is used' -r -F
complete -c gpwh -n "__fish_gpwh_using_subcommand replay" -l timeout -d 'Give up on an answer after DURATION' -r
complete -c gpwh -n "__fish_gpwh_using_subcommand replay" -l cacert -d 'Trust the certificate authority in FILE (PEM) on top of the system\'s store: for a server whose certificate a private or company CA issued; repeatable. SSL_CERT_FILE and SSL_CERT_DIR, when set, replace the system\'s store' -r -F
complete -c gpwh -n "__fish_gpwh_using_subcommand replay" -l color -d 'When to colour JSON output: auto colours only on a terminal, and never when NO_COLOR is set or TERM is dumb' -r -f -a "auto\t'Colour on a terminal, unless NO_COLOR is set or TERM is dumb'
always\t'Always colour, even into a pipe or a file'
never\t'Never colour'"
complete -c gpwh -n "__fish_gpwh_using_subcommand replay" -l resign -d 'Sign each payload again with your secret key after setting its time to now, for a handler with a replay window: only a body whose own signature verifies with a key given (repeat --secret for a key rotated out; the first signs), whatever the log says; the rest are skipped. Without it the bytes are sent untouched'
complete -c gpwh -n "__fish_gpwh_using_subcommand replay" -l dry-run -d 'Print the curl commands that would send them, and send nothing; --resign skips the same bodies'
complete -c gpwh -n "__fish_gpwh_using_subcommand replay" -s k -l insecure -d 'Do not check the server\'s certificate at all. Anyone on the way can then read and change what is sent: prefer --cacert'
complete -c gpwh -n "__fish_gpwh_using_subcommand replay" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c gpwh -n "__fish_gpwh_using_subcommand facts" -l color -d 'When to colour JSON output: auto colours only on a terminal, and never when NO_COLOR is set or TERM is dumb' -r -f -a "auto\t'Colour on a terminal, unless NO_COLOR is set or TERM is dumb'
always\t'Always colour, even into a pipe or a file'
never\t'Never colour'"
complete -c gpwh -n "__fish_gpwh_using_subcommand facts" -l json -d 'Print one JSON report instead of tables'
complete -c gpwh -n "__fish_gpwh_using_subcommand facts" -l markdown -d 'Print Markdown tables, to paste into an issue or a README'
complete -c gpwh -n "__fish_gpwh_using_subcommand facts" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c gpwh -n "__fish_gpwh_using_subcommand completions" -l color -d 'When to colour JSON output: auto colours only on a terminal, and never when NO_COLOR is set or TERM is dumb' -r -f -a "auto\t'Colour on a terminal, unless NO_COLOR is set or TERM is dumb'
always\t'Always colour, even into a pipe or a file'
never\t'Never colour'"
complete -c gpwh -n "__fish_gpwh_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c gpwh -n "__fish_gpwh_using_subcommand man" -l color -d 'When to colour JSON output: auto colours only on a terminal, and never when NO_COLOR is set or TERM is dumb' -r -f -a "auto\t'Colour on a terminal, unless NO_COLOR is set or TERM is dumb'
always\t'Always colour, even into a pipe or a file'
never\t'Never colour'"
complete -c gpwh -n "__fish_gpwh_using_subcommand man" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c gpwh -n "__fish_gpwh_using_subcommand help; and not __fish_seen_subcommand_from decode verify sign events send listen probe replay facts completions man help" -f -a "decode" -d 'Show a body\'s payload as JSON, without checking its signature'
complete -c gpwh -n "__fish_gpwh_using_subcommand help; and not __fish_seen_subcommand_from decode verify sign events send listen probe replay facts completions man help" -f -a "verify" -d 'Check that a body was signed with your secret key, and show its payload'
complete -c gpwh -n "__fish_gpwh_using_subcommand help; and not __fish_seen_subcommand_from decode verify sign events send listen probe replay facts completions man help" -f -a "sign" -d 'Sign JSON as GamePush does, to make test bodies'
complete -c gpwh -n "__fish_gpwh_using_subcommand help; and not __fish_seen_subcommand_from decode verify sign events send listen probe replay facts completions man help" -f -a "events" -d 'List the event types, or show one'
complete -c gpwh -n "__fish_gpwh_using_subcommand help; and not __fish_seen_subcommand_from decode verify sign events send listen probe replay facts completions man help" -f -a "send" -d 'Sign a body as sign does, or take a captured one, and POST it to a URL'
complete -c gpwh -n "__fish_gpwh_using_subcommand help; and not __fish_seen_subcommand_from decode verify sign events send listen probe replay facts completions man help" -f -a "listen" -d 'Receive webhooks on a local HTTP server, verify each, and show or forward them'
complete -c gpwh -n "__fish_gpwh_using_subcommand help; and not __fish_seen_subcommand_from decode verify sign events send listen probe replay facts completions man help" -f -a "probe" -d 'Grade your webhook handler: send it valid, forged and malformed bodies and check each answer'
complete -c gpwh -n "__fish_gpwh_using_subcommand help; and not __fish_seen_subcommand_from decode verify sign events send listen probe replay facts completions man help" -f -a "replay" -d 'Send the deliveries that listen logged (--log) again to a URL, byte for byte'
complete -c gpwh -n "__fish_gpwh_using_subcommand help; and not __fish_seen_subcommand_from decode verify sign events send listen probe replay facts completions man help" -f -a "facts" -d 'Tell what the deliveries that listen logged (--log) say about their sender'
complete -c gpwh -n "__fish_gpwh_using_subcommand help; and not __fish_seen_subcommand_from decode verify sign events send listen probe replay facts completions man help" -f -a "completions" -d 'Print a shell completion script'
complete -c gpwh -n "__fish_gpwh_using_subcommand help; and not __fish_seen_subcommand_from decode verify sign events send listen probe replay facts completions man help" -f -a "man" -d 'Print the man page (roff)'
complete -c gpwh -n "__fish_gpwh_using_subcommand help; and not __fish_seen_subcommand_from decode verify sign events send listen probe replay facts completions man help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
