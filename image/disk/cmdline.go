package disk

import (
	"bufio"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
)

// Root is where a kernel's command line looks for its root: a GPT partition name or a
// partition's unique GUID. Both empty means it names neither (root=/dev/vda2, say, or no root=).
type Root struct {
	Label    string // root=PARTLABEL=
	PartUUID string // root=PARTUUID=, lower case
}

var guidRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// RootFromCmdline reads the last root= of a kernel command line, as the kernel does. A PARTUUID
// must be a plain GUID: the /PARTNROFF= form names a partition relative to another one, which
// a disk writer cannot give.
func RootFromCmdline(cmdline string) (Root, error) {
	var root string
	for _, f := range strings.Fields(cmdline) {
		if v, ok := strings.CutPrefix(f, "root="); ok {
			root = v
		}
	}
	switch {
	case strings.HasPrefix(root, "PARTLABEL="):
		label := strings.TrimPrefix(root, "PARTLABEL=")
		if label == "" || len([]rune(label)) > 36 {
			return Root{}, fmt.Errorf("root=%s: a GPT partition name has 1 to 36 characters", root)
		}
		return Root{Label: label}, nil
	case strings.HasPrefix(root, "PARTUUID="):
		u := strings.ToLower(strings.TrimPrefix(root, "PARTUUID="))
		if !guidRE.MatchString(u) {
			return Root{}, fmt.Errorf("root=%s: want PARTUUID=xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", root)
		}
		return Root{PartUUID: u}, nil
	}
	return Root{}, nil
}

// KernelCmdline reads CONFIG_CMDLINE, the built-in command line, from a kernel's .config.
// A kernel without one gives "".
func KernelCmdline(config string) (string, error) {
	f, err := os.Open(config)
	if err != nil {
		return "", fmt.Errorf("kernel config: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for n := 1; sc.Scan(); n++ {
		v, ok := strings.CutPrefix(sc.Text(), "CONFIG_CMDLINE=")
		if !ok {
			continue
		}
		s, err := strconv.Unquote(v)
		if err != nil {
			return "", fmt.Errorf("%s:%d: CONFIG_CMDLINE is not a quoted string: %s", config, n, v)
		}
		return s, nil
	}
	if err := sc.Err(); err != nil {
		return "", fmt.Errorf("kernel config %s: %w", config, err)
	}
	return "", nil
}
