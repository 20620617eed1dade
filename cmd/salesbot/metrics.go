package main

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics is the one Prometheus registry, built here and passed around.
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	messages *prometheus.CounterVec
	handling *prometheus.HistogramVec
	// Long connections (DingTalk Stream mode).
	streamUp     *prometheus.GaugeVec
	streamFrames *prometheus.CounterVec
}

func newMetrics() *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "salesbot_http_requests_total", Help: "HTTP requests by route and status code.",
		}, []string{"route", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "salesbot_http_request_seconds", Help: "HTTP request latency by route.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}, []string{"route"}),
		messages: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "salesbot_messages_total", Help: "Chat messages handled, by what they were.",
		}, []string{"intent"}),
		handling: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "salesbot_message_seconds", Help: "Time to handle one chat message.",
			Buckets: []float64{.001, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"intent"}),
		streamUp: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "salesbot_stream_connected", Help: "1 while the platform's long connection is up.",
		}, []string{"platform"}),
		streamFrames: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "salesbot_stream_frames_total", Help: "Messages received over a long connection, by outcome (acked, not_acked, ignored, bad; WeCom also shed: its queue was full).",
		}, []string{"platform", "outcome"}),
	}
	m.reg.MustRegister(m.requests, m.latency, m.messages, m.handling, m.streamUp, m.streamFrames,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

func (m *metrics) observeMessage(intent string, d time.Duration) {
	m.messages.WithLabelValues(intent).Inc()
	m.handling.WithLabelValues(intent).Observe(d.Seconds())
}

// handler serves /metrics.
func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// instrument counts and times requests to a route.
func (m *metrics) instrument(route string, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, code: http.StatusOK}
		h.ServeHTTP(sw, r)
		m.requests.WithLabelValues(route, strconv.Itoa(sw.code)).Inc()
		m.latency.WithLabelValues(route).Observe(time.Since(start).Seconds())
	})
}

type statusWriter struct {
	http.ResponseWriter
	code int
}

func (w *statusWriter) WriteHeader(code int) {
	w.code = code
	w.ResponseWriter.WriteHeader(code)
}
