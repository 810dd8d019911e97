// Receiving GamePush webhooks in Go, with nothing but the standard library:
// CheckBody says whether a body is a genuine, fresh webhook, and Receive
// hands each genuine delivery to your code once. Copy this file into your
// project as it is (and change its package clause), and hand Receive the
// raw body.
//
// What is known, and what is not: the body is BASE64(JSON) "." SIGNATURE
// and the signature is SHA-256 over the first part, '_' and your secret key
// (documented). How the digest is written is not documented (lowercase hex
// is likely, base64 possible), nor whether or when GamePush sends a
// delivery again. So every way of writing the same 32 bytes is accepted,
// each delivery is acted on once, and the window on `time` is wide enough
// for any redelivery schedule.

package main

import (
	"bytes"
	"container/list"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"time"
)

// MaxBody is the largest body read: webhooks are a few kilobytes, and a
// larger body is not one.
const MaxBody = 1 << 20

// MaxAge is how old a body may be: 72 hours. `time` is when the operation
// happened, and a delivery sent again after your server was down most
// likely carries that time: a window of minutes would refuse it and lose
// the purchase. The delivery key, not the window, is what stops a captured
// body replayed.
const MaxAge = 72 * time.Hour

// A clock a little ahead of ours is not an attack.
const clockSkew = 60 * time.Second

var (
	rfc3339  = regexp.MustCompile(`(?i)^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$`)
	base64Re = regexp.MustCompile(`^(?:[A-Za-z0-9+/]+|[A-Za-z0-9_-]+)={0,2}$`)
	// A SHA-256 digest as 64 hex digits in either case, or as base64 in
	// either alphabet, padded or not.
	hexDigest    = regexp.MustCompile(`^[0-9a-fA-F]{64}$`)
	base64Digest = regexp.MustCompile(`^(?:[A-Za-z0-9+/]{43}|[A-Za-z0-9_-]{43})=?$`)
	// A purchase id used as a key only when it is plain printable text.
	plainID = regexp.MustCompile(`^[\x21-\x7e]{1,200}$`)
)

// Events that happen once per purchase, whichever body carries them.
var oncePerPurchase = map[string]bool{"PurchasePlayerPurchase": true, "ConsumePlayerPurchase": true}

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

	// SHA-256 over the payload part as received, '_', and the secret. The
	// signature's 32 bytes, however they are written, are compared in
	// constant time so that timing reveals nothing.
	digest := sha256.New()
	digest.Write(payloadPart)
	digest.Write([]byte("_" + secret))
	received := digestOf(body[dot+1:])
	if len(received) != sha256.Size || subtle.ConstantTimeCompare(received, digest.Sum(nil)) != 1 {
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

	// A captured body stays validly signed forever: the window bounds how
	// long a replay is possible at all.
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

// digestOf returns the 32 bytes of a signature written as hex or base64, or
// nil.
func digestOf(signature []byte) []byte {
	var decoded []byte
	var err error
	switch {
	case hexDigest.Match(signature):
		decoded, err = hex.DecodeString(string(signature))
	case base64Digest.Match(signature):
		standard := strings.NewReplacer("-", "+", "_", "/").Replace(strings.TrimRight(string(signature), "="))
		decoded, err = base64.RawStdEncoding.DecodeString(standard)
	}
	if err != nil {
		return nil
	}
	return decoded
}

// DeliveryKey says what makes a delivery the same delivery again: for a
// purchase, or its consumption, the purchase's _id
// ("PurchasePlayerPurchase:<_id>"), whatever body carries it; for anything
// else, the SHA-256 of the body as received ("sha256:<hex>").
func DeliveryKey(payload map[string]any, raw []byte) string {
	event, _ := payload["event"].(string)
	result, _ := payload["result"].(map[string]any)
	purchase, _ := result["purchase"].(map[string]any)
	var id string
	switch value := purchase["_id"].(type) {
	case string:
		id = value
	case float64:
		if value == float64(int64(value)) {
			id = fmt.Sprint(int64(value))
		}
	}
	if oncePerPurchase[event] && plainID.MatchString(id) {
		return event + ":" + id
	}
	sum := sha256.Sum256(raw)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// Deliveries holds the delivery keys already handled. Any store will do:
// Claim is true the first time it sees a key and false after; Release
// forgets a key whose handling failed, so that a repeat runs it again.
type Deliveries interface {
	Claim(key string) bool
	Release(key string)
}

// MemoryDeliveries keeps the keys in memory for as long as the window, up
// to MaxKeys (past that it forgets the oldest first), and loses them when
// the process stops. A real game keeps them in its database instead: a
// table whose key column is UNIQUE (or the primary key), with the key
// inserted in the same transaction as the purchase it grants, so that a
// repeat fails on the constraint and grants nothing.
type MemoryDeliveries struct {
	TTL     time.Duration
	MaxKeys int

	mu     sync.Mutex
	order  list.List // of *claimed, oldest first
	claims map[string]*list.Element
}

type claimed struct {
	key     string
	expires time.Time
}

// NewMemoryDeliveries keeps keys for ttl, up to 100,000 of them.
func NewMemoryDeliveries(ttl time.Duration) *MemoryDeliveries {
	return &MemoryDeliveries{TTL: ttl, MaxKeys: 100_000, claims: map[string]*list.Element{}}
}

func (m *MemoryDeliveries) Claim(key string) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := time.Now()
	for oldest := m.order.Front(); oldest != nil && !oldest.Value.(*claimed).expires.After(now); oldest = m.order.Front() {
		m.forget(oldest)
	}
	if _, seen := m.claims[key]; seen {
		return false
	}
	if m.order.Len() >= m.MaxKeys {
		m.forget(m.order.Front())
	}
	m.claims[key] = m.order.PushBack(&claimed{key, now.Add(m.TTL)})
	return true
}

func (m *MemoryDeliveries) Release(key string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if element, seen := m.claims[key]; seen {
		m.forget(element)
	}
}

func (m *MemoryDeliveries) forget(element *list.Element) {
	delete(m.claims, element.Value.(*claimed).key)
	m.order.Remove(element)
}

// Receive judges a raw body and hands a genuine one to handle, once per
// delivery key; it logs "delivery KEY: handled" each time handle runs. It
// returns the status and text to answer: 200 for a delivery handled now or
// before, 400 for a body that is not a genuine, fresh webhook (4xx, not
// 5xx: the body is at fault, and a 5xx invites a retry), 500 when handle
// returns an error (the key is released, so that a repeat runs it again).
func Receive(raw []byte, secret string, maxAge time.Duration, deliveries Deliveries, handle func(map[string]any) error) (int, string) {
	payload, err := CheckBody(raw, secret, maxAge, time.Now())
	if err != nil {
		return http.StatusBadRequest, err.Error()
	}
	key := DeliveryKey(payload, raw)
	if !deliveries.Claim(key) {
		log.Printf("delivery %s: a repeat, answered without handling it again", key)
		return http.StatusOK, "already handled"
	}
	if err := handle(payload); err != nil {
		deliveries.Release(key)
		log.Printf("delivery %s: handle failed: %v", key, err)
		return http.StatusInternalServerError, "handler failed"
	}
	log.Printf("delivery %s: handled", key)
	return http.StatusOK, "ok"
}
