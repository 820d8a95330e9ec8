package dashboard

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/outcry/outcry"
)

// errorBody is the one error shape of the JSON API: {"error":{"code","message"}}.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// httpError is an error with its own status and code, for failures that are neither bad
// input nor unknown ids: 401, 405, 413, 414, 503.
type httpError struct {
	Status int
	Code   string
	Msg    string
}

func (e *httpError) Error() string { return e.Msg }

// paramError is a bad query parameter; it wraps outcry.ErrInvalid (400).
type paramError struct {
	Param string
	Msg   string
}

func (e *paramError) Error() string { return "parameter " + strconv.Quote(e.Param) + ": " + e.Msg }
func (e *paramError) Unwrap() error { return outcry.ErrInvalid }

// classify maps err to an HTTP status, an API code and the message safe to show; ok is
// false when the client went away and nothing should be written.
func classify(err error) (status int, code, msg string, internal bool, ok bool) {
	var he *httpError
	switch {
	case errors.Is(err, context.Canceled):
		return 0, "", "", false, false
	case errors.As(err, &he):
		return he.Status, he.Code, he.Msg, false, true
	case errors.Is(err, outcry.ErrInvalid):
		return http.StatusBadRequest, "invalid", publicMsg(err, outcry.ErrInvalid), false, true
	case errors.Is(err, outcry.ErrNotFound):
		return http.StatusNotFound, "not_found", publicMsg(err, outcry.ErrNotFound), false, true
	case errors.Is(err, context.DeadlineExceeded):
		return http.StatusServiceUnavailable, "timeout", "the request took too long", true, true
	}
	return http.StatusInternalServerError, "internal", "internal error", true, true
}

// publicMsg is an error's text for a client: without the Go package prefix ("index: ")
// and the sentinel's own words (": invalid"), which say nothing the code does not.
func publicMsg(err error, sentinel error) string {
	msg := strings.TrimSuffix(err.Error(), ": "+sentinel.Error())
	for _, p := range []string{"index: ", "detect: ", "monitor: "} {
		msg = strings.TrimPrefix(msg, p)
	}
	return msg
}

// writeError is the one place that turns errors into JSON. Internal details are logged,
// never sent.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	status, code, msg, internal, ok := classify(err)
	if !ok {
		return // client left
	}
	if internal {
		s.log.ErrorContext(r.Context(), "request failed", "path", r.URL.Path, "err", err)
	}
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="outcry"`)
	}
	writeJSON(w, status, errorBody{Error: errorDetail{Code: code, Message: msg}})
}

// writeJSON encodes v with a trailing newline. The body is built first so that an
// encoding failure still yields a clean 500 instead of a truncated 200.
func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(true)
	if err := enc.Encode(v); err != nil {
		buf.Reset()
		status = http.StatusInternalServerError
		_ = json.NewEncoder(&buf).Encode(errorBody{Error: errorDetail{Code: "internal", Message: "internal error"}})
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	if h.Get("Cache-Control") == "" {
		h.Set("Cache-Control", "no-store")
	}
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}
