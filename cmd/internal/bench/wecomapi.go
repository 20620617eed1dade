package bench

import (
	"crypto/rand"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
)

// The self-built WeCom app the callback path is signed and encrypted for.
const (
	wecomCorpID     = "wwbench"
	wecomAgentID    = 1000002
	wecomSecret     = "bench-secret"
	wecomToken      = "benchtoken"
	wecomAPIToken   = "bench-token"
	wecomAESKeySize = 43
)

// newFakeWeComAPI answers the WeCom API calls the service makes: access
// tokens, and success for whatever it sends.
func newFakeWeComAPI() *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/cgi-bin/gettoken":
			fmt.Fprintf(w, `{"errcode":0,"errmsg":"ok","access_token":%q,"expires_in":7200}`, wecomAPIToken)
		default:
			io.Copy(io.Discard, r.Body)
			fmt.Fprint(w, `{"errcode":0,"errmsg":"ok","response_code":"bench"}`)
		}
	}))
}

// randomAESKey is a fresh EncodingAESKey: 43 letters and digits.
func randomAESKey() string {
	const alnum = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	b := make([]byte, wecomAESKeySize)
	rand.Read(b)
	for i := range b {
		b[i] = alnum[int(b[i])%len(alnum)]
	}
	return string(b)
}
