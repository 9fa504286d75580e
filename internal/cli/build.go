package cli

import (
	"fmt"

	"stalix.dev/stalix-build/internal/build"
	"stalix.dev/stalix-build/internal/pack"
	"stalix.dev/stalix-build/internal/session"
)

var (
	profileOrPkg = session.Takes{N: 1, Want: "one PROFILE or PKG"}
	onePkg       = session.Takes{N: 1, Want: "one PKG", Pkg: true}
	// oneImage plans one target: --target, else the profile's first.
	oneImage = session.Takes{N: 1, Want: "one PROFILE", Profile: true, One: true}
)

func runBuild(e *Env, args []string) error {
	var o opts
	fs := o.flags(e, "build", "PROFILE|PKG [--target T] [-j N] [--keep-going] [--offline] [--cache URL]",
		"Build every package the profile needs that the store lacks.", withCache)
	return o.run(e, fs, args, profileOrPkg, (*session.Session).BuildAll)
}

func runFetch(e *Env, args []string) error {
	var o opts
	fs := o.flags(e, "fetch", "PROFILE|PKG [--target T] [--offline]",
		"Fetch every source the profile needs, by sha256: cache, $STALIX_MIRRORS, upstream URL, Debian source package ($STALIX_NO_DEBIAN=1 turns that route off).", withBuild)
	return o.run(e, fs, args, profileOrPkg, func(ss *session.Session) error {
		nodes, err := ss.SourceNodes()
		if err != nil {
			return err
		}
		if err := ss.Fetcher.Fetch(ss.Ctx, build.Wants(nodes)); err != nil {
			return err
		}
		fmt.Fprintf(e.Stdout, "all sources of %d nodes are in %s\n", len(nodes), ss.Fetcher.Cache)
		return nil
	})
}

func runImage(e *Env, args []string) error {
	var o opts
	fs := o.flags(e, "image", "PROFILE [--target T] [--out DIR]",
		"Build the profile, compose its realm and write out/<profile>-<arch>.{initramfs.cpio.zst,img,tar.zst,vmlinuz,spdx.json} and out/SHA256SUMS.", withCache)
	outDir := fs.String("out", "out", "directory for the images")
	return o.run(e, fs, args, session.Takes{N: 1, Want: "one PROFILE", Profile: true}, func(ss *session.Session) error {
		pk, err := ss.Packer()
		if err != nil {
			return err
		}
		out := absFrom(e.Dir, *outDir)
		for _, arch := range ss.Plan.Targets {
			a, err := pk.Write(arch, out)
			if err != nil {
				return err
			}
			if err := pk.WriteSBOM(arch, out, a); err != nil {
				return err
			}
			for _, f := range a.Files() {
				fmt.Fprintln(e.Stdout, f)
			}
		}
		return pack.WriteSums(out)
	})
}

func runSBOM(e *Env, args []string) error {
	var o opts
	fs := o.flags(e, "sbom", "PROFILE [--target T] [--out DIR]",
		"Build what the profile needs, compose its realm and print its SBOM as SPDX 2.3 JSON, for --target or the profile's first target. "+
			"The image files listed in DIR/SHA256SUMS (as image writes them) are described too, so this prints the bytes image wrote to DIR/<profile>-<arch>.spdx.json.", withBuild)
	outDir := fs.String("out", "out", "directory holding the images")
	return o.run(e, fs, args, oneImage, func(ss *session.Session) error {
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
	})
}

// runPath is for scripts that run a package's program on the host, such as
// the benchmark and the tests running our mke2fs: the store lives under a
// user cache directory, so its paths are not /ix/store on the host.
func runPath(e *Env, args []string) error {
	var o opts
	fs := o.flags(e, "path", "PKG [--target T]", "Print where PKG's store entry is on this machine. Exit 1 when the store lacks it (build it first).", withTargets)
	return o.run(e, fs, args, onePkg, func(ss *session.Session) error {
		n := ss.Plan.Roots[ss.Plan.Targets[0]][0]
		if !ss.Store.Has(n.Base()) {
			return fmt.Errorf("%s is not in the store %s: run stalix-build build %s", n.ID(), ss.Store.Dir, n.Name)
		}
		fmt.Fprintln(e.Stdout, ss.Store.Path(n.Base()))
		return nil
	})
}
