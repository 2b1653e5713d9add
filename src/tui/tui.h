/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tui.h: the private header of the dashboard (src/tui).
 *
 * The dashboard is split into a model half that needs no terminal (table
 * model, filters, keymap, themes, command line) and is unit-tested on its
 * own, and a terminal half (app, views) that owns ncurses on the one UI
 * thread.  Data arrives from a source (struct src, src_*.c) through a file
 * descriptor the UI thread polls next to stdin; no network or file work
 * that can block runs on the UI thread.
 *
 * Prefixes: tm_ (table model), filter_, keymap_/key_, theme_, cmdline_,
 * src_ (data sources), view_ (views), app_ (frame and loop).
 */
#ifndef KDECK_TUI_TUI_H
#define KDECK_TUI_TUI_H

#include <regex.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <uthash.h>

#include "common/buf.h"
#include "common/err.h"
#include "common/vec.h"

/* ------------------------------------------------------------------ */
/* Filters (filter.c): the `/` prompt of a table view.                */

enum filter_kind {
	FILTER_NONE,	/* empty: everything matches */
	FILTER_TEXT,	/* regex (case-insensitive); substring when invalid */
	FILTER_LABEL,	/* -l key=value,key!=v,key,!key,key in (a,b) */
	FILTER_FIELD,	/* -f metadata.name=x,metadata.namespace!=y */
};

struct filter {
	enum filter_kind kind;
	int inverse;		/* `!text`: rows that do NOT match */
	int has_re;		/* re compiled; else plain substring */
	regex_t re;
	char *text;		/* the pattern or selector as typed */
	/* a regex that is a plain string, maybe anchored (^web-1$): matched
	 * without regexec, case-insensitively (the same answers, faster) */
	char *lit;
	size_t lit_len;
	int lit_start, lit_end;
};

/*
 * Parse what the user typed after `/`.  Returns 0 and a new filter in *out
 * (free with filter_free) or -1 with ERR_PARSE for a malformed selector.
 */
int filter_parse(const char *s, struct filter **out, struct err *e);
void filter_free(struct filter *f);

/*
 * Does a row match?  cells are the visible cells (text filters search any
 * of them), labels a "k=v,k2=v2" string (may be NULL), ns/name the object
 * identity (field selectors).  A NULL filter matches everything.
 */
int filter_match(const struct filter *f, const char *const *cells,
		 size_t ncells, const char *labels, const char *ns,
		 const char *name);

/* Label selector check on its own (exported for tests). */
int filter_labels_match(const char *selector, const char *labels,
			struct err *e);

/* ------------------------------------------------------------------ */
/* Table model (tablemodel.c): rows of one kind, sorted and filtered.  */

enum tm_cmp { TM_CMP_NATURAL, TM_CMP_AGE };

struct tm_column {
	char *name;
	enum tm_cmp cmp;
	int wide;		/* priority > 0 in the server Table: wide only */
};

struct tm_row {
	char *key;		/* "ns/name" or "name": unique in the model */
	char *ns;
	char *name;
	char **cells;		/* ncols strings, never NULL; one block with labels */
	char *labels;		/* "k=v,..." or NULL (inside the cells block) */
	int marked;
	size_t vis_idx;		/* index in the visible list when it is there */
	unsigned long seq;	/* insertion order: stable sort tiebreak */
	long long skey;		/* AGE sorts: the cell in seconds (rebuild) */
	UT_hash_handle hh;	/* by key */
};

struct tm;

/* A model for columns cols[0..ncols) (names copied).  Never NULL. */
struct tm *tm_new(const char *const *cols, size_t ncols);
void tm_free(struct tm *m);

size_t tm_ncols(const struct tm *m);
const struct tm_column *tm_col(const struct tm *m, size_t i);
/* Column index by name (case-insensitive), or -1. */
int tm_col_find(const struct tm *m, const char *name);

/*
 * Insert or replace the row with this ns/name.  cells has ncols entries
 * (NULL cells become ""); everything is copied.  Marks survive updates.
 */
void tm_upsert(struct tm *m, const char *ns, const char *name,
	       const char *const *cells, const char *labels);
/* Remove a row; returns 0, or -1 when there was no such row. */
int tm_remove(struct tm *m, const char *ns, const char *name);
void tm_clear(struct tm *m);
size_t tm_total(const struct tm *m);

/* The filter is borrowed until replaced (NULL for none). */
void tm_set_filter(struct tm *m, const struct filter *f);
/* Sort by column col (-1: insertion order), descending when desc. */
void tm_set_sort(struct tm *m, int col, int desc);
int tm_sort_col(const struct tm *m);
int tm_sort_desc(const struct tm *m);

/* Visible rows after filter and sort (recomputed lazily). */
size_t tm_nvisible(struct tm *m);
const struct tm_row *tm_visible(struct tm *m, size_t i);
/* Index among visible rows of ns/name, or -1. */
long tm_find_visible(struct tm *m, const char *ns, const char *name);

/* Marks: toggle, count, clear, and iterate (marked rows, any order). */
int tm_toggle_mark(struct tm *m, const char *ns, const char *name);
size_t tm_nmarked(const struct tm *m);
void tm_clear_marks(struct tm *m);
/* Marked rows in insertion order into v (borrowed pointers). */
void tm_marked(const struct tm *m, struct vec *v);

/* Compare helpers (exported for tests). */
int tm_natural_cmp(const char *a, const char *b);
/* Seconds for a kubectl age ("3d4h", "15m", "2y", "<unknown>" = -1). */
long long tm_age_seconds(const char *s);

/* ------------------------------------------------------------------ */
/* Keys and keymap (keymap.c).                                         */

/* Keys are ncurses codes; control keys 1..31; KEY_ESC = 27. */
#define TUI_KEY_ESC 27

