<?php
// A GamePush webhook receiver in PHP, with nothing but the standard
// library. Copy it with gamepush.php behind your web server, or run it as
// it is:
//
//   GPWH_SECRET='your secret key' php -S 127.0.0.1:3000 receiver.php
//
// and check it with: gpwh probe --all-events --strict http://127.0.0.1:3000/
//
// Environment: GPWH_SECRET (required), MAX_AGE_SECONDS (259200, 72 hours:
// how old a body may be; gamepush.php says why so long), DELIVERIES_DIR
// (where the keys of handled deliveries are kept; by default a directory
// in the system's temporary directory whose name only the secret's holder
// can tell, so that no other user can make it first).

declare(strict_types=1);

require __DIR__ . '/gamepush.php';

/**
 * Your game's work, run once per delivery: receive() answers a repeat 2xx
 * without running it again. Every event must be answered 2xx, including
 * events you do not handle: GamePush adds new ones.
 */
function handle(array $payload): void
{
    switch ($payload['event'] ?? '') {
        case 'GivePlayerReward':
        case 'PurchasePlayerPurchase':
            // grant what $payload['result'] describes to $payload['player']['id']
            break;
    }
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
if ($_SERVER['REQUEST_METHOD'] !== 'POST') {
    header('Allow: POST');
    answer(405, 'POST only');
    return;
}
// The trap: $_POST (and a framework's $request->request) is PHP's parse of
// a body labelled as a form, not the bytes that were signed. php://input is
// those bytes, whatever the Content-Type.
$raw = (string) file_get_contents('php://input', false, null, 0, MAX_BODY + 1);
if (strlen($raw) > MAX_BODY) {
    answer(413, 'body too large');
    return;
}
$maxAge = (float) (getenv('MAX_AGE_SECONDS') ?: MAX_AGE_SECONDS);
$deliveries = new FileDeliveries(
    getenv('DELIVERIES_DIR')
        ?: sys_get_temp_dir() . '/gamepush-deliveries-' . substr(hash_hmac('sha256', 'deliveries', $secret), 0, 16),
    $maxAge,
);
answer(...receive($raw, $secret, $deliveries, 'handle', $maxAge));
