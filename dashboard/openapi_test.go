package dashboard

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// schemaValidator checks JSON values against the subset of JSON Schema (OpenAPI 3.0
// flavour) that openapi.json uses: $ref, allOf, type, nullable, required, properties,
// additionalProperties (false or a schema), items, enum and format date-time.
type schemaValidator struct {
	doc map[string]any
}

func (v *schemaValidator) resolve(s map[string]any) (map[string]any, error) {
	for depth := 0; depth < 16; depth++ {
		ref, ok := s["$ref"].(string)
		if !ok {
			return s, nil
		}
		const prefix = "#/components/schemas/"
		if !strings.HasPrefix(ref, prefix) {
			return nil, fmt.Errorf("unsupported $ref %q", ref)
		}
		comps := v.doc["components"].(map[string]any)["schemas"].(map[string]any)
		next, ok := comps[strings.TrimPrefix(ref, prefix)].(map[string]any)
		if !ok {
			return nil, fmt.Errorf("dangling $ref %q", ref)
		}
		s = next
	}
	return nil, fmt.Errorf("$ref loop")
}

func (v *schemaValidator) validate(s map[string]any, val any, path string) error {
	s, err := v.resolve(s)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	for key := range s {
		switch key {
		case "type", "nullable", "required", "properties", "additionalProperties", "items", "enum", "format", "description", "allOf", "$ref":
		default:
			return fmt.Errorf("%s: schema keyword %q is outside the validated subset", path, key)
		}
	}
	if val == nil {
		if s["nullable"] == true {
			return nil
		}
		return fmt.Errorf("%s: null but not nullable", path)
	}
	if all, ok := s["allOf"].([]any); ok {
		for _, sub := range all {
			if err := v.validate(sub.(map[string]any), val, path); err != nil {
				return err
			}
		}
	}
	if enum, ok := s["enum"].([]any); ok {
		found := false
		for _, e := range enum {
			if e == val {
				found = true
			}
		}
		if !found {
			return fmt.Errorf("%s: %v not in enum %v", path, val, enum)
		}
	}
	typ, _ := s["type"].(string)
	switch typ {
	case "":
	case "string":
		str, ok := val.(string)
		if !ok {
			return fmt.Errorf("%s: want string, got %T", path, val)
		}
		if s["format"] == "date-time" {
			t, err := time.Parse(time.RFC3339Nano, str)
			if err != nil {
				return fmt.Errorf("%s: %q is not RFC 3339", path, str)
			}
			if _, off := t.Zone(); off != 0 || !strings.HasSuffix(str, "Z") {
				return fmt.Errorf("%s: %q is not UTC", path, str)
			}
		}
	case "integer":
		n, ok := val.(json.Number)
		if !ok {
			return fmt.Errorf("%s: want integer, got %T", path, val)
		}
		if _, err := strconv.ParseInt(string(n), 10, 64); err != nil {
			return fmt.Errorf("%s: %s is not an integer", path, n)
		}
	case "number":
		if _, ok := val.(json.Number); !ok {
			return fmt.Errorf("%s: want number, got %T", path, val)
		}
	case "boolean":
		if _, ok := val.(bool); !ok {
			return fmt.Errorf("%s: want boolean, got %T", path, val)
		}
	case "array":
		arr, ok := val.([]any)
		if !ok {
			return fmt.Errorf("%s: want array, got %T", path, val)
		}
		items, _ := s["items"].(map[string]any)
		for i, it := range arr {
			if items != nil {
				if err := v.validate(items, it, fmt.Sprintf("%s[%d]", path, i)); err != nil {
					return err
				}
			}
		}
	case "object":
		obj, ok := val.(map[string]any)
		if !ok {
			return fmt.Errorf("%s: want object, got %T", path, val)
		}
		props, _ := s["properties"].(map[string]any)
		if req, ok := s["required"].([]any); ok {
			for _, r := range req {
				if _, ok := obj[r.(string)]; !ok {
					return fmt.Errorf("%s: missing required %q", path, r)
				}
			}
		}
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if ps, ok := props[k].(map[string]any); ok {
				if err := v.validate(ps, obj[k], path+"."+k); err != nil {
					return err
				}
				continue
			}
			switch ap := s["additionalProperties"].(type) {
			case bool:
				if !ap {
					return fmt.Errorf("%s: property %q is not in the schema", path, k)
				}
			case map[string]any:
				if err := v.validate(ap, obj[k], path+"."+k); err != nil {
					return err
				}
			}
		}
	default:
		return fmt.Errorf("%s: unsupported type %q", path, typ)
	}
	return nil
}

