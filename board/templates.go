package board

// TemplateColumn is a column a template starts with.
type TemplateColumn struct {
	Title string `json:"title"`
	Kind  string `json:"kind"`
}

// Template is a starting layout of columns.
type Template struct {
	ID      string           `json:"id"`
	Title   string           `json:"title"`
	Columns []TemplateColumn `json:"columns"`
}

// Templates returns the four templates of the contract, in order, then
// the ones added since. It builds
// a fresh slice each call so no caller can change another's copy.
func Templates() []Template {
	p := func(t string) TemplateColumn { return TemplateColumn{t, KindProblem} }
	c := func(t string) TemplateColumn { return TemplateColumn{t, KindCause} }
	o := func(t string) TemplateColumn { return TemplateColumn{t, KindOther} }
	return []Template{
		{ID: "zona-integritas", Title: "Zona Integritas: enam area perubahan", Columns: []TemplateColumn{
			p("Manajemen Perubahan"), p("Penataan Tatalaksana"), p("Penataan Sistem Manajemen SDM Aparatur"),
			p("Penguatan Akuntabilitas Kinerja"), p("Penguatan Pengawasan"), p("Peningkatan Kualitas Pelayanan Publik"),
			{"Usulan Inovasi", KindInnovation},
		}},
		{ID: "masalah-inovasi", Title: "Masalah dan Inovasi", Columns: []TemplateColumn{
			p("Masalah"), c("Akar Masalah"), {"Usulan Inovasi", KindInnovation},
		}},
		{ID: "fishbone", Title: "Diagram Tulang Ikan (Fishbone)", Columns: []TemplateColumn{
			c("Manusia"), c("Metode"), c("Material"), c("Mesin"), c("Pengukuran"), c("Lingkungan"), p("Masalah Utama"),
		}},
		{ID: "kosong", Title: "Kosong", Columns: []TemplateColumn{{"Catatan", KindOther}}},
		// pohon-masalah (added with link kinds): causes as roots, the core
		// problem as trunk, effects as branches.
		{ID: "pohon-masalah", Title: "Pohon Masalah", Columns: []TemplateColumn{
			c("Akar Masalah"), p("Masalah Utama"), {"Dampak", KindEffect},
		}},
		// Monitoring Rencana Aksi (the programme's register, register.go):
		// a session created with it in a programme starts with the
		// programme's open actions; its columns hold the team's notes on
		// each area perubahan.
		{ID: TemplateMonitoring, Title: "Monitoring Rencana Aksi", Columns: []TemplateColumn{
			o(Areas[0]), o(Areas[1]), o(Areas[2]), o(Areas[3]), o(Areas[4]), o(Areas[5]),
		}},
	}
}

// TemplateByID finds a template.
func TemplateByID(id string) (Template, bool) {
	for _, t := range Templates() {
		if t.ID == id {
			return t, true
		}
	}
	return Template{}, false
}
