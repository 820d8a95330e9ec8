package dashboard

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/outcry/outcry"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// initMetrics builds the private registry: Go and process collectors, build info, the
// request histogram and a collector that reads the backends at scrape time.
func (s *Server) initMetrics() {
	s.registry = prometheus.NewRegistry()
	s.httpDur = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "outcry_http_request_duration_seconds",
		Help:    "HTTP request latency by route pattern, method and status code.",
		Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
	}, []string{"route", "method", "code"})
	build := prometheus.NewGauge(prometheus.GaugeOpts{
		Name:        "outcry_build_info",
		Help:        "Always 1; labelled with the running version.",
		ConstLabels: prometheus.Labels{"version": s.cfg.Version},
	})
	build.Set(1)
	s.registry.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		s.httpDur,
		build,
		newScrapeCollector(s),
	)
}

func (s *Server) observe(route, method string, code int, d time.Duration) {
	switch method {
	case http.MethodGet, http.MethodHead:
	default:
		method = "other" // bound the label set
	}
	s.httpDur.WithLabelValues(route, method, strconv.Itoa(code)).Observe(d.Seconds())
}

func (s *Server) metricsHandler() http.Handler {
	return promhttp.HandlerFor(s.registry, promhttp.HandlerOpts{
		ErrorLog:            slogPrinter{s},
		ErrorHandling:       promhttp.ContinueOnError,
		MaxRequestsInFlight: 4,
		Timeout:             s.cfg.RequestTimeout,
	})
}

type slogPrinter struct{ s *Server }

func (p slogPrinter) Println(v ...any) { p.s.log.Warn("metrics", "err", v) }

// scrapeCollector reads the backends when Prometheus scrapes, so /metrics never drifts
// from what the API says and nothing needs updating on the hot path.
type scrapeCollector struct {
	s               *Server
	descComplaints  *prometheus.Desc
	descMentions    *prometheus.Desc
	descRecoveries  *prometheus.Desc
	descStatus      *prometheus.Desc
	descScore       *prometheus.Desc
	descBaseline    *prometheus.Desc
	descRate        *prometheus.Desc
	descOpen        *prometheus.Desc
	descSourceUp    *prometheus.Desc
	descSourceSeen  *prometheus.Desc
	descSourceStore *prometheus.Desc
	descSourceFail  *prometheus.Desc
	descSourceLast  *prometheus.Desc
	descSourceBack  *prometheus.Desc
	descIndexed     *prometheus.Desc
	descAlerts      *prometheus.Desc
	descAlertsWait  *prometheus.Desc
	descScrapeErr   *prometheus.Desc
}

func newScrapeCollector(s *Server) *scrapeCollector {
	return &scrapeCollector{
		s:               s,
		descComplaints:  prometheus.NewDesc("outcry_complaints_total", "Complaint posts stored per service.", []string{"service"}, nil),
		descMentions:    prometheus.NewDesc("outcry_mentions_total", "Posts stored that name the service.", []string{"service"}, nil),
		descRecoveries:  prometheus.NewDesc("outcry_recoveries_total", "Recovery posts stored per service.", []string{"service"}, nil),
		descStatus:      prometheus.NewDesc("outcry_service_status", "Detector status: 0 ok, 1 degraded, 2 outage.", []string{"service"}, nil),
		descScore:       prometheus.NewDesc("outcry_service_score", "Detector anomaly score of the latest minute, 0..1.", []string{"service"}, nil),
		descBaseline:    prometheus.NewDesc("outcry_service_baseline", "Expected complaints per minute.", []string{"service"}, nil),
		descRate:        prometheus.NewDesc("outcry_service_complaints_per_minute", "Complaints counted in the latest detector minute.", []string{"service"}, nil),
		descOpen:        prometheus.NewDesc("outcry_open_incidents", "Open incidents per service.", []string{"service"}, nil),
		descSourceUp:    prometheus.NewDesc("outcry_source_up", "1 when the source's last attempt succeeded.", []string{"source", "type"}, nil),
		descSourceSeen:  prometheus.NewDesc("outcry_source_posts_total", "Posts a source delivered.", []string{"source"}, nil),
		descSourceStore: prometheus.NewDesc("outcry_source_posts_stored_total", "Posts from a source that were new and named a catalog service.", []string{"source"}, nil),
		descSourceFail:  prometheus.NewDesc("outcry_source_consecutive_failures", "Failed attempts since the last success.", []string{"source"}, nil),
		descSourceLast:  prometheus.NewDesc("outcry_source_last_success_timestamp_seconds", "Unix time of the source's last success (0: never).", []string{"source"}, nil),
		descSourceBack:  prometheus.NewDesc("outcry_source_backoff_seconds", "Current retry backoff of the source.", []string{"source"}, nil),
		descIndexed:     prometheus.NewDesc("outcry_posts_indexed_total", "Posts durably indexed since the process started.", nil, nil),
		descAlerts:      prometheus.NewDesc("outcry_webhook_deliveries_total", "Webhook deliveries since the process started, by result (delivered, failed: given up or refused for good, dropped: queue full or stopped without an outbox).", []string{"result"}, nil),
		descAlertsWait:  prometheus.NewDesc("outcry_webhook_pending", "Webhook deliveries queued or retrying now.", nil, nil),
		descScrapeErr:   prometheus.NewDesc("outcry_scrape_errors", "Backend reads that failed during the last scrape.", []string{"part"}, nil),
	}
}

