package static

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"strings"

	"github.com/evanw/esbuild/pkg/api"
)

// BundleDir is the URL folder of the fingerprinted files: every name in it
// carries a hash of its content, so it may be cached for a year.
const BundleDir = "/assets/b/"

// File is one built file: its URL path and content.
type File struct {
	Path string
	Body []byte
}

// Bundle is the page as served in production: the ES modules bundled and
// minified into one script (plus a lazily loaded chunk per extra language),
// the stylesheets into one, the favicon fingerprinted, index.html pointing
// at them, and the service worker that keeps them for offline reloads.
type Bundle struct {
	Index  []byte // index.html referring to the files below
	Files  []File // under BundleDir, names fingerprinted
	Worker []byte // /sw.js with the shell's URLs and a version filled in
}

var (
	stylesheetRe = regexp.MustCompile(`(?m)^\s*<link rel="stylesheet" href="/assets/([^"]+)">\s*\n`)
	scriptRe     = regexp.MustCompile(`<script type="module" src="/assets/([^"]+)"></script>`)
	iconRe       = regexp.MustCompile(`<link rel="icon" href="/assets/([^"]+)"`)
)

// Build bundles the page from the embedded sources with esbuild, in
// process: the stylesheets and the module script that index.html names
// become one file each. It fails when the sources do not build.
func Build() (*Bundle, error) {
	files := FS()
	index, err := fs.ReadFile(files, "index.html")
	if err != nil {
		return nil, err
	}
	html := string(index)
	var css strings.Builder
	for _, m := range stylesheetRe.FindAllStringSubmatch(html, -1) {
		fmt.Fprintf(&css, "@import %q;\n", "./"+m[1])
	}
	script := scriptRe.FindStringSubmatch(html)
	if css.Len() == 0 || script == nil {
		return nil, fmt.Errorf("static: index.html names no stylesheet or no module script")
	}
	// The script entry is the page's module plus offline.js, which
	// registers the service worker: only the bundle has one, so a developer
	// running the sources never reloads a stale cached shell.
	entries := map[string]string{
		"/rembuk.css": css.String(),
		"/rembuk.js":  fmt.Sprintf("import %q;\nimport %q;\n", "./"+script[1], "./js/offline.js"),
	}
	res := api.Build(api.BuildOptions{
		EntryPoints:       []string{"/rembuk.js", "/rembuk.css"},
		Bundle:            true,
		Splitting:         true,
		Format:            api.FormatESModule,
		Target:            api.ES2022,
		MinifyWhitespace:  true,
		MinifyIdentifiers: true,
		MinifySyntax:      true,
		Charset:           api.CharsetUTF8,
		LegalComments:     api.LegalCommentsNone,
		Outdir:            "/out",
		EntryNames:        "[name]-[hash]",
		ChunkNames:        "[name]-[hash]",
		Write:             false,
		LogLevel:          api.LogLevelSilent,
		Plugins:           []api.Plugin{embedPlugin(files, entries)},
	})
	if len(res.Errors) > 0 {
		msgs := api.FormatMessages(res.Errors, api.FormatMessagesOptions{Kind: api.ErrorMessage})
		return nil, fmt.Errorf("static: bundling the page: %s", strings.Join(msgs, "\n"))
	}
	b := &Bundle{}
	var mainJS, mainCSS string
	for _, f := range res.OutputFiles {
		name := path.Base(f.Path)
		url := BundleDir + name
		b.Files = append(b.Files, File{Path: url, Body: f.Contents})
		switch {
		case strings.HasPrefix(name, "rembuk-") && strings.HasSuffix(name, ".js"):
			mainJS = url
		case strings.HasPrefix(name, "rembuk-") && strings.HasSuffix(name, ".css"):
			mainCSS = url
		}
	}
	if mainJS == "" || mainCSS == "" {
		return nil, fmt.Errorf("static: the bundle lacks its script or stylesheet")
	}
	html = stylesheetRe.ReplaceAllString(html, "")
	html = scriptRe.ReplaceAllString(html, `<link rel="stylesheet" href="`+mainCSS+`">`+"\n"+`<script type="module" src="`+mainJS+`"></script>`)
	if m := iconRe.FindStringSubmatch(html); m != nil {
		icon, err := fs.ReadFile(files, m[1])
		if err != nil {
			return nil, err
		}
		url := BundleDir + fingerprint(m[1], icon)
		b.Files = append(b.Files, File{Path: url, Body: icon})
		html = strings.Replace(html, "/assets/"+m[1], url, 1)
	}
	b.Index = []byte(html)
	b.Worker, err = worker(files, b)
	if err != nil {
		return nil, err
	}
	return b, nil
}

