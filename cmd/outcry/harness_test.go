//go:build e2e || load

package main

import (
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"testing"
)

// servingRE finds the listen URL in serve's "outcry serving" log line.
var servingRE = regexp.MustCompile(`url=(http://127\.0\.0\.1:\d+)/`)

func getJSON(t *testing.T, ctx context.Context, url string, v any) {
	t.Helper()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d", url, resp.StatusCode)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
}
