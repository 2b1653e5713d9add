/* SPDX-License-Identifier: Apache-2.0 */
/*
 * view_shell: an embedded terminal on a container (k9s' `s` shell and `a`
 * attach), drawn with libvterm.
 *
 * Flow: the view first resolves the container (unless given) from the
 * pod object, then starts a kexec session (client/stream.h).  The session
 * thread writes the process's output into a pipe; the UI loop polls it
 * (view_class.fd) and ready() feeds it to vterm, whose screen is copied
 * cell by cell into the content area at draw time.  Keys go to the
 * process: plain bytes as they are, special keys through
 * vterm_keyboard_key (so application cursor mode is respected); vterm's
 * output callback sends them on the stdin channel.  The size follows the
 * content area (resize channel).  The process ending, or the detach key
 * (shell_detach, ctrl-]), returns to the table; a session that fails
 * flashes why.  On a pod with several containers the table's `s`/`a`
 * asks with the container picker first (actions.c).
 *
 * The session's half (pipe, exit code, the kexec) is a struct shell_sess
 * apart from the view: closing the view while the connection is still
 * being set up (a hung API server) must not wait for it, so the view
 * hands the session to a detached reaper thread that joins it (the
 * connect ends by its own timeout) and frees it.  Output callbacks drop
 * data once the session is closing.  shell_wait_detached (exit, context
 * switch) waits for the reapers before the client goes away.
 *
 * Scrollback: lines vterm pushes off the top go into a bounded ring
 * (sbring.c) with their colours and attributes as runs of one style
 * (shell_style packs a cell's look); shell_scroll_up/down (shift-pgup/pgdn) page through it,
 * the title shows the position, any other key returns to the live
 * screen.
 */
#include "config.h"

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <vterm.h>

#include <cjson/cJSON.h>

#include "client/stream.h"
#include "common/mem.h"
#include "common/yaml.h"
#include "tui/shell.h"

#define SHELL_CMD "command -v bash >/dev/null && exec bash || exec sh"
#define SHELL_PAIR_BASE 64

enum shell_phase { SH_LOOKUP, SH_RUNNING, SH_ENDED };

/* The session: shared by the view and the session thread, and handed
 * to a reaper when the view closes first. */
struct shell_sess {
	struct kexec *x;
	int pipe[2];		/* session output -> UI */
	pthread_mutex_t mu;
	int code;		/* under mu, after on_end */
	struct err err;		/* under mu */
	atomic_int closing;	/* the view is gone: drop output */
};

struct view_shell {
	struct view super;
	struct client *c;
	char ns[128], pod[256], container[128];
	char base_title[160];
	int attach;
	enum shell_phase phase;
	VTerm *vt;
	VTermScreen *vs;
	int rows, cols;		/* vterm size */
	int sent_rows, sent_cols;
	struct shell_sess *ss;
	struct kexec *x;	/* == ss->x while running */
	struct sb_ring sb;	/* scrollback */
	size_t sb_off;		/* lines scrolled back; 0: live */
	struct shell_token *lookup;	/* pending pod lookup, or NULL */
};

/* The pod lookup's callback argument; outlives a view closed early. */
struct shell_token {
	int alive;
	struct view_shell *s;
};

/* ---- session thread side ---- */

/* Output into the pipe; waits while it is full, unless closing. */
static void shell_output(int chan, const void *data, size_t len, void *arg)
{
	struct shell_sess *ss = arg;
	const char *p = data;

	(void)chan;
	while (len && !atomic_load(&ss->closing)) {
		ssize_t k = write(ss->pipe[1], p, len);
		if (k < 0 && errno == EAGAIN) {
			struct pollfd pf = { .fd = ss->pipe[1], .events = POLLOUT };

			poll(&pf, 1, 100);
			continue;
		}
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return;
		p += k;
		len -= (size_t)k;
	}
}

