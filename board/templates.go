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
