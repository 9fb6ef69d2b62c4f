package board

// Link kinds. The kind, not the columns the notes sit in later, gives a
// link its meaning: the diagrams (fishbone, pohon masalah) are built from
// cause and effect links.
const (
	// LinkCause: a cause → the problem it causes, or a cause → a cause
	// (causes of causes).
	LinkCause = "cause"
	// LinkAnswers: an innovation → the problem or cause it answers. A link
	// stored before links had kinds is one of these.
	LinkAnswers = "answers"
	// LinkEffect: a problem → one of its effects (dampak).
	LinkEffect = "effect"
)

var linkKinds = map[string]bool{LinkCause: true, LinkAnswers: true, LinkEffect: true}

// linkEnds lists, per link kind, the column kinds its From and To may be
// in. A problem may be the cause of another problem (a problem tree's
// lower problems), so cause links accept problems at both ends.
var linkEnds = map[string]struct{ from, to []string }{
	LinkCause:   {from: []string{KindCause, KindProblem}, to: []string{KindProblem, KindCause}},
	LinkAnswers: {from: []string{KindInnovation}, to: []string{KindProblem, KindCause}},
	LinkEffect:  {from: []string{KindProblem}, to: []string{KindEffect}},
}

// ValidLinkKind reports whether a link of kind may join a note or group in
// a column of kind fromKind to one in a column of kind toKind.
func ValidLinkKind(kind, fromKind, toKind string) bool {
	ends, ok := linkEnds[kind]
	return ok && contains(ends.from, fromKind) && contains(ends.to, toKind)
}

// checkLinkKind decides whether a link of kind may join from and to. Kinds
// are checked when a link is made; a note moved to another column later
// keeps its links.
func (s *State) checkLinkKind(kind, from, to string) error {
	if from == to {
		return Errorf(CodeInvalid, "a note cannot be linked to itself")
	}
	if !ValidLinkKind(kind, s.columnKindOf(from), s.columnKindOf(to)) {
		switch kind {
		case LinkCause:
			return Errorf(CodeInvalid, "a cause link goes from a cause (or problem) to a problem or cause")
		case LinkEffect:
			return Errorf(CodeInvalid, "an effect link goes from a problem to an effect")
		}
		return Errorf(CodeInvalid, "a link goes from an innovation to a problem or cause")
	}
	return nil
}

// LinkKindOf returns a link's kind, reading a link stored before kinds
// existed as answers.
func LinkKindOf(l *Link) string {
	if l.Kind == "" {
		return LinkAnswers
	}
	return l.Kind
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if x == y {
			return true
		}
	}
	return false
}
