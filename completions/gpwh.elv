
use builtin;
use str;

set edit:completion:arg-completer[gpwh] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'gpwh'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'gpwh'= {
            cand --color 'When to colour JSON output: auto colours only on a terminal, and never when NO_COLOR is set or TERM is dumb'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand decode 'Show a body''s payload as JSON, without checking its signature'
            cand verify 'Check that a body was signed with your secret key, and show its payload'
            cand sign 'Sign JSON as GamePush does, to make test bodies'
            cand events 'List the event types, or show one'
            cand send 'Sign a body as sign does, or take a captured one, and POST it to a URL'
            cand listen 'Receive webhooks on a local HTTP server, verify each, and show or forward them'
            cand probe 'Grade your webhook handler: send it valid, forged and malformed bodies and check each answer'
            cand replay 'Send the deliveries that listen logged (--log) again to a URL, byte for byte'
            cand facts 'Tell what the deliveries that listen logged (--log) say about their sender'
            cand completions 'Print a shell completion script'
            cand man 'Print the man page (roff)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'gpwh;decode'= {
            cand -f 'Read the body from a file; with --lines, repeatable, read after any BODY arguments'
            cand --file 'Read the body from a file; with --lines, repeatable, read after any BODY arguments'
            cand --color 'When to colour JSON output: auto colours only on a terminal, and never when NO_COLOR is set or TERM is dumb'
            cand --lines 'Read many bodies, one per non-empty line (LF or CRLF), using every core; write one NDJSON record per body, in input order'
            cand -c 'Print JSON on one line instead of pretty'
            cand --compact 'Print JSON on one line instead of pretty'
            cand -r 'Print the decoded payload bytes exactly as they were encoded'
            cand --raw 'Print the decoded payload bytes exactly as they were encoded'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'gpwh;verify'= {
            cand -f 'Read the body from a file; with --lines, repeatable, read after any BODY arguments'
            cand --file 'Read the body from a file; with --lines, repeatable, read after any BODY arguments'
            cand --secret 'Your project''s secret key. Where bodies are checked (verify, listen), repeat it to accept any of several, for key rotation. On a shared machine prefer GPWH_SECRET or --secret-file: arguments are seen in shell history and by `ps`'
            cand --secret-file 'Read the secret key from a file (one trailing newline is removed); repeatable like --secret. When neither is given, the environment variable GPWH_SECRET is used'
            cand --max-age 'Refuse a validly signed body whose payload time is older than DURATION (90s, 5m, 2h, 1d) or more than 60s in the future: a replayed capture. Without it, the time is not checked'
            cand --color 'When to colour JSON output: auto colours only on a terminal, and never when NO_COLOR is set or TERM is dumb'
            cand --lines 'Read many bodies, one per non-empty line (LF or CRLF), using every core; write one NDJSON record per body, in input order'
            cand -c 'Print JSON on one line instead of pretty'
            cand --compact 'Print JSON on one line instead of pretty'
            cand -r 'Print the decoded payload bytes exactly as they were encoded'
            cand --raw 'Print the decoded payload bytes exactly as they were encoded'
            cand --json 'Print a JSON verdict instead of the payload, for valid and invalid bodies alike (the exit code stays the same)'
            cand -q 'Print nothing on standard output: the exit code is the answer'
            cand --quiet 'Print nothing on standard output: the exit code is the answer'
            cand --invalid-only 'With --lines, write verdicts only for bodies that fail'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'gpwh;sign'= {
            cand -f 'Read the JSON payload from a file'
            cand --file 'Read the JSON payload from a file'
            cand --event 'Sign a realistic template payload for this event (any letter case) instead of reading JSON; see `gpwh events NAME`'
            cand --secret 'Your project''s secret key. Where bodies are checked (verify, listen), repeat it to accept any of several, for key rotation. On a shared machine prefer GPWH_SECRET or --secret-file: arguments are seen in shell history and by `ps`'
            cand --secret-file 'Read the secret key from a file (one trailing newline is removed); repeatable like --secret. When neither is given, the environment variable GPWH_SECRET is used'
            cand --encoding 'How to write the signature'
            cand --set 'Set a field: PATH is dotted (player.id), VALUE is taken as JSON when it parses as JSON, else as a string; missing objects are created'
            cand --set-str 'Set a field to a string, whatever VALUE looks like'
            cand --unset 'Remove a field'
            cand --player-id 'Set player.id'
            cand --project-id 'Set player.projectId'
            cand --platform 'Set player.platformType (NONE, YANDEX, VK, CRAZY_GAMES, GOOGLE_PLAY, ...)'
            cand --time 'Set time (with --event, every time in the template): an RFC 3339 time, or now. A fixed time makes the output the same on every run: a purchase then keeps the template''s id, where otherwise each is new'
            cand --color 'When to colour JSON output: auto colours only on a terminal, and never when NO_COLOR is set or TERM is dumb'
            cand --verbatim 'Sign the JSON text as given instead of compacting it first (the whitespace around it is still dropped)'
            cand --test-player 'Make the player a test player (player.test = true)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'gpwh;events'= {
            cand --color 'When to colour JSON output: auto colours only on a terminal, and never when NO_COLOR is set or TERM is dumb'
            cand --json 'Print JSON instead of text'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'gpwh;send'= {
            cand -f 'Read the JSON payload from a file'
            cand --file 'Read the JSON payload from a file'
            cand --event 'Sign a realistic template payload for this event (any letter case) instead of reading JSON; see `gpwh events NAME`'
            cand --secret 'Your project''s secret key. Where bodies are checked (verify, listen), repeat it to accept any of several, for key rotation. On a shared machine prefer GPWH_SECRET or --secret-file: arguments are seen in shell history and by `ps`'
            cand --secret-file 'Read the secret key from a file (one trailing newline is removed); repeatable like --secret. When neither is given, the environment variable GPWH_SECRET is used'
            cand --encoding 'How to write the signature'
            cand --set 'Set a field: PATH is dotted (player.id), VALUE is taken as JSON when it parses as JSON, else as a string; missing objects are created'
            cand --set-str 'Set a field to a string, whatever VALUE looks like'
            cand --unset 'Remove a field'
            cand --player-id 'Set player.id'
            cand --project-id 'Set player.projectId'
            cand --platform 'Set player.platformType (NONE, YANDEX, VK, CRAZY_GAMES, GOOGLE_PLAY, ...)'
            cand --time 'Set time (with --event, every time in the template): an RFC 3339 time, or now. A fixed time makes the output the same on every run: a purchase then keeps the template''s id, where otherwise each is new'
            cand --body 'Send this captured body unchanged instead of signing one: the body, ''-'' for standard input, or @PATH'
            cand -H 'Add a request header, or replace one (Content-Type is "text/plain; charset=utf-8" unless replaced); repeatable'
            cand --header 'Add a request header, or replace one (Content-Type is "text/plain; charset=utf-8" unless replaced); repeatable'
            cand --timeout 'How long to wait for the whole exchange: seconds (3) or a duration (3s, 1m)'
            cand --cacert 'Trust the certificate authority in FILE (PEM) on top of the system''s store: for a server whose certificate a private or company CA issued; repeatable. SSL_CERT_FILE and SSL_CERT_DIR, when set, replace the system''s store'
            cand --color 'When to colour JSON output: auto colours only on a terminal, and never when NO_COLOR is set or TERM is dumb'
            cand --verbatim 'Sign the JSON text as given instead of compacting it first (the whitespace around it is still dropped)'
            cand --test-player 'Make the player a test player (player.test = true)'
            cand --dry-run 'Print the equivalent curl command, body inline, instead of sending'
            cand -k 'Do not check the server''s certificate at all. Anyone on the way can then read and change what is sent: prefer --cacert'
            cand --insecure 'Do not check the server''s certificate at all. Anyone on the way can then read and change what is sent: prefer --cacert'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'gpwh;listen'= {
            cand --host 'The address to listen on'
            cand --port 'The port to listen on; 0 picks a free one (the address is printed on stderr as soon as gpwh listens)'
            cand --secret 'Your project''s secret key. Where bodies are checked (verify, listen), repeat it to accept any of several, for key rotation. On a shared machine prefer GPWH_SECRET or --secret-file: arguments are seen in shell history and by `ps`'
            cand --secret-file 'Read the secret key from a file (one trailing newline is removed); repeatable like --secret. When neither is given, the environment variable GPWH_SECRET is used'
            cand --max-age 'Refuse validly signed bodies older than DURATION or more than 60s in the future, as verify does'
            cand --max-body 'Answer 413 to bodies larger than this: bytes, or with K or M (KiB, MiB), at most 16M, the largest body gpwh verifies'
            cand --log 'Append one JSON line per request to FILE (time, remote address, path, headers, verdict, event and the raw body), written before answering'
            cand --forward-to 'Forward each valid body, with its headers, to your app at URL, and answer with the app''s status and body'
            cand --forward-timeout 'With --forward-to, how long the app may take to answer before the sender gets 504'
            cand --forward-cacert 'With --forward-to an https:// URL, trust the certificate authority in FILE (PEM) on top of the system''s store; repeatable'
            cand --max-connections 'How many connections to serve at once; past it, new ones wait until one ends. By default 512, or fewer if the limit on open files leaves room for fewer'
            cand --max-buffered 'How many bytes of requests to hold at once, across all connections: bodies being read or answered (through --delay too) and the inspector''s deliveries. Past it, a sender gets 503 with Retry-After. Bytes, or with K or M (KiB, MiB); at least --max-body'
            cand --read-timeout 'How long a body may take to arrive once its headers are in; past it the sender gets 408 (headers themselves must arrive within 10s)'
            cand --respond 'Answer every delivery with STATUS, whatever its verdict (and, with --forward-to, whatever the app answered): to see what the sender does with it. Logged as given'
            cand --fail-first 'Answer 503 to the first N deliveries of each body, then as usual (or --respond): a sender that retries shows its repeats'
            cand --delay 'Answer each delivery only after DURATION (15s, 1m), once it is logged: to find the sender''s timeout'
            cand --tunnel 'Start this tunnel program, pointed at the listener, and print the public https:// URL it announces, to paste into GamePush''s project settings (Trusted Sites > Webhooks); it is stopped with listen'
            cand --tunnel-wait 'With --tunnel, how long to wait for the program to announce its URL'
            cand --ui-addr 'Serve the inspector on ADDR (IP:PORT; port 0 picks a free one); implies --ui. An address other machines can reach is allowed, with a warning: the page shows player data'
            cand --ui-token 'The inspector''s token, which its page and API ask for, instead of a random one each run; implies --ui. Every user of the machine sees it in `ps`: prefer GPWH_UI_TOKEN. 16 or more letters, digits, ''-'', ''_'', ''.'' or ''~'', hard to guess (`openssl rand -hex 16` makes one)'
            cand --ui-keep 'How many deliveries the inspector keeps and shows on opening'
            cand --color 'When to colour JSON output: auto colours only on a terminal, and never when NO_COLOR is set or TERM is dumb'
            cand --json 'Print one NDJSON record per request instead of a line and the payload'
            cand --forward-invalid 'With --forward-to, forward invalid and malformed bodies too'
            cand --ui 'Also serve the inspector, a page where deliveries appear live, open into their payload and replay, on http://127.0.0.1:8788/'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'gpwh;probe'= {
            cand --secret 'Your project''s secret key. Where bodies are checked (verify, listen), repeat it to accept any of several, for key rotation. On a shared machine prefer GPWH_SECRET or --secret-file: arguments are seen in shell history and by `ps`'
            cand --secret-file 'Read the secret key from a file (one trailing newline is removed); repeatable like --secret. When neither is given, the environment variable GPWH_SECRET is used'
            cand --event 'The event of the valid body (any letter case)'
            cand -H 'Add a request header, or replace one (Content-Type is "text/plain; charset=utf-8" unless replaced; the content-type-* cases set their own); repeatable'
            cand --header 'Add a request header, or replace one (Content-Type is "text/plain; charset=utf-8" unless replaced; the content-type-* cases set their own); repeatable'
            cand --timeout 'How long to wait for each answer: seconds (3) or a duration (3s, 1m)'
            cand --skip 'Do not send the case called CASE (a name from the report, such as replayed-body); repeatable. Skipped cases are reported as skipped'
            cand --wait 'Before the first case, wait until the URL answers HTTP, for up to DURATION (30s, 2m): for a server started a moment ago'
            cand --junit 'Also write a JUnit XML report to PATH, for the test reports of GitHub, GitLab and Jenkins; written whatever the grades'
            cand --cacert 'Trust the certificate authority in FILE (PEM) on top of the system''s store: for a server whose certificate a private or company CA issued; repeatable. SSL_CERT_FILE and SSL_CERT_DIR, when set, replace the system''s store'
            cand --color 'When to colour JSON output: auto colours only on a terminal, and never when NO_COLOR is set or TERM is dumb'
            cand --all-events 'Also send a valid body of each of the 33 listed events'
            cand --real-players 'Send players as real ones are (player.test: false). By default every body''s player is a test player, so that a handler can tell probe''s deliveries, which take effect as real ones do, from a real player''s'
            cand --json 'Print one JSON report instead of lines: the URL, each case (name, grade, status, ms, reason, what the handler said), the counts and the advice'
            cand --strict 'Exit 1 on warnings too, not only on failures'
            cand --dry-run 'Print each case and the curl command that sends it, and send nothing'
            cand -k 'Do not check the server''s certificate at all. Anyone on the way can then read and change what is sent: prefer --cacert'
            cand --insecure 'Do not check the server''s certificate at all. Anyone on the way can then read and change what is sent: prefer --cacert'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'gpwh;replay'= {
            cand --to 'Where to send them'
            cand --event 'Only deliveries of this event (any letter case)'
            cand --since 'Only deliveries received at or after TIME (RFC 3339, or a duration ago: 2h, 1d)'
            cand --until 'Only deliveries received at or before TIME (RFC 3339, or a duration ago)'
            cand --only 'Only valid ones, refused ones, or those the app failed (answered other than 2xx, or could not be reached, with listen --forward-to)'
            cand --id 'Only delivery N, as numbered in replay''s output (the Nth record of the logs, from 1)'
            cand --secret 'Your project''s secret key. Where bodies are checked (verify, listen), repeat it to accept any of several, for key rotation. On a shared machine prefer GPWH_SECRET or --secret-file: arguments are seen in shell history and by `ps`'
            cand --secret-file 'Read the secret key from a file (one trailing newline is removed); repeatable like --secret. When neither is given, the environment variable GPWH_SECRET is used'
            cand --timeout 'Give up on an answer after DURATION'
            cand --cacert 'Trust the certificate authority in FILE (PEM) on top of the system''s store: for a server whose certificate a private or company CA issued; repeatable. SSL_CERT_FILE and SSL_CERT_DIR, when set, replace the system''s store'
            cand --color 'When to colour JSON output: auto colours only on a terminal, and never when NO_COLOR is set or TERM is dumb'
            cand --resign 'Sign each payload again with your secret key after setting its time to now, for a handler with a replay window: only a body whose own signature verifies with a key given (repeat --secret for a key rotated out; the first signs), whatever the log says; the rest are skipped. Without it the bytes are sent untouched'
            cand --dry-run 'Print the curl commands that would send them, and send nothing; --resign skips the same bodies'
            cand -k 'Do not check the server''s certificate at all. Anyone on the way can then read and change what is sent: prefer --cacert'
            cand --insecure 'Do not check the server''s certificate at all. Anyone on the way can then read and change what is sent: prefer --cacert'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'gpwh;facts'= {
            cand --color 'When to colour JSON output: auto colours only on a terminal, and never when NO_COLOR is set or TERM is dumb'
            cand --json 'Print one JSON report instead of tables'
            cand --markdown 'Print Markdown tables, to paste into an issue or a README'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'gpwh;completions'= {
            cand --color 'When to colour JSON output: auto colours only on a terminal, and never when NO_COLOR is set or TERM is dumb'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'gpwh;man'= {
            cand --color 'When to colour JSON output: auto colours only on a terminal, and never when NO_COLOR is set or TERM is dumb'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'gpwh;help'= {
            cand decode 'Show a body''s payload as JSON, without checking its signature'
            cand verify 'Check that a body was signed with your secret key, and show its payload'
            cand sign 'Sign JSON as GamePush does, to make test bodies'
            cand events 'List the event types, or show one'
            cand send 'Sign a body as sign does, or take a captured one, and POST it to a URL'
            cand listen 'Receive webhooks on a local HTTP server, verify each, and show or forward them'
            cand probe 'Grade your webhook handler: send it valid, forged and malformed bodies and check each answer'
            cand replay 'Send the deliveries that listen logged (--log) again to a URL, byte for byte'
            cand facts 'Tell what the deliveries that listen logged (--log) say about their sender'
            cand completions 'Print a shell completion script'
            cand man 'Print the man page (roff)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'gpwh;help;decode'= {
        }
        &'gpwh;help;verify'= {
        }
        &'gpwh;help;sign'= {
        }
        &'gpwh;help;events'= {
        }
        &'gpwh;help;send'= {
        }
        &'gpwh;help;listen'= {
        }
        &'gpwh;help;probe'= {
        }
        &'gpwh;help;replay'= {
        }
        &'gpwh;help;facts'= {
        }
        &'gpwh;help;completions'= {
        }
        &'gpwh;help;man'= {
        }
        &'gpwh;help;help'= {
        }
    ]
    $completions[$command]
}
