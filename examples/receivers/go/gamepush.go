// Receiving GamePush webhooks in Go: CheckBody says whether a body is a
// genuine, fresh webhook, DeliveryKey says which delivery it is, and Receive
// runs your code once per delivery, in a transaction of your database that
// also records the delivery's key. Copy this file into your project as it is
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
	"io"
	"log"
	"math"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

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

// A clock a little ahead of ours is not an attack.
const clockSkew = 60 * time.Second

var (
	rfc3339  = regexp.MustCompile(`(?i)^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$`)
	base64Re = regexp.MustCompile(`^(?:[A-Za-z0-9+/]+|[A-Za-z0-9_-]+)={0,2}$`)
	// A SHA-256 digest as 64 hex digits in either case, or as base64 in
	// either alphabet, padded or not.
	hexDigest    = regexp.MustCompile(`^[0-9a-fA-F]{64}$`)
	base64Digest = regexp.MustCompile(`^(?:[A-Za-z0-9+/]{43}|[A-Za-z0-9_-]{43})=?$`)
)

// Refused says why a body is not a genuine, fresh webhook: answer it 4xx.
type Refused struct{ Reason string }

func (r *Refused) Error() string { return r.Reason }

// Payload is the JSON of a genuine webhook.
type Payload struct {
	// JSON is the payload exactly as GamePush encoded it: the bytes its
	// signature covers.
	JSON []byte
	// Fields is JSON decoded, with every number a json.Number that keeps
	// its text (777, 7.77e2), so that no id is rounded.
	Fields map[string]any
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

// CheckBody returns the payload of a genuine, fresh webhook body, or a
// *Refused.
func CheckBody(raw []byte, secret string, maxAge time.Duration, now time.Time) (*Payload, error) {
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
	// One JSON object and nothing after it. Where a key is repeated, the
	// last one counts.
	decoder := json.NewDecoder(bytes.NewReader(text))
	decoder.UseNumber()
	var fields map[string]any
	if err := decoder.Decode(&fields); err != nil || fields == nil {
		return nil, &Refused{"payload is not a JSON object"}
	}
	if _, err := decoder.Token(); err != io.EOF {
		return nil, &Refused{"payload is not a JSON object"}
	}

	// A captured body stays validly signed forever: the window bounds how
	// long a replay is possible at all.
	stamp, _ := fields["time"].(string)
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
	return &Payload{JSON: text, Fields: fields}, nil
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
// would make the sender try again forever), 400 for a body that is not a
// genuine, fresh webhook (4xx, not 5xx: the body is at fault, and a 5xx
// invites a retry), 500 when handle or the database fails, so that the
// delivery is sent again.
func Receive(ctx context.Context, raw []byte, secret string, maxAge time.Duration, store *Store, handle func(*Payload, *sql.Tx) error) (int, string) {
	payload, err := CheckBody(raw, secret, maxAge, time.Now())
	if err != nil {
		return http.StatusBadRequest, err.Error()
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
