package board

// APKL screening (Aktual, Problematik, Kekhalayakan, Layak): an optional
// step, the phase "screen" between "group" and "vote", in which the team
// judges each problem item on four criteria before USG. An item is a note
// or a group in a column of kind problem; each is its own item.

// APKL modes, raters and scopes (Settings.APKL).
const (
	APKLCheck       = "check"       // ✓/✗ per criterion; a criterion passes on a strict majority of ✓
	APKLScore       = "score"       // 1–5 per criterion; a criterion passes when its mean is ≥ APKLPassMean
	APKLRatersAll   = "all"         // every participant rates
	APKLRatersFac   = "facilitator" // the facilitator alone rates
	APKLScopePassed = "passed"      // only items that passed go on to USG
	APKLScopeAll    = "all"         // every item goes on to USG
)

// APKLPassMean is the mean score (1–5) a criterion needs to pass.
const APKLPassMean = 3.0

// APKLSettings are the facilitator's APKL switches. The zero value (a
// session stored before APKL existed) is: off, check, all raters, passed.
type APKLSettings struct {
	Enabled bool   `json:"enabled"`
	Mode    string `json:"mode"`
	Raters  string `json:"raters"`
	Scope   string `json:"scope"`
}

// APKLPatch is settings.update's "apkl" object: absent fields stay.
type APKLPatch struct {
	Enabled *bool   `json:"enabled,omitempty"`
	Mode    *string `json:"mode,omitempty"`
	Raters  *string `json:"raters,omitempty"`
	Scope   *string `json:"scope,omitempty"`
}

// ModeOf, RatersOf and ScopeOf read a setting with its default.
func (a APKLSettings) ModeOf() string   { return or(a.Mode, APKLCheck) }
func (a APKLSettings) RatersOf() string { return or(a.Raters, APKLRatersAll) }
func (a APKLSettings) ScopeOf() string  { return or(a.Scope, APKLScopePassed) }

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// APKLRating is one participant's APKL judgement of one item: 0/1 (✗/✓)
// per criterion in check mode, 1–5 in score mode.
type APKLRating struct {
	ParticipantID string `json:"participantId"`
	TargetID      string `json:"targetId"`
	A             int    `json:"a"`
	P             int    `json:"p"`
	K             int    `json:"k"`
	L             int    `json:"l"`
}

// APKLFlags says which criteria pass.
type APKLFlags struct {
	A bool `json:"a"`
	P bool `json:"p"`
	K bool `json:"k"`
	L bool `json:"l"`
}

// APKLResult is the team's result for one item. In check mode A…L count
// the ✓ and Total counts the criteria that pass; in score mode A…L are the
// means and Total their sum. Passed: rated, and all four criteria pass.
type APKLResult struct {
	A      float64   `json:"a"`
	P      float64   `json:"p"`
	K      float64   `json:"k"`
	L      float64   `json:"l"`
	Total  float64   `json:"total"`
	Raters int       `json:"raters"`
	OK     APKLFlags `json:"ok"`
	Passed bool      `json:"passed"`
}

// APKLData is apkl.changed: the item's new result; Rater and Rating are
// stored to show the rater their own pick.
type APKLData struct {
	TargetID string     `json:"targetId"`
	APKL     APKLResult `json:"apkl"`
	Rater    string     `json:"rater"`
	Rating   APKLRating `json:"rating"`
}

// APKLItem reports whether id is an APKL item: a note or group in a
// problem column.
func (s *State) APKLItem(id string) bool { return s.columnKindOf(id) == KindProblem }

// APKLResultOf returns the team's result for an item under the current
// settings (the raters setting decides whose ratings count).
func (s *State) APKLResultOf(id string) APKLResult {
	st := s.Session.Settings.APKL
	var sum [4]int
	n := 0
	for pid, r := range s.apklBy[id] {
		if st.RatersOf() == APKLRatersFac && s.roleOf(pid) != RoleFacilitator {
			continue
		}
		sum[0], sum[1], sum[2], sum[3] = sum[0]+r.A, sum[1]+r.P, sum[2]+r.K, sum[3]+r.L
		n++
	}
	res := APKLResult{Raters: n}
	if n == 0 {
		return res
	}
	var ok [4]bool
	var v [4]float64
	for i, x := range sum {
		if st.ModeOf() == APKLScore {
			v[i] = round2(float64(x) / float64(n))
			ok[i] = float64(x) >= APKLPassMean*float64(n)
			res.Total += v[i]
		} else {
			v[i] = float64(x)
			ok[i] = 2*x > n
			if ok[i] {
				res.Total++
			}
		}
	}
	res.Total = round2(res.Total)
	res.A, res.P, res.K, res.L = v[0], v[1], v[2], v[3]
	res.OK = APKLFlags{ok[0], ok[1], ok[2], ok[3]}
	res.Passed = ok[0] && ok[1] && ok[2] && ok[3]
	return res
}

// ScreenedOut reports whether USG is closed to target: APKL is on with
// scope "passed" and target is an item that did not pass.
func (s *State) ScreenedOut(id string) bool {
	st := s.Session.Settings.APKL
	return st.Enabled && st.ScopeOf() == APKLScopePassed && s.APKLItem(id) && !s.APKLResultOf(id).Passed
}

// apklView returns an item's result for a view, nil when nobody counted
// has rated it.
func (s *State) apklView(id string) *APKLResult {
	if len(s.apklBy[id]) == 0 {
		return nil
	}
	r := s.APKLResultOf(id)
	return &r
}

// myAPKL returns the viewer's own rating of an item.
func (s *State) myAPKL(pid, id string) *APKLRating {
	// Through the per-item index: no key to build for the many unrated notes
	// of a big board's snapshot.
	if r := s.apklBy[id][pid]; r != nil {
		cp := *r
		return &cp
	}
	return nil
}

// apklResults returns the result of every rated item, for events that
// change all of them at once (a change of raters).
func (s *State) apklResults() map[string]APKLResult {
	out := map[string]APKLResult{}
	for id := range s.apklBy {
		out[id] = s.APKLResultOf(id)
	}
	return out
}

// setAPKL replaces one participant's rating of an item (nil removes it).
func (s *State) setAPKL(pid, target string, r *APKLRating) {
	k := voteKey(pid, target)
	if _, ok := s.APKLRatings[k]; ok {
		delete(s.APKLRatings, k)
		delete(s.apklBy[target], pid)
		if len(s.apklBy[target]) == 0 {
			delete(s.apklBy, target)
		}
	}
	if r == nil {
		s.put(EntAPKL, k, nil)
		return
	}
	s.loadAPKL(r)
	cp := *r
	s.put(EntAPKL, k, &cp)
}

func (s *State) loadAPKL(r *APKLRating) {
	s.APKLRatings[voteKey(r.ParticipantID, r.TargetID)] = r
	if s.apklBy[r.TargetID] == nil {
		s.apklBy[r.TargetID] = map[string]*APKLRating{}
	}
	s.apklBy[r.TargetID][r.ParticipantID] = r
}

// dropAPKL removes every rating of a deleted item.
func (s *State) dropAPKL(id string) {
	for pid := range s.apklBy[id] {
		s.setAPKL(pid, id, nil)
	}
}
