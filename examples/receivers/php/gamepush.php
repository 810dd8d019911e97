<?php
// Receiving GamePush webhooks in PHP 8.1 or later, with PDO: check_body says
// whether a body is a genuine, fresh webhook, delivery_key says what makes a
// delivery the same delivery again, and receive hands each genuine delivery
// to your code once, in one database transaction with its key. Copy this
// file into your project as it is, and hand receive the raw body:
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
//
// What stops a replay, or a delivery sent again, is its key in your
// database: inserted in the same transaction as the effect, into a table
// where it is the primary key, so that the database refuses it the second
// time (docs/exactly-once.md in gpwh's repository). Not a lookup before an
// insert: two requests at once would both see nothing and both grant.
//
// DATABASE_URL says where the keys live: unset or empty, the SQLite file
// gamepush.sqlite3 in the working directory; sqlite:PATH, the SQLite file
// PATH; postgres://user:password@host:5432/database (or postgresql://),
// PostgreSQL. Needs pdo_sqlite or pdo_pgsql (Debian: php-sqlite3, php-pgsql).

declare(strict_types=1);

// Webhooks are a few kilobytes; a larger body is not one.
const MAX_BODY = 1 << 20;
// How old a body may be: 72 hours. `time` is when the operation happened,
// and a delivery sent again after your server was down most likely carries
// that time: a window of minutes would refuse it and lose the purchase. The
// window only bounds how long a captured body can be sent again at all; the
// delivery key, not the window, is what makes a replay harmless.
const MAX_AGE_SECONDS = 72 * 60 * 60;
// A clock a little ahead of ours is not an attack.
const CLOCK_SKEW = 60;
// Events that happen once per purchase, whichever body carries them. The
// subscription events may happen again for one purchase (unsubscribed,
// resumed, unsubscribed), so they are keyed on their payload.
const ONCE_PER_PURCHASE = ['PurchasePlayerPurchase', 'ConsumePlayerPurchase'];
// The longest string _id, in bytes, used as a key.
const MAX_ID_BYTES = 200;
// The largest whole number every language's JSON holds exactly: 2^53 - 1.
const MAX_WHOLE = 9007199254740991;

/**
 * Why a body is not a genuine, fresh webhook. $errorCode is gpwh's name for
 * it, the same in every language (conformance/vectors.json in gpwh's
 * repository pins them): too-large, empty-body, no-signature, empty-payload,
 * payload-not-base64, payload-not-json, payload-not-object,
 * signature-format, signature-mismatch, stale, time-missing, time-format.
 */
final class Refused extends Exception
{
    public function __construct(public readonly string $errorCode, string $reason)
    {
        parent::__construct($reason);
    }

    /** The status to answer: 413 for a body too large, 400 for any other
     *  (4xx, not 5xx: the body is at fault, and a 5xx invites a retry). */
    public function status(): int
    {
        return $this->errorCode === 'too-large' ? 413 : 400;
    }
}

/** A genuine, fresh webhook: its payload, decoded, the JSON text exactly
 *  as GamePush encoded it (the bytes its signature covers), which of the
 *  secrets signed it (from 0) and how its digest was written ('hex' or
 *  'base64'). */
final class Webhook
{
    public function __construct(
        public readonly array $payload,
        public readonly string $json,
        public readonly int $secretIndex = 0,
        public readonly string $encoding = 'hex',
    ) {}
}

/** The webhook a body carries when it is genuine, fresh and signed with
 *  $secret; throws Refused otherwise. */
