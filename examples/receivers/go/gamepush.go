// Receiving GamePush webhooks in Go: CheckBody (or a Verifier, for several
// secrets) says whether a body is a genuine, fresh webhook, DeliveryKey
// says which delivery it is, and Receive runs your code once per delivery,
// in a transaction of your database that also records the delivery's key. Copy this file into your project as it is
// (and change its package clause), open a Store, and hand Receive the raw
// body.
//
// It needs two database/sql drivers: github.com/lib/pq (PostgreSQL) and
// github.com/mattn/go-sqlite3 (SQLite, cgo). OpenStore reads the database
// from DATABASE_URL: empty for the SQLite file gamepush.sqlite3 in the
// working directory, sqlite:PATH for another file, or a postgres:// (or
// postgresql://) URL.
//
// What is known, and what is not: the body is BASE64(JSON) "." SIGNATURE
// and the signature is SHA-256 over the first part, '_' and your secret key
// (documented). How the digest is written is not documented (lowercase hex
// is likely, base64 possible), nor whether or when GamePush sends a
// delivery again. So every way of writing the same 32 bytes is accepted,
// the window on `time` is wide enough for any redelivery schedule, and what
// stops a delivery from acting twice is its key, kept in the database under
// a unique constraint, in the same transaction as the effect.

package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"database/sql/driver"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"math"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lib/pq"
	_ "github.com/mattn/go-sqlite3"
)

// MaxBody is the largest body read: webhooks are a few kilobytes, and a
// larger body is not one.
const MaxBody = 1 << 20

// MaxAge is how old a body may be: 72 hours. `time` is when the operation
// happened, and a delivery sent again after your server was down most
// likely carries that time: a window of minutes would refuse it and lose
// the purchase. The window only bounds how long a captured body can be
// sent again at all; what makes such a replay harmless is the delivery key
// in the database (see Store).
const MaxAge = 72 * time.Hour

// NoWindow, as a Verifier's MaxAge, looks at no time at all: for tests and
// tools that check old bodies, never for a server.
const NoWindow time.Duration = -1

// A clock a little ahead of ours is not an attack.
const clockSkew = 60 * time.Second

var (
	rfc3339 = regexp.MustCompile(`^\d{4}-\d\d-\d\d[Tt]\d\d:\d\d:\d\d(\.\d{1,9})?([Zz]|[+-](?:[01]\d|2[0-3]):[0-5]\d)$`)
	// A SHA-256 digest as 64 hex digits in either case, or as 43 base64
	// characters in either alphabet (and an optional '=').
	hexDigest    = regexp.MustCompile(`^[0-9a-fA-F]{64}$`)
	base64Digest = regexp.MustCompile(`^(?:[A-Za-z0-9+/]{43}|[A-Za-z0-9_-]{43})$`)
)

// Refused says why a body is not a genuine, fresh webhook. Code is gpwh's
// name for it, the same in every language (conformance/vectors.json in
// gpwh's repository pins them): too-large, empty-body, no-signature,
// empty-payload, payload-not-base64, payload-not-json, payload-not-object,
// signature-format, signature-mismatch, stale, time-missing, time-format.
type Refused struct {
	Code   string
	Reason string
}

func (r *Refused) Error() string { return r.Code + ": " + r.Reason }

// Status is the answer to a refused body: 413 for one too large, 400 for
// any other (4xx, not 5xx: the body is at fault, and a 5xx invites a
// retry).
func (r *Refused) Status() int {
	if r.Code == "too-large" {
		return http.StatusRequestEntityTooLarge
	}
	return http.StatusBadRequest
}

func refuse(code, reason string) error { return &Refused{Code: code, Reason: reason} }

// Payload is the JSON of a genuine webhook.
type Payload struct {
	// JSON is the payload exactly as GamePush encoded it: the bytes its
	// signature covers.
	JSON []byte
	// Fields is JSON decoded, with every number a json.Number that keeps
	// its text (777, 7.77e2), so that no id is rounded.
	Fields map[string]any
	// SecretIndex is which of the secrets signed it, from 0.
	SecretIndex int
	// Encoding is how its digest was written: "hex" or "base64".
	Encoding string
}

// Event is the payload's event ("PurchasePlayerPurchase", ...), or "".
func (p *Payload) Event() string {
	event, _ := p.Fields["event"].(string)
	return event
}

// PlayerID is player.id, when it is a whole number.
func (p *Payload) PlayerID() (int64, bool) {
	player, _ := p.Fields["player"].(map[string]any)
	return wholeNumber(player["id"])
}

