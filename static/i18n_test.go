package static

import (
	"io/fs"
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

func readTable(t *testing.T, name string) map[string]bool {
	t.Helper()
	b, err := fs.ReadFile(FS(), "js/i18n/"+name+".js")
	if err != nil {
		t.Fatal(err)
	}
	keys := map[string]bool{}
	for _, m := range tableKey.FindAllStringSubmatch(string(b), -1) {
		keys[m[1]] = true
	}
	if len(keys) < 50 {
		t.Fatalf("%s.js: found only %d keys; has the table's layout changed?", name, len(keys))
	}
	return keys
}

func TestTranslationTablesHaveTheSameKeys(t *testing.T) {
	id, en := readTable(t, "id"), readTable(t, "en")
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
		t.Errorf("keys only in id.js: %v\nkeys only in en.js: %v", onlyID, onlyEN)
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
