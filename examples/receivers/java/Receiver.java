// A GamePush webhook receiver in Java 17: the JDK's own HTTP server
// (com.sun.net.httpserver) and JDBC, in one file. Each delivery is handled
// once: its key and its effect are written to your database in one
// transaction. Copy the GamePush class into your project, or run it as it
// is, with the JDBC drivers on the class path (README.md says how to get
// them):
//
//   GPWH_SECRET='your secret key' PORT=3000 \
//     java -cp /usr/share/java/sqlite-jdbc.jar:/usr/share/java/postgresql.jar Receiver.java
//
// and check it with:
//   gpwh probe --all-events --strict http://127.0.0.1:3000/webhooks/gamepush
//
// Environment: GPWH_SECRET (required), PORT (3000; 0 picks a free port),
// HOST (127.0.0.1), DATABASE_URL (unset or empty: SQLite in the file
// gamepush.sqlite3 here; sqlite:PATH; postgres://user:password@host:5432/db),
// MAX_AGE_SECONDS (259200, 72 hours: how old a body may be; GamePush.MAX_AGE
// says why so long).

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

public class Receiver {
    /** Your game's work, run once per delivery, on the transaction that
     *  also records the delivery's key: GamePush.receive commits the two
     *  together, or neither. Throw to refuse it (answered 500, nothing
     *  kept, so that GamePush sends it again). Every event must be answered
     *  2xx, including events you do not handle: GamePush adds new ones.
     *
     *  This demo records every delivery as a row of `grants`; a game would
     *  switch on delivery.event() and give the player what
     *  delivery.payload().get("result") describes, on the same tx. */
    static void handle(GamePush.Delivery delivery, Connection tx) throws SQLException {
        try (PreparedStatement grant = tx.prepareStatement(
                "INSERT INTO grants (delivery_key, event, player_id) VALUES (?, ?, ?)")) {
            grant.setString(1, delivery.key());
            grant.setString(2, delivery.event());
            Long playerId = delivery.playerId();
            if (playerId == null) {
                grant.setNull(3, Types.BIGINT);
            } else {
                grant.setLong(3, playerId);
            }
            grant.executeUpdate();
        }
    }

    public static void main(String[] args) throws IOException {
        String secret = System.getenv("GPWH_SECRET");
        if (secret == null || secret.isEmpty()) {
            System.err.println("set GPWH_SECRET to your project's secret key");
            System.exit(2);
        }
        String maxAgeText = System.getenv("MAX_AGE_SECONDS");
        Duration maxAge = maxAgeText == null
            ? GamePush.MAX_AGE
            : Duration.ofMillis((long) (Double.parseDouble(maxAgeText) * 1000));
        // Opens the database and creates the two tables if they are missing,
        // before the first delivery can come.
        GamePush.Deliveries deliveries;
        try {
            deliveries = GamePush.Deliveries.open(System.getenv("DATABASE_URL"));
        } catch (IllegalArgumentException badUrl) {
            System.err.println(badUrl.getMessage());
            System.exit(2);
            return;
        } catch (SQLException failure) {
            System.err.println("cannot open the database: " + GamePush.firstLine(failure));
            System.exit(1);
            return;
        }
        String host = System.getenv().getOrDefault("HOST", "127.0.0.1");
        int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "3000"));

        // A client that sends half a request must not hold a thread forever.
        System.setProperty("sun.net.httpserver.maxReqTime", "30");
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
        server.createContext("/webhooks/gamepush", exchange -> {
            try (exchange) {
                if (!exchange.getRequestMethod().equals("POST")) {
                    exchange.getResponseHeaders().set("Allow", "POST");
                    answer(exchange, 405, "POST only");
                    return;
                }
                // The HttpServer hands over the body as sent, chunked or not,
                // and parses nothing: read the bytes, up to a limit.
                byte[] raw;
                try (InputStream body = exchange.getRequestBody()) {
                    raw = body.readNBytes(GamePush.MAX_BODY + 1);
                }
                if (raw.length > GamePush.MAX_BODY) {
                    answer(exchange, 413, "body too large");
                    return;
                }
                GamePush.Answer answer = GamePush.receive(raw, secret, maxAge, deliveries, Receiver::handle);
                answer(exchange, answer.status(), answer.text());
            }
        });
        // A thread per exchange, as many as there are: with a fixed pool, as
        // many clients that stop halfway as it has threads would hold every
        // thread, and nobody else would be answered until maxReqTime. A
        // delivery waiting for a database lock holds only its own thread.
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
        System.err.println("listening on http://" + host + ":" + server.getAddress().getPort());
    }

    static void answer(HttpExchange exchange, int status, String text) throws IOException {
        byte[] bytes = (text + "\n").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}