// Verifier judges received bodies.
type Verifier struct {
	// Secrets are the keys a body may be signed with, tried in order:
	// two while you rotate your project's key.
	Secrets []string
	// MaxAge is how old a body's time may be (MaxAge for a server), or
	// NoWindow.
	MaxAge time.Duration
	// MaxBody is the largest body accepted, in bytes; 0 is MaxBody.
	MaxBody int
}

// CheckBody returns the payload of a genuine, fresh webhook body signed
// with secret, or a *Refused.
func CheckBody(raw []byte, secret string, maxAge time.Duration, now time.Time) (*Payload, error) {
	return Verifier{Secrets: []string{secret}, MaxAge: maxAge}.Check(raw, now)
}

// Check returns the payload of a genuine, fresh webhook body, or a
// *Refused naming the first check it fails, in the order gpwh checks: its
// size, its parts, the payload's base64 and JSON, the digest's form, the
// signature, and last its time.
func (v Verifier) Check(raw []byte, now time.Time) (*Payload, error) {
	maxBody := v.MaxBody
	if maxBody == 0 {
		maxBody = MaxBody
	}
	if len(raw) > maxBody {
		return nil, refuse("too-large", fmt.Sprintf("body too large: more than %d bytes", maxBody))
	}
	// BASE64(JSON) "." SIGNATURE, as bytes, exactly as received: the
	// signature covers those bytes. Only the ASCII whitespace around them
	// is ignored. '.' is in no base64 alphabet, so the last one is the
	// separator.
	body := bytes.Trim(raw, " \t\r\n")
	if len(body) == 0 {
		return nil, refuse("empty-body", "body is empty")
	}
	dot := bytes.LastIndexByte(body, '.')
	if dot < 0 {
		return nil, refuse("no-signature", "body has no signature: expected BASE64.SIGNATURE, found no '.'")
	}
	payloadPart, signature := body[:dot], body[dot+1:]
	if len(payloadPart) == 0 {
		return nil, refuse("empty-payload", "payload is empty: the body starts with '.'")
	}
	text, err := decodeBase64(payloadPart)
	if err != nil {
		return nil, err
	}
	// One JSON value, in strict UTF-8 (Go's decoder would read invalid
	// bytes as U+FFFD), and nothing after it. Where a key is repeated, the
	// last one counts.
	if !utf8.Valid(text) || !json.Valid(text) {
		return nil, refuse("payload-not-json", "payload is not JSON in UTF-8")
	}
	decoder := json.NewDecoder(bytes.NewReader(text))
	decoder.UseNumber()
	var value any
	if err := decoder.Decode(&value); err != nil {
		return nil, refuse("payload-not-json", "payload is not JSON: "+err.Error())
	}
	fields, ok := value.(map[string]any)
	if !ok {
		return nil, refuse("payload-not-object", "payload is not a JSON object: a webhook payload is an object")
	}

	// SHA-256 over the payload part as received, '_', and each secret in
	// turn. The signature's 32 bytes, however they are written, are
	// compared in constant time with every secret's, so that timing says
	// nothing of which matched or how closely; the first that matches
	// counts.
	received, encoding := digestOf(signature)
	if received == nil {
		return nil, refuse("signature-format", "signature is not a SHA-256 digest: expected 64 hex digits or 43-44 base64 characters")
	}
	matched := -1
	for i := len(v.Secrets) - 1; i >= 0; i-- {
		digest := sha256.New()
		digest.Write(payloadPart)
		digest.Write([]byte("_" + v.Secrets[i]))
		matched = subtle.ConstantTimeSelect(subtle.ConstantTimeCompare(received, digest.Sum(nil)), i, matched)
	}
	if matched < 0 {
		return nil, refuse("signature-mismatch", "signature does not match: the body was not signed with the secret key")
	}

	// A captured body stays validly signed forever: the window bounds how
	// long a replay is possible at all.
	if v.MaxAge >= 0 {
		stamp, ok := fields["time"].(string)
		if !ok {
			return nil, refuse("time-missing", `payload has no "time" to check its age against`)
		}
		sent, err := time.Parse(time.RFC3339Nano, strings.ToUpper(stamp))
		if !rfc3339.MatchString(stamp) || err != nil {
			return nil, refuse("time-format", "payload time is not an RFC 3339 time")
		}
		if age := now.Sub(sent); age > v.MaxAge {
			return nil, refuse("stale", fmt.Sprintf("signature valid but the body is stale: sent %v ago, limit %v", age, v.MaxAge))
		} else if age < -clockSkew {
			return nil, refuse("stale", fmt.Sprintf("signature valid but the body is from the future: sent %v from now", -age))
		}
	}
	return &Payload{JSON: text, Fields: fields, SecretIndex: matched, Encoding: encoding}, nil
}

