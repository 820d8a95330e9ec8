// Package dashboard is Outcry's HTTP face: the server-rendered dashboard pages (charts by
// go-echarts, ECharts embedded and served from /assets/), the JSON API under /api/v1 with
// its OpenAPI document, Prometheus /metrics and /healthz, and the optional bearer/cookie
// token check. Every route is listed in routes.go.
//
// dashboard reads the pipeline through small consumer-side interfaces over the root
// domain types (see backend.go); cmd/outcry wires real implementations. It must not import
// detect, index or ingest, and it never fetches a URL that a request supplies. It is the
// only package that imports go-echarts. Webhook alerts live in dashboard/webhook.
//
// Pages run no inline script, so the Content-Security-Policy is script-src 'self' and
// style-src 'self' without 'unsafe-inline': go-echarts builds each chart's option, the
// page carries it as JSON in a data-option attribute, and /assets/app.js draws it with
// the embedded echarts.min.js (tooltips render in the canvas). Pages refresh by polling
// same-origin endpoints under /ui/: fresh go-echarts options for charts and
// server-rendered, escaped HTML fragments for cards, incident lists and source health.
package dashboard
