// Verifying a GamePush webhook in Go: one function, CheckBody, with nothing
// but the standard library. Copy this file into your project as it is (and
// change its package clause), and hand CheckBody the raw body.

package main

import (
	"bytes"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"regexp"
	"strings"
	"time"
)

// MaxBody is the largest body read: webhooks are a few kilobytes, and a
// larger body is not one.
const MaxBody = 1 << 20

// A clock a little ahead of ours is not an attack.
const clockSkew = 60 * time.Second

var (
	rfc3339   = regexp.MustCompile(`(?i)^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$`)
	base64Re  = regexp.MustCompile(`^(?:[A-Za-z0-9+/]+|[A-Za-z0-9_-]+)={0,2}$`)
	hexDigest = regexp.MustCompile(`^[0-9a-f]{64}$`)
)

// Refused says why a body is not a genuine, fresh webhook: answer it 4xx.
type Refused struct{ Reason string }

func (r *Refused) Error() string { return r.Reason }

// CheckBody returns the payload of a genuine, fresh webhook body, exactly as
// received, or a *Refused.
func CheckBody(raw []byte, secret string, maxAge time.Duration, now time.Time) (map[string]any, error) {
	// BASE64(JSON) "." SIGNATURE, as bytes, exactly as received: the
	// signature covers those bytes. '.' is in no base64 alphabet, so the
	// last one is the separator.
	body := bytes.Trim(raw, " \t\r\n")
	dot := bytes.LastIndexByte(body, '.')
	if dot < 0 {
		return nil, &Refused{"no signature"}
	}
	payloadPart := body[:dot]
	signature := bytes.ToLower(body[dot+1:])

	// SHA-256 over the payload part as received, '_', and the secret,
	// compared in constant time so that timing reveals nothing.
	digest := sha256.New()
	digest.Write(payloadPart)
	digest.Write([]byte("_" + secret))
	expected := []byte(hex.EncodeToString(digest.Sum(nil)))
	if !hexDigest.Match(signature) || subtle.ConstantTimeCompare(signature, expected) != 1 {
		return nil, &Refused{"signature does not match"}
	}

	// Only now is the payload trusted enough to parse. Check the alphabet
	// first: Go's decoder skips line breaks.
	if !base64Re.Match(payloadPart) {
		return nil, &Refused{"payload is not base64"}
	}
	standard := strings.TrimRight(strings.NewReplacer("-", "+", "_", "/").Replace(string(payloadPart)), "=")
	text, err := base64.RawStdEncoding.DecodeString(standard)
	if err != nil {
		return nil, &Refused{"payload is not base64"}
	}
	var payload map[string]any
	if err := json.Unmarshal(text, &payload); err != nil || payload == nil {
		return nil, &Refused{"payload is not a JSON object"}
	}

	// A captured body stays validly signed forever: refuse old ones, so
	// that nobody can replay a purchase.
	stamp, _ := payload["time"].(string)
	if !rfc3339.MatchString(stamp) {
		return nil, &Refused{"payload has no RFC 3339 time"}
	}
	sent, err := time.Parse(time.RFC3339Nano, strings.ToUpper(stamp))
	if err != nil {
		return nil, &Refused{"payload has no RFC 3339 time"}
	}
	if age := now.Sub(sent); age > maxAge || age < -clockSkew {
		return nil, &Refused{"body is too old, or from the future"}
	}
	return payload, nil
}
