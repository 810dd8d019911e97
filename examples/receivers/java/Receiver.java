// A GamePush webhook receiver in Java 17, with nothing but the JDK
// (com.sun.net.httpserver), in one file. Copy the GamePush class into your
// project, or run it as it is:
//
//   GPWH_SECRET='your secret key' PORT=3000 java Receiver.java
//
// and check it with:
//   gpwh probe --all-events --strict http://127.0.0.1:3000/webhooks/gamepush
//
// Environment: GPWH_SECRET (required), PORT (3000; 0 picks a free port),
// HOST (127.0.0.1), MAX_AGE_SECONDS (259200, 72 hours: how old a body may
// be; GamePush.MAX_AGE says why so long).

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

public class Receiver {
    /** Your game's work, run once per delivery: GamePush.receive answers a
     *  repeat 2xx without running it again. Every event must be answered
     *  2xx, including events you do not handle: GamePush adds new ones. */
    static void handle(Map<String, Object> payload) {
        switch (String.valueOf(payload.get("event"))) {
            case "GivePlayerReward", "PurchasePlayerPurchase" -> {
                // grant what payload.get("result") describes to the player
            }
            default -> { }
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
        GamePush.Deliveries deliveries = new GamePush.MemoryDeliveries(maxAge, 100_000);
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
        // thread, and nobody else would be answered until maxReqTime.
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

/** Receiving GamePush webhooks with nothing but the JDK: checkBody says
 *  whether a body is a genuine, fresh webhook, and receive hands each
 *  genuine delivery to your code once. The JDK has no JSON parser, so a
 *  small strict one comes with it.
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
     *  lose the purchase. The delivery key, not the window, is what stops a
     *  captured body replayed. */
    static final Duration MAX_AGE = Duration.ofHours(72);
    /** A clock a little ahead of ours is not an attack. */
    static final Duration CLOCK_SKEW = Duration.ofSeconds(60);
    static final Pattern RFC3339 = Pattern.compile(
        "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?(Z|[+-]\\d\\d:\\d\\d)", Pattern.CASE_INSENSITIVE);
    static final Pattern BASE64 = Pattern.compile("(?:[A-Za-z0-9+/]+|[A-Za-z0-9_-]+)={0,2}");
    /** A SHA-256 digest as 64 hex digits in either case, or as base64 in
     *  either alphabet, padded or not. */
    static final Pattern HEX_DIGEST = Pattern.compile("[0-9a-fA-F]{64}");
    static final Pattern BASE64_DIGEST = Pattern.compile("(?:[A-Za-z0-9+/]{43}|[A-Za-z0-9_-]{43})=?");
    /** Events that happen once per purchase, whichever body carries them. */
    static final Set<String> ONCE_PER_PURCHASE = Set.of("PurchasePlayerPurchase", "ConsumePlayerPurchase");
    /** A purchase id used as a key only when it is plain printable text. */
    static final Pattern PLAIN_ID = Pattern.compile("[\\x21-\\x7e]{1,200}");

    /** A body that is not a genuine, fresh webhook; the message says why. */
    static final class Refused extends Exception {
        Refused(String reason) {
            super(reason);
        }
    }

    /** The payload of a genuine, fresh webhook body, exactly as received. */
    static Map<String, Object> checkBody(byte[] raw, String secret, Duration maxAge, Instant now)
            throws Refused {
        // BASE64(JSON) "." SIGNATURE, as bytes, exactly as received: the
        // signature covers those bytes. '.' is in no base64 alphabet, so
        // the last one is the separator.
        int start = 0;
        int end = raw.length;
        while (start < end && isSpace(raw[start])) start++;
        while (end > start && isSpace(raw[end - 1])) end--;
        int dot = end - 1;
        while (dot >= start && raw[dot] != '.') dot--;
        if (dot < start) throw new Refused("no signature");
        byte[] payloadPart = Arrays.copyOfRange(raw, start, dot);
        String signature = new String(raw, dot + 1, end - dot - 1, StandardCharsets.ISO_8859_1);

        // SHA-256 over the payload part as received, '_', and the secret.
        // The signature's 32 bytes, however they are written, are compared
        // in constant time (MessageDigest.isEqual) so that timing reveals
        // nothing.
        MessageDigest sha256 = sha256();
        sha256.update(payloadPart);
        sha256.update(("_" + secret).getBytes(StandardCharsets.UTF_8));
        byte[] received = digestOf(signature);
        if (received == null || !MessageDigest.isEqual(received, sha256.digest())) {
            throw new Refused("signature does not match");
        }

        // Only now is the payload trusted enough to parse, strictly.
        String text = new String(payloadPart, StandardCharsets.ISO_8859_1);
        if (!BASE64.matcher(text).matches()) throw new Refused("payload is not base64");
        String json;
        try {
            byte[] decoded = Base64.getDecoder()
                .decode(text.replace('-', '+').replace('_', '/').replaceAll("=+$", ""));
            json = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(decoded)).toString();
        } catch (IllegalArgumentException | CharacterCodingException e) {
            throw new Refused("payload is not base64 UTF-8");
        }
        if (!(Json.parse(json) instanceof Map<?, ?> object)) {
            throw new Refused("payload is not a JSON object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> payload = (Map<String, Object>) object;

        // A captured body stays validly signed forever: the window bounds
        // how long a replay is possible at all.
        if (!(payload.get("time") instanceof String stamp) || !RFC3339.matcher(stamp).matches()) {
            throw new Refused("payload has no RFC 3339 time");
        }
        Instant sent;
        try {
            sent = OffsetDateTime.parse(stamp.toUpperCase()).toInstant();
        } catch (DateTimeParseException e) {
            throw new Refused("payload has no RFC 3339 time");
        }
        Duration age = Duration.between(sent, now);
        if (age.compareTo(maxAge) > 0 || age.compareTo(CLOCK_SKEW.negated()) < 0) {
            throw new Refused("body is too old, or from the future");
        }
        return payload;
    }

    /** The 32 bytes of a signature written as hex or base64, or null. */
    static byte[] digestOf(String signature) {
        if (HEX_DIGEST.matcher(signature).matches()) return HexFormat.of().parseHex(signature);
        if (BASE64_DIGEST.matcher(signature).matches()) {
            return Base64.getDecoder()
                .decode(signature.replace('-', '+').replace('_', '/').replace("=", ""));
        }
        return null;
    }

    /** What makes a delivery the same delivery again: for a purchase, or its
     *  consumption, the purchase's _id ("PurchasePlayerPurchase:<_id>"),
     *  whatever body carries it; for anything else, the SHA-256 of the body
     *  as received ("sha256:<hex>"). */
    static String deliveryKey(Map<String, Object> payload, byte[] raw) {
        Object event = payload.get("event");
        Object id = payload.get("result") instanceof Map<?, ?> result
                && result.get("purchase") instanceof Map<?, ?> purchase
            ? purchase.get("_id") : null;
        if (id instanceof BigDecimal number) {
            id = number.stripTrailingZeros().scale() <= 0 ? number.toBigInteger().toString() : null;
        }
        if (ONCE_PER_PURCHASE.contains(event) && id instanceof String text && PLAIN_ID.matcher(text).matches()) {
            return event + ":" + text;
        }
        return "sha256:" + HexFormat.of().formatHex(sha256().digest(raw));
    }

    /** The delivery keys already handled. Any store will do: claim is true
     *  the first time it sees a key and false after; release forgets a key
     *  whose handling failed, so that a repeat runs it again. */
    interface Deliveries {
        boolean claim(String key);

        void release(String key);
    }

    /** Keeps the keys in memory for as long as the window, up to maxKeys
     *  (past that it forgets the oldest first), and loses them when the
     *  process stops. A real game keeps them in its database instead: a
     *  table whose key column is UNIQUE (or the primary key), with the key
     *  inserted in the same transaction as the purchase it grants, so that
     *  a repeat fails on the constraint and grants nothing. */
    static final class MemoryDeliveries implements Deliveries {
        private final Duration ttl;
        private final int maxKeys;
        /** Key to when it may be forgotten, oldest first. */
        private final LinkedHashMap<String, Instant> expiry = new LinkedHashMap<>();

        MemoryDeliveries(Duration ttl, int maxKeys) {
            this.ttl = ttl;
            this.maxKeys = maxKeys;
        }

        @Override
        public synchronized boolean claim(String key) {
            Instant now = Instant.now();
            var oldest = expiry.entrySet().iterator();
            while (oldest.hasNext() && !oldest.next().getValue().isAfter(now)) oldest.remove();
            if (expiry.containsKey(key)) return false;
            if (expiry.size() >= maxKeys) expiry.remove(expiry.keySet().iterator().next());
            expiry.put(key, now.plus(ttl));
            return true;
        }

        @Override
        public synchronized void release(String key) {
            expiry.remove(key);
        }
    }

    /** Your code for a genuine delivery. */
    interface Handler {
        void handle(Map<String, Object> payload) throws Exception;
    }

    /** What to answer: a status and a line of text. */
    record Answer(int status, String text) {}

    /** Judges a raw body and hands a genuine one to handler, once per
     *  delivery key; logs "delivery KEY: handled" each time it runs. Answers
     *  200 for a delivery handled now or before, 400 for a body that is not
     *  a genuine, fresh webhook (4xx, not 5xx: the body is at fault, and a
     *  5xx invites a retry), 500 when handler throws (the key is released,
     *  so that a repeat runs it again). */
    static Answer receive(byte[] raw, String secret, Duration maxAge, Deliveries deliveries, Handler handler) {
        Map<String, Object> payload;
        try {
            payload = checkBody(raw, secret, maxAge, Instant.now());
        } catch (Refused refused) {
            return new Answer(400, refused.getMessage());
        }
        String key = deliveryKey(payload, raw);
        if (!deliveries.claim(key)) {
            System.err.println("delivery " + key + ": a repeat, answered without handling it again");
            return new Answer(200, "already handled");
        }
        try {
            handler.handle(payload);
        } catch (Exception failure) {
            deliveries.release(key);
            System.err.println("delivery " + key + ": handle failed: " + failure);
            return new Answer(500, "handler failed");
        }
        System.err.println("delivery " + key + ": handled");
        return new Answer(200, "ok");
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

    /** A strict JSON reader (RFC 8259): objects as maps in order, arrays as
     *  lists, numbers as BigDecimal. Anything else is refused. */
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
            if (json.at != text.length()) throw new Refused("payload is not JSON");
            return value;
        }

        private Object value(int depth) throws Refused {
            if (depth > MAX_DEPTH) throw new Refused("payload nests too deep");
            if (at >= text.length()) throw new Refused("payload is not JSON");
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
                if (at >= text.length() || text.charAt(at) != '"') throw new Refused("payload is not JSON");
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
                if (c < 0x20) throw new Refused("payload is not JSON");
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
                        if (at + 4 > text.length()) throw new Refused("payload is not JSON");
                        try {
                            out.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                        } catch (NumberFormatException e) {
                            throw new Refused("payload is not JSON");
                        }
                        at += 4;
                    }
                    default -> throw new Refused("payload is not JSON");
                }
            }
            throw new Refused("payload is not JSON");
        }

        private BigDecimal number() throws Refused {
            int from = at;
            peek('-');
            // One zero, or digits that do not start with one.
            if (!peek('0') && digits() == 0) throw new Refused("payload is not JSON");
            if (peek('.') && digits() == 0) throw new Refused("payload is not JSON");
            if (peek('e') || peek('E')) {
                if (!peek('+')) peek('-');
                if (digits() == 0) throw new Refused("payload is not JSON");
            }
            return new BigDecimal(text.substring(from, at));
        }

        private int digits() {
            int from = at;
            while (at < text.length() && text.charAt(at) >= '0' && text.charAt(at) <= '9') at++;
            return at - from;
        }

        private Object word(String word, Object value) throws Refused {
            if (!text.startsWith(word, at)) throw new Refused("payload is not JSON");
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
            if (!peek(c)) throw new Refused("payload is not JSON");
        }

        private void space() {
            while (at < text.length() && " \t\r\n".indexOf(text.charAt(at)) >= 0) at++;
        }
    }
}