/* Parse "ctrl-d", "shift-n", "esc", "f1", "pgdn", "a", "?"; -1 on error. */
int key_from_name(const char *s);
/* Human name of a key into buf (always NUL-terminated). */
void key_to_name(int key, char *buf, size_t n);

enum act_scope { SCOPE_GLOBAL, SCOPE_TABLE, SCOPE_TEXT, SCOPE_LOGS,
		 SCOPE_SHELL, SCOPE_LIST, SCOPE_HELM, SCOPE__COUNT };

extern const char *const act_scope_names[SCOPE__COUNT];

struct act_info {
	const char *name;	/* keys.conf name */
	const char *help;	/* one line for `?` */
	enum act_scope scope;
	int mutating;		/* refused in --readonly */
	const char *defaults;	/* default keys, space-separated */
};

/* Action numbers index act_table[]; see keymap.c for the list. */
enum act {
	ACT_NONE = -1,
	ACT_QUIT, ACT_BACK, ACT_HELP, ACT_COMMAND, ACT_FILTER,
	ACT_UP, ACT_DOWN, ACT_PGUP, ACT_PGDN, ACT_TOP, ACT_BOTTOM,
	ACT_LEFT, ACT_RIGHT, ACT_ENTER,
	ACT_DESCRIBE, ACT_YAML, ACT_EDIT, ACT_DELETE, ACT_SCALE,
	ACT_RESTART, ACT_LOGS, ACT_SHELL, ACT_MARK, ACT_CLEAR_MARKS,
	ACT_SORT_NAME, ACT_SORT_AGE, ACT_SORT_NS, ACT_SORT_COLUMN,
	ACT_REVERSE, ACT_WIDE,
	ACT_NEXT_MATCH, ACT_PREV_MATCH, ACT_REFRESH,
	ACT_FOLLOW, ACT_PAUSE, ACT_WRAP, ACT_TIMESTAMPS, ACT_SAVE,
	ACT_CONTAINER, ACT_XRAY, ACT_ATTACH, ACT_PORT_FORWARD,
	ACT_NS_0, ACT_NS_1, ACT_NS_2, ACT_NS_3, ACT_NS_4,
	ACT_NS_5, ACT_NS_6, ACT_NS_7, ACT_NS_8, ACT_NS_9,
	ACT_HELM_HISTORY, ACT_HELM_VALUES, ACT_HELM_MANIFEST, ACT_HELM_NOTES,
	ACT_PF_STOP, ACT_SHELL_DETACH, ACT_SHELL_SCROLL_UP,
	ACT_SHELL_SCROLL_DOWN,
	ACT_HIST_BACK, ACT_FORWARD, ACT_UNDO, ACT_HISTORY,
	ACT_PREVIOUS, ACT_TAIL, ACT_SINCE_ALL, ACT_SINCE_1M, ACT_SINCE_5M,
	ACT_SINCE_15M, ACT_SINCE_30M, ACT_SINCE_1H, ACT_ALL_CONTAINERS,
	ACT__COUNT
};

extern const struct act_info act_table[ACT__COUNT];

struct keymap;

/* The k9s-like defaults.  Never NULL. */
struct keymap *keymap_new(void);
void keymap_free(struct keymap *km);
/*
 * Apply a keys.conf text (`action = key [key ...]`, `#` comments).  A
 * binding replaces the defaults of that action.  Errors carry
 * "name:line: message" and leave km unchanged.
 */
int keymap_parse(struct keymap *km, const char *text, size_t len,
		 const char *name, struct err *e);
int keymap_load(struct keymap *km, const char *path, struct err *e);
/* The action bound to key in scope (view scope first, then global). */
enum act keymap_lookup(const struct keymap *km, int key, enum act_scope sc);
/* The action bound to key among acts (ACT_NONE-terminated: a view's own
 * actions), then among the global ones unless no_global. */
enum act keymap_lookup_in(const struct keymap *km, int key,
			  const enum act *acts, int no_global);
/* The keys of an action, e.g. "ctrl-d" or "j, down", into buf. */
void keymap_keys(const struct keymap *km, enum act a, char *buf, size_t n);
enum act act_by_name(const char *name);

/* ------------------------------------------------------------------ */
/* Themes (theme.c).                                                   */

enum theme_slot {
	TS_DEFAULT, TS_HEADER, TS_HEADER_VALUE, TS_CRUMB, TS_CRUMB_ACTIVE,
	TS_HINT, TS_HINT_KEY, TS_FLASH, TS_ERROR, TS_TABLE_HEADER,
	TS_ROW, TS_ROW_SELECTED, TS_ROW_MARKED, TS_STATUS_OK, TS_STATUS_WARN,
	TS_STATUS_BAD, TS_BANNER, TS_DIALOG, TS_PROMPT, TS_YAML_KEY,
	TS_YAML_VALUE, TS_YAML_COMMENT, TS_MATCH, TS_SPINNER,
	TS__COUNT
};

#define THEME_COLOR_DEFAULT (-1)
/* fg/bg: -1 default, 0..255 palette, or 0x1000000|rgb for #rrggbb. */
#define THEME_RGB_FLAG 0x1000000

enum theme_attr_bits {
	TA_BOLD = 1, TA_UNDERLINE = 2, TA_REVERSE = 4, TA_DIM = 8,
	TA_ITALIC = 16, TA_BLINK = 32,
};

struct theme_style {
	int fg, bg;
	unsigned attrs;
};

struct theme {
	char name[64];
	struct theme_style slot[TS__COUNT];
};

extern const char *const theme_slot_names[TS__COUNT];

/* The built-in default (dark) theme. */
void theme_default(struct theme *t);
/* Parse theme text over the defaults; errors are "name:line: msg". */
int theme_parse(struct theme *t, const char *text, size_t len,
		const char *name, struct err *e);
int theme_load(struct theme *t, const char *path, struct err *e);
/*
 * Find NAME.theme in $XDG_CONFIG_HOME/kdeck/themes, the installed themes
 * and the source tree; a NAME with a '/' is a path.  Returns 0 and the
 * path in buf, or -1 (ERR_NOT_FOUND).
 */
