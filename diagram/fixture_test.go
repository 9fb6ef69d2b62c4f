package diagram

import (
	"fmt"
	"strings"
)

// The fixtures every test of the package draws from: the same ones the
// page's and the minutes' renderers should be checked against later.

var fishboneCategories = []string{"Manusia", "Metode", "Material", "Mesin", "Pengukuran", "Lingkungan"}

// fishboneFixture: six bones, three causes on three of them, and a cause
// of a cause.
func fishboneFixture() Input {
	return Input{
		Root:       "p",
		Categories: fishboneCategories,
		Notes: []Note{
			{ID: "p", Kind: KindProblem, Text: "Antrian layanan perizinan panjang dan waktu tunggu tidak pasti", Category: "Masalah Utama"},
			{ID: "c1", Kind: KindCause, Category: "Manusia", Text: "Petugas loket kurang dan sering berganti"},
			{ID: "c2", Kind: KindCause, Category: "Metode", Text: "SOP pelayanan belum memuat standar waktu"},
			{ID: "c3", Kind: KindCause, Category: "Mesin", Text: "Aplikasi antrian sering tidak bisa diakses"},
			{ID: "c4", Kind: KindCause, Category: "Manusia", Text: "Belum ada pelatihan layanan prima tahun ini"},
			{ID: "i1", Kind: KindInnovation, Text: "Antrian daring lewat WhatsApp"},
		},
		Links: []Link{
			{From: "c1", To: "p", Kind: LinkCause},
			{From: "c2", To: "p", Kind: LinkCause},
			{From: "c3", To: "p", Kind: LinkCause},
			{From: "c4", To: "c1", Kind: LinkCause},
			{From: "i1", To: "p", Kind: LinkAnswers},
		},
	}
}

// treeFixture: three causes (one with a cause of its own) and an effect.
func treeFixture() Input {
	return Input{
		Root: "p",
		Notes: []Note{
			{ID: "p", Kind: KindProblem, Text: "Keluhan masyarakat atas layanan perizinan meningkat"},
			{ID: "c1", Kind: KindCause, Text: "Persyaratan berubah tanpa pemberitahuan"},
			{ID: "c2", Kind: KindCause, Text: "Petugas belum memahami SOP baru"},
			{ID: "c3", Kind: KindCause, Text: "Kanal pengaduan tidak dipantau"},
			{ID: "c4", Kind: KindCause, Text: "Sosialisasi SOP hanya sekali"},
			{ID: "e1", Kind: KindEffect, Text: "Nilai survei kepuasan masyarakat turun"},
		},
		Links: []Link{
			{From: "c1", To: "p", Kind: LinkCause},
			{From: "c2", To: "p", Kind: LinkCause},
			{From: "c3", To: "p", Kind: LinkCause},
			{From: "c4", To: "c2", Kind: LinkCause},
			{From: "p", To: "e1", Kind: LinkEffect},
		},
	}
}

// cycleFixture: c1 → c2 → c3 → c1 under the problem, and p → c1 back.
func cycleFixture() Input {
	return Input{
		Root: "p",
		Notes: []Note{
			{ID: "p", Kind: KindProblem, Text: "Masalah"},
			{ID: "c1", Kind: KindCause, Category: "Metode", Text: "Sebab satu"},
			{ID: "c2", Kind: KindCause, Category: "Metode", Text: "Sebab dua"},
			{ID: "c3", Kind: KindCause, Category: "Metode", Text: "Sebab tiga"},
		},
		Links: []Link{
			{From: "c1", To: "p", Kind: LinkCause},
			{From: "c2", To: "c1", Kind: LinkCause},
			{From: "c3", To: "c2", Kind: LinkCause},
			{From: "c1", To: "c3", Kind: LinkCause},
			{From: "p", To: "c1", Kind: LinkCause},
			{From: "p", To: "p", Kind: LinkCause},
			{From: "ghost", To: "p", Kind: LinkCause},
			{From: "c2", To: "nowhere", Kind: LinkCause},
		},
	}
}