// decodeBase64 reads a payload part in either alphabet, padded or not, and
// refuses anything else: both alphabets at once, '=' anywhere but as the
// padding due, a length no base64 has, and bits in the last character that
// decode to nothing (a lenient decoder reads those as the same bytes).
// Checked here first: Go's decoder skips line breaks.
func decodeBase64(part []byte) ([]byte, error) {
	notBase64 := func(why string) ([]byte, error) {
		return nil, refuse("payload-not-base64", "payload is not valid base64: "+why)
	}
	urlSafe := bytes.ContainsAny(part, "-_")
	if urlSafe && bytes.ContainsAny(part, "+/") {
		return notBase64("it mixes the URL-safe and standard alphabets")
	}
	symbols := bytes.TrimRight(part, "=")
	for _, c := range symbols {
		if !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || strings.IndexByte("+/-_", c) >= 0) {
			return notBase64(fmt.Sprintf("invalid byte %q", c))
		}
	}
	if len(symbols)%4 == 1 {
		return notBase64(fmt.Sprintf("%d characters is not a possible length (truncated?)", len(symbols)))
	}
	if padding := len(part) - len(symbols); padding > 0 && padding != 4-len(symbols)%4 {
		return notBase64("wrong '=' padding")
	}
	encoding := base64.RawStdEncoding
	if urlSafe {
		encoding = base64.RawURLEncoding
	}
	decoded, err := encoding.Strict().DecodeString(string(symbols))
	if err != nil {
		return notBase64("its last character has bits that decode to nothing (truncated or altered?)")
	}
	return decoded, nil
}

// digestOf returns the 32 bytes of a signature written as hex or base64,
// and which of the two it was; nil for anything else.
func digestOf(signature []byte) ([]byte, string) {
	if hexDigest.Match(signature) {
		decoded, _ := hex.DecodeString(string(signature))
		return decoded, "hex"
	}
	text := signature
	if len(text) == 44 && text[43] == '=' {
		text = text[:43]
	}
	if !base64Digest.Match(text) {
		return nil, ""
	}
	encoding := base64.RawStdEncoding
	if bytes.ContainsAny(text, "-_") {
		encoding = base64.RawURLEncoding
	}
	decoded, err := encoding.Strict().DecodeString(string(text))
	if err != nil || len(decoded) != sha256.Size {
		return nil, ""
	}
	return decoded, "base64"
}

// Events that happen once per purchase, whichever body carries them.
var oncePerPurchase = map[string]bool{"PurchasePlayerPurchase": true, "ConsumePlayerPurchase": true}