// worker fills the service worker's shell list (every bundled file and
// "/", the page itself) and its version (a hash of all of them), so each
// release installs a fresh cache and drops the old one.
func worker(files fs.FS, b *Bundle) ([]byte, error) {
	src, err := fs.ReadFile(files, "sw.js")
	if err != nil {
		return nil, err
	}
	h := sha256.New()
	h.Write(b.Index)
	shell := []string{"/"}
	for _, f := range b.Files {
		shell = append(shell, f.Path)
		h.Write([]byte(f.Path))
	}
	list, _ := json.Marshal(shell)
	version, _ := json.Marshal(hex.EncodeToString(h.Sum(nil))[:12])
	s := string(src)
	for marker, value := range map[string]string{`'__VERSION__'`: string(version), `['__SHELL__']`: string(list)} {
		if !strings.Contains(s, marker) {
			return nil, fmt.Errorf("static: sw.js lacks the marker %s", marker)
		}
		s = strings.Replace(s, marker, value, 1)
	}
	return []byte(s), nil
}

// fingerprint names a file after its content: favicon.svg → favicon-1a2b3c4d.svg.
func fingerprint(name string, body []byte) string {
	sum := sha256.Sum256(body)
	ext := path.Ext(name)
	return strings.TrimSuffix(path.Base(name), ext) + "-" + hex.EncodeToString(sum[:])[:8] + ext
}

// embedPlugin makes esbuild read the sources from the embedded files (the
// binary carries no source folder) and the virtual entry points from
// entries. Imports are relative paths between the page's own files.
func embedPlugin(files fs.FS, entries map[string]string) api.Plugin {
	return api.Plugin{Name: "embed", Setup: func(pb api.PluginBuild) {
		pb.OnResolve(api.OnResolveOptions{Filter: `.*`}, func(a api.OnResolveArgs) (api.OnResolveResult, error) {
			if a.Kind == api.ResolveEntryPoint {
				return api.OnResolveResult{Path: a.Path, Namespace: "embed"}, nil
			}
			if !strings.HasPrefix(a.Path, "./") && !strings.HasPrefix(a.Path, "../") {
				return api.OnResolveResult{}, fmt.Errorf("only relative imports are bundled, got %q", a.Path)
			}
			return api.OnResolveResult{Path: path.Join(path.Dir(a.Importer), a.Path), Namespace: "embed"}, nil
		})
		pb.OnLoad(api.OnLoadOptions{Filter: `.*`, Namespace: "embed"}, func(a api.OnLoadArgs) (api.OnLoadResult, error) {
			loader := api.LoaderJS
			if strings.HasSuffix(a.Path, ".css") {
				loader = api.LoaderCSS
			}
			if s, ok := entries[a.Path]; ok {
				return api.OnLoadResult{Contents: &s, Loader: loader}, nil
			}
			body, err := fs.ReadFile(files, strings.TrimPrefix(a.Path, "/"))
			if err != nil {
				return api.OnLoadResult{}, err
			}
			s := string(body)
			return api.OnLoadResult{Contents: &s, Loader: loader}, nil
		})
	}}
}
