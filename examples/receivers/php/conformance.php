<?php
// Every vector of gpwh's conformance/vectors.json through verify_body, the
// function check_body and receive verify with: the body's exact bytes, the
// vector's secrets, clock, window and size limit, and the verdict it
// expects (the error code, or the payload, its delivery key, which secret
// and which digest form). Prints each disagreement, then
// `php: N passed, N failed`; exits 1 when any failed.
//
//   php conformance.php [path/to/vectors.json]

declare(strict_types=1);

require __DIR__ . '/gamepush.php';

$path = $argv[1] ?? __DIR__ . '/../../../conformance/vectors.json';
$file = json_decode((string) file_get_contents($path), true, 512, JSON_THROW_ON_ERROR);

function shown(string $payload, ?string $event, string $key, int $secret, string $encoding): string
{
    return sprintf(
        'valid: payload %s, event %s, delivery key %s, secret %d, digest %s',
        json_encode($payload, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES),
        $event === null ? 'null' : json_encode($event, JSON_UNESCAPED_UNICODE),
        $key,
        $secret,
        $encoding,
    );
}

$passed = 0;
$failed = 0;
foreach ($file['vectors'] as $vector) {
    $expect = $vector['expect'];
    $wanted = $expect['valid']
        ? shown($expect['payload'], $expect['event'], $expect['delivery_key'], $expect['secret_index'], $expect['encoding'])
        : 'refused: ' . $expect['error'];
    $body = base64_decode($vector['body_base64'], true);
    $now = (float) (new DateTimeImmutable($vector['now']))->format('U');
    $maxAge = $vector['max_age_seconds'] === null ? null : (float) $vector['max_age_seconds'];
    try {
        $webhook = verify_body($body, $vector['secrets'], $maxAge, $vector['max_body'], $now);
        $event = $webhook->payload['event'] ?? null;
        $found = shown(
            $webhook->json,
            is_string($event) ? $event : null,
            delivery_key($webhook->payload, $webhook->json),
            $webhook->secretIndex,
            $webhook->encoding,
        );
    } catch (Refused $refused) {
        $found = 'refused: ' . $refused->errorCode;
    } catch (Throwable $failure) {
        $found = 'failed: ' . get_class($failure) . ': ' . $failure->getMessage();
    }
    if ($found === $wanted) {
        $passed++;
    } else {
        $failed++;
        echo json_encode($vector['name'], JSON_UNESCAPED_UNICODE), ":\n  expected $wanted\n  found    $found\n";
    }
}
if ($passed + $failed === 0) {
    echo "$path holds no vector\n";
    $failed++;
}
echo "php: $passed passed, $failed failed\n";
exit($failed === 0 ? 0 : 1);