func (c *scrapeCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{c.descComplaints, c.descMentions, c.descRecoveries, c.descStatus, c.descScore, c.descBaseline, c.descRate, c.descOpen, c.descSourceUp, c.descSourceSeen, c.descSourceStore, c.descSourceFail, c.descSourceLast, c.descSourceBack, c.descIndexed, c.descAlerts, c.descAlertsWait, c.descScrapeErr} {
		ch <- d
	}
}

func (c *scrapeCollector) Collect(ch chan<- prometheus.Metric) {
	s := c.s
	ctx, cancel := context.WithTimeout(context.Background(), s.cfg.RequestTimeout)
	defer cancel()
	gauge := func(d *prometheus.Desc, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, labels...)
	}
	counter := func(d *prometheus.Desc, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, v, labels...)
	}
	fails := map[string]float64{"totals": 0, "incidents": 0}

	open := map[string]int{}
	svcs := s.statuses()
	for _, st := range svcs {
		open[st.ID] = 0
		gauge(c.descStatus, float64(st.Status.Severity()), st.ID)
		gauge(c.descScore, st.Score, st.ID)
		gauge(c.descBaseline, st.Baseline, st.ID)
		gauge(c.descRate, float64(st.Rate), st.ID)
	}
	if incs, err := s.deps.Incidents.Incidents(ctx, IncidentFilter{State: outcry.StateOpen}); err != nil {
		fails["incidents"]++
		s.log.Warn("metrics: open incidents", "err", err)
	} else {
		for _, inc := range incs {
			if inc.State == outcry.StateOpen {
				open[inc.Service]++
			}
		}
	}
	for id, n := range open {
		gauge(c.descOpen, float64(n), id)
	}
	if s.deps.Totals != nil {
		if tot, err := s.deps.Totals.ServiceTotals(ctx); err != nil {
			fails["totals"]++
			s.log.Warn("metrics: service totals", "err", err)
		} else {
			for id, t := range tot {
				counter(c.descComplaints, float64(t.Complaints), id)
				counter(c.descMentions, float64(t.Mentions), id)
				counter(c.descRecoveries, float64(t.Recoveries), id)
			}
		}
	}
	for _, h := range s.health() {
		up := 0.0
		if h.State == outcry.HealthOK {
			up = 1
		}
		gauge(c.descSourceUp, up, h.Name, h.Type)
		counter(c.descSourceSeen, float64(h.PostsSeen), h.Name)
		counter(c.descSourceStore, float64(h.PostsStored), h.Name)
		gauge(c.descSourceFail, float64(h.ConsecutiveFailures), h.Name)
		last := 0.0
		if !h.LastOK.IsZero() {
			last = float64(h.LastOK.UnixNano()) / 1e9
		}
		gauge(c.descSourceLast, last, h.Name)
		gauge(c.descSourceBack, h.BackoffSeconds, h.Name)
	}
	if s.deps.Ingested != nil {
		counter(c.descIndexed, float64(s.deps.Ingested.Indexed()))
	}
	if s.deps.Alerts != nil {
		delivered, failed, dropped, pending := s.deps.Alerts.AlertCounts()
		counter(c.descAlerts, float64(delivered), "delivered")
		counter(c.descAlerts, float64(failed), "failed")
		counter(c.descAlerts, float64(dropped), "dropped")
		gauge(c.descAlertsWait, float64(pending))
	}
	for part, n := range fails {
		gauge(c.descScrapeErr, n, part)
	}
}