func loadOpenAPI(t *testing.T) *schemaValidator {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(openAPIDoc, &doc); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	if !strings.HasPrefix(doc["openapi"].(string), "3.") {
		t.Fatalf("not an OpenAPI 3 document")
	}
	return &schemaValidator{doc: doc}
}

// operation finds the documented GET operation for a concrete path.
func (v *schemaValidator) operation(path string) (map[string]any, string, bool) {
	paths := v.doc["paths"].(map[string]any)
	for tmpl, item := range paths {
		if matchTemplate(tmpl, path) {
			op, ok := item.(map[string]any)["get"].(map[string]any)
			return op, tmpl, ok
		}
	}
	return nil, "", false
}

func matchTemplate(tmpl, path string) bool {
	a, b := strings.Split(tmpl, "/"), strings.Split(path, "/")
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if strings.HasPrefix(a[i], "{") || a[i] == b[i] {
			continue
		}
		return false
	}
	return true
}

func (v *schemaValidator) responseSchema(op map[string]any, status int) (map[string]any, error) {
	resp, ok := op["responses"].(map[string]any)[strconv.Itoa(status)].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("status %d is not documented", status)
	}
	if ref, ok := resp["$ref"].(string); ok {
		name := strings.TrimPrefix(ref, "#/components/responses/")
		resp = v.doc["components"].(map[string]any)["responses"].(map[string]any)[name].(map[string]any)
	}
	content := resp["content"].(map[string]any)
	media, ok := content["application/json"].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("status %d has no application/json content", status)
	}
	return media["schema"].(map[string]any), nil
}

// TestOpenAPIMatchesLiveResponses validates real responses, successes and errors,
// against the served document.
func TestOpenAPIMatchesLiveResponses(t *testing.T) {
	v := loadOpenAPI(t)
	h := newTestServer(newFake()).Handler()
	w := do(t, h, "GET", "/api/v1/openapi.json")
	if w.Code != 200 || !json.Valid(w.Body.Bytes()) {
		t.Fatalf("openapi.json served %d", w.Code)
	}
	targets := []string{
		"/api/v1/services",
		"/api/v1/services/chatgpt",
		"/api/v1/services/github",
		"/api/v1/services/chatgpt/series",
		"/api/v1/services/claude/series?step=1h&from=2024-06-03T16:00:00Z",
		"/api/v1/incidents",
		"/api/v1/incidents?state=resolved",
		"/api/v1/incidents/chatgpt-20240604-0649",
		"/api/v1/incidents/chatgpt-20240604-1414",
		"/api/v1/incidents/claude-20240604-1453",
		"/api/v1/events",
		"/api/v1/events/ev-20240604-1414",
		"/api/v1/search?q=chatgpt",
		"/api/v1/search?q=panne&service=claude,chatgpt&lang=fr&sort=newest&complaints=true&step=1h",
		"/api/v1/sources",
		"/healthz",
		// Errors must match the documented error shape too.
		"/api/v1/services/nope",
		"/api/v1/incidents?limit=0",
		"/api/v1/search",
		"/api/v1/incidents/unknown",
	}
	seen := map[string]bool{}
	for _, target := range targets {
		w := do(t, h, "GET", target)
		path, _, _ := strings.Cut(target, "?")
		op, tmpl, ok := v.operation(path)
		if !ok {
			t.Errorf("%s: path not documented", target)
			continue
		}
		seen[tmpl] = true
		schema, err := v.responseSchema(op, w.Code)
		if err != nil {
			t.Errorf("%s: %v", target, err)
			continue
		}
		dec := json.NewDecoder(strings.NewReader(w.Body.String()))
		dec.UseNumber()
		var body any
		if err := dec.Decode(&body); err != nil {
			t.Errorf("%s: %v", target, err)
			continue
		}
		if err := v.validate(schema, body, "$"); err != nil {
			t.Errorf("%s (%d): %v", target, w.Code, err)
		}
	}
	// Every documented JSON path was exercised.
	for tmpl := range v.doc["paths"].(map[string]any) {
		if tmpl != "/metrics" && tmpl != "/api/v1/openapi.json" && !seen[tmpl] {
			t.Errorf("documented path %s not exercised", tmpl)
		}
	}
}