// DeliveryKey says what makes a delivery the same delivery again. For a
// purchase, or its consumption, it is the event and the purchase's _id
// ("PurchasePlayerPurchase:65f1c0ffee"), whatever body carries it: an _id
// of 1 to 200 bytes percent-encoded, or a whole number in decimal. For
// anything else it is the SHA-256 of the decoded payload ("sha256:<hex>"),
// which the signature covers: nobody can vary it without the secret key,
// whereas the body as received can be rewritten (whitespace, the digest's
// case or encoding) by anyone. Keys are printable ASCII.
func DeliveryKey(payload *Payload) string {
	event := payload.Event()
	result, _ := payload.Fields["result"].(map[string]any)
	purchase, _ := result["purchase"].(map[string]any)
	if oncePerPurchase[event] {
		switch id := purchase["_id"].(type) {
		case string:
			if len(id) >= 1 && len(id) <= 200 {
				return event + ":" + percentEncode(id)
			}
		case json.Number:
			if whole, ok := wholeNumber(id); ok {
				return event + ":" + strconv.FormatInt(whole, 10)
			}
		}
	}
	sum := sha256.Sum256(payload.JSON)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// maxWhole is 2^53 - 1: every JSON parser, JavaScript's included, holds
// the whole numbers up to it exactly.
const maxWhole = 1<<53 - 1

// wholeNumber is the value of a JSON number that is a whole number from
// -(2^53 - 1) to 2^53 - 1, however it is written (777, 777.0, 7.77e2,
// -0). The number is read as a float64, as JavaScript reads it, so that
// every language gives the same key: 777.00000000000001 is 777.
func wholeNumber(value any) (int64, bool) {
	number, ok := value.(json.Number)
	if !ok {
		return 0, false
	}
	// Correctly rounded; past float64's range it is an error.
	float, err := strconv.ParseFloat(string(number), 64)
	if err != nil || float != math.Trunc(float) || math.Abs(float) > maxWhole {
		return 0, false
	}
	return int64(float), true
}

// percentEncode keeps A-Z, a-z, 0-9, '-', '.', '_' and '~', and writes
// every other byte as '%' and two capital hex digits.
func percentEncode(id string) string {
	const digits = "0123456789ABCDEF"
	var encoded strings.Builder
	for i := 0; i < len(id); i++ {
		c := id[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || strings.IndexByte("-._~", c) >= 0 {
			encoded.WriteByte(c)
		} else {
			encoded.Write([]byte{'%', digits[c>>4], digits[c&15]})
		}
	}
	return encoded.String()
}

// ErrDatabaseURL says that DATABASE_URL is none of the forms OpenStore
// knows. It never holds the URL, which may hold a password.
var ErrDatabaseURL = errors.New("DATABASE_URL must be empty (SQLite, the file gamepush.sqlite3), " +
	"sqlite:PATH (SQLite, the file PATH) or postgres://user:password@host:5432/database " +
	"(PostgreSQL; postgresql:// too)")

// Store keeps the keys of the deliveries handled, in the database that
// holds what your game grants: table gamepush_deliveries, whose key is its
// primary key. Once inserts a delivery's key and runs the effect in one
// transaction. A repeat's insert hits the constraint and inserts nothing,
// so the effect does not run again; a repeat that comes while the first is
// still in flight (another request, another instance) waits for it. Not a
// lookup before an insert: two deliveries could both look, both see
// nothing and both grant.
type Store struct {
	db       *sql.DB
	postgres bool
}

// The tables, created at start where missing. grants is the demo's
// effect: the row a game writes when it gives something (no unique
// constraint, so that a double grant would show as two rows).
var (
	postgresTables = []string{`CREATE TABLE IF NOT EXISTS gamepush_deliveries (
    key        text PRIMARY KEY,
    handled_at timestamptz NOT NULL DEFAULT now()
)`, `CREATE TABLE IF NOT EXISTS grants (
    delivery_key text NOT NULL,
    event        text NOT NULL,
    player_id    bigint
)`}
	sqliteTables = []string{`CREATE TABLE IF NOT EXISTS gamepush_deliveries (
    key        TEXT PRIMARY KEY,
    handled_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
)`, `CREATE TABLE IF NOT EXISTS grants (
    delivery_key TEXT NOT NULL,
    event        TEXT NOT NULL,
    player_id    INTEGER
)`}
)

// How long a delivery may take in the database, waiting for a connection
// included; a lock is waited for 5 s at most.
const deliveryTimeout = 15 * time.Second

// OpenStore opens the database that databaseURL names (see ErrDatabaseURL)
// and creates the tables that are missing.
func OpenStore(ctx context.Context, databaseURL string) (*Store, error) {
	var store *Store
	var err error
	switch {
	case databaseURL == "":
		store, err = openSQLite("gamepush.sqlite3")
	case strings.HasPrefix(databaseURL, "sqlite:") && len(databaseURL) > len("sqlite:"):
		store, err = openSQLite(strings.TrimPrefix(databaseURL, "sqlite:"))
	case strings.HasPrefix(databaseURL, "postgres://") || strings.HasPrefix(databaseURL, "postgresql://"):
		store, err = openPostgres(databaseURL)
	default:
		return nil, ErrDatabaseURL
	}
	if err != nil {
		return nil, err
	}
	// At most 10 connections from this process: a burst of deliveries
	// waits for one rather than exhausting the server's.
	store.db.SetMaxOpenConns(10)
	if err := store.createTables(ctx); err != nil {
		store.db.Close()
		return nil, err
	}
	return store, nil
}

// openSQLite sets every connection of the pool, through go-sqlite3's
// options, to WAL, to wait up to 5 s for a lock (busy_timeout), and to
// begin each transaction with BEGIN IMMEDIATE, which takes the write lock
// at once rather than failing on an upgrade later.
func openSQLite(path string) (*Store, error) {
	// A file: URI: '%', '?' and '#' escaped, and an absolute path after an
	// empty authority (file:///var/lib/...).
	path = strings.NewReplacer("%", "%25", "?", "%3F", "#", "%23").Replace(path)
	if strings.HasPrefix(path, "/") {
		path = "//" + path
	}
	db, err := sql.Open("sqlite3", "file:"+path+"?_busy_timeout=5000&_journal_mode=WAL&_txlock=immediate")
	if err != nil {
		return nil, err
	}
	return &Store{db: db}, nil
}

// openPostgres connects with lib/pq. Without an sslmode (in the URL or
// PGSSLMODE) it does what libpq, psql and most drivers do by default and
// lib/pq does not: TLS when the server offers it, plain TCP when not.
func openPostgres(databaseURL string) (*Store, error) {
	// lib/pq's own parse errors quote the URL, password included.
	parsed, err := url.Parse(databaseURL)
	if err != nil {
		return nil, ErrDatabaseURL
	}
	connector, err := pq.NewConnector(databaseURL)
	if err != nil {
		return nil, ErrDatabaseURL
	}
	if parsed.Query().Get("sslmode") != "" || os.Getenv("PGSSLMODE") != "" {
		return &Store{db: sql.OpenDB(connector), postgres: true}, nil
	}
	query := parsed.Query()
	query.Set("sslmode", "disable")
	parsed.RawQuery = query.Encode()
	plain, err := pq.NewConnector(parsed.String())
	if err != nil {
		return nil, ErrDatabaseURL
	}
	return &Store{db: sql.OpenDB(preferTLS{connector, plain}), postgres: true}, nil
}

// preferTLS is libpq's sslmode=prefer.
type preferTLS struct{ tls, plain driver.Connector }

func (c preferTLS) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.tls.Connect(ctx)
	if errors.Is(err, pq.ErrSSLNotSupported) {
		return c.plain.Connect(ctx)
	}
	return conn, err
}

func (c preferTLS) Driver() driver.Driver { return c.tls.Driver() }

// createTables creates the tables that are missing, on PostgreSQL under
// an advisory lock, so that two instances starting at once do not trip
// over each other.
func (s *Store) createTables(ctx context.Context) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() // nothing to undo after a commit
	tables := sqliteTables
	if s.postgres {
		tables = postgresTables
		if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock(1735423848)"); err != nil {
			return err
		}
	}
	for _, table := range tables {
		if _, err := tx.ExecContext(ctx, table); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// Once runs effect once per delivery key, in one transaction that first
// inserts the key: the key and whatever effect writes on tx are committed
// together, or not at all. It returns repeat true, without running effect,
// when the key was committed before. When effect or the database fails
// (a lock not had within 5 s, a commit refused, a server gone) it returns
// the error and nothing is kept, key included, so that a repeat runs effect
// again. A process killed before the commit leaves nothing either.
func (s *Store) Once(ctx context.Context, key string, effect func(tx *sql.Tx) error) (repeat bool, err error) {
	ctx, cancel := context.WithTimeout(ctx, deliveryTimeout)
	defer cancel()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return false, err
	}
	defer tx.Rollback() // nothing to undo after a commit
	if s.postgres {
		// SQLite's connections wait 5 s already (busy_timeout).
		if _, err := tx.ExecContext(ctx, "SET LOCAL lock_timeout = '5s'"); err != nil {
			return false, err
		}
	}
	// $1 is a placeholder in PostgreSQL and in SQLite alike.
	claim, err := tx.ExecContext(ctx, "INSERT INTO gamepush_deliveries (key) VALUES ($1) ON CONFLICT (key) DO NOTHING", key)
	if err != nil {
		return false, err
	}
	inserted, err := claim.RowsAffected()
	if err != nil {
		return false, err
	}
	if inserted == 0 {
		return true, nil // handled before: the deferred rollback ends tx
	}
	if err := effect(tx); err != nil {
		return false, err
	}
	return false, tx.Commit()
}

