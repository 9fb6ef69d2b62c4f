package minutes

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"rembuk/board"
)

func ip(i int) *int { return &i }

// newAPKLFixture is the fixture with an APKL step before the vote: the
// group "Pelayanan loket" passes (P by 2 of 3), the script note fails (A
// by 1 of 2), a grouped note is rated on its own; scope "passed", so the
// script note, voted on but screened out, leaves the priorities.
func newAPKLFixture(t testing.TB) *board.State {
	return newFixtureWith(t, false, func(f *fixture, stage string) {
		if stage != "private" {
			return
		}
		rate := func(who, target string, a, p, k, l int) {
			f.do(who, board.Command{Type: "apkl.score", TargetID: board.Str(f.ids[target]), A: ip(a), P: ip(p), K: ip(k), L: ip(l)}, "")
		}
		f.do("p-fac", board.Command{Type: "settings.update", APKL: &board.APKLPatch{Enabled: bp(true)}}, "")
		f.do("p-fac", board.Command{Type: "phase.set", Phase: "screen"}, "")
		rate("p-dede", "grp", 1, 1, 1, 1)
		rate("p-siti", "grp", 1, 1, 1, 1)
		rate("p-budi", "grp", 1, 0, 1, 1)
		rate("p-budi", "script", 1, 1, 0, 1)
		rate("p-siti", "script", 0, 0, 1, 1)
		rate("p-dede", "antrean", 1, 1, 1, 1)
	})
}

func apklModel(t testing.TB, lang string) Model {
	return Build(newAPKLFixture(t), Options{Now: fixtureNow, Role: board.RoleFacilitator, Lang: lang})
}

// TestGoldenAPKL pins md and html of the APKL fixture in both languages
// (`go test ./minutes -run GoldenAPKL -update` rewrites them).
func TestGoldenAPKL(t *testing.T) {
	for _, lang := range []string{"id", "en"} {
		m := apklModel(t, lang)
		for _, format := range []string{"md", "html"} {
			t.Run(lang+"."+format, func(t *testing.T) {
				body := render(t, m, format)
				path := filepath.Join("testdata", "minutes_apkl_"+lang+"."+format+".golden")
				if *update {
					if err := os.WriteFile(path, body, 0o644); err != nil {
						t.Fatal(err)
					}
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("%v (run with -update to create it)", err)
				}
				if !bytes.Equal(body, want) {
					t.Errorf("%s differs from %s (run with -update if intended): %s", format, path, firstDiff(body, want))
				}
			})
		}
	}
}

// TestAPKLModel: the rows, their cells and results, and the priorities
// without the item that did not pass.
func TestAPKLModel(t *testing.T) {
	m := apklModel(t, "id")
	sc := m.APKL
	if sc == nil || !sc.Gated || sc.PriorityNote == "" {
		t.Fatalf("screening = %+v", sc)
	}
	var got []string
	for _, r := range sc.Rows {
		got = append(got, strings.Join([]string{oneLine(r.Text), r.A, r.P, r.K, r.L, r.Result}, "|"))
	}
	want := []string{
		"Pelayanan loket|✓ 3/3|✓ 2/3|✓ 3/3|✓ 3/3|Lolos",
		"Antrean layanan panjang pada jam sibuk|✓ 1/1|✓ 1/1|✓ 1/1|✓ 1/1|Lolos",
		scriptNote + "|✗ 1/2|✗ 1/2|✗ 1/2|✓ 2/2|Tidak lolos",
		"Ruang tunggu sempit|-|-|-|-|Belum dinilai",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("rows:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, p := range m.Priorities {
		if p.Text == scriptNote {
			t.Errorf("the note that did not pass APKL is in the priorities: %+v", p)
		}
	}
	if len(m.Priorities) != 3 {
		t.Errorf("%d priorities, want 3 (the group and two causes)", len(m.Priorities))
	}
	// Without APKL there is no section, and the voted note is ranked.
	plain := fixtureModel(t, "id")
	if plain.APKL != nil || len(plain.Priorities) != 4 {
		t.Errorf("without APKL: screening %v, %d priorities", plain.APKL, len(plain.Priorities))
	}
}

// TestAPKLEveryFormat: the section stands before the priorities in md,
// html, docx and pdf (pdftotext finds the table), in both languages; csv
// and json carry the figures.
func TestAPKLEveryFormat(t *testing.T) {
	for _, lang := range []string{"id", "en"} {
		m := apklModel(t, lang)
		title, prio := m.APKL.Title, m.L.Priorities
		texts := map[string]string{"md": string(render(t, m, "md")), "html": string(render(t, m, "html"))}
		// document.xml holds the text in reading order (values XML-escaped).
		texts["docx"] = string(unzipDOCX(t, render(t, m, "docx"))["word/document.xml"])
		texts["pdf"] = pdfToText(t, render(t, m, "pdf"))
		for format, s := range texts {
			i, j := strings.Index(s, title), strings.Index(s, prio)
			if i < 0 || j < 0 || i > j {
				t.Errorf("%s %s: %q at %d, %q at %d", lang, format, title, i, prio, j)
				continue
			}
			sec := s[i:j]
			for _, w := range []string{"Pelayanan loket", "✓ 2/3", m.APKL.Rows[0].Result, m.APKL.Rows[2].Result} {
				if !strings.Contains(sec, w) {
					t.Errorf("%s %s: the APKL section lacks %q", lang, format, w)
				}
			}
			if !strings.Contains(s[j:], m.APKL.PriorityNote) {
				t.Errorf("%s %s: the priorities do not say only passed items were scored", lang, format)
			}
		}
	}

	// The English csv: commas and decimal points (the Indonesian one uses ';').
	body := render(t, apklModel(t, "en"), "csv")
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body, []byte("\xEF\xBB\xBF")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(recs[0], ","); got != "column,group,text,author,votes,u,s,g,total,kind,unit,apkl_a,apkl_p,apkl_k,apkl_l,apkl_raters,apkl_passed" {
		t.Errorf("csv header %q", got)
	}
	found := 0
	for _, r := range recs[1:] {
		switch r[2] {
		case "'" + scriptNote, scriptNote:
			found++
			if got := strings.Join(r[11:], ","); got != "1,1,1,2,2,false" {
				t.Errorf("csv script row apkl = %q", got)
			}
		case "Antrean layanan panjang pada jam sibuk":
			found++
			if got := strings.Join(r[11:], ","); got != "1,1,1,1,1,true" {
				t.Errorf("csv grouped note apkl = %q", got)
			}
		}
	}
	if found != 2 {
		t.Errorf("csv rows found %d, want 2", found)
	}

	var js struct {
		APKL struct {
			Settings board.APKLSettings `json:"settings"`
			Items    []struct {
				Text   string  `json:"text"`
				P      float64 `json:"p"`
				Raters int     `json:"raters"`
				Passed bool    `json:"passed"`
			} `json:"items"`
		} `json:"apkl"`
	}
	if err := json.Unmarshal(render(t, apklModel(t, "en"), "json"), &js); err != nil {
		t.Fatal(err)
	}
	if !js.APKL.Settings.Enabled || len(js.APKL.Items) != 4 || js.APKL.Items[0].P != 2 || js.APKL.Items[0].Raters != 3 || !js.APKL.Items[0].Passed {
		t.Errorf("json apkl = %+v", js.APKL)
	}
}