/** Receiving GamePush webhooks with nothing but the JDK and a JDBC driver:
 *  checkBody (or verify, for several secrets) says whether a body is a
 *  genuine, fresh webhook, deliveryKey says which delivery it is, and
 *  receive runs your code once per delivery, in the transaction that
 *  records its key. The JDK has no JSON parser, so
 *  a small strict one comes with it.
 *
 *  What is known, and what is not: the body is BASE64(JSON) "." SIGNATURE
 *  and the signature is SHA-256 over the first part, '_' and your secret
 *  key (documented). How the digest is written is not documented (lowercase
 *  hex is likely, base64 possible), nor whether or when GamePush sends a
 *  delivery again. So every way of writing the same 32 bytes is accepted,
 *  each delivery is acted on once, and the window on `time` is wide enough
 *  for any redelivery schedule. */
final class GamePush {
    /** Webhooks are a few kilobytes; a larger body is not one. */
    static final int MAX_BODY = 1 << 20;
    /** How old a body may be: 72 hours. `time` is when the operation
     *  happened, and a delivery sent again after your server was down most
     *  likely carries that time: a window of minutes would refuse it and
     *  lose the purchase. The window only bounds how long a captured body
     *  can be sent again at all; what makes a replay within it harmless is
     *  the delivery key in your database (Deliveries). */
    static final Duration MAX_AGE = Duration.ofHours(72);
    /** A clock a little ahead of ours is not an attack. */
    static final Duration CLOCK_SKEW = Duration.ofSeconds(60);
    static final Pattern RFC3339 = Pattern.compile(
        "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{1,9})?(Z|[+-]\\d\\d:\\d\\d)", Pattern.CASE_INSENSITIVE);
    static final Pattern BASE64_SYMBOLS = Pattern.compile("[A-Za-z0-9+/_-]*");
    /** A SHA-256 digest as 64 hex digits in either case, or as base64 in
     *  either alphabet, padded or not. */
    static final Pattern HEX_DIGEST = Pattern.compile("[0-9a-fA-F]{64}");
    static final Pattern BASE64_DIGEST = Pattern.compile("(?:[A-Za-z0-9+/]{43}|[A-Za-z0-9_-]{43})=?");
    /** Events that happen once per purchase, whichever body carries them. */
    static final Set<String> ONCE_PER_PURCHASE = Set.of("PurchasePlayerPurchase", "ConsumePlayerPurchase");
    /** The largest whole number every language holds exactly, 2^53 - 1. */
    static final double MAX_SAFE_INTEGER = 9007199254740991.0;

    /** A body that is not a genuine, fresh webhook. code() is gpwh's name
     *  for what is wrong, the same in every language (conformance/vectors.json
     *  in gpwh's repository pins them): too-large, empty-body, no-signature,
     *  empty-payload, payload-not-base64, payload-not-json,
     *  payload-not-object, signature-format, signature-mismatch, stale,
     *  time-missing, time-format; the message says it in words. */
    static final class Refused extends Exception {
        private final String code;

        Refused(String code, String reason) {
            super(reason);
            this.code = code;
        }

        String code() {
            return code;
        }

        /** The status to answer: 413 for a body too large, 400 for any
         *  other (4xx, not 5xx: the body is at fault, and a 5xx invites a
         *  retry). */
        int status() {
            return code.equals("too-large") ? 413 : 400;
        }
    }

    /** A genuine, fresh webhook: its payload, the JSON bytes the signature
     *  covers (decoded from base64, exactly as GamePush wrote them), which
     *  of the secrets signed it (from 0) and how its digest was written
     *  ("hex" or "base64"). */
    record Webhook(Map<String, Object> payload, byte[] json, int secretIndex, String encoding) {}

    /** A genuine, fresh webhook signed with secret, checked from the body
     *  exactly as received. */
    static Webhook checkBody(byte[] raw, String secret, Duration maxAge, Instant now) throws Refused {
        return verify(raw, List.of(secret), maxAge, MAX_BODY, now);
    }