static void shell_end(int code, const struct err *e, void *arg)
{
	struct shell_sess *ss = arg;

	pthread_mutex_lock(&ss->mu);
	ss->code = code;
	err_copy(&ss->err, e);
	pthread_mutex_unlock(&ss->mu);
	close(ss->pipe[1]);	/* the UI sees end of file */
	ss->pipe[1] = -1;
}

static struct shell_sess *sess_new(void)
{
	struct shell_sess *ss = xcalloc(1, sizeof(*ss));

	pthread_mutex_init(&ss->mu, NULL);
	if (pipe2(ss->pipe, O_CLOEXEC | O_NONBLOCK) < 0)
		abort();
	return ss;
}

/* Join the session (kexec_free: on_end has run after it), free it. */
static void sess_free(struct shell_sess *ss)
{
	atomic_store(&ss->closing, 1);
	kexec_free(ss->x);
	close(ss->pipe[0]);
	if (ss->pipe[1] >= 0)
		close(ss->pipe[1]);
	pthread_mutex_destroy(&ss->mu);
	free(ss);
}

/* Sessions handed to reapers and not yet freed. */
static pthread_mutex_t reap_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t reap_cv = PTHREAD_COND_INITIALIZER;
static int reaping;

static void *reaper(void *arg)
{
	sess_free(arg);
	pthread_mutex_lock(&reap_mu);
	if (--reaping == 0)
		pthread_cond_broadcast(&reap_cv);
	pthread_mutex_unlock(&reap_mu);
	return NULL;
}

/* Free ss on a detached thread (a connect may take its timeout). */
static void sess_detach(struct shell_sess *ss)
{
	pthread_attr_t at;
	pthread_t th;

	atomic_store(&ss->closing, 1);
	pthread_attr_init(&at);
	pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
	pthread_mutex_lock(&reap_mu);
	reaping++;
	pthread_mutex_unlock(&reap_mu);
	if (pthread_create(&th, &at, reaper, ss) != 0)
		reaper(ss);	/* no thread: wait here */
	pthread_attr_destroy(&at);
}

void shell_wait_detached(void)
{
	pthread_mutex_lock(&reap_mu);
	while (reaping)
		pthread_cond_wait(&reap_cv, &reap_mu);
	pthread_mutex_unlock(&reap_mu);
}

/* ---- vterm glue (UI thread) ---- */

static void shell_vt_out(const char *p, size_t len, void *arg)
{
	struct view_shell *s = arg;
	struct err e;

	if (s->x && s->phase == SH_RUNNING && kexec_open(s->x))
		kexec_write(s->x, p, len, &e);
}

static void shell_resize(struct view_shell *s, int rows, int cols)
{
	struct err e;

	if (rows < 2)
		rows = 2;
	if (cols < 10)
		cols = 10;
	if (rows != s->rows || cols != s->cols) {
		vterm_set_size(s->vt, rows, cols);
		s->rows = rows;
		s->cols = cols;
	}
	if (s->x && kexec_open(s->x) &&
	    (s->sent_rows != rows || s->sent_cols != cols) &&
	    kexec_resize(s->x, cols, rows, &e) == 0) {
		s->sent_rows = rows;
		s->sent_cols = cols;
	}
}

static void shell_start(struct view_shell *s)
{
	static const char *const cmd[] = { "sh", "-c", SHELL_CMD, NULL };
	struct kexec_opts o = { .ns = s->ns, .pod = s->pod,
		.container = s->container[0] ? s->container : NULL,
		.command = cmd, .attach = s->attach != 0, .stdin_on = true,
		.tty = true, .on_output = shell_output, .on_end = shell_end,
		.arg = s->ss };
	struct err e;

	s->phase = SH_RUNNING;
	if (kexec_start(s->c, &o, &s->ss->x, &e) < 0) {
		s->phase = SH_ENDED;
		app_flash_err(s->super.app, &e);
	}
	s->x = s->ss->x;
}