// TestOpenAPIDocumentsEveryRoute keeps routes.go and the document in step.
func TestOpenAPIDocumentsEveryRoute(t *testing.T) {
	v := loadOpenAPI(t)
	for _, path := range []string{"/api/v1/services", "/api/v1/services/x", "/api/v1/services/x/series",
		"/api/v1/incidents", "/api/v1/incidents/x", "/api/v1/events", "/api/v1/events/x", "/api/v1/search",
		"/api/v1/sources", "/api/v1/openapi.json", "/healthz", "/metrics"} {
		if _, _, ok := v.operation(path); !ok {
			t.Errorf("%s not in openapi.json", path)
		}
		if w := do(t, newTestServer(newFake()).Handler(), http.MethodGet, path); w.Code == 404 && !strings.Contains(path, "/x") {
			t.Errorf("%s documented but not routed", path)
		}
	}
}

// TestValidatorCatchesMismatches makes sure the validator can fail.
func TestValidatorCatchesMismatches(t *testing.T) {
	v := loadOpenAPI(t)
	ref := func(n string) map[string]any { return map[string]any{"$ref": "#/components/schemas/" + n} }
	bad := []struct {
		schema string
		body   string
	}{
		{"ServiceStatus", `{"id":"a"}`},
		{"ServiceStatus", `{"id":"a","name":"A","category":"","status":"down","rate":1,"authors":1,"baseline":1,"score":1,"updated_at":null,"status_page":""}`},
		{"SeriesPoint", `{"t":"2024-06-04 14:00","count":1,"authors":1,"baseline":1,"score":0,"status":"ok"}`},
		{"SeriesPoint", `{"t":"2024-06-04T14:00:00+02:00","count":1,"authors":1,"baseline":1,"score":0,"status":"ok"}`},
		{"SeriesPoint", `{"t":"2024-06-04T14:00:00Z","count":1.5,"authors":1,"baseline":1,"score":0,"status":"ok"}`},
		{"SeriesPoint", `{"t":"2024-06-04T14:00:00Z","count":1,"authors":1,"baseline":1,"score":0,"status":"ok","extra":1}`},
		{"Event", `{"id":"e","start":"2024-06-04T14:00:00Z","incidents":null,"onsets":[],"co_mentions":{},"switching":{},"hypothesis":"unknown","evidence":[]}`},
		{"Event", `{"id":"e","start":"2024-06-04T14:00:00Z","incidents":[],"onsets":[],"co_mentions":{"a":"x"},"switching":{},"hypothesis":"unknown","evidence":[]}`},
	}
	for _, b := range bad {
		dec := json.NewDecoder(strings.NewReader(b.body))
		dec.UseNumber()
		var body any
		if err := dec.Decode(&body); err != nil {
			t.Fatal(err)
		}
		if err := v.validate(ref(b.schema), body, "$"); err == nil {
			t.Errorf("%s accepted %s", b.schema, b.body)
		}
	}
}
