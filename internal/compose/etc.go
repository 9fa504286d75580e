package compose

import (
	"fmt"
	"path"
	"strings"

	"stalix.dev/stalix-build/internal/profile"
	"stalix.dev/stalix-build/internal/store"
)

// generatedEtc is what the profile itself adds to /etc: its host name, its
// users on top of the base passwd/group/shadow, its services enabled, and
// its extra files. Keys are realm paths ("etc/hostname"); the second map
// holds the links it makes (a runit service is enabled by a link in
// /etc/service).
func generatedEtc(s *store.Store, prof *profile.Profile, links map[string]string) (map[string]string, map[string]string, error) {
	gen := map[string]string{"etc/hostname": prof.Hostname + "\n"}
	genLinks := map[string]string{}
	// The base files come from the packages; only one that no package
	// ships falls back to the default. One that a package ships but that
	// cannot be read is an error, or its users would vanish silently.
	var passwd, group, shadow string
	for _, f := range []struct {
		path string
		into *string
	}{{"etc/passwd", &passwd}, {"etc/group", &group}, {"etc/shadow", &shadow}} {
		data, err := readLinked(s, links, f.path)
		if err != nil {
			return nil, nil, err
		}
		*f.into = data
	}
	if passwd == "" {
		passwd = "root:x:0:0:root:/root:/bin/sh\n"
	}
	if group == "" {
		group = "root:x:0:\n"
	}
	if shadow == "" {
		shadow = "root:!:1::::::\n"
	}
	if prof.RootPasswordSet {
		shadow = setPassword(shadow, "root", prof.RootPassword)
	}
	for _, u := range prof.Users {
		home := u.Home
		if home == "" {
			home = "/home/" + u.Name
		}
		sh := u.Shell
		if sh == "" {
			sh = "/bin/sh"
		}
		pw := u.Password
		if pw == "" {
			pw = "!"
		}
		passwd += fmt.Sprintf("%s:x:%d:%d::%s:%s\n", u.Name, u.UID, u.GID, home, sh)
		if !strings.Contains(group, fmt.Sprintf(":%d:", u.GID)) {
			group += fmt.Sprintf("%s:x:%d:\n", u.Name, u.GID)
		}
		shadow += fmt.Sprintf("%s:%s:1::::::\n", u.Name, pw)
	}
	gen["etc/passwd"], gen["etc/group"], gen["etc/shadow"] = passwd, group, shadow
	for _, svc := range prof.Services {
		if _, ok := links["etc/sv/"+svc+"/run"]; !ok {
			return nil, nil, fmt.Errorf("%s: service %q has no etc/sv/%s/run in any package", prof.File, svc, svc)
		}
		genLinks["etc/service/"+svc] = "/etc/sv/" + svc
	}
	for _, p := range prof.FilePaths() {
		gen[strings.TrimPrefix(path.Clean(p), "/")] = prof.Files[p]
	}
	return gen, genLinks, nil
}

func setPassword(shadow, user, hash string) string {
	lines := strings.Split(shadow, "\n")
	for i, l := range lines {
		f := strings.Split(l, ":")
		if len(f) > 1 && f[0] == user {
			f[1] = hash
			lines[i] = strings.Join(f, ":")
		}
	}
	return strings.Join(lines, "\n")
}
