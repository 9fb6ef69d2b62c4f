package static

import (
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"
	"testing"

	"rembuk/board"
)

// The page's strings live in one table per language. These tests keep the
// two tables in step and make sure every key the code asks for exists, so
// no user ever sees a raw key or the generic fallback by accident.

var (
	tableKey = regexp.MustCompile(`(?m)^\s*'([A-Za-z][A-Za-z0-9_.-]*)'\s*:`)
	// t('key') or t('usg.' + k): a whole key, or the prefix of one.
	literalUse = regexp.MustCompile(`\bt\(\s*'([^']+)'\s*(\+?)`)
	// t(`gate.${kind}.title`): the parts around the placeholder.
	templateUse = regexp.MustCompile("\\bt\\(\\s*`([^`$]*)\\$\\{[^}]+\\}([^`]*)`")
)

// A language's table is i18n/<lang>.js, which imports its parts
// (i18n/<lang>/<part>.js) and spreads each into the one table.
var (
	partImport = regexp.MustCompile(`(?m)^import (\w+) from '\./(\w+/\w+\.js)';`)
	partSpread = regexp.MustCompile(`\.\.\.(\w+)\b`)
)

// readTable returns the keys of a language's whole table.
func readTable(t *testing.T, name string) map[string]bool {
	t.Helper()
	keys := map[string]bool{}
	for _, part := range readParts(t, name) {
		for k := range part {
			keys[k] = true
		}
	}
	if len(keys) < 50 {
		t.Fatalf("%s.js: found only %d keys; has the table's layout changed?", name, len(keys))
	}
	return keys
}

// readParts returns the keys of each part of a language's table, by the
// part's file name (the table file itself, for keys written in it). It
// fails when a part is imported but not spread into the table, when two
// parts hold the same key (the later one would silently win), and when
// a file in the language's folder is no part of its table.
func readParts(t *testing.T, name string) map[string]map[string]bool {
	t.Helper()
	root := "js/i18n/" + name + ".js"
	src := readFile(t, root)
	spread := map[string]bool{}
	for _, m := range partSpread.FindAllStringSubmatch(src, -1) {
		spread[m[1]] = true
	}
	parts := map[string]map[string]bool{name + ".js": tableKeys(src)}
	owner := map[string]string{}
	for k := range parts[name+".js"] {
		owner[k] = name + ".js"
	}
	for _, m := range partImport.FindAllStringSubmatch(src, -1) {
		file := m[2]
		if !strings.HasPrefix(file, name+"/") {
			t.Errorf("%s imports %s, outside its own folder", root, file)
		}
		if !spread[m[1]] {
			t.Errorf("%s imports %s as %s but does not spread it into the table", root, file, m[1])
		}
		part := tableKeys(readFile(t, "js/i18n/"+file))
		if len(part) == 0 {
			t.Errorf("%s: no keys", file)
		}
		for k := range part {
			if o, dup := owner[k]; dup {
				t.Errorf("key %q is in both %s and %s", k, o, file)
			}
			owner[k] = file
		}
		parts[path.Base(file)] = part
	}
	files, err := fs.ReadDir(FS(), "js/i18n/"+name)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		src := readFile(t, "js/i18n/"+name+"/"+f.Name())
		if parts[f.Name()] == nil && strings.Contains(src, "export default") {
			t.Errorf("js/i18n/%s/%s is not a part of %s", name, f.Name(), root)
		}
	}
	return parts
}

func readFile(t *testing.T, name string) string {
	t.Helper()
	b, err := fs.ReadFile(FS(), name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func tableKeys(src string) map[string]bool {
	keys := map[string]bool{}
	for _, m := range tableKey.FindAllStringSubmatch(src, -1) {
		keys[m[1]] = true
	}
	return keys
}

// sameKeys fails with the keys only one side has.
func sameKeys(t *testing.T, what string, id, en map[string]bool) {
	t.Helper()
	var onlyID, onlyEN []string
	for k := range id {
		if !en[k] {
			onlyID = append(onlyID, k)
		}
	}
	for k := range en {
		if !id[k] {
			onlyEN = append(onlyEN, k)
		}
	}
	sort.Strings(onlyID)
	sort.Strings(onlyEN)
	if len(onlyID) > 0 || len(onlyEN) > 0 {
		t.Errorf("%s: keys only in id: %v\nkeys only in en: %v", what, onlyID, onlyEN)
	}
}

func TestTranslationTablesHaveTheSameKeys(t *testing.T) {
	sameKeys(t, "id.js and en.js", readTable(t, "id"), readTable(t, "en"))
}

// Each part of the Indonesian table has its English twin, of the same
// name and with the same keys, so a key added to one part is added to the
// same part of the other language.
func TestTranslationPartsHaveTheSameKeys(t *testing.T) {
	id, en := readParts(t, "id"), readParts(t, "en")
	for name, keys := range id {
		twin := name
		if name == "id.js" {
			twin = "en.js"
		}
		if en[twin] == nil {
			t.Errorf("i18n/id/%s has no English twin i18n/en/%s", name, twin)
			continue
		}
		sameKeys(t, name, keys, en[twin])
	}
	for name := range en {
		if name != "en.js" && id[name] == nil {
			t.Errorf("i18n/en/%s has no Indonesian twin i18n/id/%s", name, name)
		}
	}
}

func TestEveryKeyTheCodeUsesExists(t *testing.T) {
	id := readTable(t, "id")
	err := fs.WalkDir(FS(), "js", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".js") || strings.HasPrefix(path, "js/i18n/") {
			return err
		}
		b, err := fs.ReadFile(FS(), path)
		if err != nil {
			return err
		}
		src := string(b)
		for _, m := range literalUse.FindAllStringSubmatch(src, -1) {
			if m[2] == "+" {
				if !anyKey(id, m[1], "") {
					t.Errorf("%s uses t(%q + …), and no key starts so", path, m[1])
				}
				continue
			}
			if !id[m[1]] {
				t.Errorf("%s uses t(%q), which is not in the tables", path, m[1])
			}
		}
		for _, m := range templateUse.FindAllStringSubmatch(src, -1) {
			if !anyKey(id, m[1], m[2]) {
				t.Errorf("%s uses t(`%s${…}%s`), and no key has that shape", path, m[1], m[2])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Every error code the server can send has its own message (errorText in
// i18n.js turns a code into "err."+code).
func TestEveryErrorCodeHasAMessage(t *testing.T) {
	id := readTable(t, "id")
	codes := []string{board.CodeInvalid, board.CodeUnauthorized, board.CodeForbidden,
		board.CodeNotFound, board.CodeConflict, board.CodeLocked, board.CodeClosed,
		board.CodeWrongPhase, board.CodeBudgetExceeded, board.CodeTooLarge,
		board.CodeRateLimited, board.CodeInternal, board.CodeUnavailable, board.CodeJoiningClosed}
	for _, c := range codes {
		if !id["err."+c] {
			t.Errorf("no message for error code %q (key err.%s)", c, c)
		}
	}
}

func anyKey(keys map[string]bool, prefix, suffix string) bool {
	for k := range keys {
		if strings.HasPrefix(k, prefix) && strings.HasSuffix(k, suffix) && len(k) > len(prefix)+len(suffix) {
			return true
		}
	}
	return false
}