int theme_find(const char *name, char *buf, size_t n, struct err *e);
/* Nearest palette index (of ncolors: 8, 16 or 256) for an rgb value. */
int theme_nearest(unsigned rgb, int ncolors);
/* Resolve a colour value to a palette index for ncolors (-1 stays). */
int theme_resolve(int color, int ncolors);
/*
 * Direct colour (24-bit): only when COLORTERM says truecolor/24bit and
 * the terminfo entry has the RGB flag (tigetflag("RGB") > 0) or 2^24
 * colours, so ncurses' extended pairs carry the value to the terminal.
 */
int theme_direct_ok(const char *colorterm, int rgb_flag, int ncolors);
/* A colour value as a direct colour: -1 stays, 0..7 stay (ANSI), other
 * palette indexes and #rrggbb become 0xrrggbb (at least 8). */
int theme_resolve_direct(int color);

/* ------------------------------------------------------------------ */
/* Command line (cmdline.c): what `:` understands.                     */

enum cmd_kind {
	CMD_NONE, CMD_QUIT, CMD_NS, CMD_CTX, CMD_EVENTS, CMD_HELP,
	CMD_THEME, CMD_CAN, CMD_KIND, CMD_UNKNOWN,
	CMD_OVERVIEW, CMD_HELM, CMD_WHO
};

struct kind_info {
	char *plural;		/* "pods", "deployments" */
	char *singular;		/* "pod" */
	char *kind;		/* "Pod" */
	char *group;		/* "" for core, "apps" */
	char *shorts;		/* space-separated short names: "po" */
	int namespaced;
	int scalable;		/* has a scale subresource */
};

struct cmd_result {
	enum cmd_kind kind;
	char arg[256];		/* ns / ctx / theme name, or the kind arg */
	char rest[256];		/* everything after the first word */
	const struct kind_info *ki;	/* CMD_KIND: borrowed from kinds */
};

/*
 * Parse a `:` line against the known kinds (plural, singular, Kind,
 * short names, plural.group).  Unknown words give CMD_UNKNOWN.
 */
void cmdline_parse(const char *line, const struct vec *kinds,
		   struct cmd_result *out);
/*
 * Tab completion: the longest common extension of prefix among commands
 * and kind names; returns a new string (free it) or NULL for no match.
 */
char *cmdline_complete(const char *prefix, const struct vec *kinds);

/* Bounded history with up/down browsing. */
struct history {
	struct vec items;	/* char *, oldest first */
	size_t cap;
	size_t pos;		/* == items.len when not browsing */
};
void history_init(struct history *h, size_t cap);
void history_done(struct history *h);
void history_add(struct history *h, const char *line);
/* Older / newer entry, or NULL at the ends (borrowed). */
const char *history_prev(struct history *h);
const char *history_next(struct history *h);

void kind_info_free(void *ki);
/* A kind_info with copies of the strings (shorts may be NULL). */
struct kind_info *kind_info_new(const char *plural, const char *singular,
				const char *kind, const char *group,
				const char *shorts, int namespaced,
				int scalable);

/* ------------------------------------------------------------------ */
/* Data sources (src_*.c): where the dashboard's data comes from.      */
/*
 * The shape follows src/client/client.h: one fd the UI polls, a drain
 * call that runs every pending callback on the UI thread, watches that
 * deliver rows, and asynchronous one-shot operations.  Backends: a
 * fixture file (src_fixture.c, for tests and demos) and an offline
 * source (src_offline.c) used until the client layer is wired in.
 */

struct src;
struct src_watch;
struct src_objs;

struct src_info {
	char context[128], cluster[128], user[128], version[64];
	char ns[128];		/* the context's default namespace */
	int reachable;
	char why[256];		/* when unreachable */
	int discovering;	/* API discovery still running (kinds may grow) */
};

enum src_event {
	SRC_COLUMNS,	/* row->cells are the column names (ncells) */
	SRC_ROW_SET,	/* add or replace row */
	SRC_ROW_DEL,
	SRC_RELIST,	/* forget every row; a fresh list follows */
	SRC_SYNCED,	/* the first list is complete */
	SRC_FAILED,	/* *e says why (ERR_FORBIDDEN: may not list) */
};

struct src_row {
	const char *ns, *name;
	const char *const *cells;
	size_t ncells;
	const char *labels;	/* "k=v,..." or NULL */
};

/* Callbacks run inside src_drain on the UI thread; args are borrowed. */
typedef void (*src_watch_cb)(void *arg, enum src_event ev,
			     const struct src_row *row, const struct err *e);
typedef void (*src_done_cb)(void *arg, const struct err *e,
			    const char *text);

/* SRC_GET_LIST: the text is a JSON list ({"items": [...]}) of the full
 * objects of kind k in ns ("" = all); name is ignored. */
enum src_get { SRC_GET_YAML, SRC_GET_DESCRIBE, SRC_GET_LOGS, SRC_GET_LIST };
enum src_op { SRC_OP_DELETE, SRC_OP_SCALE, SRC_OP_RESTART, SRC_OP_PUT };