/* The pod arrived (YAML): pick the container, then start. */
static void shell_got_pod(void *arg, const struct err *e, const char *yaml)
{
	struct shell_token *t = arg;
	struct view_shell *s = t->alive ? t->s : NULL;
	cJSON *pod, *c0;
	const char *def;

	free(t);
	if (!s)
		return;
	s->lookup = NULL;
	if (e->code != ERR_OK) {
		s->phase = SH_ENDED;
		app_flash_err(s->super.app, e);
		return;
	}
	pod = kyaml_parse(yaml, strlen(yaml), NULL);
	def = cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(
		cJSON_GetObjectItem(pod, "metadata"), "annotations"),
		"kubectl.kubernetes.io/default-container"));
	c0 = cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetObjectItem(pod,
		"spec"), "containers"), 0);
	if (!def)
		def = cJSON_GetStringValue(cJSON_GetObjectItem(c0, "name"));
	snprintf(s->container, sizeof(s->container), "%s", def ? def : "");
	cJSON_Delete(pod);
	shell_start(s);
}

/* ---- drawing ---- */

static int shell_ncolors(void)
{
	return COLORS >= 256 ? 256 : COLORS >= 16 ? 16 : 8;
}

static short shell_color(VTermScreen *vs, VTermColor c, int is_fg)
{
	if (is_fg ? VTERM_COLOR_IS_DEFAULT_FG(&c) : VTERM_COLOR_IS_DEFAULT_BG(&c))
		return -1;
	if (VTERM_COLOR_IS_INDEXED(&c) && c.indexed.idx < COLORS)
		return c.indexed.idx;
	vterm_screen_convert_color_to_rgb(vs, &c);
	return (short)theme_nearest((unsigned)c.rgb.red << 16 |
				    (unsigned)c.rgb.green << 8 | c.rgb.blue,
				    shell_ncolors());
}

/* A colour pair for fg/bg, from a small cache above the theme's pairs. */
static int shell_pair(short fg, short bg)
{
	enum { NSLOT = 512 };
	static int keys[NSLOT], pairs[NSLOT], used;
	int key = (fg + 2) * 1024 + (bg + 2);
	unsigned h = (unsigned)key * 2654435761u % NSLOT;

	for (int i = 0; i < NSLOT; i++, h = (h + 1) % NSLOT) {
		if (keys[h] == key)
			return pairs[h];
		if (keys[h] == 0)
			break;
	}
	if (keys[h] != 0 || SHELL_PAIR_BASE + used >= COLOR_PAIRS ||
	    used >= NSLOT / 2) {
		memset(keys, 0, sizeof(keys));
		used = 0;
		h = (unsigned)key * 2654435761u % NSLOT;
	}
	if (SHELL_PAIR_BASE + used >= COLOR_PAIRS)
		return 0;
	keys[h] = key;
	pairs[h] = SHELL_PAIR_BASE + used++;
	init_pair((short)pairs[h], fg, bg);
	return pairs[h];
}

static attr_t shell_attr(struct view_shell *s, const VTermScreenCell *c,
			 int cursor)
{
	attr_t at = A_NORMAL;

	if (c->attrs.bold)
		at |= A_BOLD;
	if (c->attrs.underline)
		at |= A_UNDERLINE;
	if (c->attrs.italic)
		at |= A_ITALIC;
	if (c->attrs.blink)
		at |= A_BLINK;
	if (c->attrs.reverse ^ cursor)
		at |= A_REVERSE;
	if (has_colors() && !s->super.app->no_color)
		at |= COLOR_PAIR(shell_pair(shell_color(s->vs, c->fg, 1),
					    shell_color(s->vs, c->bg, 0)));
	return at;
}

