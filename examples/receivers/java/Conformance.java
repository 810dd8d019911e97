// Every vector of gpwh's conformance/vectors.json through GamePush.verify,
// the method checkBody and receive verify with (Receiver.java): the body's
// exact bytes, the vector's secrets, clock, window and size limit, and the
// verdict it expects (the error code, or the payload, its delivery key,
// which secret and which digest form). Prints each disagreement, then
// `java: N passed, N failed`; exits 1 when any failed. The vectors are read
// with GamePush's own JSON reader. Compiled with Receiver.java, whose
// GamePush class it calls:
//
//   javac -d OUT Receiver.java Conformance.java
//   java -cp OUT Conformance ../../../conformance/vectors.json

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

public class Conformance {
    public static void main(String[] args) throws Exception {
        Path path = Path.of(args.length > 0 ? args[0] : "../../../conformance/vectors.json");
        Map<?, ?> file = (Map<?, ?>) GamePush.Json.parse(Files.readString(path, StandardCharsets.UTF_8));
        int passed = 0;
        int failed = 0;
        for (Object item : (List<?>) file.get("vectors")) {
            Map<?, ?> vector = (Map<?, ?>) item;
            Map<?, ?> expect = (Map<?, ?>) vector.get("expect");
            String wanted = Boolean.TRUE.equals(expect.get("valid"))
                ? shown((String) expect.get("payload"), (String) expect.get("event"), (String) expect.get("delivery_key"),
                    ((Number) expect.get("secret_index")).intValue(), (String) expect.get("encoding"))
                : "refused: " + expect.get("error");
            String found;
            try {
                byte[] body = Base64.getDecoder().decode((String) vector.get("body_base64"));
                List<String> secrets = ((List<?>) vector.get("secrets")).stream().map(s -> (String) s).toList();
                Duration maxAge = vector.get("max_age_seconds") instanceof Number seconds
                    ? Duration.ofSeconds(seconds.longValue()) : null;
                int maxBody = ((Number) vector.get("max_body")).intValue();
                Instant now = Instant.parse((String) vector.get("now"));
                GamePush.Webhook webhook = GamePush.verify(body, secrets, maxAge, maxBody, now);
                found = shown(new String(webhook.json(), StandardCharsets.UTF_8),
                    webhook.payload().get("event") instanceof String event ? event : null,
                    GamePush.deliveryKey(webhook.payload(), webhook.json()), webhook.secretIndex(), webhook.encoding());
            } catch (GamePush.Refused refused) {
                found = "refused: " + refused.code();
            } catch (RuntimeException failure) {
                found = "failed: " + failure;
            }
            if (found.equals(wanted)) {
                passed++;
            } else {
                failed++;
                System.out.println("\"" + vector.get("name") + "\":\n  expected " + wanted + "\n  found    " + found);
            }
        }
        if (passed + failed == 0) {
            System.out.println(path + " holds no vector");
            failed++;
        }
        System.out.println("java: " + passed + " passed, " + failed + " failed");
        System.exit(failed == 0 ? 0 : 1);
    }

    private static String shown(String payload, String event, String key, int secret, String encoding) {
        return "valid: payload " + payload + ", event " + event + ", delivery key " + key + ", secret " + secret
            + ", digest " + encoding;
    }
}