struct src_ops {
	const char *name;
	int (*fd)(struct src *s);
	void (*drain)(struct src *s);
	void (*info)(struct src *s, struct src_info *out);
	const struct vec *(*kinds)(struct src *s);	/* kind_info * */
	/* Contexts as new "name" strings. */
	void (*contexts)(struct src *s, struct vec *out);
	/*
	 * The source for another context: s itself (switched in place) or a
	 * new source that replaces s (the caller frees s after closing its
	 * views).  NULL with e filled when the context is unknown.
	 */
	struct src *(*switch_context)(struct src *s, const char *ctx,
				      struct err *e);
	struct src_watch *(*watch)(struct src *s, const struct kind_info *k,
				   const char *ns, int wide, src_watch_cb cb,
				   void *arg);
	void (*unwatch)(struct src *s, struct src_watch *w);
	/* The text of one object; arg: container for logs. */
	void (*get)(struct src *s, enum src_get what,
		    const struct kind_info *k, const char *ns,
		    const char *name, const char *arg, src_done_cb cb,
		    void *cbarg);
	/*
	 * Follow a container's log as a stream (NULL in sources that cannot:
	 * the logs view then polls with get SRC_GET_LOGS).  on_data gets the
	 * text as it arrives, in chunks that may split lines; on_end runs
	 * once when the stream ends (e->code ERR_OK: the server closed it,
	 * e.g. the container stopped) and the handle is then gone.  tail < 0
	 * means all lines; since (RFC 3339) may be NULL; previous: the log
	 * of the container's previous instance (not followed: it ended).
	 * logs_stop cancels: no callback runs after it.
	 */
	void *(*logs_follow)(struct src *s, const struct kind_info *k,
			     const char *ns, const char *name,
			     const char *container, int timestamps, int previous,
			     long tail, const char *since,
			     void (*on_data)(void *arg, const char *text,
					     size_t n),
			     src_done_cb on_end, void *arg);
	void (*logs_stop)(struct src *s, void *handle);
	/* The can-i matrix text for subject (a `:can` SPEC, "" = me) in ns
	 * (NULL in sources without RBAC). */
	void (*can_i)(struct src *s, const char *ns, const char *subject,
		      src_done_cb cb, void *cbarg);
	/* arg: propagation (delete), replicas (scale), YAML text (put). */
	void (*apply)(struct src *s, enum src_op op,
		      const struct kind_info *k, const char *ns,
		      const char *name, const char *arg, src_done_cb cb,
		      void *cbarg);
	/*
	 * Full objects of kind k in ns ("" = all) as a watch cache (NULL in
	 * sources that cannot: callers then show an error).  changed(arg)
	 * runs inside drain after the cache or its state changed (batch the
	 * redraw: it runs once per event).  The source shares one watch
	 * between the callers that ask for the same kind and namespace, and
	 * with table watches of it.
	 */
	struct src_objs *(*objs_watch)(struct src *s, const struct kind_info *k,
				       const char *ns, void (*changed)(void *arg),
				       void *arg);
	void (*objs_unwatch)(struct src *s, struct src_objs *w);
	/*
	 * The cached objects (borrowed cJSON *, valid until the next drain)
	 * appended to out.  Returns 1 when the cache has listed, 0 while the
	 * first list is still out (out may be empty), -1 when the list
	 * failed (e says why; out holds what was cached before).
	 */
	int (*objs_list)(struct src *s, struct src_objs *w, struct vec *out,
			 struct err *e);
	void (*free)(struct src *s);
};

struct src {
	const struct src_ops *ops;
};

/* A fixture file (JSON, see src_fixture.c); reloaded when it changes. */
int src_fixture_new(const char *path, struct src **out, struct err *e);
/* The client layer: kubeconfig (NULL: default), context and namespace
 * (NULL: the kubeconfig's), an SSH tunnel (--ssh user@host[:port], NULL:
 * the context's own, if any).  Never waits for the server: a fresh disk
 * cache gives the kinds at once, else the built-in kinds serve until the
 * asynchronous discovery answers (src_info.discovering meanwhile). */
int src_client_new(const char *kubeconfig, const char *context,
		   const char *ns, const char *ssh, struct src **out,
		   struct err *e);
/* The built-in kinds (pods, deployments, ...) as new kind_info items. */
void src_builtin_kinds(struct vec *out);
/* No cluster: every watch fails with why (the unreachable banner). */
struct src *src_offline_new(const char *why);

/* kind_info lookup by plural among src kinds; NULL if absent. */
const struct kind_info *src_kind(struct src *s, const char *plural);

/* ------------------------------------------------------------------ */
/* The can-i matrix (can.c).                                            */

struct cJSON;

/* Whom `:can SPEC` asks about: "" me, u:USER, g:GROUP, s:NS/SA. */
struct can_subject {
	char user[300];		/* "" = the current user (no impersonation) */
	char groups[2][300];	/* "" when unused */
};
/* Parse SPEC; -1 when it is none of the forms above. */
int can_subject(const char *spec, struct can_subject *out);
/* The matrix text for the kinds (kind_info *) from a SelfSubjectRulesReview
 * status; who and ns head it.  Returns a new string. */
char *can_matrix(const struct vec *kinds, const struct cJSON *status,
		 const char *who, const char *ns);
/* The same with precise answers: "group|resource|verb" -> true/false
 * from SelfSubjectAccessReviews (NULL: none); true cells show ✓. */
char *can_matrix_precise(const struct vec *kinds, const struct cJSON *status,
			 const struct cJSON *precise, const char *who,
			 const char *ns);
/* The cells to ask one by one ("group|resource|verb", new strings) when
 * status says incomplete: those the rules do not allow on every object;
 * none when the review is complete. */
void can_uncertain(const struct vec *kinds, const struct cJSON *status,
		   struct vec *out);
#define CAN_MAX_REVIEWS 600	/* access reviews per `:can` at most */

/* ------------------------------------------------------------------ */
/* Describe (describe.c): kubectl-describe-like text from an object.    */

/* Text for obj (cJSON object) plus the events about it (array or NULL).
 * Returns a new string; the caller frees it. */
struct cJSON;
char *describe_object(const struct cJSON *obj, const struct cJSON *events);

/* ------------------------------------------------------------------ */
/* The owner tree (xray.c): pure, the `x` key's view draws it.          */

struct xray_line {
	char *text;		/* glyphs + "Kind/name  status" */
	char *plural;		/* object kind for describe; NULL: container */
	char *ns, *name;
};