function check_body(string $raw, #[\SensitiveParameter] string $secret, float $maxAge = MAX_AGE_SECONDS, ?float $now = null): Webhook
{
    return verify_body($raw, [$secret], $maxAge, MAX_BODY, $now);
}

/**
 * The webhook a body carries when it is genuine and fresh: signed with one
 * of $secrets (tried in order: two while you rotate your project's key),
 * its time within $maxAge seconds (null looks at no time: for tests and
 * tools, never for a server), and no larger than $maxBody bytes. Throws
 * Refused, naming the first check that fails in the order gpwh checks: the
 * size, the parts, the payload's base64 and JSON, the digest's form, the
 * signature, and last the time.
 */
function verify_body(string $raw, #[\SensitiveParameter] array $secrets, ?float $maxAge = MAX_AGE_SECONDS, int $maxBody = MAX_BODY, ?float $now = null): Webhook
{
    if (strlen($raw) > $maxBody) {
        throw new Refused('too-large', "body too large: more than $maxBody bytes");
    }
    // BASE64(JSON) "." SIGNATURE, exactly as received: the signature covers
    // those bytes. Only the ASCII whitespace around them is ignored. '.' is
    // in no base64 alphabet, so the last one separates.
    $body = trim($raw, " \t\r\n");
    if ($body === '') {
        throw new Refused('empty-body', 'body is empty');
    }
    $dot = strrpos($body, '.');
    if ($dot === false) {
        throw new Refused('no-signature', "body has no signature: expected BASE64.SIGNATURE, found no '.'");
    }
    $payloadPart = substr($body, 0, $dot);
    if ($payloadPart === '') {
        throw new Refused('empty-payload', "payload is empty: the body starts with '.'");
    }
    $json = decode_base64($payloadPart);
    // Strict JSON in UTF-8 (json_decode refuses invalid UTF-8 and a
    // byte-order mark). An object decodes to an array, as a list does: the
    // text says which it was.
    $payload = json_decode($json, true, 512);
    if ($payload === null && json_last_error() !== JSON_ERROR_NONE) {
        throw new Refused('payload-not-json', 'payload is not JSON: ' . json_last_error_msg());
    }
    if (!is_array($payload) || ltrim($json, " \t\r\n")[0] !== '{') {
        throw new Refused('payload-not-object', 'payload is not a JSON object: a webhook payload is an object');
    }

    // SHA-256 over the payload part as received, '_', and each secret in
    // turn. The signature's 32 bytes, however they are written, are
    // compared in constant time with every secret's, so that timing says
    // nothing of which matched; the first that matches counts.
    [$received, $encoding] = digest_of(substr($body, $dot + 1));
    if ($received === null) {
        throw new Refused('signature-format', 'signature is not a SHA-256 digest: expected 64 hex digits or 43-44 base64 characters');
    }
    $matched = null;
    foreach (array_values($secrets) as $index => $secret) {
        $same = hash_equals(hash('sha256', $payloadPart . '_' . $secret, true), $received);
        $matched ??= $same ? $index : null;
    }
    if ($matched === null) {
        throw new Refused('signature-mismatch', 'signature does not match: the body was not signed with the secret key');
    }

    // A captured body stays validly signed forever: the window bounds how
    // long a replay is possible at all. Only RFC 3339: DateTime would also
    // read words such as "now", and roll February 30 over into March.
    if ($maxAge !== null) {
        $time = $payload['time'] ?? null;
        if (!is_string($time)) {
            throw new Refused('time-missing', 'payload has no "time" to check its age against');
        }
        $sent = rfc3339_seconds($time);
        if ($sent === null) {
            throw new Refused('time-format', 'payload time is not an RFC 3339 time');
        }
        $age = ($now ?? microtime(true)) - $sent;
        if ($age > $maxAge) {
            throw new Refused('stale', sprintf('signature valid but the body is stale: sent %.0f s ago, limit %.0f s', $age, $maxAge));
        }
        if ($age < -CLOCK_SKEW) {
            throw new Refused('stale', sprintf('signature valid but the body is from the future: sent %.0f s from now', -$age));
        }
    }
    return new Webhook($payload, $json, $matched, $encoding);
}

/** A payload part decoded from base64 in either alphabet, padded or not;
 *  throws Refused for both alphabets at once, '=' anywhere but as the
 *  padding due, a length no base64 has, and bits in the last character
 *  that decode to nothing (which base64_decode would read as the same
 *  bytes). */
function decode_base64(string $part): string
{
    $urlSafe = strpbrk($part, '-_') !== false;
    if ($urlSafe && strpbrk($part, '+/') !== false) {
        throw new Refused('payload-not-base64', 'payload is not valid base64: it mixes the URL-safe and standard alphabets');
    }
    $symbols = rtrim($part, '=');
    $padding = strlen($part) - strlen($symbols);
    if (!preg_match('/\A[A-Za-z0-9+\/_-]*\z/', $symbols)
        || strlen($symbols) % 4 === 1
        || ($padding > 0 && $padding !== 4 - strlen($symbols) % 4)) {
        throw new Refused('payload-not-base64', 'payload is not valid base64: a character, the padding or the length is wrong');
    }
    $standard = strtr($symbols, '-_', '+/');
    $bytes = base64_decode($standard, true);
    if ($bytes === false || rtrim(base64_encode($bytes), '=') !== $standard) {
        throw new Refused('payload-not-base64', 'payload is not valid base64: its last character has bits that decode to nothing (truncated or altered?)');
    }
    return $bytes;
}

/** The 32 bytes of a signature written as hex (either case) or base64
 *  (either alphabet, padded or not), and which of the two it was; [null,
 *  null] for anything else. */
function digest_of(string $signature): array
{
    if (preg_match('/\A[0-9a-fA-F]{64}\z/', $signature)) {
        return [(string) hex2bin($signature), 'hex'];
    }
    if (preg_match('/\A(?:[A-Za-z0-9+\/]{43}|[A-Za-z0-9_-]{43})=?\z/', $signature)) {
        $standard = strtr(rtrim($signature, '='), '-_', '+/');
        $bytes = base64_decode($standard, true);
        if ($bytes !== false && strlen($bytes) === 32 && rtrim(base64_encode($bytes), '=') === $standard) {
            return [$bytes, 'base64'];
        }
    }
    return [null, null];
}

/** Seconds since 1970 of an RFC 3339 time (2024-04-26T11:34:23.415923998Z,
 *  or with an offset such as +03:00), or null for anything else: other
 *  forms, and dates or times that do not exist. */
function rfc3339_seconds(string $time): ?float
{
    if (!preg_match('/\A(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(\.\d{1,9})?(Z|([+-])(\d\d):(\d\d))\z/i', $time, $m)) {
        return null;
    }
    [, $year, $month, $day, $hour, $minute, $second] = array_map('intval', array_slice($m, 0, 7));
    if (!checkdate($month, $day, $year) || $hour > 23 || $minute > 59 || $second > 59) {
        return null;
    }
    $seconds = gmmktime($hour, $minute, $second, $month, $day, $year) + (float) ('0' . ($m[7] ?? ''));
    if (strtoupper($m[8]) !== 'Z') {
        if ((int) $m[10] > 23 || (int) $m[11] > 59) {
            return null; // no offset reaches a day
        }
        $offset = (int) $m[10] * 3600 + (int) $m[11] * 60;
        $seconds -= $m[9] === '+' ? $offset : -$offset;
    }
    return $seconds;
}

/**
 * What makes a delivery the same delivery again, from the verified payload
 * ($payload, decoded with json_decode($json, true)) and never from the body
 * as received, which anyone can rewrite without the key (whitespace, the
 * digest's case or encoding).
 *
 * A purchase, or its consumption, is known by the purchase's _id, whatever
 * body carries it: "PurchasePlayerPurchase:<_id>", a string of 1 to 200
 * bytes percent-encoded, or a whole number up to 2^53 - 1 in decimal
 * (777.0 is 777). Anything else is "sha256:<hex>" of the decoded payload,
 * which the signature covers. Keys are printable ASCII, safe to log.
 */
function delivery_key(array $payload, string $json): string
{
    $event = $payload['event'] ?? null;
    $id = purchase_id($payload['result']['purchase']['_id'] ?? null);
    if (in_array($event, ONCE_PER_PURCHASE, true) && $id !== null) {
        return $event . ':' . $id;
    }
    return 'sha256:' . hash('sha256', $json);
}

/** A purchase's _id as a key's part: a string of 1 to 200 bytes
 *  percent-encoded, a whole number in decimal; null for anything else. */
function purchase_id(mixed $id): ?string
{
    if (is_string($id)) {
        // Every byte but A-Z a-z 0-9 - . _ ~ as %XX (RFC 3986).
        return strlen($id) >= 1 && strlen($id) <= MAX_ID_BYTES ? rawurlencode($id) : null;
    }
    $whole = whole_number($id);
    return $whole === null ? null : (string) $whole;
}

/** A JSON number whose value is whole and within 2^53 - 1, however it was
 *  spelled (777, 777.0, 7.77e2), as an int; null for anything else. */
function whole_number(mixed $value): ?int
{
    if (is_float($value) && is_finite($value) && floor($value) === $value && abs($value) <= MAX_WHOLE) {
        $value = (int) $value; // -0.0 becomes 0, which has no sign
    }
    return is_int($value) && abs($value) <= MAX_WHOLE ? $value : null;
}

/**
 * The database DATABASE_URL names, where the delivery keys are kept. PHP
 * runs each request afresh, so each delivery connects (after its body is
 * verified: a forged body never reaches the database) and creates the
 * tables if they are missing.
 */
final class Database
{
    private const FORMS = 'DATABASE_URL must be unset or empty (SQLite in ./gamepush.sqlite3), '
        . 'sqlite:PATH (SQLite in the file PATH) or postgres://user:password@host:5432/database '
        . '(PostgreSQL; postgresql:// too)';

    private const SQLITE_TABLES = <<<'SQL'
        CREATE TABLE IF NOT EXISTS gamepush_deliveries (
            key        TEXT PRIMARY KEY,
            handled_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
        );
        CREATE TABLE IF NOT EXISTS grants (
            delivery_key TEXT NOT NULL,
            event        TEXT NOT NULL,
            player_id    INTEGER
        );
        SQL;

    private const POSTGRES_TABLES = <<<'SQL'
        CREATE TABLE IF NOT EXISTS gamepush_deliveries (
            key        text PRIMARY KEY,
            handled_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE TABLE IF NOT EXISTS grants (
            delivery_key text NOT NULL,
            event        text NOT NULL,
            player_id    bigint
        );
        SQL;

    private function __construct(
        private readonly string $dsn,
        private readonly ?string $user = null,
        #[\SensitiveParameter] private readonly ?string $password = null,
    ) {}

    /** Reads DATABASE_URL without connecting; throws InvalidArgumentException,
     *  naming the forms it takes and never the URL (it may hold a password). */
    public static function fromUrl(#[\SensitiveParameter] string $url): self
    {
        if ($url === '') {
            return new self('sqlite:gamepush.sqlite3');
        }
        if (str_starts_with($url, 'sqlite:') && strlen($url) > strlen('sqlite:')) {
            return new self($url); // PDO's own DSN for SQLite
        }
        if (!str_starts_with($url, 'postgres://') && !str_starts_with($url, 'postgresql://')) {
            throw new InvalidArgumentException(self::FORMS);
        }
        $parts = parse_url($url);
        if ($parts === false) {
            throw new InvalidArgumentException('DATABASE_URL is not a valid URL. ' . self::FORMS);
        }
        // postgres://user:password@host:port/database?sslmode=require becomes
        // PDO's pgsql:host=...;port=...;dbname=...;sslmode=... (libpq's
        // keywords), with the user and password passed apart.
        $params = [];
        if (isset($parts['host'])) {
            $params['host'] = trim(rawurldecode($parts['host']), '[]');
        }
        if (isset($parts['port'])) {
            $params['port'] = (string) $parts['port'];
        }
        $dbname = rawurldecode(ltrim($parts['path'] ?? '', '/'));
        if ($dbname !== '') {
            $params['dbname'] = $dbname;
        }
        parse_str($parts['query'] ?? '', $query);
        foreach ($query as $name => $value) {
            if (is_string($value) && preg_match('/\A[a-z_]+\z/', (string) $name)) {
                $params[$name] = $value;
            }
        }
        $dsn = 'pgsql:' . implode(';', array_map(
            // libpq's quoting, so that a value may hold spaces or quotes.
            fn (string $name, string $value): string => $name . "='" . addcslashes($value, "'\\") . "'",
            array_keys($params),
            $params,
        ));
        return new self(
            $dsn,
            isset($parts['user']) ? rawurldecode($parts['user']) : null,
            isset($parts['pass']) ? rawurldecode($parts['pass']) : null,
        );
    }

    public function isSqlite(): bool
    {
        return str_starts_with($this->dsn, 'sqlite:');
    }

    /** A new connection, its tables created if missing. */
    public function connect(): PDO
    {
        $db = new PDO($this->dsn, $this->user, $this->password, [
            PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION,
            // PostgreSQL: give up connecting after 5 s. SQLite: see below.
            PDO::ATTR_TIMEOUT => 5,
        ]);
        if ($this->isSqlite()) {
            // Wait up to 5 s for another writer's lock, then fail (500); WAL
            // lets readers and one writer work at once.
            $db->exec('PRAGMA busy_timeout = 5000');
            $db->exec('PRAGMA journal_mode = WAL');
            $db->exec(self::SQLITE_TABLES);
            return $db;
        }
        // Wait up to 5 s for a lock (another transaction inserting the same
        // key), then fail (500), and the delivery comes again.
        $db->exec("SET lock_timeout = '5s'");
        $exists = $db->query("SELECT to_regclass('gamepush_deliveries') IS NOT NULL AND to_regclass('grants') IS NOT NULL")
            ->fetchColumn();
        if (!$exists) {
            // Two instances creating the tables at once would trip over each
            // other: the first to take this lock creates them.
            $db->exec('BEGIN');
            try {
                $db->query('SELECT pg_advisory_xact_lock(1735423848)');
                $db->exec(self::POSTGRES_TABLES);
                $db->exec('COMMIT');
            } catch (Throwable $failure) {
                $db->exec('ROLLBACK');
                throw $failure;
            }
        }
        return $db;
    }
}

/**
 * Judges a raw body and hands a genuine one to $handle($payload, $key, $db)
 * once per delivery key. Returns the [status, text] to answer:
 *
 * - 400 (413 when too large) for a body that is not a genuine, fresh
 *   webhook, its text starting with gpwh's error code ("signature-mismatch:
 *   ..."; 4xx, not 5xx: the body is at fault, and a 5xx invites a retry),
 *   before the database is touched;
 * - 200 "ok" once the key and what $handle wrote are committed together
 *   (logged "delivery KEY: handled");
 * - 200 "already handled" for a delivery whose key is in the database: it was
 *   handled before, and a 4xx or 5xx would only make the sender try again;
 * - 500 when $handle or the database fails: everything is rolled back, key
 *   included, so that the delivery sent again runs it again.
 *
 * In one transaction: the key is inserted first, where it is the primary
 * key. A second request with the same key, in this process or another, waits
 * on the constraint for the first to finish, and then finds the key there
 * (or, if the first rolled back, goes on and handles the delivery itself).
 */
function receive(string $raw, #[\SensitiveParameter] string $secret, Database $database, callable $handle, float $maxAge = MAX_AGE_SECONDS): array
{
    try {
        $webhook = check_body($raw, $secret, $maxAge);
    } catch (Refused $refused) {
        return [$refused->status(), $refused->errorCode . ': ' . $refused->getMessage()];
    }
    $key = delivery_key($webhook->payload, $webhook->json);
    try {
        $db = $database->connect();
        // SQLite: BEGIN IMMEDIATE takes the write lock now, waiting for it,
        // instead of failing on an upgrade later (PDO's beginTransaction()
        // says only BEGIN).
        $db->exec($database->isSqlite() ? 'BEGIN IMMEDIATE' : 'BEGIN');
        try {
            $insert = $db->prepare('INSERT INTO gamepush_deliveries (key) VALUES (?) ON CONFLICT (key) DO NOTHING');
            $insert->execute([$key]);
            if ($insert->rowCount() === 0) {
                $db->exec('ROLLBACK');
                error_log("delivery $key: a repeat, answered without handling it again");
                return [200, 'already handled'];
            }
            $handle($webhook->payload, $key, $db);
            if (!$database->isSqlite()) {
                // A statement that failed in $handle, its exception caught
                // there, leaves the transaction aborted, and PostgreSQL
                // answers its COMMIT with a rollback, not an error: the
                // delivery would be answered 200 with nothing kept, key
                // included, and be lost. This fails then (SQLSTATE 25P02),
                // and the delivery is rolled back and answered 500.
                $db->query('SELECT 1');
            }
            $db->exec('COMMIT');
        } catch (Throwable $failure) {
            try {
                $db->exec('ROLLBACK');
            } catch (Throwable) {
                // Nothing to roll back, or the connection is gone: either
                // way nothing was committed.
            }
            throw $failure;
        }
    } catch (Throwable $failure) {
        $reason = strtok($failure->getMessage(), "\n") ?: get_class($failure);
        error_log("delivery $key: not handled: $reason");
        return [500, 'handler failed'];
    }
    error_log("delivery $key: handled");
    return [200, 'ok'];
}
