package main

import (
	"context"
	"net/http"
	"time"
)

// routes is the whole HTTP surface in one list.
func (a *app) routes() http.Handler {
	mux := http.NewServeMux()
	handle := func(pattern, route string, h http.Handler) {
		mux.Handle(pattern, a.metrics.instrument(route, h))
	}
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := a.ready(ctx); err != nil {
			a.log.Warn("not ready", "err", err)
			http.Error(w, "not ready: "+err.Error(), http.StatusServiceUnavailable)
			return
		}
		w.Write([]byte("ready\n"))
	})
	mux.Handle("GET /metrics", a.metrics.handler())
	for _, m := range a.mounts {
		handle(m.pattern, m.route, m.handler)
	}
	if a.sim != nil {
		sh := a.sim.Handler()
		handle("GET /sim/", "sim", sh)
		handle("POST /sim/", "sim", sh)
		handle("GET /", "page", sh)
	}
	return mux
}

// mount is an adapter's handler on a path.
type mount struct {
	pattern, route string
	handler        http.Handler
}

// methods mounts h on path for each of the given methods.
func methods(path, route string, h http.Handler, ms ...string) []mount {
	out := make([]mount, 0, len(ms))
	for _, m := range ms {
		out = append(out, mount{m + " " + path, route, h})
	}
	return out
}