/* UTF-8 of a cell's characters into out (at least 4*6+1 bytes). */
static void shell_utf8(const uint32_t *chars, char *out)
{
	char *p = out;

	for (int i = 0; i < VTERM_MAX_CHARS_PER_CELL && chars[i]; i++) {
		uint32_t u = chars[i];
		if (u > 0x10ffff)
			u = 0xfffd;
		if (u < 0x80) {
			*p++ = (char)u;
		} else if (u < 0x800) {
			*p++ = (char)(0xc0 | u >> 6);
			*p++ = (char)(0x80 | (u & 0x3f));
		} else if (u < 0x10000) {
			*p++ = (char)(0xe0 | u >> 12);
			*p++ = (char)(0x80 | (u >> 6 & 0x3f));
			*p++ = (char)(0x80 | (u & 0x3f));
		} else {
			*p++ = (char)(0xf0 | u >> 18);
			*p++ = (char)(0x80 | (u >> 12 & 0x3f));
			*p++ = (char)(0x80 | (u >> 6 & 0x3f));
			*p++ = (char)(0x80 | (u & 0x3f));
		}
	}
	if (p == out)
		*p++ = ' ';
	*p = '\0';
}

/*
 * A cell's look packed into a scrollback style (sbring.c keeps it
 * opaque): colours resolved for this terminal now (-1: default, stored
 * +2 in 10 bits each), then the attribute bits.
 */
enum { SB_BOLD = 1 << 20, SB_UNDERLINE = 1 << 21, SB_ITALIC = 1 << 22,
       SB_BLINK = 1 << 23, SB_REVERSE = 1 << 24 };

static uint32_t shell_style(struct view_shell *s, const VTermScreenCell *c)
{
	uint32_t st = (uint32_t)(shell_color(s->vs, c->fg, 1) + 2) |
		      (uint32_t)(shell_color(s->vs, c->bg, 0) + 2) << 10;

	st |= c->attrs.bold ? SB_BOLD : 0;
	st |= c->attrs.underline ? SB_UNDERLINE : 0;
	st |= c->attrs.italic ? SB_ITALIC : 0;
	st |= c->attrs.blink ? SB_BLINK : 0;
	st |= c->attrs.reverse ? SB_REVERSE : 0;
	return st;
}

/* The curses attribute of a scrollback style. */
static attr_t shell_style_attr(struct view_shell *s, uint32_t st)
{
	static const struct { uint32_t bit; attr_t at; } bits[] = {
		{ SB_BOLD, A_BOLD }, { SB_UNDERLINE, A_UNDERLINE },
		{ SB_ITALIC, A_ITALIC }, { SB_BLINK, A_BLINK },
		{ SB_REVERSE, A_REVERSE },
	};
	attr_t at = A_NORMAL;

	for (size_t i = 0; i < sizeof(bits) / sizeof(bits[0]); i++)
		if (st & bits[i].bit)
			at |= bits[i].at;
	if (has_colors() && !s->super.app->no_color)
		at |= COLOR_PAIR(shell_pair((short)((st & 0x3ff) - 2),
					    (short)((st >> 10 & 0x3ff) - 2)));
	return at;
}

/* A line scrolled off the top: into the ring with its styles.  A blank
 * is a space on the default background, not reversed. */
static int shell_sb_push(int cols, const VTermScreenCell *cells, void *arg)
{
	struct view_shell *s = arg;
	struct sb_line_builder *b = &s->sb.build;
	char utf[32];

	for (int i = 0; i < cols; i += cells[i].width > 0 ? cells[i].width : 1) {
		int blank;

		shell_utf8(cells[i].chars, utf);
		blank = !strcmp(utf, " ") && !cells[i].attrs.reverse &&
			VTERM_COLOR_IS_DEFAULT_BG(&cells[i].bg);
		sb_line_builder_add(b, utf, strlen(utf), shell_style(s, &cells[i]), blank);
	}
	sb_ring_push_built(&s->sb, b);
	return 1;
}

