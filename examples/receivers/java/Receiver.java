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
// HOST (127.0.0.1), MAX_AGE_SECONDS (600: how old a body may be).

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
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

public class Receiver {
    /** Your game's work. Every event must be answered 2xx, including events
     *  you do not handle: GamePush adds new ones. A webhook may also arrive
     *  twice, so make each effect happen once (key it on the purchase id). */
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
        String maxAgeText = System.getenv().getOrDefault("MAX_AGE_SECONDS", "600");
        Duration maxAge = Duration.ofMillis((long) (Double.parseDouble(maxAgeText) * 1000));
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
                Map<String, Object> payload;
                try {
                    payload = GamePush.checkBody(raw, secret, maxAge, Instant.now());
                } catch (GamePush.Refused refused) {
                    // 4xx, not 5xx: the body is at fault, and a 5xx invites a retry.
                    answer(exchange, 400, refused.getMessage());
                    return;
                }
                handle(payload);
                answer(exchange, 200, "ok");
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

/** Verifying a GamePush webhook: checkBody, with nothing but the JDK. The
 *  JDK has no JSON parser, so a small strict one comes with it. */
final class GamePush {
    /** Webhooks are a few kilobytes; a larger body is not one. */
    static final int MAX_BODY = 1 << 20;
    /** A clock a little ahead of ours is not an attack. */
    static final Duration CLOCK_SKEW = Duration.ofSeconds(60);
    static final Pattern RFC3339 = Pattern.compile(
        "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?(Z|[+-]\\d\\d:\\d\\d)", Pattern.CASE_INSENSITIVE);
    static final Pattern BASE64 = Pattern.compile("(?:[A-Za-z0-9+/]+|[A-Za-z0-9_-]+)={0,2}");
    static final Pattern HEX_DIGEST = Pattern.compile("[0-9a-f]{64}");

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
        String signature = new String(raw, dot + 1, end - dot - 1, StandardCharsets.ISO_8859_1)
            .toLowerCase();

        // SHA-256 over the payload part as received, '_', and the secret,
        // compared in constant time (MessageDigest.isEqual) so that timing
        // reveals nothing.
        byte[] expected;
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(payloadPart);
            sha256.update(("_" + secret).getBytes(StandardCharsets.UTF_8));
            expected = HexFormat.of().formatHex(sha256.digest()).getBytes(StandardCharsets.US_ASCII);
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
        if (!HEX_DIGEST.matcher(signature).matches()
                || !MessageDigest.isEqual(signature.getBytes(StandardCharsets.ISO_8859_1), expected)) {
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

        // A captured body stays validly signed forever: refuse old ones, so
        // that nobody can replay a purchase.
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
