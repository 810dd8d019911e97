<?php
// A GamePush webhook receiver in PHP, with PDO and nothing else. Copy it
// with gamepush.php behind your web server (PHP-FPM or Apache, with the
// limits read_body() names), or try it as it is on PHP's development server:
//
//   GPWH_SECRET='your secret key' php -S 127.0.0.1:3000 receiver.php
//
// and check it with: gpwh probe --all-events --strict http://127.0.0.1:3000/
//
// Environment: GPWH_SECRET (required), MAX_AGE_SECONDS (259200, 72 hours:
// how old a body may be; gamepush.php says why so long), DATABASE_URL
// (where the keys of handled deliveries and the grants are kept: unset or
// empty, the SQLite file gamepush.sqlite3 in the working directory;
// sqlite:PATH; postgres://user:password@host:5432/database). PHP has no
// start-up step: each request checks them, and a wrong one is answered 500
// with the reason in the server's log.

declare(strict_types=1);

require __DIR__ . '/gamepush.php';

/**
 * Your game's work, run once per delivery, on the transaction that also
 * holds the delivery's key: whatever it writes with $db is committed with
 * the key, or rolled back with it when anything throws (the delivery is then
 * answered 500, and handled when it comes again). receive() answers a repeat
 * 2xx without running it again. Every event must be answered 2xx, including
 * events you do not handle: GamePush adds new ones.
 *
 * The demo records a grant for every delivery; a game would give what
 * $payload['result'] describes to the player, in the same way.
 */
function handle(array $payload, string $key, PDO $db): void
{
    $event = $payload['event'] ?? '';
    $grant = $db->prepare('INSERT INTO grants (delivery_key, event, player_id) VALUES (?, ?, ?)');
    $grant->execute([
        $key,
        is_string($event) ? $event : json_encode($event),
        whole_number($payload['player']['id'] ?? null),
    ]);
}

/**
 * The body as received, or null when it is larger than MAX_BODY: refused
 * by its declared length before a byte is read, or, with none declared
 * (chunked), read in pieces and refused at the limit, so that PHP never
 * holds more than MAX_BODY of it.
 *
 * Under PHP-FPM or Apache this bounds what PHP reads. `php -S` (PHP's
 * development server) reads every request whole before running any script
 * and has no timeouts: in production, let the web server refuse first
 * (nginx: client_max_body_size 1m; client_body_timeout 30s; Apache:
 * LimitRequestBody 1048576 and mod_reqtimeout).
 */
function read_body(): ?string
{
    $declared = $_SERVER['CONTENT_LENGTH'] ?? '';
    if ($declared !== '' && (!ctype_digit($declared) || strlen($declared) > 18 || (int) $declared > MAX_BODY)) {
        return null;
    }
    $input = fopen('php://input', 'rb');
    if ($input === false) {
        return '';
    }
    $raw = '';
    while (!feof($input)) {
        $piece = fread($input, 65536);
        if ($piece === false || $piece === '') {
            break;
        }
        $raw .= $piece;
        if (strlen($raw) > MAX_BODY) {
            fclose($input);
            return null;
        }
    }
    fclose($input);
    return $raw;
}

function answer(int $status, string $text): void
{
    http_response_code($status);
    header('Content-Type: text/plain; charset=utf-8');
    echo $text, "\n";
}

$secret = (string) getenv('GPWH_SECRET');
if ($secret === '') {
    error_log("set GPWH_SECRET to your project's secret key");
    answer(500, 'receiver not configured');
    return;
}
try {
    // Only read here: the database is opened for a verified delivery alone.
    $database = Database::fromUrl((string) getenv('DATABASE_URL'));
} catch (InvalidArgumentException $wrong) {
    error_log($wrong->getMessage());
    answer(500, 'receiver not configured');
    return;
}
if ($_SERVER['REQUEST_METHOD'] !== 'POST') {
    header('Allow: POST');
    answer(405, 'POST only');
    return;
}
// The trap: $_POST (and a framework's $request->request) is PHP's parse of
// a body labelled as a form, not the bytes that were signed. php://input is
// those bytes, whatever the Content-Type.
$raw = read_body();
if ($raw === null) {
    header('Connection: close');
    answer(413, 'body too large');
    return;
}
$maxAge = (float) (getenv('MAX_AGE_SECONDS') ?: MAX_AGE_SECONDS);
answer(...receive($raw, $secret, $database, 'handle', $maxAge));
