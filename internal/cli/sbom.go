package cli

import (
	"fmt"

	"stalix.dev/stalix-build/internal/bundle"
	"stalix.dev/stalix-build/internal/pack"
	"stalix.dev/stalix-build/internal/session"
)

func init() {
	register("sbom", "print a profile's SBOM (SPDX 2.3 JSON) for one target", runSBOM)
}

var oneImage = session.Takes{N: 1, Want: "one PROFILE", Profile: true, One: true}

func runSBOM(e *Env, args []string) error {
	var b buildFlags
	fs := newFlags(e, "sbom", "PROFILE [--target T] [--out DIR]",
		"Build what the profile needs, compose its realm and print its SBOM as SPDX 2.3 JSON, for --target or the profile's first target. "+
			"The image files listed in DIR/SHA256SUMS (as image writes them) are described too, so this prints the bytes image wrote to DIR/<profile>-<arch>.spdx.json.")
	b.add(fs)
	outDir := fs.String("out", "out", "directory holding the images")
	ss, err := b.open(e, fs, args, oneImage)
	if err != nil {
		return err
	}
	defer ss.Close()
	pk, err := ss.Packer()
	if err != nil {
		return err
	}
	arch, out := ss.Plan.Targets[0], absFrom(e.Dir, *outDir)
	files, err := pack.ListedImages(out, ss.Profile.Name+"-"+arch)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		fmt.Fprintf(e.Stderr, "sbom: no images of %s-%s in %s: the SBOM lists no image files (run stalix-build image first)\n", ss.Profile.Name, arch, out)
	}
	doc, err := pk.SBOM(arch, files)
	if err != nil {
		return err
	}
	_, err = e.Stdout.Write(doc)
	return err
}

var profileAndDir = session.Takes{N: 2, Want: "PROFILE DIR", Profile: true}

// runBundle is "sources bundle PROFILE DIR".
func runBundle(e *Env, args []string) error {
	var b buildFlags
	fs := newFlags(e, "sources bundle", "PROFILE DIR [--target T] [--offline]",
		"Copy every source and patch the profile's images are built from into DIR, with the recipes, each build script as it ran, manifest.json and SHA256SUMS: the corresponding source a distributor hands over.")
	b.add(fs)
	ss, err := b.open(e, fs, args, profileAndDir)
	if err != nil {
		return err
	}
	defer ss.Close()
	dir := absFrom(e.Dir, ss.Args[1])
	m, err := ss.Bundle(dir)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.Stdout, "%s: the sources of %d packages, listed in %s and %s\n", dir, len(m.Packages), bundle.ManifestName, bundle.SumsName)
	return nil
}
