package cli

import (
	"fmt"

	"stalix.dev/stalix-build/internal/pack"
)

func init() {
	register("image", "build a profile and write its images under out/", runImage)
}

func runImage(e *Env, args []string) error {
	var b buildFlags
	fs := newFlags(e, "image", "PROFILE [--target T] [--out DIR]",
		"Build the profile, compose its realm and write out/<profile>-<arch>.{initramfs.cpio.zst,img,tar.zst,vmlinuz,spdx.json} and out/SHA256SUMS.")
	b.add(fs)
	b.cache.add(fs)
	outDir := fs.String("out", "out", "directory for the images")
	ss, err := b.open(e, fs, args, oneProfile)
	if err != nil {
		return err
	}
	defer ss.Close()
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
}
