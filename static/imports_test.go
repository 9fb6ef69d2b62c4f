package static

import (
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// staticImport matches `import … from '…'`, `export … from '…'` and the
// bare `import '…'`; a dynamic import( is left out on purpose, since it
// is how a module may load another lazily without a cycle at load time.
var staticImport = regexp.MustCompile(`(?m)^\s*(?:import|export)\b(?:[^;'"(]*?\bfrom)?\s*['"]([^'"]+)['"]`)

// importGraph maps each .js file of the page to the files it imports
// statically, relative specifiers resolved against the importer.
func importGraph(t *testing.T, fsys fs.FS) map[string][]string {
	t.Helper()
	graph := map[string][]string{}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".js") {
			return err
		}
		src, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		graph[p] = nil
		for _, m := range staticImport.FindAllStringSubmatch(string(src), -1) {
			spec := m[1]
			if !strings.HasPrefix(spec, ".") {
				continue // a bare or absolute specifier is not one of ours
			}
			graph[p] = append(graph[p], path.Join(path.Dir(p), spec))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return graph
}

// cycles returns every cycle the depth-first walk meets, each written
// as a → b → a, once per back edge.
func cycles(graph map[string][]string) []string {
	const (
		fresh = iota
		open
		done
	)
	state := map[string]int{}
	var stack, found []string
	var visit func(string)
	visit = func(n string) {
		state[n] = open
		stack = append(stack, n)
		for _, m := range graph[n] {
			switch state[m] {
			case fresh:
				visit(m)
			case open:
				i := len(stack) - 1
				for stack[i] != m {
					i--
				}
				found = append(found, strings.Join(append(append([]string{}, stack[i:]...), m), " → "))
			}
		}
		stack = stack[:len(stack)-1]
		state[n] = done
	}
	names := make([]string, 0, len(graph))
	for n := range graph {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if state[n] == fresh {
			visit(n)
		}
	}
	return found
}

func TestStaticImportsHaveNoCycles(t *testing.T) {
	graph := importGraph(t, FS())
	if len(graph["js/app.js"]) == 0 {
		t.Fatalf("found no imports in js/app.js; the pattern no longer matches the page's imports")
	}
	for from, tos := range graph {
		for _, to := range tos {
			if _, ok := graph[to]; !ok {
				t.Errorf("%s imports %s, which is not in the page", from, to)
			}
		}
	}
	for _, c := range cycles(graph) {
		t.Errorf("import cycle: %s", c)
	}
}

// The walk itself must find a cycle where there is one, or the test
// above could pass on anything.
func TestStaticImportCycleFinder(t *testing.T) {
	g := map[string][]string{"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
	if got := cycles(g); len(got) != 1 || got[0] != "a → b → c → a" {
		t.Fatalf("cycles = %q, want one a → b → c → a", got)
	}
	if got := cycles(map[string][]string{"a": {"b"}, "b": nil}); len(got) != 0 {
		t.Fatalf("cycles of a chain = %q, want none", got)
	}
	src := "import { a,\n  b } from './x.js';\nexport { c } from \"../y.js\";\nimport './z.js';\nconst m = await import('./lazy.js');\n"
	var specs []string
	for _, m := range staticImport.FindAllStringSubmatch(src, -1) {
		specs = append(specs, m[1])
	}
	if strings.Join(specs, " ") != "./x.js ../y.js ./z.js" {
		t.Fatalf("specifiers = %q", specs)
	}
}
