/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tui/shell.h: the dashboard's stream views (issue #8): the shell and
 * attach terminal (view_shell.c, libvterm) and port-forwards
 * (view_pf.c).  Both need the client source; other sources refuse with a
 * flash.  Network I/O runs on session threads (client/stream.h); the UI
 * thread only polls a pipe (view_class.fd / .ready).
 */
#ifndef KDECK_TUI_SHELL_H
#define KDECK_TUI_SHELL_H

#include "tui/tui.h"

struct client;

/* The client behind a source, or NULL for fixture/offline sources. */
struct client *src_client_handle(struct src *s);
/* The source is about to be freed: stream connects still under way (a
 * shell closed while connecting) give up at once instead of waiting for
 * their timeouts, so shell_wait_detached returns quickly.  No-op for
 * other sources.  UI thread. */
void src_client_abandon_streams(struct src *s);

/*
 * A terminal on ns/pod: exec of `sh -c 'command -v bash >/dev/null &&
 * exec bash || exec sh'` (attach: the container's main process).
 * container NULL or "": the pod's default (the kubectl default-container
 * annotation, else the first container; looked up asynchronously).
 * Returns NULL with a flash when the source has no client.
 */
struct view *view_shell_new(struct app *a, const char *ns, const char *pod,
			    const char *container, int attach);
/* Wait until the sessions of shell views closed while still connecting
 * have ended (their connect times out) and are freed: before the client
 * they use goes away.  UI thread. */
void shell_wait_detached(void);

/* shift-f on a pod: the "local:remote" prompt, prefilled with the first
 * container port once the pod is fetched (MODAL_PORT_FORWARD). */
void pf_prompt(struct app *a, struct view *v, const char *ns,
	       const char *pod);
/* The prompt was accepted with text ("L:R", ":R" or "R"). */
void pf_prompt_done(struct app *a, const char *text);
/* `:pf`: the active forwards (ctrl-d stops the selected one). */
struct view *view_pf_new(struct app *a);
/* Stop every forward (context switch, exit).  UI thread. */
void pf_stop_all(void);
/* Flash errors the forwards reported since the last call.  UI thread. */
void pf_poll(struct app *a);

#endif