/* Scrollback line l at row y, run by run. */
static void shell_draw_sb(struct view_shell *s, const struct sb_line *l,
			  int y, int w)
{
	char part[4096];
	int x = 0;

	for (size_t i = 0; l && i < l->nruns && x < w; i++) {
		size_t n = l->runs[i].len < sizeof(part) - 1 ? l->runs[i].len
							     : sizeof(part) - 1;

		memcpy(part, l->text + l->runs[i].off, n);
		part[n] = '\0';
		x += draw_text(y, x, part, w - x, (int)shell_style_attr(s, l->runs[i].style), 0);
	}
}

static const VTermScreenCallbacks shell_screen_cbs = { .sb_pushline = shell_sb_push };

/* The title with the scrollback position while scrolled back. */
static void shell_title(struct view_shell *s)
{
	if (s->sb_off)
		snprintf(s->super.title, sizeof(s->super.title), "%s [scrollback %zu/%zu]",
			 s->base_title, s->sb_off, s->sb.len);
	else
		snprintf(s->super.title, sizeof(s->super.title), "%s", s->base_title);
}

/* The screen, pushed down by the sb_off scrollback lines shown above. */
static void shell_draw_screen(struct view_shell *s, int y0, int h, int w)
{
	VTermPos cur, pos;
	VTermState *st = vterm_obtain_state(s->vt);
	int shift = (int)(s->sb_off < (size_t)h ? s->sb_off : (size_t)h);
	char utf[32];

	for (int r = 0; r < shift; r++)
		shell_draw_sb(s, sb_ring_line(&s->sb, s->sb.len - s->sb_off + (size_t)r),
			      y0 + r, w);
	vterm_state_get_cursorpos(st, &cur);
	for (pos.row = 0; pos.row < s->rows && pos.row + shift < h; pos.row++) {
		for (pos.col = 0; pos.col < s->cols && pos.col < w;) {
			VTermScreenCell c;
			if (!vterm_screen_get_cell(s->vs, pos, &c)) {
				pos.col++;
				continue;
			}
			int is_cur = !s->sb_off && pos.row == cur.row && pos.col == cur.col;
			shell_utf8(c.chars, utf);
			attrset(shell_attr(s, &c, is_cur));
			mvaddstr(y0 + shift + pos.row, pos.col, utf);
			pos.col += c.width > 0 ? c.width : 1;
		}
	}
	attrset(A_NORMAL);
}

static void shell_draw(struct view *v, struct app *a, int y0, int h, int w)
{
	struct view_shell *s = (struct view_shell *)v;

	for (int y = 0; y < h; y++)
		draw_fill(y0 + y, 0, w, a->attrs[TS_DEFAULT]);
	shell_resize(s, h, w);
	if (s->phase == SH_LOOKUP || (s->phase == SH_RUNNING && s->x &&
				      !kexec_open(s->x) && !kexec_done(s->x)))
		draw_text(y0, 0, "connecting ...", w, a->attrs[TS_HINT], 0);
	else
		shell_draw_screen(s, y0, h, w);
}

/* ---- keys and I/O ---- */

static const struct { int key; VTermKey vk; VTermModifier mod; } shell_keys[] = {
	{ KEY_UP, VTERM_KEY_UP, VTERM_MOD_NONE },
	{ KEY_DOWN, VTERM_KEY_DOWN, VTERM_MOD_NONE },
	{ KEY_LEFT, VTERM_KEY_LEFT, VTERM_MOD_NONE },
	{ KEY_RIGHT, VTERM_KEY_RIGHT, VTERM_MOD_NONE },
	{ KEY_HOME, VTERM_KEY_HOME, VTERM_MOD_NONE },
	{ KEY_END, VTERM_KEY_END, VTERM_MOD_NONE },
	{ KEY_PPAGE, VTERM_KEY_PAGEUP, VTERM_MOD_NONE },
	{ KEY_NPAGE, VTERM_KEY_PAGEDOWN, VTERM_MOD_NONE },
	{ KEY_IC, VTERM_KEY_INS, VTERM_MOD_NONE },
	{ KEY_DC, VTERM_KEY_DEL, VTERM_MOD_NONE },
	{ KEY_BTAB, VTERM_KEY_TAB, VTERM_MOD_SHIFT },
	{ KEY_ENTER, VTERM_KEY_ENTER, VTERM_MOD_NONE },
	{ '\n', VTERM_KEY_ENTER, VTERM_MOD_NONE },
	{ KEY_BACKSPACE, VTERM_KEY_BACKSPACE, VTERM_MOD_NONE },
};

