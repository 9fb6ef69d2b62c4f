package server_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"

	"rembuk/server"
)

// get fetches path with the given Accept-Encoding (and If-None-Match when
// etag is set) and returns the response with its body decoded.
func getEncoded(t *testing.T, url, accept, etag string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Set explicitly: Go's client then leaves the body as sent.
	req.Header.Set("Accept-Encoding", accept)
	if etag != "" {
		req.Header.Set("If-None-Match", etag)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	var r io.Reader = bytes.NewReader(raw)
	switch res.Header.Get("Content-Encoding") {
	case "br":
		r = brotli.NewReader(r)
	case "gzip":
		if r, err = gzip.NewReader(r); err != nil {
			t.Fatalf("%s: bad gzip: %v", url, err)
		}
	case "":
	default:
		t.Fatalf("%s: unexpected Content-Encoding %q", url, res.Header.Get("Content-Encoding"))
	}
	body, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("%s: decoding %s: %v", url, res.Header.Get("Content-Encoding"), err)
	}
	return res, body
}

var bundleURL = regexp.MustCompile(`/assets/b/[A-Za-z0-9._-]+`)

// TestPageBundledCompressedCached: the production page names one
// fingerprinted script and one stylesheet (not the module sources), every
// file comes compressed as the client allows with Vary, the fingerprinted
// files are cached for a year, the page is revalidated by ETag (304).
func TestPageBundledCompressedCached(t *testing.T) {
	ts := startServer(t, "")
	res, page := getEncoded(t, ts.URL+"/s/some-session", "gzip, deflate, br", "")
	if res.StatusCode != 200 {
		t.Fatalf("GET /s/…: %d", res.StatusCode)
	}
	for h, want := range map[string]string{"Content-Encoding": "br", "Vary": "Accept-Encoding", "Cache-Control": "no-cache"} {
		if got := res.Header.Get(h); got != want {
			t.Errorf("page %s = %q, want %q", h, got, want)
		}
	}
	html := string(page)
	if strings.Contains(html, "/assets/js/") || strings.Contains(html, "/assets/css/") {
		t.Errorf("the page still names the sources:\n%s", html)
	}
	urls := bundleURL.FindAllString(html, -1)
	var js, css int
	for _, u := range urls {
		if strings.HasSuffix(u, ".js") {
			js++
		}
		if strings.HasSuffix(u, ".css") {
			css++
		}
	}
	if js != 1 || css != 1 {
		t.Fatalf("the page names %d scripts and %d stylesheets under /assets/b/, want 1 and 1: %v", js, css, urls)
	}

	etag := res.Header.Get("ETag")
	again, body := getEncoded(t, ts.URL+"/", "br", etag)
	if again.StatusCode != http.StatusNotModified || len(body) != 0 {
		t.Errorf("revalidating the page with its ETag: %d with %d bytes, want 304 and none", again.StatusCode, len(body))
	}
	if other, _ := getEncoded(t, ts.URL+"/", "gzip", etag); other.StatusCode != 200 {
		t.Errorf("the br ETag matched the gzip form: %d, want 200", other.StatusCode)
	}

	for _, u := range urls {
		plain, want := getEncoded(t, ts.URL+u, "", "")
		if plain.Header.Get("Content-Encoding") != "" || plain.StatusCode != 200 {
			t.Errorf("%s without Accept-Encoding: %d, encoding %q", u, plain.StatusCode, plain.Header.Get("Content-Encoding"))
		}
		if got := plain.Header.Get("Cache-Control"); got != "public, max-age=31536000, immutable" {
			t.Errorf("%s Cache-Control = %q", u, got)
		}
		if len(want) < 1024 {
			continue // the favicon is too small to compress
		}
		for _, c := range []struct{ accept, enc string }{{"br", "br"}, {"gzip, br;q=0", "gzip"}, {"br;q=0.5, gzip", "br"}, {"identity", ""}} {
			res, got := getEncoded(t, ts.URL+u, c.accept, "")
			if res.Header.Get("Content-Encoding") != c.enc {
				t.Errorf("%s with Accept-Encoding %q: encoding %q, want %q", u, c.accept, res.Header.Get("Content-Encoding"), c.enc)
			}
			if res.Header.Get("Vary") != "Accept-Encoding" {
				t.Errorf("%s: Vary = %q", u, res.Header.Get("Vary"))
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s with %q decodes to %d bytes, want the %d of the plain file", u, c.accept, len(got), len(want))
			}
		}
	}
}

