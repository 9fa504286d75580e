package session

import (
	"stalix.dev/stalix-build/internal/build"
	"stalix.dev/stalix-build/internal/bundle"
)

// Bundle is sources bundle: every source of SourceNodes fetched, then
// written into dir with the recipes and scripts (bundle.Write).
func (ss *Session) Bundle(dir string) (*bundle.Manifest, error) {
	nodes, err := ss.SourceNodes()
	if err != nil {
		return nil, err
	}
	if err := ss.Fetcher.Fetch(ss.Ctx, build.Wants(nodes)); err != nil {
		return nil, err
	}
	return bundle.Write(dir, ss.Profile.Name, nodes, ss.Fetcher)
}
