<?php
// Receiving GamePush webhooks in PHP, with nothing but the standard library
// (PHP 8.1 or later): check_body says whether a body is a genuine, fresh
// webhook, and receive hands each genuine delivery to your code once. Copy
// this file into your project as it is, and hand receive the raw body:
// file_get_contents('php://input'), never $_POST, which PHP fills by parsing
// a body labelled as a form.
//
// What is known, and what is not: the body is BASE64(JSON) "." SIGNATURE and
// the signature is SHA-256 over the first part, '_' and your secret key
// (documented). How the digest is written is not documented (lowercase hex
// is likely, base64 possible), nor whether or when GamePush sends a delivery
// again. So every way of writing the same 32 bytes is accepted, each
// delivery is acted on once, and the window on `time` is wide enough for any
// redelivery schedule.

declare(strict_types=1);

// Webhooks are a few kilobytes; a larger body is not one.
const MAX_BODY = 1 << 20;
// How old a body may be: 72 hours. `time` is when the operation happened,
// and a delivery sent again after your server was down most likely carries
// that time: a window of minutes would refuse it and lose the purchase. The
// delivery key, not the window, is what stops a captured body replayed.
const MAX_AGE_SECONDS = 72 * 60 * 60;
// A clock a little ahead of ours is not an attack.
const CLOCK_SKEW = 60;
// Events that happen once per purchase, whichever body carries them.
const ONCE_PER_PURCHASE = ['PurchasePlayerPurchase', 'ConsumePlayerPurchase'];

final class Refused extends Exception {}

/** The payload of a genuine, fresh webhook body; throws Refused otherwise. */
function check_body(string $raw, string $secret, float $maxAge = MAX_AGE_SECONDS, ?float $now = null): array
{
    // BASE64(JSON) "." SIGNATURE, exactly as received: the signature covers
    // those bytes. '.' is in no base64 alphabet, so the last one separates.
    $body = trim($raw, " \t\r\n");
    $dot = strrpos($body, '.');
    if ($dot === false) {
        throw new Refused('no signature');
    }
    $payloadPart = substr($body, 0, $dot);

    // SHA-256 over the payload part as received, '_', and the secret. The
    // signature's 32 bytes, however they are written, are compared in
    // constant time so that timing reveals nothing.
    $expected = hash('sha256', $payloadPart . '_' . $secret, true);
    if (!hash_equals($expected, digest_of(substr($body, $dot + 1)))) {
        throw new Refused('signature does not match');
    }

    // Only now is the payload trusted enough to parse. Decode strictly:
    // without `true`, base64_decode skips bytes that are not base64.
    if (!preg_match('/\A(?:[A-Za-z0-9+\/]+|[A-Za-z0-9_-]+)={0,2}\z/', $payloadPart)) {
        throw new Refused('payload is not base64');
    }
    $json = base64_decode(strtr($payloadPart, '-_', '+/'), true);
    $payload = $json === false ? null : json_decode($json, true);
    if (!is_array($payload) || array_is_list($payload)) {
        throw new Refused('payload is not a JSON object');
    }

    // A captured body stays validly signed forever: the window bounds how
    // long a replay is possible at all. Only RFC 3339: DateTime would also read
    // words such as "now".
    $time = $payload['time'] ?? null;
    if (!is_string($time)
        || !preg_match('/\A\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)\z/i', $time)) {
        throw new Refused('payload has no RFC 3339 time');
    }
    try {
        $sent = (float) (new DateTimeImmutable($time))->format('U.u');
    } catch (Exception) {
        throw new Refused('payload has no RFC 3339 time');
    }
    $age = ($now ?? microtime(true)) - $sent;
    if ($age > $maxAge || $age < -CLOCK_SKEW) {
        throw new Refused('body is too old, or from the future');
    }
    return $payload;
}

/** The 32 bytes of a signature written as hex (either case) or base64
 *  (either alphabet, padded or not); '' for anything else. */
function digest_of(string $signature): string
{
    if (preg_match('/\A[0-9a-fA-F]{64}\z/', $signature)) {
        return (string) hex2bin($signature);
    }
    if (preg_match('/\A(?:[A-Za-z0-9+\/]{43}|[A-Za-z0-9_-]{43})=?\z/', $signature)) {
        return (string) base64_decode(strtr(rtrim($signature, '='), '-_', '+/'), true);
    }
    return '';
}