static void shell_send_key(struct view_shell *s, int key)
{
	struct err e;
	char b;

	for (size_t i = 0; i < sizeof(shell_keys) / sizeof(shell_keys[0]); i++)
		if (shell_keys[i].key == key) {
			vterm_keyboard_key(s->vt, shell_keys[i].vk,
					   shell_keys[i].mod);
			return;
		}
	if (key >= KEY_F(1) && key <= KEY_F(12)) {
		vterm_keyboard_key(s->vt, VTERM_KEY_FUNCTION(key - KEY_F0),
				   VTERM_MOD_NONE);
		return;
	}
	if (key < 0 || key > 0xff || !kexec_open(s->x))
		return;
	b = (char)key;	/* bytes (UTF-8 arrives byte by byte) */
	kexec_write(s->x, &b, 1, &e);
}

/* Page through the scrollback: dir -1 back, +1 forward. */
static void shell_scroll(struct view_shell *s, int dir)
{
	size_t page = s->rows > 2 ? (size_t)s->rows / 2 : 1;

	if (dir < 0)
		s->sb_off = s->sb_off + page < s->sb.len ? s->sb_off + page : s->sb.len;
	else
		s->sb_off = s->sb_off > page ? s->sb_off - page : 0;
	shell_title(s);
}

/* Still connecting (the exec has not been answered yet)? */
static int shell_connecting(struct view_shell *s)
{
	return s->phase == SH_LOOKUP ||
	       (s->phase == SH_RUNNING && s->x && !kexec_open(s->x) && !kexec_done(s->x));
}

static enum view_rc shell_key(struct view *v, struct app *a, enum act act,
			      int key)
{
	struct view_shell *s = (struct view_shell *)v;

	(void)a;
	switch (act) {
	case ACT_SHELL_DETACH: return VIEW_CLOSE;
	case ACT_SHELL_SCROLL_UP: shell_scroll(s, -1); return VIEW_HANDLED;
	case ACT_SHELL_SCROLL_DOWN: shell_scroll(s, 1); return VIEW_HANDLED;
	default: break;
	}
	/* Not connected yet (or over): esc and q leave at once. */
	if (s->phase != SH_RUNNING || !s->x || shell_connecting(s))
		return key == TUI_KEY_ESC || key == 'q' ? VIEW_CLOSE :
		       VIEW_HANDLED;
	if (s->sb_off) {
		s->sb_off = 0;
		shell_title(s);
	}
	shell_send_key(s, key);
	return VIEW_HANDLED;
}

static const enum act *shell_acts(struct view *v)
{
	static const enum act acts[] = { ACT_SHELL_DETACH, ACT_SHELL_SCROLL_UP,
					 ACT_SHELL_SCROLL_DOWN, ACT_NONE };

	(void)v;
	return acts;
}

static int shell_fd(struct view *v)
{
	struct view_shell *s = (struct view_shell *)v;

	return s->phase == SH_RUNNING ? s->ss->pipe[0] : -1;
}

/* The session ended: say how, and close the view. */
static enum view_rc shell_finish(struct view_shell *s, struct app *a)
{
	int code;
	struct err e;

	kexec_free(s->x);	/* on_end has run: joins at once */
	s->x = s->ss->x = NULL;
	s->phase = SH_ENDED;
	pthread_mutex_lock(&s->ss->mu);
	code = s->ss->code;
	err_copy(&e, &s->ss->err);
	pthread_mutex_unlock(&s->ss->mu);
	if (code < 0)
		app_flash(a, 1, "%s %s/%s: %s", s->attach ? "attach" : "shell",
			  s->ns, s->pod, e.msg);
	else
		app_flash(a, code != 0, "%s %s/%s ended (exit code %d)",
			  s->attach ? "attach" : "shell", s->ns, s->pod, code);
	return VIEW_CLOSE;
}