// manyFixture: 200 causes on one bone.
func manyFixture() Input {
	in := Input{Root: "p", Notes: []Note{{ID: "p", Kind: KindProblem, Text: "Masalah dengan banyak sebab"}}}
	for i := range 200 {
		id := fmt.Sprintf("c%03d", i)
		in.Notes = append(in.Notes, Note{ID: id, Kind: KindCause, Category: "Metode", Text: fmt.Sprintf("Sebab nomor %d", i+1)})
		in.Links = append(in.Links, Link{From: id, To: "p", Kind: LinkCause})
	}
	return in
}

// hostileFixture: text a renderer must escape and a layout must survive.
func hostileFixture() Input {
	return Input{
		Root: "p",
		Notes: []Note{
			{ID: "p", Kind: KindProblem, Text: `<script>alert("x")</script> & 'kutip' "ganda"`},
			{ID: `c"1`, Kind: KindCause, Category: `<Manusia & "Mesin">`, Text: "Emoji 🙂🚀 dan RTL \u202Egnp.exe\u202C selesai\x00\x07"},
			{ID: "c2", Kind: KindCause, Category: "Metode", Text: strings.Repeat("Sangatpanjangsekalitanpaspasi", 8)},
			{ID: "e1", Kind: KindEffect, Text: "]]><!-- komentar --> &amp; \uFFFF"},
		},
		Links: []Link{
			{From: `c"1`, To: "p", Kind: LinkCause},
			{From: "c2", To: "p", Kind: LinkCause},
			{From: "p", To: "e1", Kind: LinkEffect},
		},
	}
}

// ziFixture: the six change areas of Zona Integritas as bones, whose
// long names wrap, with one cause on four of them and an effect.
func ziFixture() Input {
	areas := []string{"Manajemen Perubahan", "Penataan Tatalaksana", "Penataan Sistem Manajemen SDM Aparatur",
		"Penguatan Akuntabilitas Kinerja", "Penguatan Pengawasan", "Peningkatan Kualitas Pelayanan Publik"}
	in := Input{Root: "p", Categories: areas, Notes: []Note{
		{ID: "p", Kind: KindProblem, Text: "Indeks persepsi kualitas pelayanan di bawah target WBK"},
		{ID: "e1", Kind: KindEffect, Text: "Unit belum diusulkan meraih predikat WBK"},
	}}
	for i, text := range []string{"Agen perubahan belum aktif", "", "Beban kerja pegawai tidak merata",
		"", "Pengendalian gratifikasi belum disosialisasikan", "Standar pelayanan tidak dipajang"} {
		if text == "" {
			continue
		}
		id := fmt.Sprintf("c%d", i)
		in.Notes = append(in.Notes, Note{ID: id, Kind: KindCause, Category: areas[i], Text: text})
		in.Links = append(in.Links, Link{From: id, To: "p", Kind: LinkCause})
	}
	in.Links = append(in.Links, Link{From: "p", To: "e1", Kind: LinkEffect})
	return in
}

// fixtures names every fixture for the table tests.
func fixtures() map[string]Input {
	return map[string]Input{
		"fishbone": fishboneFixture(),
		"tree":     treeFixture(),
		"zi":       ziFixture(),
		"empty":    {Root: "p", Notes: []Note{{ID: "p", Kind: KindProblem, Text: "Masalah tanpa sebab"}}},
		"noroot":   {Root: "missing", Notes: []Note{{ID: "a", Text: "x"}}},
		"cycle":    cycleFixture(),
		"many":     manyFixture(),
		"full":     fullFixture(),
		"hostile":  hostileFixture(),
	}
}

// views are the two layouts under test.
var views = map[string]func(Input, Options) Layout{"fishbone": Fishbone, "tree": ProblemTree}
