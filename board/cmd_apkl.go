package board

// apklScore records the actor's APKL rating of one item. All four criteria
// come together (a, p, k, l), like u, s and g of usg.score, so a result
// never mixes half-judged items.
func apklScore(x *exec) (string, any, error) {
	c := x.cmd
	st := x.s.Session.Settings.APKL
	if !st.Enabled {
		return "", nil, Errorf(CodeWrongPhase, "APKL screening is switched off")
	}
	if st.RatersOf() == APKLRatersFac && !x.isFacilitator() {
		return "", nil, Errorf(CodeForbidden, "in this session only the facilitator rates APKL")
	}
	t := c.TargetID.Value
	if err := x.target(t); err != nil {
		return "", nil, err
	}
	if !x.s.APKLItem(t) {
		return "", nil, Errorf(CodeInvalid, "only problem notes and groups are screened by APKL")
	}
	if c.A == nil || c.P == nil || c.K == nil || c.L == nil {
		return "", nil, Errorf(CodeInvalid, "a, p, k and l are required")
	}
	lo, hi, msg := 0, 1, "in check mode a, p, k and l are each 0 (✗) or 1 (✓)"
	if st.ModeOf() == APKLScore {
		lo, hi, msg = 1, 5, "in score mode a, p, k and l are each an integer from 1 to 5"
	}
	for _, v := range []int{*c.A, *c.P, *c.K, *c.L} {
		if v < lo || v > hi {
			return "", nil, Errorf(CodeInvalid, "%s", msg)
		}
	}
	r := &APKLRating{ParticipantID: x.actor.ID, TargetID: t, A: *c.A, P: *c.P, K: *c.K, L: *c.L}
	x.s.setAPKL(x.actor.ID, t, r)
	return "apkl.changed", APKLData{TargetID: t, APKL: x.s.APKLResultOf(t), Rater: x.actor.ID, Rating: *r}, nil
}

// apklSettings applies settings.update's "apkl" patch to st. It reports
// whether the results of rated items change (mode or raters), so the event
// carries them all again.
func (x *exec) apklSettings(st *APKLSettings) (bool, error) {
	p := x.cmd.APKL
	if p == nil {
		return false, nil
	}
	next := *st
	if p.Enabled != nil {
		next.Enabled = *p.Enabled
	}
	if p.Mode != nil {
		if *p.Mode != APKLCheck && *p.Mode != APKLScore {
			return false, Errorf(CodeInvalid, "apkl.mode must be check or score")
		}
		next.Mode = *p.Mode
	}
	if p.Raters != nil {
		if *p.Raters != APKLRatersAll && *p.Raters != APKLRatersFac {
			return false, Errorf(CodeInvalid, "apkl.raters must be all or facilitator")
		}
		next.Raters = *p.Raters
	}
	if p.Scope != nil {
		if *p.Scope != APKLScopePassed && *p.Scope != APKLScopeAll {
			return false, Errorf(CodeInvalid, "apkl.scope must be passed or all")
		}
		next.Scope = *p.Scope
	}
	// Ratings given as ✓/✗ mean nothing as 1–5 scores and back.
	if next.ModeOf() != st.ModeOf() && len(x.s.APKLRatings) > 0 {
		return false, Errorf(CodeConflict, "the APKL mode cannot change once items have been rated")
	}
	if !next.Enabled && x.s.Session.Phase == PhaseScreen {
		return false, Errorf(CodeConflict, "leave the APKL step before switching APKL off")
	}
	changed := next.RatersOf() != st.RatersOf()
	next.Mode, next.Raters, next.Scope = next.ModeOf(), next.RatersOf(), next.ScopeOf()
	*st = next
	return changed, nil
}