/* Can `x` open a tree for this kind (workloads and services)? */
int xray_supported(const char *plural);
/* The plurals a tree of plural needs listed (children, grandchildren),
 * at most max into out; returns how many. */
size_t xray_needed(const char *plural, const char **out, size_t max);
/*
 * Append the tree of root (a full object of kind plural) to out as struct
 * xray_line * (free each with xray_line_free).  objs maps plural -> cJSON
 * array of full objects of root's namespace (missing kinds: no children;
 * root NULL: no lines).
 */
void xray_build(const char *plural, const struct cJSON *root,
		const struct cJSON *objs, struct vec *out);
void xray_line_free(void *l);

/* ------------------------------------------------------------------ */
/* Scrollback (sbring.c): the newest cap lines, oldest first.          */

#define SB_RING_CAP 2000

/* Bytes [off, off+len) of a line's text drawn in style (opaque here: the
 * shell packs colours and attributes into it). */
struct sb_run {
	unsigned off, len;
	uint32_t style;
};

struct sb_line {
	char *text;			/* UTF-8, trailing blanks dropped */
	struct sb_run *runs;		/* cover text in order */
	size_t nruns;
};

/* Scratch for assembling one line cell by cell (sb_line_builder_add). */
struct sb_line_builder {
	char *text;
	struct sb_run *runs;
	size_t len, cap, nruns, capruns;
	size_t keep, keep_runs;		/* up to the last non-blank cell */
};

struct sb_ring {
	struct sb_line **line;	/* cap slots */
	size_t cap, len, head;	/* head: the oldest line's slot */
	struct sb_line_builder build;	/* the caller's scratch, freed by _done */
};

void sb_ring_init(struct sb_ring *r, size_t cap);
void sb_ring_done(struct sb_ring *r);
/* Append a copy of text in style 0; a full ring drops its oldest line. */
void sb_ring_push(struct sb_ring *r, const char *text);
/* Append a copy of text and its runs (nruns may be 0). */
void sb_ring_push_runs(struct sb_ring *r, const char *text,
		       const struct sb_run *runs, size_t nruns);
/* Line i (0 = oldest), borrowed until the next push; NULL past the end. */
const struct sb_line *sb_ring_line(const struct sb_ring *r, size_t i);
/* Line i's text, borrowed; NULL past the end. */
const char *sb_ring_get(const struct sb_ring *r, size_t i);

/* Append n bytes of one cell in style; blank cells at the end of the line
 * are dropped when it is pushed.  Adjacent same-style cells share a run. */
void sb_line_builder_add(struct sb_line_builder *b, const char *utf8,
			 size_t n, uint32_t style, int blank);
void sb_line_builder_reset(struct sb_line_builder *b);
void sb_line_builder_done(struct sb_line_builder *b);
/* Push the built line (trailing blanks cut) and reset the builder. */
void sb_ring_push_built(struct sb_ring *r, struct sb_line_builder *b);

/* ------------------------------------------------------------------ */
/* Terminal half: app (app.c), drawing (draw.c), views (view_*.c).     */

struct app;
struct view;

/* What a view's key handler did with a key. */
enum view_rc { VIEW_IGNORED, VIEW_HANDLED, VIEW_CLOSE };

/*
 * A view class, in the way htop's panels are classes: a const table of
 * operations; concrete views embed struct view first.  Views draw into
 * the content area given (rows y0..y0+h, full width) and never call
 * refresh themselves.
 */
struct view_class {
	const char *name;
	enum act_scope scope;
	void (*draw)(struct view *v, struct app *a, int y0, int h, int w);
	enum view_rc (*key)(struct view *v, struct app *a, enum act act, int key);
	/* The namespace changed (table views re-watch). */
	void (*ns_changed)(struct view *v, struct app *a);
	/* Mouse click on content row (0-based) or wheel (+1 down, -1 up). */
	void (*click)(struct view *v, struct app *a, int row, int wheel);
	/* The `/` prompt was accepted (text) or cancelled (NULL). */
	void (*filter)(struct view *v, struct app *a, const char *text);
	void (*free)(struct view *v);
	/* Optional: an fd the loop polls while the view is on top (-1:
	 * none), and what to do when it is readable (VIEW_CLOSE pops). */
	int (*fd)(struct view *v);
	enum view_rc (*ready)(struct view *v, struct app *a);
	/* Optional: the view's own actions (ACT_NONE-terminated).  Keys are
	 * looked up among them (then the global ones; none for the shell),
	 * and the hint line and `?` list exactly them.  Without it: the
	 * actions of the view's scope. */
	const enum act *(*acts)(struct view *v);
};

struct view {
	const struct view_class *cls;
	char title[160];	/* breadcrumb */
	struct app *app;
};

/* The app's public surface for views. */
struct app_modal;
enum modal_kind { MODAL_NONE, MODAL_COMMAND, MODAL_FILTER, MODAL_SCALE,
		  MODAL_DELETE, MODAL_REEDIT, MODAL_SEARCH,
		  MODAL_PORT_FORWARD, MODAL_UNDO, MODAL_TAIL };