static enum view_rc shell_ready(struct view *v, struct app *a)
{
	struct view_shell *s = (struct view_shell *)v;
	char buf[65536];
	ssize_t n;

	for (int i = 0; i < 16; i++) {
		n = read(s->ss->pipe[0], buf, sizeof(buf));
		if (n > 0) {
			vterm_input_write(s->vt, buf, (size_t)n);
			continue;
		}
		if (n == 0)
			return shell_finish(s, a);
		break;	/* EAGAIN */
	}
	return VIEW_HANDLED;
}

static void shell_free(struct view *v)
{
	struct view_shell *s = (struct view_shell *)v;

	if (s->lookup)
		s->lookup->alive = 0;
	/* A session still connecting (or running) is joined elsewhere:
	 * the view goes now. */
	if (s->ss->x && !kexec_done(s->ss->x))
		sess_detach(s->ss);
	else
		sess_free(s->ss);
	vterm_free(s->vt);
	sb_ring_done(&s->sb);
	free(s);
}

static const struct view_class shell_class = {
	.name = "shell", .scope = SCOPE_SHELL, .draw = shell_draw,
	.key = shell_key, .free = shell_free, .fd = shell_fd,
	.ready = shell_ready, .acts = shell_acts,
};

struct view *view_shell_new(struct app *a, const char *ns, const char *pod,
			    const char *container, int attach)
{
	struct client *c = src_client_handle(a->src);
	struct view_shell *s;
	char keys[64];

	if (!c) {
		app_flash(a, 1, "%s: needs a cluster connection",
			  attach ? "attach" : "shell");
		return NULL;
	}
	s = xcalloc(1, sizeof(*s));
	s->super.cls = &shell_class;
	s->super.app = a;
	s->c = c;
	s->attach = attach;
	snprintf(s->ns, sizeof(s->ns), "%s", ns);
	snprintf(s->pod, sizeof(s->pod), "%s", pod);
	snprintf(s->container, sizeof(s->container), "%s",
		 container ? container : "");
	keymap_keys(a->km, ACT_SHELL_DETACH, keys, sizeof(keys));
	*strchrnul(keys, ',') = '\0';
	snprintf(s->base_title, sizeof(s->base_title), "%s %s/%s%s%s  (%s: detach)",
		 attach ? "attach" : "shell", ns, pod, s->container[0] ? " -c " : "",
		 s->container, keys[0] ? keys : "unbound");
	shell_title(s);
	s->ss = sess_new();
	sb_ring_init(&s->sb, SB_RING_CAP);
	s->rows = 24;
	s->cols = 80;
	s->vt = vterm_new(s->rows, s->cols);
	vterm_set_utf8(s->vt, 1);
	vterm_output_set_callback(s->vt, shell_vt_out, s);
	s->vs = vterm_obtain_screen(s->vt);
	vterm_screen_set_callbacks(s->vs, &shell_screen_cbs, s);
	vterm_screen_enable_altscreen(s->vs, 1);
	vterm_screen_reset(s->vs, 1);
	if (s->container[0]) {
		shell_start(s);
	} else {
		const struct kind_info *k = src_kind(a->src, "pods");
		if (!k) {
			app_flash(a, 1, "shell: the server has no pods");
			shell_free(&s->super);
			return NULL;
		}
		s->lookup = xcalloc(1, sizeof(*s->lookup));
		s->lookup->alive = 1;
		s->lookup->s = s;
		a->src->ops->get(a->src, SRC_GET_YAML, k, ns, pod, NULL,
				 shell_got_pod, s->lookup);
	}
	return &s->super;
}
