package bench

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"salesbot/bot/wecom"
)

// callbackPhase posts n signed, encrypted WeCom text callbacks to url,
// paced at rate per second (0: as fast as conc senders get answers),
// timing each from request out to response in.
func callbackPhase(ctx context.Context, p phaseSpec, url string, wcfg wecom.Config, conc int) (result, error) {
	type request struct {
		url  string
		body []byte
	}
	reqs := make([]request, p.n)
	for i := range reqs {
		m, c := p.member(i), p.customer(i)
		q, body, err := wecom.SealText(wcfg, m.WeComUserID, p.msgID(i), reportText(i, p.day, c), p.now)
		if err != nil {
			return result{}, err
		}
		reqs[i] = request{url: url + "?" + q.Encode(), body: body}
	}
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: conc}}
	defer client.CloseIdleConnections()
	post := func(i int) error {
		res, err := client.Post(reqs[i].url, "text/xml", bytes.NewReader(reqs[i].body))
		if err != nil {
			return err
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			return fmt.Errorf("status %d", res.StatusCode)
		}
		return nil
	}
	if p.rate <= 0 {
		return runConcurrent(len(reqs), conc, p.maxTime, post), nil
	}
	// Open loop: at most 8×conc requests in flight.
	var t timings
	var wg sync.WaitGroup
	sem := make(chan struct{}, conc*8)
	start := time.Now()
	pace(ctx, start, len(reqs), p.rate, p.maxTime, func(i int) bool {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			t0 := time.Now()
			err := post(i)
			t.add(time.Since(t0), err)
		}()
		return true
	})
	wg.Wait()
	return t.done(start), nil
}