// TestPageLoadsOneLanguage: the bundled script holds the Indonesian table
// only; the English one is a separate chunk, fetched when chosen.
func TestPageLoadsOneLanguage(t *testing.T) {
	ts := startServer(t, "")
	_, page := getEncoded(t, ts.URL+"/", "br", "")
	var script string
	for _, u := range bundleURL.FindAllString(string(page), -1) {
		if strings.HasSuffix(u, ".js") {
			script = u
		}
	}
	_, js := getEncoded(t, ts.URL+script, "br", "")
	if !bytes.Contains(js, []byte("Ganti bahasa ke English")) {
		t.Errorf("the script lacks the Indonesian table")
	}
	if bytes.Contains(js, []byte("Switch language to Bahasa Indonesia")) {
		t.Errorf("the script carries the English table")
	}
	_, sw := getEncoded(t, ts.URL+"/sw.js", "br", "")
	var chunk string
	for _, u := range bundleURL.FindAllString(string(sw), -1) {
		if strings.Contains(u, "/en-") {
			chunk = u
		}
	}
	if chunk == "" {
		t.Fatalf("no English chunk in the worker's shell:\n%s", sw)
	}
	if _, en := getEncoded(t, ts.URL+chunk, "br", ""); !bytes.Contains(en, []byte("Switch language to Bahasa Indonesia")) {
		t.Errorf("%s is not the English table", chunk)
	}
}

// TestServiceWorkerShell: /sw.js lists the page and every fingerprinted
// file the page names, with a version, and is revalidated on each check.
func TestServiceWorkerShell(t *testing.T) {
	ts := startServer(t, "")
	res, sw := getEncoded(t, ts.URL+"/sw.js", "gzip", "")
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/javascript") {
		t.Fatalf("GET /sw.js: %d %q", res.StatusCode, res.Header.Get("Content-Type"))
	}
	if res.Header.Get("Cache-Control") != "no-cache" {
		t.Errorf("/sw.js Cache-Control = %q, want no-cache", res.Header.Get("Cache-Control"))
	}
	if bytes.Contains(sw, []byte("__VERSION__")) || bytes.Contains(sw, []byte("__SHELL__")) {
		t.Errorf("the worker's markers are not filled:\n%s", sw)
	}
	_, page := getEncoded(t, ts.URL+"/", "", "")
	for _, u := range append(bundleURL.FindAllString(string(page), -1), "/") {
		if !bytes.Contains(sw, []byte(`"`+u+`"`)) {
			t.Errorf("the worker's shell lacks %s", u)
		}
	}
}

// TestDevServesSources: with -dev the page names the module sources and
// the worker only removes itself.
func TestDevServesSources(t *testing.T) {
	assets, err := server.NewAssets(true)
	if err != nil {
		t.Fatal(err)
	}
	ts := startServer(t, "", func(c *server.Config) { c.Assets = assets })
	_, page := getEncoded(t, ts.URL+"/", "", "")
	if !bytes.Contains(page, []byte(`src="/assets/js/app.js"`)) {
		t.Errorf("the dev page does not load the sources:\n%s", page)
	}
	res, js := getEncoded(t, ts.URL+"/assets/js/i18n.js", "", "")
	if res.StatusCode != 200 || res.Header.Get("Cache-Control") != "no-cache" || !bytes.Contains(js, []byte("export function t(")) {
		t.Errorf("GET /assets/js/i18n.js: %d, Cache-Control %q", res.StatusCode, res.Header.Get("Cache-Control"))
	}
	if _, sw := getEncoded(t, ts.URL+"/sw.js", "", ""); !bytes.Contains(sw, []byte("unregister()")) {
		t.Errorf("the dev worker does not unregister itself:\n%s", sw)
	}
}

// TestPageCarriesTemplates: the page holds the templates as a JSON data
// block equal to GET /api/templates, so the landing page lists them in its
// first frame (no request, no layout shift).
func TestPageCarriesTemplates(t *testing.T) {
	ts := startServer(t, "")
	_, page := getEncoded(t, ts.URL+"/", "br", "")
	m := regexp.MustCompile(`<script type="application/json" id="templates-data">([^<]*)</script>`).FindSubmatch(page)
	if m == nil {
		t.Fatalf("no templates block in the page:\n%s", page)
	}
	_, api := getEncoded(t, ts.URL+"/api/templates", "", "")
	if !bytes.Equal(bytes.TrimSpace(m[1]), bytes.TrimSpace(api)) {
		t.Errorf("the page's templates differ from /api/templates:\n%s\n%s", m[1], api)
	}
}
