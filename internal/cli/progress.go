package cli

import (
	"os"

	"stalix.dev/stalix-build/internal/build"
	"stalix.dev/stalix-build/internal/progress"
	"stalix.dev/stalix-build/internal/sched"
)

// newView shows a live view when stderr is a terminal and plain lines
// otherwise (CI logs).
func newView(e *Env) func(p *sched.Plan) build.View {
	return func(p *sched.Plan) build.View {
		if f, ok := e.Stderr.(*os.File); ok {
			return progress.New(f, p, progress.Options{})
		}
		return progress.NewPlain(e.Stderr, p, progress.Options{})
	}
}