// Receive judges a raw body and hands a genuine one to handle, once per
// delivery key, with the transaction that records the key: handle writes
// its effect on it. It logs "delivery KEY: handled" each time handle's
// work is committed, and returns the status and text to answer: 200 for a
// delivery handled now or before (a repeat is answered 2xx: anything else
// would make the sender try again forever), 400 (413 when too large) for
// a body that is not a genuine, fresh webhook, its text starting with
// gpwh's error code (4xx, not 5xx: the body is at fault, and a 5xx invites
// a retry), 500 when handle or the database fails, so that the delivery is
// sent again.
func Receive(ctx context.Context, raw []byte, secret string, maxAge time.Duration, store *Store, handle func(*Payload, *sql.Tx) error) (int, string) {
	payload, err := CheckBody(raw, secret, maxAge, time.Now())
	var refused *Refused
	if errors.As(err, &refused) {
		return refused.Status(), refused.Error()
	}
	key := DeliveryKey(payload)
	repeat, err := store.Once(ctx, key, func(tx *sql.Tx) error { return handle(payload, tx) })
	switch {
	case err != nil:
		log.Printf("delivery %s: not handled: %v", key, err)
		return http.StatusInternalServerError, "handler failed"
	case repeat:
		log.Printf("delivery %s: a repeat, answered without handling it again", key)
		return http.StatusOK, "already handled"
	}
	log.Printf("delivery %s: handled", key)
	return http.StatusOK, "ok"
}
