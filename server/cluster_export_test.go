package server

// FreezeCluster makes the node's cluster part stop answering, renewing and
// beating, as a process under SIGSTOP would (its local sockets still
// work): tests of a stale owner.
func (s *Server) FreezeCluster(on bool) { s.cluster.frozen.Store(on) }
