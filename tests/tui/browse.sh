#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Dashboard in tmux over a fixture source: browse, sort, filter,
# namespaces, command mode, describe, YAML search, forbidden kinds, help.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/tui/fixture.sh"

FX="$T_DIR/fx.json"
tui_fixture "$FX"
tui_start browse "XDG_CONFIG_HOME=$T_DIR/cfg $KDECK --fixture $FX"

check "header shows context and version" tui_wait "Context: fixture-ctx"
check "header shows the server version" tui_has "K8s: v1.31.0"
check "pods of the default namespace" tui_wait "pods(default)[4]"
check "server columns" tui_has "NAME    READY  STATUS"
check "crumbs" tui_has "<pods>"

# shift-n sorts by name (natural order: web-2 before web-10)
tui_keys N
check "sort by name" tui_wait "NAME↑"
order=$(tui_screen | awk '/^ (web|db)-/ {print $1}' | tr '\n' ' ')
check_eq "natural name order" "$order" "db-0 web-1 web-2 web-10 "
tui_keys N
check "second shift-n reverses" tui_wait "NAME↓"
tui_keys A
check "sort by age" tui_wait "AGE↑"
order=$(tui_screen | awk '/^ (web|db)-/ {print $1}' | tr '\n' ' ')
check_eq "age order" "$order" "web-2 web-10 db-0 web-1 "

# filters: regex, inverse, label selector, esc clears
tui_keys / 'web-1$' Enter
check "regex filter" tui_wait "pods(default)[1] </web-1$>"
tui_keys Escape
check "esc clears the filter" tui_wait "pods(default)[4]"
tui_keys / '!web' Enter
check "inverse filter" tui_wait "pods(default)[1] </!web>"
check "inverse keeps db-0" tui_has "db-0"
tui_keys Escape / '-l app=web' Enter
check "label selector filter" tui_wait "pods(default)[3] </-l app=web>"
tui_keys Escape

# namespaces: :ns NAME, favourites on number keys, 0 = all
tui_keys : 'ns kube-system' Enter
check ":ns switches namespace" tui_wait "pods(kube-system)[1]"
check "favourite added" tui_has "<1> kube-system"
tui_keys 0
check "0 = all namespaces" tui_wait "pods(all)[5]"
check "NAMESPACE column in all-namespaces" tui_has "NAMESPACE"
tui_keys 1
check "favourite 1" tui_wait "pods(kube-system)[1]"
tui_keys : ns Enter
check ":ns lists namespaces" tui_wait "namespaces(-)[3]"
tui_keys j Enter
check "enter on a namespace switches to it" tui_wait "pods(kube-system)"
tui_keys : 'ns default' Enter
check "back to default" tui_wait "pods(default)[4]"

# command mode: short names, CRDs, tab completion, history, unknown
tui_keys : deploy Enter
check ":deploy (short name)" tui_wait "deployments(default)[1]"
tui_keys : ct Enter
check ":ct (CRD short name)" tui_wait "crontabs(default)[0]"
tui_keys : sec Tab Enter
check "tab completion to secrets" tui_wait "secrets(default)"
check "forbidden kind says so" tui_wait "You may not list secrets"
tui_keys : Up Up Enter
check "history up/up recalls :ct" tui_wait "crontabs(default)"
tui_keys : bogus Enter
check "unknown command flashes" tui_wait 'unknown command or resource "bogus"'
tui_keys : po Enter
check "back to pods" tui_wait "pods(default)[4]"

# describe and YAML of the selected row (web-1 is first)
tui_keys g d
check "describe" tui_wait "Creation Timestamp:"
check "describe containers" tui_has "Image:           nginx:1.27"
tui_keys Escape
tui_keys / 'web-10' Enter
check "filter to web-10" tui_wait "pods(default)[1]"
tui_keys d
check "describe web-10 shows its events" tui_wait "Back-off restarting failed container"
tui_keys Escape Escape
check "filter cleared" tui_wait "pods(default)[4]"
tui_keys g y
check "yaml view" tui_wait "apiVersion: v1"
tui_keys / image Enter
check "yaml search jumps to the match" tui_wait "    image: nginx:1.27"
first=$(tui_screen | sed -n 4p)
check_eq "match line on top" "$first" "    image: nginx:1.27"
tui_keys / C-u nomatch Enter
check "search miss is reported" tui_wait "pattern not found: nomatch"
tui_keys Escape

# help lists the keys of the current view from the keymap
tui_keys ?
check "help" tui_wait "Keys of the pods view"
check "help lists delete" tui_has "ctrl-d"
tui_keys Escape

# wide mode: the priority columns come and go
tui_keys : pods Enter
check "pods again" tui_wait_re "pods\\([a-z]+\\)"
check "narrow: no NODE column" tui_hasnt "NODE"
tui_keys W
check "wide: IP and NODE columns" tui_wait_re "IP +NODE"
check "wide: the node of a pod" tui_wait "node-1"
tui_keys W
check "narrow again" tui_gone "NODE"

# contexts
tui_keys : ctx Enter
check ":ctx lists contexts" tui_wait "* fixture-ctx"
tui_keys Escape : 'ctx other' Enter
check ":ctx switches" tui_wait "Context: other"
tui_keys : 'ctx nosuch' Enter
check "unknown context" tui_wait 'no context "nosuch"'

tui_keys : q Enter
check "quit with :q" tui_gone "Context: fixture-ctx"
finish
