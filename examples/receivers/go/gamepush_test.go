// Every vector of gpwh's conformance/vectors.json through Verifier.Check,
// the function the receiver verifies with: the body's exact bytes, the
// vector's secrets, clock, window and size limit, and the verdict it
// expects (the error code, or the payload, its delivery key, which secret
// and which digest form). Run with the recipe's setup:
//
//	GO111MODULE=off GOPATH=/usr/share/gocode go test .
package main

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

type vector struct {
	Name          string   `json:"name"`
	BodyBase64    string   `json:"body_base64"`
	Secrets       []string `json:"secrets"`
	Now           string   `json:"now"`
	MaxAgeSeconds *int64   `json:"max_age_seconds"`
	MaxBody       int      `json:"max_body"`
	Expect        struct {
		Valid       bool    `json:"valid"`
		Error       string  `json:"error"`
		Payload     string  `json:"payload"`
		Event       *string `json:"event"`
		DeliveryKey string  `json:"delivery_key"`
		SecretIndex int     `json:"secret_index"`
		Encoding    string  `json:"encoding"`
	} `json:"expect"`
}

// verdict says what Check gives a vector's body, and what the vector
// expects, in the same words.
func verdict(v vector) (found, wanted string, err error) {
	body, err := base64.StdEncoding.DecodeString(v.BodyBase64)
	if err != nil {
		return "", "", err
	}
	now, err := time.Parse(time.RFC3339, v.Now)
	if err != nil {
		return "", "", err
	}
	verifier := Verifier{Secrets: v.Secrets, MaxAge: NoWindow, MaxBody: v.MaxBody}
	if v.MaxAgeSeconds != nil {
		verifier.MaxAge = time.Duration(*v.MaxAgeSeconds) * time.Second
	}
	valid := func(payload string, event *string, key string, secret int, encoding string) string {
		shown := "null"
		if event != nil {
			shown = fmt.Sprintf("%q", *event)
		}
		return fmt.Sprintf("valid: payload %q, event %s, delivery key %s, secret %d, digest %s",
			payload, shown, key, secret, encoding)
	}
	if v.Expect.Valid {
		wanted = valid(v.Expect.Payload, v.Expect.Event, v.Expect.DeliveryKey, v.Expect.SecretIndex, v.Expect.Encoding)
	} else {
		wanted = "refused: " + v.Expect.Error
	}
	payload, err := verifier.Check(body, now)
	var refused *Refused
	switch {
	case errors.As(err, &refused):
		found = "refused: " + refused.Code
	case err != nil:
		found = "failed: " + err.Error()
	default:
		var event *string
		if name, ok := payload.Fields["event"].(string); ok {
			event = &name
		}
		found = valid(string(payload.JSON), event, DeliveryKey(payload), payload.SecretIndex, payload.Encoding)
	}
	return found, wanted, nil
}

func TestConformanceVectors(t *testing.T) {
	path := filepath.Join("..", "..", "..", "conformance", "vectors.json")
	text, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v: the vectors are gpwh's; run this test in gpwh's repository", err)
	}
	var file struct {
		Vectors []vector `json:"vectors"`
	}
	if err := json.Unmarshal(text, &file); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	passed, failed := 0, 0
	for _, v := range file.Vectors {
		found, wanted, err := verdict(v)
		if err == nil && found == wanted {
			passed++
			continue
		}
		failed++
		if err != nil {
			t.Errorf("%q: the vector cannot be read: %v", v.Name, err)
		} else {
			t.Errorf("%q:\n  expected %s\n  found    %s", v.Name, wanted, found)
		}
	}
	if len(file.Vectors) == 0 {
		t.Error("conformance/vectors.json holds no vector")
	}
	fmt.Printf("go: %d passed, %d failed\n", passed, failed)
}
