package board

// The two halves of ClassKey, for the external benchmarks that check one
// against the other.

func (s *State) ClassOf(ev *Event, v Viewer) Class { return s.classOf(ev, v) }
func (s *State) SharedOf(ev *Event, c Class) Class { return s.shared(ev, c) }
