package diagram

// Kind is a note's role; it colours a node. The structure of a view comes
// from the links, not from the kinds.
type Kind string

const (
	KindProblem    Kind = "problem"
	KindCause      Kind = "cause"
	KindEffect     Kind = "effect"
	KindInnovation Kind = "innovation"
	KindOther      Kind = "other"
	// KindMore is a node the layout adds: "+N lainnya" for what the caps
	// leave out (Node.Overflow holds N).
	KindMore Kind = "more"
)

// LinkKind is the kind of a typed link between two notes.
type LinkKind string

const (
	// LinkCause: From causes To (a cause → the problem, or a cause → a cause).
	LinkCause LinkKind = "cause"
	// LinkAnswers: an innovation answers a problem or a cause; the views
	// leave it out today.
	LinkAnswers LinkKind = "answers"
	// LinkEffect: From is a problem, To one of its effects.
	LinkEffect LinkKind = "effect"
)

// Note is one note of the board as the layout needs it. Category is the
// fishbone bone it hangs on (e.g. its column's title); empty means
// Text.Uncategorised.
type Note struct {
	ID       string `json:"id"`
	Text     string `json:"text"`
	Kind     Kind   `json:"kind"`
	Category string `json:"category,omitempty"`
}

// Link is a typed link From → To. Links naming unknown notes, links of
// other kinds and links that would close a cycle are ignored.
type Link struct {
	From string   `json:"from"`
	To   string   `json:"to"`
	Kind LinkKind `json:"kind"`
}

// Input is what both views are drawn from. Root is the core problem.
// Categories, when given, fixes the fishbone's bones and their order and
// shows them even without causes (the six fishbone columns, the six ZI
// change areas); categories of causes not listed follow in order of first
// appearance in Notes.
type Input struct {
	Root       string   `json:"root"`
	Notes      []Note   `json:"notes"`
	Links      []Link   `json:"links"`
	Categories []string `json:"categories,omitempty"`
}

// Layout is a positioned diagram; see the package comment for its
// conventions.
type Layout struct {
	View           string  `json:"view"` // "fishbone" or "tree"
	Width          float64 `json:"width"`
	Height         float64 `json:"height"`
	FontSize       float64 `json:"fontSize"`
	LineHeight     float64 `json:"lineHeight"`
	BaselineOffset float64 `json:"baselineOffset"`
	PadX           float64 `json:"padX"`
	PadY           float64 `json:"padY"`
	Nodes          []Node  `json:"nodes"`
	Edges          []Edge  `json:"edges"`
	Labels         []Label `json:"labels"`
	Strokes        []Line  `json:"strokes"`
}

// Node is a note's box. ID is the note's ID, or "more:…" for a KindMore
// node. Text is the full cleaned text (for a tooltip or <title>); Lines is
// what fits in the box.
type Node struct {
	ID       string   `json:"id"`
	Kind     Kind     `json:"kind"`
	X        float64  `json:"x"`
	Y        float64  `json:"y"`
	W        float64  `json:"w"`
	H        float64  `json:"h"`
	Text     string   `json:"text"`
	Lines    []string `json:"lines"`
	Overflow int      `json:"overflow,omitempty"`
	Depth    int      `json:"depth"` // 0 problem, 1 its causes and effects, 2 causes of causes, …
}

// Edge draws the link From → To (for a "more" node, its link to the
// parent) as a polyline.
type Edge struct {
	From   string       `json:"from"`
	To     string       `json:"to"`
	Kind   LinkKind     `json:"kind"`
	Points [][2]float64 `json:"points"`
}

// Label is a fishbone bone's category name, drawn centred in its box in
// bold.
type Label struct {
	Text  string   `json:"text"`
	X     float64  `json:"x"`
	Y     float64  `json:"y"`
	W     float64  `json:"w"`
	H     float64  `json:"h"`
	Lines []string `json:"lines"`
}

// Line is a stroke that is no link: the fishbone's "spine" or a "bone".
type Line struct {
	Kind   string       `json:"kind"`
	Points [][2]float64 `json:"points"`
}

// Options tune a layout; the zero value takes the defaults below.
type Options struct {
	FontSize    float64 // px; default 14
	BoxWidth    float64 // px, a cause or effect box; default 176
	MaxLines    int     // lines per box before the ellipsis; default 4
	MaxPerBone  int     // direct causes per bone (fishbone) or in the tree; default 6
	MaxChildren int     // causes per cause; default 2
	MaxEffects  int     // effects in the tree; default 6
	MaxDepth    int     // levels of causes below the problem; default 3
	MaxBones    int     // bones; default 12, the last one taking the causes of the rest
	Text        Text
}

// Text holds the words the layout writes itself; defaults are Indonesian.
type Text struct {
	More          string // fmt format of an overflow node; default "+%d lainnya"
	Uncategorised string // bone of causes without a category; default "Lainnya"
}

func (o Options) withDefaults() Options {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	if o.FontSize <= 0 {
		o.FontSize = 14
	}
	if o.BoxWidth <= 0 {
		o.BoxWidth = 176
	}
	o.BoxWidth = max(o.BoxWidth, 4*o.FontSize)
	def(&o.MaxLines, 4)
	def(&o.MaxPerBone, 6)
	def(&o.MaxChildren, 2)
	def(&o.MaxEffects, 6)
	def(&o.MaxDepth, 3)
	def(&o.MaxBones, 12)
	if o.Text.More == "" {
		o.Text.More = "+%d lainnya"
	}
	if o.Text.Uncategorised == "" {
		o.Text.Uncategorised = "Lainnya"
	}
	return o
}
