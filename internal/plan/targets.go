package plan

import (
	"fmt"

	"stalix.dev/stalix-build/internal/recipe"
)

// Host is the architecture builds run on.
const Host = "x86_64"

var targets = map[string]recipe.Target{
	"x86_64":  {Arch: "x86_64", Triple: "x86_64-linux-musl", KernelArch: "x86_64", EFIName: "BOOTX64.EFI"},
	"aarch64": {Arch: "aarch64", Triple: "aarch64-linux-musl", KernelArch: "arm64", EFIName: "BOOTAA64.EFI"},
}

// TargetFor returns the description of arch.
func TargetFor(arch string) (recipe.Target, error) {
	t, ok := targets[arch]
	if !ok {
		return recipe.Target{}, fmt.Errorf("unknown target %q (use x86_64 or aarch64)", arch)
	}
	return t, nil
}