    /** A genuine, fresh webhook: signed with one of secrets (tried in
     *  order: two while you rotate your project's key), its time within
     *  maxAge (null looks at no time: for tests and tools, never for a
     *  server), and no larger than maxBody bytes. Refused names the first
     *  check that fails, in the order gpwh checks: the size, the parts, the
     *  payload's base64 and JSON, the digest's form, the signature, and
     *  last the time. */
    static Webhook verify(byte[] raw, List<String> secrets, Duration maxAge, int maxBody, Instant now)
            throws Refused {
        if (raw.length > maxBody) throw new Refused("too-large", "body too large: more than " + maxBody + " bytes");
        // BASE64(JSON) "." SIGNATURE, as bytes, exactly as received: the
        // signature covers those bytes. Only the ASCII whitespace around
        // them is ignored. '.' is in no base64 alphabet, so the last one is
        // the separator.
        int start = 0;
        int end = raw.length;
        while (start < end && isSpace(raw[start])) start++;
        while (end > start && isSpace(raw[end - 1])) end--;
        if (start == end) throw new Refused("empty-body", "body is empty");
        int dot = end - 1;
        while (dot >= start && raw[dot] != '.') dot--;
        if (dot < start) {
            throw new Refused("no-signature", "body has no signature: expected BASE64.SIGNATURE, found no '.'");
        }
        if (dot == start) throw new Refused("empty-payload", "payload is empty: the body starts with '.'");
        byte[] payloadPart = Arrays.copyOfRange(raw, start, dot);
        String signature = new String(raw, dot + 1, end - dot - 1, StandardCharsets.ISO_8859_1);

        byte[] decoded = decodeBase64(new String(payloadPart, StandardCharsets.ISO_8859_1));
        // Strict UTF-8 (a decoder from newDecoder() reports malformed bytes
        // rather than replacing them), then strict JSON.
        String json;
        try {
            json = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(decoded)).toString();
        } catch (CharacterCodingException e) {
            throw new Refused("payload-not-json", "payload is not JSON: it is not UTF-8");
        }
        if (!(Json.parse(json) instanceof Map<?, ?> object)) {
            throw new Refused("payload-not-object", "payload is not a JSON object: a webhook payload is an object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> payload = (Map<String, Object>) object;

        // SHA-256 over the payload part as received, '_', and each secret in
        // turn. The signature's 32 bytes, however they are written, are
        // compared in constant time (MessageDigest.isEqual) with every
        // secret's, so that timing says nothing of which matched; the first
        // that matches counts.
        byte[] received = digestOf(signature);
        if (received == null) {
            throw new Refused("signature-format",
                "signature is not a SHA-256 digest: expected 64 hex digits or 43-44 base64 characters");
        }
        int matched = -1;
        for (int index = secrets.size() - 1; index >= 0; index--) {
            MessageDigest sha256 = sha256();
            sha256.update(payloadPart);
            sha256.update(("_" + secrets.get(index)).getBytes(StandardCharsets.UTF_8));
            if (MessageDigest.isEqual(received, sha256.digest())) matched = index;
        }
        if (matched < 0) {
            throw new Refused("signature-mismatch", "signature does not match: the body was not signed with the secret key");
        }

        // A captured body stays validly signed forever: the window bounds
        // how long a replay is possible at all.
        if (maxAge != null) {
            if (!(payload.get("time") instanceof String stamp)) {
                throw new Refused("time-missing", "payload has no \"time\" to check its age against");
            }
            Instant sent;
            try {
                if (!RFC3339.matcher(stamp).matches()) throw new DateTimeParseException("not RFC 3339", stamp, 0);
                sent = OffsetDateTime.parse(stamp.toUpperCase()).toInstant();
            } catch (DateTimeParseException e) {
                throw new Refused("time-format", "payload time is not an RFC 3339 time");
            }
            Duration age = Duration.between(sent, now);
            if (age.compareTo(maxAge) > 0) {
                throw new Refused("stale", "signature valid but the body is stale: sent " + age.getSeconds()
                    + " s ago, limit " + maxAge.getSeconds() + " s");
            }
            if (age.compareTo(CLOCK_SKEW.negated()) < 0) {
                throw new Refused("stale", "signature valid but the body is from the future: sent "
                    + age.negated().getSeconds() + " s from now");
            }
        }
        return new Webhook(payload, decoded, matched, HEX_DIGEST.matcher(signature).matches() ? "hex" : "base64");
    }

    /** A payload part decoded from base64 in either alphabet, padded or
     *  not. Refused for both alphabets at once, '=' anywhere but as the
     *  padding due, a length no base64 has, and bits in the last character
     *  that decode to nothing (which a lenient decoder reads as the same
     *  bytes). */
    static byte[] decodeBase64(String part) throws Refused {
        boolean urlSafe = part.indexOf('-') >= 0 || part.indexOf('_') >= 0;
        if (urlSafe && (part.indexOf('+') >= 0 || part.indexOf('/') >= 0)) {
            throw new Refused("payload-not-base64", "payload is not valid base64: it mixes the URL-safe and standard alphabets");
        }
        String symbols = part.replaceAll("=+$", "");
        int padding = part.length() - symbols.length();
        if (!BASE64_SYMBOLS.matcher(symbols).matches() || symbols.length() % 4 == 1
                || (padding > 0 && padding != 4 - symbols.length() % 4)) {
            throw new Refused("payload-not-base64", "payload is not valid base64: a character, the padding or the length is wrong");
        }
        String standard = symbols.replace('-', '+').replace('_', '/');
        byte[] decoded = Base64.getDecoder().decode(standard);
        if (!Base64.getEncoder().withoutPadding().encodeToString(decoded).equals(standard)) {
            throw new Refused("payload-not-base64",
                "payload is not valid base64: its last character has bits that decode to nothing (truncated or altered?)");
        }
        return decoded;
    }

    /** The 32 bytes of a signature written as hex or base64, or null. */
    static byte[] digestOf(String signature) {
        if (HEX_DIGEST.matcher(signature).matches()) return HexFormat.of().parseHex(signature);
        if (!BASE64_DIGEST.matcher(signature).matches()) return null;
        String standard = signature.replace("=", "").replace('-', '+').replace('_', '/');
        byte[] decoded = Base64.getDecoder().decode(standard);
        // Bits in the last character that decode to nothing: not a digest
        // as anyone writes it.
        boolean exact = Base64.getEncoder().withoutPadding().encodeToString(decoded).equals(standard);
        return exact && decoded.length == 32 ? decoded : null;
    }

    /** What makes a delivery the same delivery again (docs/exactly-once.md),
     *  from the verified payload, never from the body's bytes: anyone can
     *  add whitespace to a captured body or rewrite its digest without the
     *  secret key, but nobody can change what the signature covers.
     *
     *  For a purchase, or its consumption, the purchase's _id, whatever body
     *  carries it: "PurchasePlayerPurchase:" and the _id's UTF-8 bytes
     *  (1 to 200) percent-encoded, or the _id in decimal when it is a whole
     *  number up to 2^53 - 1 (777, 777.0 and 7.77e2 alike). For anything
     *  else, "sha256:" and the hex SHA-256 of json, the decoded payload
     *  bytes. Plain ASCII, safe to print and to store. */
    static String deliveryKey(Map<String, Object> payload, byte[] json) {
        // The parser keeps the last of a repeated key, as JSON parsers do.
        if (payload.get("event") instanceof String event && ONCE_PER_PURCHASE.contains(event)
                && payload.get("result") instanceof Map<?, ?> result
                && result.get("purchase") instanceof Map<?, ?> purchase) {
            Object id = purchase.get("_id");
            String idText = id instanceof Number number ? wholeNumber(number) : null;
            if (id instanceof String text) {
                byte[] utf8 = utf8(text);
                if (utf8 != null && utf8.length >= 1 && utf8.length <= 200) idText = percentEncode(utf8);
            }
            if (idText != null) return event + ":" + idText;
        }
        return "sha256:" + HexFormat.of().formatHex(sha256().digest(json));
    }

    /** A JSON number as a whole number in plain decimal ("-12", "0" for
     *  -0.0), or null when it is a fraction or past 2^53 - 1. The number is
     *  read as a double, as JavaScript reads it, so that every language
     *  gives the same key: 777.00000000000001 is 777. */
    static String wholeNumber(Number number) {
        // Correctly rounded; 1e999999999 is Infinity, never a billion digits.
        double value = number.doubleValue();
        if (!Double.isFinite(value) || value != Math.rint(value) || Math.abs(value) > MAX_SAFE_INTEGER) {
            return null;
        }
        return Long.toString((long) value);
    }

    /** The UTF-8 bytes of text, or null when it holds half of a surrogate
     *  pair ("\ud800" in JSON), which UTF-8 cannot write. */
    private static byte[] utf8(String text) {
        try {
            ByteBuffer bytes = StandardCharsets.UTF_8.newEncoder().encode(CharBuffer.wrap(text));
            return Arrays.copyOfRange(bytes.array(), bytes.position(), bytes.limit());
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** A-Z a-z 0-9 - . _ ~ as they are, every other byte as %XX. */
    private static String percentEncode(byte[] bytes) {
        StringBuilder out = new StringBuilder();
        for (byte b : bytes) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append(c);
            } else {
                out.append('%').append(HexFormat.of().withUpperCase().toHexDigits(b));
            }
        }
        return out.toString();
    }

    /** A genuine delivery, as your code gets it: its key and its payload. */
    record Delivery(String key, Map<String, Object> payload) {
        /** The event's name, "" when the payload has none. */
        String event() {
            return payload.get("event") instanceof String event ? event : "";
        }

        /** player.id when it is a whole number, else null. */
        Long playerId() {
            String whole = payload.get("player") instanceof Map<?, ?> player
                    && player.get("id") instanceof Number id
                ? wholeNumber(id) : null;
            return whole == null ? null : Long.valueOf(whole);
        }
    }

    /** Your code for a genuine delivery, run on the transaction that
     *  records its key. */
    interface Handler {
        void handle(Delivery delivery, Connection tx) throws Exception;
    }

    /** The keys of the deliveries handled, in your database: a row of
     *  gamepush_deliveries each, its key the primary key.
     *
     *  What stops a delivery sent again (by GamePush, or by anyone who
     *  captured the body) from acting twice is that key, inserted in the
     *  same transaction as the effect, under the table's unique constraint:
     *  INSERT ... ON CONFLICT (key) DO NOTHING inserts no row for a key
     *  already there, and a second transaction inserting the same key waits
     *  for the first to commit or roll back. Not a SELECT before an INSERT,
     *  which two requests (or two instances) would both pass; not a set in
     *  memory, which a restart forgets and a second instance never sees. */
    static final class Deliveries {
        private static final String FORMS = "DATABASE_URL must be empty (SQLite in ./gamepush.sqlite3),"
            + " sqlite:PATH, or postgres://user:password@host:5432/database";
        /** At most this many deliveries talk to the database at once, on a
         *  connection each (in a larger app, a pool such as HikariCP does
         *  this). */
        private static final int MAX_CONNECTIONS = 10;
        /** How long a delivery waits for a connection or a lock before it
         *  gives up (answered 500, to be sent again). */
        private static final int LOCK_TIMEOUT_SECONDS = 5;

        private final String jdbcUrl;
        private final Properties properties;
        private final boolean sqlite;
        private final Semaphore connections = new Semaphore(MAX_CONNECTIONS, true);

        private Deliveries(String jdbcUrl, Properties properties, boolean sqlite) {
            this.jdbcUrl = jdbcUrl;
            this.properties = properties;
            this.sqlite = sqlite;
        }

        /** Opens the database DATABASE_URL names (unset or empty: SQLite in
         *  gamepush.sqlite3; sqlite:PATH; postgres:// or postgresql://) and
         *  creates its tables if they are missing. IllegalArgumentException
         *  for any other URL, with a message that never repeats it (it may
         *  hold a password); SQLException when the database cannot be used. */
        static Deliveries open(String databaseUrl) throws SQLException {
            Deliveries deliveries;
            if (databaseUrl == null || databaseUrl.isEmpty()) {
                deliveries = sqlite("gamepush.sqlite3");
            } else if (databaseUrl.startsWith("sqlite:") && databaseUrl.length() > "sqlite:".length()) {
                deliveries = sqlite(databaseUrl.substring("sqlite:".length()));
            } else if (databaseUrl.startsWith("postgres://") || databaseUrl.startsWith("postgresql://")) {
                deliveries = postgres(databaseUrl);
            } else {
                throw new IllegalArgumentException(FORMS);
            }
            deliveries.createTables();
            return deliveries;
        }

        private static Deliveries sqlite(String path) {
            // sqlite-jdbc runs these pragmas on every connection it opens.
            Properties properties = new Properties();
            properties.setProperty("journal_mode", "WAL");
            properties.setProperty("busy_timeout", String.valueOf(LOCK_TIMEOUT_SECONDS * 1000));
            return new Deliveries("jdbc:sqlite:" + path, properties, true);
        }

        /** The PostgreSQL JDBC driver takes jdbc:postgresql://host:port/db,
         *  not the usual postgres://user:password@host:port/db: the user and
         *  the password go apart, percent-decoded. */
        private static Deliveries postgres(String databaseUrl) {
            URI uri;
            try {
                uri = new URI(databaseUrl);
            } catch (URISyntaxException e) {
                // Its message quotes the URL, password and all.
                throw new IllegalArgumentException(FORMS + " (this postgres:// URL cannot be read:"
                    + " percent-encode any @ : / # ? in the user name or password)");
            }
            if (uri.getHost() == null) {
                throw new IllegalArgumentException(FORMS + " (this postgres:// URL has no host)");
            }
            Properties properties = new Properties();
            String userInfo = uri.getRawUserInfo();
            if (userInfo != null) {
                int colon = userInfo.indexOf(':');
                String user = colon < 0 ? userInfo : userInfo.substring(0, colon);
                properties.setProperty("user", percentDecode(user));
                if (colon >= 0) {
                    properties.setProperty("password", percentDecode(userInfo.substring(colon + 1)));
                }
            }
            properties.setProperty("connectTimeout", String.valueOf(LOCK_TIMEOUT_SECONDS));
            // A delivery waiting on another's lock (the same key in flight
            // on a transaction that hangs) gives up after 5 s.
            properties.setProperty("options", "-c lock_timeout=" + LOCK_TIMEOUT_SECONDS + "s");
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            String jdbcUrl = "jdbc:postgresql://" + uri.getHost()
                + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + path
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            return new Deliveries(jdbcUrl, properties, false);
        }

        private static String percentDecode(String text) {
            try {
                // URLDecoder decodes forms, where '+' is a space: not in a URL.
                return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                    FORMS + " (a % in the user name or password is not followed by two hex digits)");
            }
        }

        private void createTables() throws SQLException {
            try (Connection db = DriverManager.getConnection(jdbcUrl, properties)) {
                begin(db);
                try (Statement statement = db.createStatement()) {
                    if (sqlite) {
                        statement.execute("CREATE TABLE IF NOT EXISTS gamepush_deliveries ("
                            + " key TEXT PRIMARY KEY,"
                            + " handled_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')))");
                        statement.execute("CREATE TABLE IF NOT EXISTS grants ("
                            + " delivery_key TEXT NOT NULL, event TEXT NOT NULL, player_id INTEGER)");
                    } else {
                        // Two instances starting at once take turns.
                        statement.execute("SELECT pg_advisory_xact_lock(1735423848)");
                        statement.execute("CREATE TABLE IF NOT EXISTS gamepush_deliveries ("
                            + " key text PRIMARY KEY, handled_at timestamptz NOT NULL DEFAULT now())");
                        statement.execute("CREATE TABLE IF NOT EXISTS grants ("
                            + " delivery_key text NOT NULL, event text NOT NULL, player_id bigint)");
                    }
                    commit(db);
                } catch (SQLException failure) {
                    rollbackQuietly(db);
                    throw failure;
                }
            }
        }

        /** Runs work once for key: in one transaction, claims the key and
         *  runs work, then commits both. False, with nothing run, when the
         *  key was handled before. Any exception (from work, or from the
         *  database: no connection, a lock not had within 5 s, a commit
         *  refused) rolls everything back, key included, and is thrown, so
         *  that the delivery runs when it is sent again. */
        boolean once(String key, Transaction work) throws Exception {
            if (!connections.tryAcquire(LOCK_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new SQLException("no database connection free within " + LOCK_TIMEOUT_SECONDS + " s");
            }
            try (Connection db = DriverManager.getConnection(jdbcUrl, properties)) {
                begin(db);
                try {
                    int inserted;
                    try (PreparedStatement claim = db.prepareStatement(
                            "INSERT INTO gamepush_deliveries (key) VALUES (?) ON CONFLICT (key) DO NOTHING")) {
                        claim.setString(1, key);
                        inserted = claim.executeUpdate();
                    }
                    if (inserted == 0) {
                        rollback(db);
                        return false;
                    }
                    work.run(db);
                    commit(db);
                    return true;
                } catch (Exception failure) {
                    rollbackQuietly(db);
                    throw failure;
                }
            } finally {
                connections.release();
            }
        }

        // SQLite takes its write lock at BEGIN IMMEDIATE, so that two
        // deliveries queue there (busy_timeout) instead of one failing on
        // an upgrade later. sqlite-jdbc's own transactions (setAutoCommit
        // false) begin the next one as soon as one ends (3.40 does), which
        // with IMMEDIATE would hold the write lock between deliveries: on
        // SQLite, BEGIN IMMEDIATE, COMMIT and ROLLBACK are sent as SQL.
        private void begin(Connection db) throws SQLException {
            if (sqlite) {
                try (Statement statement = db.createStatement()) {
                    statement.execute("BEGIN IMMEDIATE");
                }
            } else {
                db.setAutoCommit(false);
            }
        }

        private void commit(Connection db) throws SQLException {
            if (sqlite) {
                try (Statement statement = db.createStatement()) {
                    statement.execute("COMMIT");
                }
            } else {
                // A statement that failed in handle, its exception caught
                // there, leaves the transaction aborted, and PostgreSQL
                // answers its COMMIT with a rollback, not an error: the
                // delivery would be answered 200 with nothing kept, key
                // included, and be lost. This fails then (SQLSTATE 25P02),
                // and the delivery is rolled back and answered 500.
                try (Statement statement = db.createStatement()) {
                    statement.execute("SELECT 1");
                }
                db.commit();
            }
        }

        private void rollback(Connection db) throws SQLException {
            if (sqlite) {
                try (Statement statement = db.createStatement()) {
                    statement.execute("ROLLBACK");
                }
            } else {
                db.rollback();
            }
        }

        /** Rolls back what is open, if anything: closing the connection
         *  would too, on either database. */
        private void rollbackQuietly(Connection db) {
            try {
                rollback(db);
            } catch (SQLException alreadyGone) {
                // Nothing was kept: the database drops what was not committed.
            }
        }
    }

    /** Work done on a transaction. */
    interface Transaction {
        void run(Connection tx) throws Exception;
    }

    /** What to answer: a status and a line of text. */
    record Answer(int status, String text) {}

    /** Judges a raw body and runs handler once per delivery key, logging
     *  what it did ("delivery KEY: handled" each time a delivery commits).
     *  Answers 200 "ok" for a delivery handled now, 200 "already handled"
     *  for one handled before (it was: a 4xx or 5xx would only make GamePush
     *  send it again), 400 (413 when too large) for a body that is not a
     *  genuine, fresh webhook, its text starting with gpwh's error code (the
     *  body is at fault, before the database is touched), and 500 when
     *  handler or the database fails (nothing is kept, key included, so
     *  that a repeat runs it). */
    static Answer receive(byte[] raw, String secret, Duration maxAge, Deliveries deliveries, Handler handler) {
        Webhook webhook;
        try {
            webhook = checkBody(raw, secret, maxAge, Instant.now());
        } catch (Refused refused) {
            return new Answer(refused.status(), refused.code() + ": " + refused.getMessage());
        }
        Delivery delivery = new Delivery(deliveryKey(webhook.payload(), webhook.json()), webhook.payload());
        String key = delivery.key();
        try {
            if (!deliveries.once(key, tx -> handler.handle(delivery, tx))) {
                System.err.println("delivery " + key + ": a repeat, answered without handling it again");
                return new Answer(200, "already handled");
            }
        } catch (Exception failure) {
            System.err.println("delivery " + key + ": not handled: " + firstLine(failure));
            return new Answer(500, "handler failed");
        }
        System.err.println("delivery " + key + ": handled");
        return new Answer(200, "ok");
    }

    /** An exception's message, one line, for a log. */
    static String firstLine(Exception failure) {
        String message = failure.getMessage();
        if (message == null || message.isBlank()) return failure.getClass().getSimpleName();
        return message.strip().lines().findFirst().orElse(message);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("every JDK has SHA-256", impossible);
        }
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\r' || b == '\n';
    }

