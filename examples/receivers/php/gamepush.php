<?php
// Verifying a GamePush webhook in PHP: one function, check_body, with
// nothing but the standard library (PHP 8.1 or later). Copy this file into
// your project as it is, and hand check_body the raw body:
// file_get_contents('php://input'), never $_POST, which PHP fills by parsing
// a body labelled as a form.

declare(strict_types=1);

// Webhooks are a few kilobytes; a larger body is not one.
const MAX_BODY = 1 << 20;
// A clock a little ahead of ours is not an attack.
const CLOCK_SKEW = 60;

final class Refused extends Exception {}

/** The payload of a genuine, fresh webhook body; throws Refused otherwise. */
function check_body(string $raw, string $secret, float $maxAge, ?float $now = null): array
{
    // BASE64(JSON) "." SIGNATURE, exactly as received: the signature covers
    // those bytes. '.' is in no base64 alphabet, so the last one separates.
    $body = trim($raw, " \t\r\n");
    $dot = strrpos($body, '.');
    if ($dot === false) {
        throw new Refused('no signature');
    }
    $payloadPart = substr($body, 0, $dot);
    $signature = strtolower(substr($body, $dot + 1));

    // SHA-256 over the payload part as received, '_', and the secret,
    // compared in constant time so that timing reveals nothing.
    $expected = hash('sha256', $payloadPart . '_' . $secret);
    if (!preg_match('/\A[0-9a-f]{64}\z/', $signature) || !hash_equals($expected, $signature)) {
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

    // A captured body stays validly signed forever: refuse old ones, so that
    // nobody can replay a purchase. Only RFC 3339: DateTime would also read
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
