
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'gpwh' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'gpwh'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'gpwh' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour JSON output: auto colours only on a terminal, and never when NO_COLOR is set or TERM is dumb')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('decode', 'decode', [CompletionResultType]::ParameterValue, 'Show a body''s payload as JSON, without checking its signature')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check that a body was signed with your secret key, and show its payload')
            [CompletionResult]::new('sign', 'sign', [CompletionResultType]::ParameterValue, 'Sign JSON as GamePush does, to make test bodies')
            [CompletionResult]::new('events', 'events', [CompletionResultType]::ParameterValue, 'List the event types, or show one')
            [CompletionResult]::new('send', 'send', [CompletionResultType]::ParameterValue, 'Sign a body as sign does, or take a captured one, and POST it to a URL')
            [CompletionResult]::new('listen', 'listen', [CompletionResultType]::ParameterValue, 'Receive webhooks on a local HTTP server, verify each, and show or forward them')
            [CompletionResult]::new('probe', 'probe', [CompletionResultType]::ParameterValue, 'Grade your webhook handler: send it valid, forged and malformed bodies and check each answer')
            [CompletionResult]::new('replay', 'replay', [CompletionResultType]::ParameterValue, 'Send the deliveries that listen logged (--log) again to a URL, byte for byte')
            [CompletionResult]::new('facts', 'facts', [CompletionResultType]::ParameterValue, 'Tell what the deliveries that listen logged (--log) say about their sender')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page (roff)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'gpwh;decode' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Read the body from a file; with --lines, repeatable, read after any BODY arguments')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'Read the body from a file; with --lines, repeatable, read after any BODY arguments')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour JSON output: auto colours only on a terminal, and never when NO_COLOR is set or TERM is dumb')
            [CompletionResult]::new('--lines', '--lines', [CompletionResultType]::ParameterName, 'Read many bodies, one per non-empty line (LF or CRLF), using every core; write one NDJSON record per body, in input order')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Print JSON on one line instead of pretty')
            [CompletionResult]::new('--compact', '--compact', [CompletionResultType]::ParameterName, 'Print JSON on one line instead of pretty')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'Print the decoded payload bytes exactly as they were encoded')
            [CompletionResult]::new('--raw', '--raw', [CompletionResultType]::ParameterName, 'Print the decoded payload bytes exactly as they were encoded')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'gpwh;verify' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Read the body from a file; with --lines, repeatable, read after any BODY arguments')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'Read the body from a file; with --lines, repeatable, read after any BODY arguments')
            [CompletionResult]::new('--secret', '--secret', [CompletionResultType]::ParameterName, 'Your project''s secret key. Where bodies are checked (verify, listen), repeat it to accept any of several, for key rotation. On a shared machine prefer GPWH_SECRET or --secret-file: arguments are seen in shell history and by `ps`')
            [CompletionResult]::new('--secret-file', '--secret-file', [CompletionResultType]::ParameterName, 'Read the secret key from a file (one trailing newline is removed); repeatable like --secret. When neither is given, the environment variable GPWH_SECRET is used')
            [CompletionResult]::new('--max-age', '--max-age', [CompletionResultType]::ParameterName, 'Refuse a validly signed body whose payload time is older than DURATION (90s, 5m, 2h, 1d) or more than 60s in the future: a replayed capture. Without it, the time is not checked')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour JSON output: auto colours only on a terminal, and never when NO_COLOR is set or TERM is dumb')
            [CompletionResult]::new('--lines', '--lines', [CompletionResultType]::ParameterName, 'Read many bodies, one per non-empty line (LF or CRLF), using every core; write one NDJSON record per body, in input order')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Print JSON on one line instead of pretty')
            [CompletionResult]::new('--compact', '--compact', [CompletionResultType]::ParameterName, 'Print JSON on one line instead of pretty')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'Print the decoded payload bytes exactly as they were encoded')
            [CompletionResult]::new('--raw', '--raw', [CompletionResultType]::ParameterName, 'Print the decoded payload bytes exactly as they were encoded')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print a JSON verdict instead of the payload, for valid and invalid bodies alike (the exit code stays the same)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on standard output: the exit code is the answer')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on standard output: the exit code is the answer')
            [CompletionResult]::new('--invalid-only', '--invalid-only', [CompletionResultType]::ParameterName, 'With --lines, write verdicts only for bodies that fail')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'gpwh;sign' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Read the JSON payload from a file')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'Read the JSON payload from a file')
            [CompletionResult]::new('--event', '--event', [CompletionResultType]::ParameterName, 'Sign a realistic template payload for this event (any letter case) instead of reading JSON; see `gpwh events NAME`')
            [CompletionResult]::new('--secret', '--secret', [CompletionResultType]::ParameterName, 'Your project''s secret key. Where bodies are checked (verify, listen), repeat it to accept any of several, for key rotation. On a shared machine prefer GPWH_SECRET or --secret-file: arguments are seen in shell history and by `ps`')
            [CompletionResult]::new('--secret-file', '--secret-file', [CompletionResultType]::ParameterName, 'Read the secret key from a file (one trailing newline is removed); repeatable like --secret. When neither is given, the environment variable GPWH_SECRET is used')
            [CompletionResult]::new('--encoding', '--encoding', [CompletionResultType]::ParameterName, 'How to write the signature')
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'Set a field: PATH is dotted (player.id), VALUE is taken as JSON when it parses as JSON, else as a string; missing objects are created')
            [CompletionResult]::new('--set-str', '--set-str', [CompletionResultType]::ParameterName, 'Set a field to a string, whatever VALUE looks like')
            [CompletionResult]::new('--unset', '--unset', [CompletionResultType]::ParameterName, 'Remove a field')
            [CompletionResult]::new('--player-id', '--player-id', [CompletionResultType]::ParameterName, 'Set player.id')
            [CompletionResult]::new('--project-id', '--project-id', [CompletionResultType]::ParameterName, 'Set player.projectId')
            [CompletionResult]::new('--platform', '--platform', [CompletionResultType]::ParameterName, 'Set player.platformType (NONE, YANDEX, VK, CRAZY_GAMES, GOOGLE_PLAY, ...)')
            [CompletionResult]::new('--time', '--time', [CompletionResultType]::ParameterName, 'Set time (with --event, every time in the template): an RFC 3339 time, or now. A fixed time makes the output the same on every run: a purchase then keeps the template''s id, where otherwise each is new')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour JSON output: auto colours only on a terminal, and never when NO_COLOR is set or TERM is dumb')
            [CompletionResult]::new('--verbatim', '--verbatim', [CompletionResultType]::ParameterName, 'Sign the JSON text as given instead of compacting it first (the whitespace around it is still dropped)')
            [CompletionResult]::new('--test-player', '--test-player', [CompletionResultType]::ParameterName, 'Make the player a test player (player.test = true)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'gpwh;events' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour JSON output: auto colours only on a terminal, and never when NO_COLOR is set or TERM is dumb')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON instead of text')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'gpwh;send' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Read the JSON payload from a file')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'Read the JSON payload from a file')
            [CompletionResult]::new('--event', '--event', [CompletionResultType]::ParameterName, 'Sign a realistic template payload for this event (any letter case) instead of reading JSON; see `gpwh events NAME`')
            [CompletionResult]::new('--secret', '--secret', [CompletionResultType]::ParameterName, 'Your project''s secret key. Where bodies are checked (verify, listen), repeat it to accept any of several, for key rotation. On a shared machine prefer GPWH_SECRET or --secret-file: arguments are seen in shell history and by `ps`')
            [CompletionResult]::new('--secret-file', '--secret-file', [CompletionResultType]::ParameterName, 'Read the secret key from a file (one trailing newline is removed); repeatable like --secret. When neither is given, the environment variable GPWH_SECRET is used')
            [CompletionResult]::new('--encoding', '--encoding', [CompletionResultType]::ParameterName, 'How to write the signature')
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'Set a field: PATH is dotted (player.id), VALUE is taken as JSON when it parses as JSON, else as a string; missing objects are created')
            [CompletionResult]::new('--set-str', '--set-str', [CompletionResultType]::ParameterName, 'Set a field to a string, whatever VALUE looks like')
            [CompletionResult]::new('--unset', '--unset', [CompletionResultType]::ParameterName, 'Remove a field')
            [CompletionResult]::new('--player-id', '--player-id', [CompletionResultType]::ParameterName, 'Set player.id')
            [CompletionResult]::new('--project-id', '--project-id', [CompletionResultType]::ParameterName, 'Set player.projectId')
            [CompletionResult]::new('--platform', '--platform', [CompletionResultType]::ParameterName, 'Set player.platformType (NONE, YANDEX, VK, CRAZY_GAMES, GOOGLE_PLAY, ...)')
            [CompletionResult]::new('--time', '--time', [CompletionResultType]::ParameterName, 'Set time (with --event, every time in the template): an RFC 3339 time, or now. A fixed time makes the output the same on every run: a purchase then keeps the template''s id, where otherwise each is new')
            [CompletionResult]::new('--body', '--body', [CompletionResultType]::ParameterName, 'Send this captured body unchanged instead of signing one: the body, ''-'' for standard input, or @PATH')
            [CompletionResult]::new('-H', '-H ', [CompletionResultType]::ParameterName, 'Add a request header, or replace one (Content-Type is "text/plain; charset=utf-8" unless replaced); repeatable')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'Add a request header, or replace one (Content-Type is "text/plain; charset=utf-8" unless replaced); repeatable')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for the whole exchange: seconds (3) or a duration (3s, 1m)')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Trust the certificate authority in FILE (PEM) on top of the system''s store: for a server whose certificate a private or company CA issued; repeatable. SSL_CERT_FILE and SSL_CERT_DIR, when set, replace the system''s store')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour JSON output: auto colours only on a terminal, and never when NO_COLOR is set or TERM is dumb')
            [CompletionResult]::new('--verbatim', '--verbatim', [CompletionResultType]::ParameterName, 'Sign the JSON text as given instead of compacting it first (the whitespace around it is still dropped)')
            [CompletionResult]::new('--test-player', '--test-player', [CompletionResultType]::ParameterName, 'Make the player a test player (player.test = true)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the equivalent curl command, body inline, instead of sending')
            [CompletionResult]::new('-k', '-k', [CompletionResultType]::ParameterName, 'Do not check the server''s certificate at all. Anyone on the way can then read and change what is sent: prefer --cacert')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Do not check the server''s certificate at all. Anyone on the way can then read and change what is sent: prefer --cacert')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'gpwh;listen' {
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'The address to listen on')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'The port to listen on; 0 picks a free one (the address is printed on stderr as soon as gpwh listens)')
            [CompletionResult]::new('--secret', '--secret', [CompletionResultType]::ParameterName, 'Your project''s secret key. Where bodies are checked (verify, listen), repeat it to accept any of several, for key rotation. On a shared machine prefer GPWH_SECRET or --secret-file: arguments are seen in shell history and by `ps`')
            [CompletionResult]::new('--secret-file', '--secret-file', [CompletionResultType]::ParameterName, 'Read the secret key from a file (one trailing newline is removed); repeatable like --secret. When neither is given, the environment variable GPWH_SECRET is used')
            [CompletionResult]::new('--max-age', '--max-age', [CompletionResultType]::ParameterName, 'Refuse validly signed bodies older than DURATION or more than 60s in the future, as verify does')
            [CompletionResult]::new('--max-body', '--max-body', [CompletionResultType]::ParameterName, 'Answer 413 to bodies larger than this: bytes, or with K or M (KiB, MiB), at most 16M, the largest body gpwh verifies')
            [CompletionResult]::new('--log', '--log', [CompletionResultType]::ParameterName, 'Append one JSON line per request to FILE (time, remote address, path, headers, verdict, event and the raw body), written before answering')
            [CompletionResult]::new('--forward-to', '--forward-to', [CompletionResultType]::ParameterName, 'Forward each valid body, with its headers, to your app at URL, and answer with the app''s status and body')
            [CompletionResult]::new('--forward-timeout', '--forward-timeout', [CompletionResultType]::ParameterName, 'With --forward-to, how long the app may take to answer before the sender gets 504')
            [CompletionResult]::new('--forward-cacert', '--forward-cacert', [CompletionResultType]::ParameterName, 'With --forward-to an https:// URL, trust the certificate authority in FILE (PEM) on top of the system''s store; repeatable')
            [CompletionResult]::new('--max-connections', '--max-connections', [CompletionResultType]::ParameterName, 'How many connections to serve at once; past it, new ones wait until one ends. By default 512, or fewer if the limit on open files leaves room for fewer')
            [CompletionResult]::new('--max-buffered', '--max-buffered', [CompletionResultType]::ParameterName, 'How many bytes of requests to hold at once, across all connections: bodies being read or answered (through --delay too) and the inspector''s deliveries. Past it, a sender gets 503 with Retry-After. Bytes, or with K or M (KiB, MiB); at least --max-body')
            [CompletionResult]::new('--read-timeout', '--read-timeout', [CompletionResultType]::ParameterName, 'How long a body may take to arrive once its headers are in; past it the sender gets 408 (headers themselves must arrive within 10s)')
            [CompletionResult]::new('--respond', '--respond', [CompletionResultType]::ParameterName, 'Answer every delivery with STATUS, whatever its verdict (and, with --forward-to, whatever the app answered): to see what the sender does with it. Logged as given')
            [CompletionResult]::new('--fail-first', '--fail-first', [CompletionResultType]::ParameterName, 'Answer 503 to the first N deliveries of each body, then as usual (or --respond): a sender that retries shows its repeats')
            [CompletionResult]::new('--delay', '--delay', [CompletionResultType]::ParameterName, 'Answer each delivery only after DURATION (15s, 1m), once it is logged: to find the sender''s timeout')
            [CompletionResult]::new('--tunnel', '--tunnel', [CompletionResultType]::ParameterName, 'Start this tunnel program, pointed at the listener, and print the public https:// URL it announces, to paste into GamePush''s project settings (Trusted Sites > Webhooks); it is stopped with listen')
            [CompletionResult]::new('--tunnel-wait', '--tunnel-wait', [CompletionResultType]::ParameterName, 'With --tunnel, how long to wait for the program to announce its URL')
            [CompletionResult]::new('--ui-addr', '--ui-addr', [CompletionResultType]::ParameterName, 'Serve the inspector on ADDR (IP:PORT; port 0 picks a free one); implies --ui. An address other machines can reach is allowed, with a warning: the page shows player data')
            [CompletionResult]::new('--ui-token', '--ui-token', [CompletionResultType]::ParameterName, 'The inspector''s token, which its page and API ask for, instead of a random one each run; implies --ui. Every user of the machine sees it in `ps`: prefer GPWH_UI_TOKEN. 16 or more letters, digits, ''-'', ''_'', ''.'' or ''~'', hard to guess (`openssl rand -hex 16` makes one)')
            [CompletionResult]::new('--ui-keep', '--ui-keep', [CompletionResultType]::ParameterName, 'How many deliveries the inspector keeps and shows on opening')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour JSON output: auto colours only on a terminal, and never when NO_COLOR is set or TERM is dumb')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one NDJSON record per request instead of a line and the payload')
            [CompletionResult]::new('--forward-invalid', '--forward-invalid', [CompletionResultType]::ParameterName, 'With --forward-to, forward invalid and malformed bodies too')
            [CompletionResult]::new('--ui', '--ui', [CompletionResultType]::ParameterName, 'Also serve the inspector, a page where deliveries appear live, open into their payload and replay, on http://127.0.0.1:8788/')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'gpwh;probe' {
            [CompletionResult]::new('--secret', '--secret', [CompletionResultType]::ParameterName, 'Your project''s secret key. Where bodies are checked (verify, listen), repeat it to accept any of several, for key rotation. On a shared machine prefer GPWH_SECRET or --secret-file: arguments are seen in shell history and by `ps`')
            [CompletionResult]::new('--secret-file', '--secret-file', [CompletionResultType]::ParameterName, 'Read the secret key from a file (one trailing newline is removed); repeatable like --secret. When neither is given, the environment variable GPWH_SECRET is used')
            [CompletionResult]::new('--event', '--event', [CompletionResultType]::ParameterName, 'The event of the valid body (any letter case)')
            [CompletionResult]::new('-H', '-H ', [CompletionResultType]::ParameterName, 'Add a request header, or replace one (Content-Type is "text/plain; charset=utf-8" unless replaced; the content-type-* cases set their own); repeatable')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'Add a request header, or replace one (Content-Type is "text/plain; charset=utf-8" unless replaced; the content-type-* cases set their own); repeatable')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for each answer: seconds (3) or a duration (3s, 1m)')
            [CompletionResult]::new('--skip', '--skip', [CompletionResultType]::ParameterName, 'Do not send the case called CASE (a name from the report, such as replayed-body); repeatable. Skipped cases are reported as skipped')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Before the first case, wait until the URL answers HTTP, for up to DURATION (30s, 2m): for a server started a moment ago')
            [CompletionResult]::new('--junit', '--junit', [CompletionResultType]::ParameterName, 'Also write a JUnit XML report to PATH, for the test reports of GitHub, GitLab and Jenkins; written whatever the grades')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Trust the certificate authority in FILE (PEM) on top of the system''s store: for a server whose certificate a private or company CA issued; repeatable. SSL_CERT_FILE and SSL_CERT_DIR, when set, replace the system''s store')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour JSON output: auto colours only on a terminal, and never when NO_COLOR is set or TERM is dumb')
            [CompletionResult]::new('--all-events', '--all-events', [CompletionResultType]::ParameterName, 'Also send a valid body of each of the 33 listed events')
            [CompletionResult]::new('--real-players', '--real-players', [CompletionResultType]::ParameterName, 'Send players as real ones are (player.test: false). By default every body''s player is a test player, so that a handler can tell probe''s deliveries, which take effect as real ones do, from a real player''s')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON report instead of lines: the URL, each case (name, grade, status, ms, reason, what the handler said), the counts and the advice')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Exit 1 on warnings too, not only on failures')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print each case and the curl command that sends it, and send nothing')
            [CompletionResult]::new('-k', '-k', [CompletionResultType]::ParameterName, 'Do not check the server''s certificate at all. Anyone on the way can then read and change what is sent: prefer --cacert')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Do not check the server''s certificate at all. Anyone on the way can then read and change what is sent: prefer --cacert')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'gpwh;replay' {
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Where to send them')
            [CompletionResult]::new('--event', '--event', [CompletionResultType]::ParameterName, 'Only deliveries of this event (any letter case)')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only deliveries received at or after TIME (RFC 3339, or a duration ago: 2h, 1d)')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Only deliveries received at or before TIME (RFC 3339, or a duration ago)')
            [CompletionResult]::new('--only', '--only', [CompletionResultType]::ParameterName, 'Only valid ones, refused ones, or those the app failed (answered other than 2xx, or could not be reached, with listen --forward-to)')
            [CompletionResult]::new('--id', '--id', [CompletionResultType]::ParameterName, 'Only delivery N, as numbered in replay''s output (the Nth record of the logs, from 1)')
            [CompletionResult]::new('--secret', '--secret', [CompletionResultType]::ParameterName, 'Your project''s secret key. Where bodies are checked (verify, listen), repeat it to accept any of several, for key rotation. On a shared machine prefer GPWH_SECRET or --secret-file: arguments are seen in shell history and by `ps`')
            [CompletionResult]::new('--secret-file', '--secret-file', [CompletionResultType]::ParameterName, 'Read the secret key from a file (one trailing newline is removed); repeatable like --secret. When neither is given, the environment variable GPWH_SECRET is used')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on an answer after DURATION')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Trust the certificate authority in FILE (PEM) on top of the system''s store: for a server whose certificate a private or company CA issued; repeatable. SSL_CERT_FILE and SSL_CERT_DIR, when set, replace the system''s store')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour JSON output: auto colours only on a terminal, and never when NO_COLOR is set or TERM is dumb')
            [CompletionResult]::new('--resign', '--resign', [CompletionResultType]::ParameterName, 'Sign each payload again with your secret key after setting its time to now, for a handler with a replay window: only a body whose own signature verifies with a key given (repeat --secret for a key rotated out; the first signs), whatever the log says; the rest are skipped. Without it the bytes are sent untouched')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the curl commands that would send them, and send nothing; --resign skips the same bodies')
            [CompletionResult]::new('-k', '-k', [CompletionResultType]::ParameterName, 'Do not check the server''s certificate at all. Anyone on the way can then read and change what is sent: prefer --cacert')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Do not check the server''s certificate at all. Anyone on the way can then read and change what is sent: prefer --cacert')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'gpwh;facts' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour JSON output: auto colours only on a terminal, and never when NO_COLOR is set or TERM is dumb')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON report instead of tables')
            [CompletionResult]::new('--markdown', '--markdown', [CompletionResultType]::ParameterName, 'Print Markdown tables, to paste into an issue or a README')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'gpwh;completions' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour JSON output: auto colours only on a terminal, and never when NO_COLOR is set or TERM is dumb')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'gpwh;man' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour JSON output: auto colours only on a terminal, and never when NO_COLOR is set or TERM is dumb')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'gpwh;help' {
            [CompletionResult]::new('decode', 'decode', [CompletionResultType]::ParameterValue, 'Show a body''s payload as JSON, without checking its signature')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check that a body was signed with your secret key, and show its payload')
            [CompletionResult]::new('sign', 'sign', [CompletionResultType]::ParameterValue, 'Sign JSON as GamePush does, to make test bodies')
            [CompletionResult]::new('events', 'events', [CompletionResultType]::ParameterValue, 'List the event types, or show one')
            [CompletionResult]::new('send', 'send', [CompletionResultType]::ParameterValue, 'Sign a body as sign does, or take a captured one, and POST it to a URL')
            [CompletionResult]::new('listen', 'listen', [CompletionResultType]::ParameterValue, 'Receive webhooks on a local HTTP server, verify each, and show or forward them')
            [CompletionResult]::new('probe', 'probe', [CompletionResultType]::ParameterValue, 'Grade your webhook handler: send it valid, forged and malformed bodies and check each answer')
            [CompletionResult]::new('replay', 'replay', [CompletionResultType]::ParameterValue, 'Send the deliveries that listen logged (--log) again to a URL, byte for byte')
            [CompletionResult]::new('facts', 'facts', [CompletionResultType]::ParameterValue, 'Tell what the deliveries that listen logged (--log) say about their sender')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page (roff)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'gpwh;help;decode' {
            break
        }
        'gpwh;help;verify' {
            break
        }
        'gpwh;help;sign' {
            break
        }
        'gpwh;help;events' {
            break
        }
        'gpwh;help;send' {
            break
        }
        'gpwh;help;listen' {
            break
        }
        'gpwh;help;probe' {
            break
        }
        'gpwh;help;replay' {
            break
        }
        'gpwh;help;facts' {
            break
        }
        'gpwh;help;completions' {
            break
        }
        'gpwh;help;man' {
            break
        }
        'gpwh;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