    /** A strict JSON reader (RFC 8259): objects as maps in order (a key
     *  repeated keeps its last value, as JSON parsers do), arrays as lists,
     *  numbers as BigDecimal (as a Double, infinite or zero, when the
     *  exponent is past what BigDecimal holds). Anything else is refused. */
    static final class Json {
        private static final int MAX_DEPTH = 128;
        private final String text;
        private int at;

        private Json(String text) {
            this.text = text;
        }

        static Object parse(String text) throws Refused {
            Json json = new Json(text);
            json.space();
            Object value = json.value(0);
            json.space();
            if (json.at != text.length()) throw new Refused("payload-not-json", "payload is not JSON");
            return value;
        }

        private Object value(int depth) throws Refused {
            if (depth > MAX_DEPTH) throw new Refused("payload-not-json", "payload is not JSON: it nests too deep");
            if (at >= text.length()) throw new Refused("payload-not-json", "payload is not JSON");
            char c = text.charAt(at);
            switch (c) {
                case '{': return object(depth);
                case '[': return array(depth);
                case '"': return string();
                case 't': return word("true", Boolean.TRUE);
                case 'f': return word("false", Boolean.FALSE);
                case 'n': return word("null", null);
                default: return number();
            }
        }

        private Map<String, Object> object(int depth) throws Refused {
            Map<String, Object> object = new LinkedHashMap<>();
            at++;
            space();
            if (peek('}')) return object;
            do {
                space();
                if (at >= text.length() || text.charAt(at) != '"') throw new Refused("payload-not-json", "payload is not JSON");
                String key = string();
                space();
                expect(':');
                space();
                object.put(key, value(depth + 1));
                space();
            } while (peek(','));
            expect('}');
            return object;
        }