struct app {
	struct src *src;
	struct keymap *km;
	struct theme theme;
	int attrs[TS__COUNT];	/* attr_t per slot */
	struct vec views;	/* struct view *, top last */
	struct vec fwd;		/* views closed by back, newest last
				 * (APP_FWD_MAX); `]` reopens them */
	char ns[128];		/* "" = all namespaces */
	char favs[10][128];	/* favourite namespaces, [0] = all */
	int readonly, mouse, running, no_color;
	int readonly_cli, theme_cli;	/* --readonly / --theme given */
	char flash[512];
	int flash_err;
	long flash_until;	/* ms clock */
	struct history cmd_hist, filter_hist;
	struct src_info info;
	unsigned tick;		/* spinner frame */
	/* the one modal prompt/dialog (command, filter, confirm) */
	enum modal_kind modal, last_modal;	/* last: the one just closed */
	char input[256];
	size_t input_len;
	int choice;		/* dialog button */
	struct view *modal_view;	/* the view that asked */
	char target_ns[128], target_name[256];
	struct kind_info *target_kind;	/* owned copy */
	struct vec marked;	/* "ns/name" of marked rows a dialog acts on */
	unsigned log_cap;	/* log ring size (lines) */
	long log_tail;		/* lines a log view starts with (tail N) */
	/* MODAL_UNDO: the dialog's question and the object to PUT (owned) */
	char confirm[256];
	char *undo_text;
	long undo_rev;			/* its target revision */
	int undo_retries;		/* >0: a retry after a Conflict, no dialog */
	/* header CPU/MEM from metrics.k8s.io (usage.c); "" when none */
	char usage[128];
	long usage_next;
	int usage_inflight, usage_dirty, usage_off;	/* off: config metrics = off */
	unsigned usage_gen;
	struct cJSON *usage_metrics;	/* the last NodeMetrics list */
	struct src_objs *usage_nodes;	/* the Nodes, watched */
	/* a `:` command naming a kind not known yet, run again when the
	 * source's discovery has answered ("" when none) */
	char disc_cmd[256];
	int traced_first;	/* KDECK_TRACE: first_screen written */
};