/** What makes a delivery the same delivery again: for a purchase, or its
 *  consumption, the purchase's _id ("PurchasePlayerPurchase:<_id>"),
 *  whatever body carries it; for anything else, the SHA-256 of the body as
 *  received ("sha256:<hex>"). */
function delivery_key(array $payload, string $raw): string
{
    $id = $payload['result']['purchase']['_id'] ?? null;
    $id = is_int($id) ? (string) $id : $id;
    if (in_array($payload['event'] ?? null, ONCE_PER_PURCHASE, true)
        && is_string($id) && preg_match('/\A[\x21-\x7e]{1,200}\z/', $id)) {
        return $payload['event'] . ':' . $id;
    }
    return 'sha256:' . hash('sha256', $raw);
}

/** The delivery keys already handled. Any store will do: claim is true the
 *  first time it sees a key and false after; release forgets a key whose
 *  handling failed, so that a repeat runs it again. */
interface Deliveries
{
    public function claim(string $key): bool;

    public function release(string $key): void;
}

/**
 * Keeps the keys as files in a directory, for as long as the window, up to
 * $maxKeys (past that it forgets the oldest first). PHP keeps nothing in
 * memory from one request to the next, so a file, created only if it does
 * not exist yet (fopen's 'x' mode, atomic), stands in for memory.
 *
 * A real game keeps the keys in its database instead: a table whose key
 * column is UNIQUE (or the primary key), with the key inserted in the same
 * transaction as the purchase it grants, so that a repeat fails on the
 * constraint and grants nothing.
 */
final class FileDeliveries implements Deliveries
{
    public function __construct(
        private string $dir,
        private float $ttl = MAX_AGE_SECONDS,
        private int $maxKeys = 100_000,
    ) {
        if (!is_dir($dir) && !mkdir($dir, 0700, true) && !is_dir($dir)) {
            throw new RuntimeException("cannot create $dir");
        }
        // Whoever can write here can mark a purchase as handled before it is.
        if ((fileperms($dir) & 0022) !== 0) {
            throw new RuntimeException("$dir is writable by other users: give a directory of your own");
        }
    }

    public function claim(string $key): bool
    {
        // One in a hundred claims sweeps out what has expired.
        if (random_int(1, 100) === 1) {
            $this->sweep();
        }
        $path = $this->path($key);
        if (is_file($path) && filemtime($path) < time() - $this->ttl) {
            @unlink($path);
        }
        $file = @fopen($path, 'x');
        if ($file === false) {
            return false;
        }
        fclose($file);
        return true;
    }

    public function release(string $key): void
    {
        @unlink($this->path($key));
    }

    private function path(string $key): string
    {
        return $this->dir . '/' . hash('sha256', $key);
    }

    private function sweep(): void
    {
        $files = [];
        foreach (glob($this->dir . '/*') ?: [] as $path) {
            $made = @filemtime($path);
            if ($made !== false && $made < time() - $this->ttl) {
                @unlink($path);
            } elseif ($made !== false) {
                $files[$path] = $made;
            }
        }
        asort($files);
        foreach (array_slice(array_keys($files), 0, max(0, count($files) - $this->maxKeys)) as $path) {
            @unlink($path);
        }
    }
}

/**
 * Judges a raw body and hands a genuine one to $handle, once per delivery
 * key; logs "delivery KEY: handled" each time it runs. Returns the [status,
 * text] to answer: 200 for a delivery handled now or before, 400 for a body
 * that is not a genuine, fresh webhook (4xx, not 5xx: the body is at fault,
 * and a 5xx invites a retry), 500 when $handle throws (the key is released,
 * so that a repeat runs it again).
 */
function receive(string $raw, string $secret, Deliveries $deliveries, callable $handle, float $maxAge = MAX_AGE_SECONDS): array
{
    try {
        $payload = check_body($raw, $secret, $maxAge);
    } catch (Refused $refused) {
        return [400, $refused->getMessage()];
    }
    $key = delivery_key($payload, $raw);
    if (!$deliveries->claim($key)) {
        error_log("delivery $key: a repeat, answered without handling it again");
        return [200, 'already handled'];
    }
    try {
        $handle($payload);
    } catch (Throwable $failure) {
        $deliveries->release($key);
        error_log("delivery $key: handle failed: " . $failure->getMessage());
        return [500, 'handler failed'];
    }
    error_log("delivery $key: handled");
    return [200, 'ok'];
}