        private List<Object> array(int depth) throws Refused {
            List<Object> array = new ArrayList<>();
            at++;
            space();
            if (peek(']')) return array;
            do {
                space();
                array.add(value(depth + 1));
                space();
            } while (peek(','));
            expect(']');
            return array;
        }

        private String string() throws Refused {
            StringBuilder out = new StringBuilder();
            at++;
            while (at < text.length()) {
                char c = text.charAt(at++);
                if (c == '"') return out.toString();
                if (c < 0x20) throw new Refused("payload-not-json", "payload is not JSON");
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                if (at >= text.length()) break;
                char escaped = text.charAt(at++);
                switch (escaped) {
                    case '"', '\\', '/' -> out.append(escaped);
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'u' -> {
                        if (at + 4 > text.length()) throw new Refused("payload-not-json", "payload is not JSON");
                        try {
                            out.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                        } catch (NumberFormatException e) {
                            throw new Refused("payload-not-json", "payload is not JSON");
                        }
                        at += 4;
                    }
                    default -> throw new Refused("payload-not-json", "payload is not JSON");
                }
            }
            throw new Refused("payload-not-json", "payload is not JSON");
        }

        private Number number() throws Refused {
            int from = at;
            peek('-');
            // One zero, or digits that do not start with one.
            if (!peek('0') && digits() == 0) throw new Refused("payload-not-json", "payload is not JSON");
            if (peek('.') && digits() == 0) throw new Refused("payload-not-json", "payload is not JSON");
            if (peek('e') || peek('E')) {
                if (!peek('+')) peek('-');
                if (digits() == 0) throw new Refused("payload-not-json", "payload is not JSON");
            }
            String number = text.substring(from, at);
            try {
                return new BigDecimal(number);
            } catch (NumberFormatException pastBigDecimal) {
                // An exponent past int's range (1e9999999999): the double
                // it reads as, Infinity or 0, as every other language reads
                // it, not a refusal of a genuine body.
                return Double.parseDouble(number);
            }
        }

        private int digits() {
            int from = at;
            while (at < text.length() && text.charAt(at) >= '0' && text.charAt(at) <= '9') at++;
            return at - from;
        }

        private Object word(String word, Object value) throws Refused {
            if (!text.startsWith(word, at)) throw new Refused("payload-not-json", "payload is not JSON");
            at += word.length();
            return value;
        }

        private boolean peek(char c) {
            if (at < text.length() && text.charAt(at) == c) {
                at++;
                return true;
            }
            return false;
        }

        private void expect(char c) throws Refused {
            if (!peek(c)) throw new Refused("payload-not-json", "payload is not JSON");
        }

        private void space() {
            while (at < text.length() && " \t\r\n".indexOf(text.charAt(at)) >= 0) at++;
        }
    }
}