long app_now_ms(void);
void app_flash(struct app *a, int is_err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void app_flash_err(struct app *a, const struct err *e);
void app_push(struct app *a, struct view *v);
void app_pop(struct app *a);
/* Back: close the top view into the forward history (at most
 * APP_FWD_MAX kept, still live); app_forward reopens the newest. */
#define APP_FWD_MAX 10
void app_back(struct app *a);
void app_forward(struct app *a);
/* Free every view on the stack and in the forward history. */
void app_close_all(struct app *a);
struct view *app_top(struct app *a);
/* Open a table view of kind k (plural) in the current namespace. */
int app_open_kind(struct app *a, const char *plural);
void app_set_ns(struct app *a, const char *ns);
/* Start a modal prompt or dialog on behalf of view v. */
void app_modal(struct app *a, enum modal_kind kind, struct view *v,
	       const char *initial);
/* Header usage (usage.c): "CPU: 12% (480m/4)  MEM: 40% (3.2Gi/8Gi)"
 * into buf from NodeMetrics items and the Nodes (cJSON *; those with
 * metrics only); -1 when there is nothing to show. */
#define USAGE_EVERY_MS 10000
int usage_text(const struct cJSON *metrics, const struct vec *nodes,
	       char *buf, size_t n);
/* Ask again when USAGE_EVERY_MS has passed (app loop); forget the
 * figures, the Nodes watch and answers in flight (before the source
 * goes: context switch, exit). */
void usage_tick(struct app *a, long now_ms);
void usage_reset(struct app *a);
/* The config file's settings for context ctx after a `:ctx` switch
 * (entry.c): readonly.CTX (never lifting --readonly) and theme.CTX. */
void app_context_config(struct app *a, const char *ctx);
/* Themes: resolve into curses attributes for this terminal. */
void app_apply_theme(struct app *a);
int app_run(struct app *a);
/* Draw the whole screen once (the loop does this; benchmarks too). */
void app_draw(struct app *a);

/* draw.c: UTF-8 aware, width-clipped output. */
int draw_width(const char *s);
/* Print s at y,x clipped to w columns, padded with spaces when pad;
 * returns the columns used. */
int draw_text(int y, int x, const char *s, int w, int attr, int pad);
void draw_fill(int y, int x, int w, int attr);
/* draw_text that also says how many bytes of s fitted. */
int draw_text_ex(int y, int x, const char *s, int w, int attr, int pad,
		 size_t *consumed);

/* Views. */
struct view *view_table_new(struct app *a, const struct kind_info *k);
/* A text view; kind selects colouring (yaml) and the key scope. */
enum text_kind { TEXT_PLAIN, TEXT_YAML, TEXT_LOGS };
struct view *view_text_new(struct app *a, const char *title,
			   const char *text, enum text_kind kind);
void view_text_set(struct view *v, const char *text);
/* Logs of a pod (container NULL: the server's choice); see view_logs.c. */
struct view *view_logs_new(struct app *a, const struct kind_info *k,
			   const char *ns, const char *name);
struct view *view_logs_open(struct app *a, const struct kind_info *k,
			    const char *ns, const char *name,
			    const char *container);
/* Several followed logs at once (logset.c). */
struct log_target {
	char pod[256], container[128];
};
struct log_opts {
	int stamps, previous;
	long tail;		/* lines to start with; < 0 all */
	long since_s;		/* only the last since_s seconds; 0 all */
};
struct log_set;
/* prefix: "[pod/P/C] " with several streams, else ""; text without its
 * newline (n bytes, not NUL-terminated). */
typedef void (*logset_line_cb)(void *arg, const char *prefix,
			       const char *text, size_t n);
/* A stream ended; e is the first error of a run (NULL otherwise). */
typedef void (*logset_end_cb)(void *arg, const struct err *e);
/* An empty set over the source's streams of pods (kind copied) in ns. */
struct log_set *log_set_new(struct src *s, const struct kind_info *pods,
			    const char *ns, logset_line_cb line,
			    logset_end_cb end, void *arg);
/* Stop what runs and follow targets t[0..n) with options o. */
void log_set_start(struct log_set *ls, const struct log_target *t, size_t n,
		   const struct log_opts *o);
void log_set_stop(struct log_set *ls);
/* Reopen ended streams whose retry time has come. */
void log_set_tick(struct log_set *ls, long now_ms);
/* Streams in the set; *live: how many are open now (live may be NULL). */
size_t log_set_count(const struct log_set *ls, size_t *live);
void log_set_free(struct log_set *ls);
/* Every container of pod (init ones first) into t (at most max);
 * returns how many. */
size_t log_targets_pod(const struct cJSON *pod, struct log_target *t,
		       size_t max);
/* Every container of the pods (a cJSON array) that the workload's
 * spec.selector selects, whole pods only: *truncated when max stopped
 * it.  Returns how many. */
size_t log_targets_workload(const struct cJSON *wl, const struct cJSON *pods,
			    struct log_target *t, size_t max, int *truncated);

/* Logs of every container of a workload's pods (deployments,
 * replicasets, statefulsets, daemonsets, jobs: view_logs_workload_ok),
 * prefixed [pod/P/C]; NULL with a flash when the source cannot stream. */
int view_logs_workload_ok(const char *plural);
struct view *view_logs_workload(struct app *a, const struct kind_info *wk,
				const char *ns, const char *name);
/* The tail prompt's answer for logs view v (NULL: cancelled). */
void view_logs_tail(struct view *v, struct app *a, const char *text);
/* The owner tree of ns/name of kind k (view_tree.c); NULL with a flash
 * when k has no tree. */
struct view *view_tree_new(struct app *a, const struct kind_info *k,
			   const char *ns, const char *name);
/* The help view for the keys of view v. */
struct view *view_help_new(struct app *a, const struct view *v);
/* Table view accessors for actions. */
const struct kind_info *view_table_kind(const struct view *v);
/* The selected row (NULL when none); borrowed. */
const struct tm_row *view_table_selected(struct view *v);
/* 1 with the visible row count when v is a table that has loaded
 * (synced, not failed); 0 otherwise (rows untouched). */
int view_table_ready(struct view *v, size_t *rows);
/* Marked rows of a table view (borrowed), in insertion order. */
void view_table_marked(struct view *v, struct vec *out);
/* Column index by name in a table view, or -1. */
int view_table_col(struct view *v, const char *name);

/* actions.c: the mutating and object actions of table views. */
void action_run(struct app *a, struct view *v, enum act act);
void action_modal_done(struct app *a, enum modal_kind kind, int accepted);

/* ------------------------------------------------------------------ */
/* Rollout history and undo (rollout.c pure, view_rollout.c).          */

struct rollout_rev {
	long revision;
	char *name;		/* the ReplicaSet / ControllerRevision */
	char *images;		/* "img1,img2" of its pod template */
	char *cause;		/* kubernetes.io/change-cause, or "" */
	const struct cJSON *template;	/* borrowed from owner */
	const struct cJSON *owner;	/* the ReplicaSet / ControllerRevision */
	int current;
};

/* Deployments, StatefulSets and DaemonSets have revisions. */
int rollout_supported(const char *plural);
/* Where the revisions of plural live: replicasets / controllerrevisions. */
const char *rollout_owned_plural(const char *plural);
/* The revisions (struct rollout_rev *, oldest first, borrowing from
 * owned) of root among owned (a cJSON array of ReplicaSets or
 * ControllerRevisions of its namespace); free with rollout_rev_free. */
void rollout_revisions(const char *plural, const struct cJSON *root,
		       const struct cJSON *owned, struct vec *out);
void rollout_rev_free(void *r);
/* The revision undo goes to: to (> 0), or the newest one before the
 * current (to <= 0).  NULL with e filled when there is none or it is
 * the current one. */
const struct rollout_rev *rollout_target(const struct vec *revs, long to,
					 struct err *e);
/* root as `rollout undo` writes it back (a new object; see rollout.c). */
struct cJSON *rollout_undo_object(const char *plural, const struct cJSON *root,
				  const struct rollout_rev *to);
/* `u` on a table row: fetch, then ask to roll back to the previous
 * revision.  `H`: the revisions view (u there: back to the selected). */
void rollout_undo_start(struct app *a, const struct kind_info *k,
			const char *ns, const char *name);
struct view *view_rollout_new(struct app *a, const struct kind_info *k,
			      const char *ns, const char *name);
/* The MODAL_UNDO dialog was answered. */
void rollout_confirmed(struct app *a, int accepted);

/* ------------------------------------------------------------------ */
/* Watched full objects (objset.c): what list views and the tree show. */

#define OBJSET_MAX 12
#define OBJSET_COALESCE_MS 150	/* at most one rebuild per this */

struct objset {
	struct src *src;
	struct {
		char plural[64];
		struct src_objs *w;	/* NULL: the source cannot watch */
	} w[OBJSET_MAX];
	size_t n;
	struct cJSON *objs;	/* plural -> array of references */
	struct cJSON *errs;	/* plural -> "Reason: message" */
	int stale, dirty, loaded;
	long built_ms;
};

void objset_init(struct objset *o, struct src *src);
/* Watch plurals (NULL-terminated; kinds the source does not know are
 * left out; namespaced kinds in ns, "" = all) instead of the current
 * ones.  Marks the set dirty. */
void objset_watch(struct objset *o, const char *const *plurals,
		  const char *ns);
void objset_done(struct objset *o);
/* Make objs/errs current (after any drain); returns 1 when every kind
 * has listed (or failed), 0 while a first list is still out.  objs and
 * errs are valid until the next drain. */
int objset_ensure(struct objset *o);
/* A rebuild is due: something changed and the last one is at least
 * OBJSET_COALESCE_MS old.  Clears the dirty mark. */
int objset_due(struct objset *o, long now_ms);

/* ------------------------------------------------------------------ */
/* List views (view_lines.c): overview, helm, who-can, container picker. */

/* One line of a list view.  plural/ns/name: the object the line is about
 * (NULL plural: nothing to open); arg: what the view's key handler needs
 * (a filter text, a secret name, a container name). */
struct ui_line {
	char *text;
	int style;		/* enum theme_slot */
	char *plural, *ns, *name, *arg;
};

/* A new line (strings copied, NULL stays NULL; text from fmt). */
struct ui_line *ui_line_new(int style, const char *plural, const char *ns,
			    const char *name, const char *arg,
			    const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
void ui_line_free(void *l);

#define LINES_MAX_KINDS 12

/*
 * What a list view shows.  The view watches the full objects of
 * plurals[] (NULL-terminated; namespaced kinds in ns, "" = all; kinds the
 * source does not know are left out; see objset) and calls build with
 * objs (plural -> array of full objects) and errs (plural -> "Reason:
 * message" for lists that failed) after changes, coalesced; with no
 * plurals, build runs once with empty objects.  key gets the keys the
 * list itself does not use (up/down/paging/esc) with the selected line
 * (NULL when none) and the current objs; free releases ctx when the view
 * closes.  follow_ns: ns follows the app's namespace (`:ns`, number
 * keys).
 */
struct lines_spec {
	char title[160];
	char header[256];	/* column header line ("" none) */
	const char *plurals[LINES_MAX_KINDS + 1];
	char ns[128];
	int follow_ns;
	const enum act *acts;	/* the view's own keys (static; NULL none) */
	char select[128];	/* first selection: the line with this arg */
	void (*build)(void *ctx, const struct cJSON *objs,
		      const struct cJSON *errs, struct vec *out);
	enum view_rc (*key)(void *ctx, struct app *a, struct view *v,
			    const struct ui_line *sel,
			    const struct cJSON *objs, enum act act, int key);
	void (*free)(void *ctx);
	void *ctx;
};

/* Push-ready view for spec (copied; ctx owned by the view from now on). */
struct view *view_lines_new(struct app *a, const struct lines_spec *spec);
/* Rebuild now (e.g. after the key handler changed something). */
void view_lines_refresh(struct view *v);

/* ------------------------------------------------------------------ */
/* Overview (overview.c pure, `:overview` / `:ov`).                     */

/* The kinds an overview needs listed (NULL-terminated). */
extern const char *const overview_plurals[];
/* Lines for objs (plural -> items) of namespace ns ("" = all): one
 * summary line per kind, problem objects under it, the last 10 Warning
 * events.  Enter data: plural + arg (a table filter, may be NULL). */
void overview_build(const struct cJSON *objs, const struct cJSON *errs,
		    const char *ns, struct vec *out);
struct view *view_overview_new(struct app *a);

/* ------------------------------------------------------------------ */
/* Helm releases (helm.c pure, `:helm` / `:releases`).                  */

#define HELM_MAX_INFLATE (64u << 20)	/* cap on a release's JSON */

/*
 * Decode a release Secret's data.release (base64 of helm's base64 of
 * gzip of JSON; plain JSON after the inner base64 is accepted too).  The
 * inflated JSON is capped at HELM_MAX_INFLATE.  Returns 0 and the release
 * object in *out (cJSON_Delete it), or -1 with ERR_PARSE.
 */
int helm_release_decode(const char *data, size_t len, struct cJSON **out,
			struct err *e);
/* Is this Secret a helm release (type helm.sh/release.v1)? */
int helm_is_release(const struct cJSON *secret);
/*
 * Release lines from a list of Secrets: the latest revision of each
 * release (release NULL), or every revision of release in ns, newest
 * first.  Line name/ns: the Secret; arg: the release name.
 */
void helm_build(const struct cJSON *secrets, const char *ns,
		const char *release, struct vec *out);
/* values (user-supplied, YAML), manifest or notes of a decoded release:
 * a new string. */
char *helm_section(const struct cJSON *rel, char what);
struct view *view_helm_new(struct app *a);

/* ------------------------------------------------------------------ */
/* Who can (whocan.c pure, `:who VERB RESOURCE [NAMESPACE]`).          */

/*
 * Subjects allowed verb on resource (plural or plural/subresource) of
 * API group in ns ("" = any namespace) from objs (clusterroles, roles,
 * clusterrolebindings, rolebindings -> items).  A failed list (errs)
 * gives one explaining error line instead of a partial answer.
 */
void whocan_build(const struct cJSON *objs, const struct cJSON *errs,
		  const char *verb, const char *group, const char *resource,
		  const char *ns, struct vec *out);
/* `:who` arguments: "VERB RESOURCE [NAMESPACE]"; -1 when malformed. */
int whocan_args(const char *args, char *verb, size_t vn, char *res,
		size_t rn, char *ns, size_t nn);
struct view *view_whocan_new(struct app *a, const char *args);

/* ------------------------------------------------------------------ */
/* Container picker (picker.c).                                         */

/* The container a pod's logs/shell start on: the annotation
 * kubectl.kubernetes.io/default-container when it names a container,
 * else the first; NULL for no containers (borrowed from pod). */
const char *picker_default(const struct cJSON *pod);
/* Lines NAME IMAGE STATE READY for the pod's containers (init ones too,
 * marked); arg of each line is the container name. */
void picker_lines(const struct cJSON *pod, struct vec *out);

/*
 * Called once per picker_open/pod_fetch: container is the chosen name,
 * or NULL when the user cancelled (or the views were closed); arg is the
 * caller's.  Runs on the UI thread.
 */
typedef void (*picker_cb)(struct app *a, void *arg, const char *container);
/*
 * The container picker for pod (full object, copied): a list of the
 * containers (name, image, state, ready); Enter chooses, esc cancels.
 * With one container cb runs at once and no view opens.
 */
void picker_open(struct app *a, const struct cJSON *pod, picker_cb cb,
		 void *arg);
/* Fetch pod ns/name, then picker_open it (errors: flashed, cb(NULL)). */
void picker_open_pod(struct app *a, const char *ns, const char *name,
		     picker_cb cb, void *arg);
/* Fetch pod ns/name and give the parsed object (NULL on error, flashed)
 * to cb; the object is borrowed for the call. */
void pod_fetch(struct app *a, const char *ns, const char *name,
	       void (*cb)(struct app *a, void *arg, const struct cJSON *pod),
	       void *arg);

#endif
