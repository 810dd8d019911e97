// A GamePush webhook receiver in Go, with net/http and database/sql. Copy
// it with gamepush.go, or run it as it is (README.md says how to get the
// drivers):
//
//	go build -o receiver .
//	GPWH_SECRET='your secret key' PORT=3000 ./receiver
//
// and check it with:
//
//	gpwh probe --all-events --strict http://127.0.0.1:3000/webhooks/gamepush
//
// Environment: GPWH_SECRET (required), DATABASE_URL (empty: the SQLite file
// gamepush.sqlite3 in the working directory; sqlite:PATH; or
// postgres://user:password@host:5432/database), PORT (3000; 0 picks a free
// port), HOST (127.0.0.1), MAX_AGE_SECONDS (259200, 72 hours: how old a
// body may be; gamepush.go says why so long).
package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"strconv"
	"time"
)

// handle is your game's work for one delivery: give what it says, on the
// transaction it is given. That transaction also records the delivery's
// key, so the grant and the key are committed together or not at all, and
// a repeat of the delivery is answered 2xx without running handle again.
// Return an error to have the delivery answered 500: nothing it wrote is
// kept, and GamePush (or you) can send it again. Every event must be
// answered 2xx, including events you do not handle: GamePush adds new ones.
func handle(payload *Payload, tx *sql.Tx) error {
	// The demo records a grant for every delivery; a game would give what
	// payload.Fields["result"] describes for the events it sells with.
	var player sql.NullInt64
	player.Int64, player.Valid = payload.PlayerID()
	_, err := tx.Exec("INSERT INTO grants (delivery_key, event, player_id) VALUES ($1, $2, $3)",
		DeliveryKey(payload), payload.Event(), player)
	return err
}

func answer(w http.ResponseWriter, status int, text string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(status)
	fmt.Fprintln(w, text)
}

func main() {
	secret := os.Getenv("GPWH_SECRET")
	if secret == "" {
		fmt.Fprintln(os.Stderr, "set GPWH_SECRET to your project's secret key")
		os.Exit(2)
	}
	maxAge := MaxAge
	if text := os.Getenv("MAX_AGE_SECONDS"); text != "" {
		seconds, err := strconv.ParseFloat(text, 64)
		if err != nil {
			log.Fatalf("MAX_AGE_SECONDS: %v", err)
		}
		maxAge = time.Duration(seconds * float64(time.Second))
	}

	// The database keeps the keys of the deliveries handled, and what
	// handle grants. Its URL may hold a password: it is never printed.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	store, err := OpenStore(ctx, os.Getenv("DATABASE_URL"))
	cancel()
	if errors.Is(err, ErrDatabaseURL) {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	if err != nil {
		log.Fatalf("database: %v", err)
	}

	http.HandleFunc("/webhooks/gamepush", func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", "POST")
			answer(w, http.StatusMethodNotAllowed, "POST only")
			return
		}
		// The trap: r.ParseForm() or r.FormValue(...) read a body labelled
		// application/x-www-form-urlencoded as a form, and a json.Decoder
		// on r.Body parses it: either way the exact bytes that were signed
		// are gone. Read r.Body whole, first, and give CheckBody the bytes.
		// MaxBytesReader stops a larger body, chunked or not.
		raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
		if err != nil {
			var tooLarge *http.MaxBytesError
			if errors.As(err, &tooLarge) {
				answer(w, http.StatusRequestEntityTooLarge, "body too large")
			} else {
				answer(w, http.StatusBadRequest, "body could not be read")
			}
			return
		}
		status, text := Receive(r.Context(), raw, secret, maxAge, store, handle)
		answer(w, status, text)
	})

	host := os.Getenv("HOST")
	if host == "" {
		host = "127.0.0.1"
	}
	port := os.Getenv("PORT")
	if port == "" {
		port = "3000"
	}
	listener, err := net.Listen("tcp", net.JoinHostPort(host, port))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Fprintf(os.Stderr, "listening on http://%s\n", listener.Addr())
	// A client that sends half a request must not hold a connection forever.
	server := &http.Server{ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second}
	log.Fatal(server.Serve(listener))
}
