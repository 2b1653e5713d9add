/* SPDX-License-Identifier: Apache-2.0 */
/* objset over a fake source: unknown kinds left out, loading, references
 * to the cached objects, errors, coalesced rebuilds, unwatch on done. */
#include "config.h"

#include <cjson/cJSON.h>
#include <string.h>

#include "common/mem.h"
#include "tests/tap.h"
#include "tui/tui.h"

struct fake {
	struct src super;
	struct vec kinds;
	int rc, watching;
	struct err why;
	cJSON *items;
	void (*changed)(void *);
	void *arg;
};

struct src_objs { int unused; };
static struct src_objs the_watch;

static const struct vec *f_kinds(struct src *s) { return &((struct fake *)s)->kinds; }

static struct src_objs *f_watch(struct src *s, const struct kind_info *k, const char *ns,
				void (*changed)(void *), void *arg)
{
	struct fake *f = (struct fake *)s;

	(void)k;
	(void)ns;
	f->changed = changed;
	f->arg = arg;
	f->watching++;
	return &the_watch;
}

static void f_unwatch(struct src *s, struct src_objs *w)
{
	(void)w;
	((struct fake *)s)->watching--;
}

static int f_list(struct src *s, struct src_objs *w, struct vec *out, struct err *e)
{
	struct fake *f = (struct fake *)s;
	cJSON *o;

	(void)w;
	cJSON_ArrayForEach(o, f->items)
		vec_push(out, o);
	if (f->rc < 0)
		err_copy(e, &f->why);
	return f->rc;
}

static const struct src_ops fake_ops = {
	.name = "fake", .kinds = f_kinds, .objs_watch = f_watch,
	.objs_unwatch = f_unwatch, .objs_list = f_list,
};
static const struct src_ops blind_ops = { .name = "blind", .kinds = f_kinds };

int main(void)
{
	struct fake f = { .super.ops = &fake_ops };
	const char *const plurals[] = { "pods", "nope", NULL };
	struct objset o;
	const cJSON *arr;

	vec_push(&f.kinds, kind_info_new("pods", "pod", "Pod", "", "po", 1, 0));
	f.items = cJSON_Parse("[{\"metadata\":{\"name\":\"a\"}},{\"metadata\":{\"name\":\"b\"}}]");
	objset_init(&o, &f.super);
	objset_watch(&o, plurals, "default");
	is_int((long long)o.n, 1, "a kind the source does not know is left out");
	is_int(f.watching, 1, "one watch");
	ok(objset_due(&o, 100000), "a new set is due");
	ok(!objset_due(&o, 100001), "then not again without a change");

	f.rc = 0;
	is_int(objset_ensure(&o), 0, "still listing: not loaded");
	f.rc = 1;
	f.changed(f.arg);
	ok(!objset_due(&o, 100000 + OBJSET_COALESCE_MS - 1), "a change within the window waits");
	ok(objset_due(&o, 100000 + OBJSET_COALESCE_MS), "then it is due");
	is_int(objset_ensure(&o), 1, "listed: loaded");
	arr = cJSON_GetObjectItem(o.objs, "pods");
	is_int(cJSON_GetArraySize(arr), 2, "both objects");
	is_str(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(
		cJSON_GetArrayItem(arr, 1), "metadata"), "name")), "b", "references read through");
	ok(objset_ensure(&o) == 1 && cJSON_GetObjectItem(o.objs, "pods") == arr,
	   "not stale: nothing re-collected");

	f.rc = -1;
	err_set(&f.why, ERR_FORBIDDEN, "pods is forbidden");
	f.changed(f.arg);
	is_int(objset_ensure(&o), 1, "a failed list counts as listed");
	ok(!cJSON_GetObjectItem(o.objs, "pods"), "no objects for a failed kind");
	is_str(cJSON_GetStringValue(cJSON_GetObjectItem(o.errs, "pods")),
	       "Forbidden: pods is forbidden", "its error");
	objset_done(&o);
	is_int(f.watching, 0, "done unwatches");

	f.super.ops = &blind_ops;
	objset_init(&o, &f.super);
	objset_watch(&o, plurals, "");
	objset_ensure(&o);
	ok(strstr(cJSON_GetStringValue(cJSON_GetObjectItem(o.errs, "pods")),
		  "cannot watch") != NULL, "a source without object watches says so");
	objset_done(&o);
	objset_done(&o);

	vec_free(&f.kinds, kind_info_free);
	cJSON_Delete(f.items);
	return tap_done();
}
