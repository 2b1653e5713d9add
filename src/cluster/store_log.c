/* SPDX-License-Identifier: Apache-2.0 */
/*
 * store_log: the SQLite revision log under the store.
 *
 * One table, one row per write (the kine layout): id is the revision, key,
 * created/deleted flags, the key's create revision, the revision of the
 * row it supersedes (prev_revision, 0 for a create) and the object's JSON.
 * A delete writes a tombstone row carrying the last state (with the
 * deletion's resourceVersion), so a replayed DELETED event has its object.
 * The meta table remembers the compacted revision.
 *
 * Durability: WAL mode.  The writer acknowledges a write only after its
 * COMMIT returned.  By default synchronous=FULL: every COMMIT fsyncs the
 * WAL, so an acknowledged write survives kill -9 at any moment and power
 * loss too (provided the disk honours flushes); group commit makes that
 * one fsync per batch, not per write.  With store_options.relaxed_sync,
 * synchronous=NORMAL: COMMIT has written the WAL frames with write(2) but
 * not fsynced them.  The kernel's page cache outlives the process, so an
 * acknowledged write still survives kill -9 (the crash test checks both
 * modes), and WAL checksums make a torn tail invisible on recovery; only
 * power loss or a kernel crash may drop the last commits (never corrupt
 * the file: the WAL is fsynced before each checkpoint).
 *
 * Each connection is used by one thread at a time (the store's locks make
 * sure), so connections are opened with SQLITE_OPEN_NOMUTEX.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cluster/store_int.h"
#include "common/mem.h"

static const char schema_sql[] =
    "CREATE TABLE IF NOT EXISTS log ("
    " id INTEGER PRIMARY KEY,"
    " key TEXT NOT NULL,"
    " created INTEGER NOT NULL,"
    " deleted INTEGER NOT NULL,"
    " create_revision INTEGER NOT NULL,"
    " prev_revision INTEGER NOT NULL,"
    " value BLOB NOT NULL);"
    "CREATE INDEX IF NOT EXISTS log_key_id ON log(key, id);"
    "CREATE TABLE IF NOT EXISTS meta ("
    " name TEXT PRIMARY KEY, value INTEGER NOT NULL);";

/* The condition "row l is superseded at revision ?2 or is a tombstone". */
#define SUPERSEDED(t)                                                          \
	"(" t ".deleted OR EXISTS (SELECT 1 FROM log n WHERE n.key = " t       \
	".key AND n.id > " t ".id AND n.id <= ?2))"

static int db_err(sqlite3 *db, struct err *e, const char *what)
{
	return err_set(e, ERR_IO, "store: %s: %s", what, sqlite3_errmsg(db));
}

static int exec(sqlite3 *db, const char *sql, struct err *e)
{
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return db_err(db, e, sql);
	return 0;
}

static int prepare(sqlite3 *db, const char *sql, sqlite3_stmt **st,
		   struct err *e)
{
	if (sqlite3_prepare_v2(db, sql, -1, st, NULL) != SQLITE_OK)
		return db_err(db, e, "prepare");
	return 0;
}

/* The single integer result of sql (0 when no row). */
static int query_int(sqlite3 *db, const char *sql, int64_t *out, struct err *e)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (prepare(db, sql, &st, e))
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	else if (rc == SQLITE_DONE)
		*out = 0;
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_err(db, e, sql);
	return 0;
}

int store_log_open(const char *path, bool relaxed_sync, sqlite3 **out,
		   struct err *e)
{
	sqlite3 *db = NULL;
	int64_t dummy;
	int flags =
	    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;

	if (sqlite3_open_v2(path, &db, flags, NULL) != SQLITE_OK) {
		err_set(e, ERR_IO, "store: cannot open %s: %s", path,
			db ? sqlite3_errmsg(db) : "out of memory");
		goto fail;
	}
	sqlite3_busy_timeout(db, 10000);
	sqlite3_extended_result_codes(db, 1);
	if (exec(db, "PRAGMA journal_mode=WAL", e) ||
	    exec(db,
		 relaxed_sync ? "PRAGMA synchronous=NORMAL"
			      : "PRAGMA synchronous=FULL",
		 e) ||
	    exec(db, "PRAGMA journal_size_limit=67108864", e) ||
	    exec(db, schema_sql, e) ||
	    query_int(db, "SELECT count(*) FROM meta", &dummy, e)) {
		err_set(e, ERR_IO, "store %s: %s", path, sqlite3_errmsg(db));
		goto fail;
	}
	*out = db;
	return 0;
fail:
	sqlite3_close(db);
	return -1;
}

void store_log_close(sqlite3 *db)
{
	sqlite3_close(db);
}

/*
 * The latest row of every key, in key order: SQLite takes the bare columns
 * of a MAX() aggregate from the row holding the maximum.
 */
int store_log_recover(sqlite3 *db, struct store_state *s, int64_t *rev,
		      int64_t *compacted, struct err *e)
{
	sqlite3_stmt *st = NULL;
	int64_t max_id, crev;
	int rc;

	if (query_int(db, "SELECT coalesce(max(id), 0) FROM log", &max_id, e) ||
	    query_int(db, "SELECT value FROM meta WHERE name = 'compact_rev'",
		      &crev, e))
		return -1;
	if (prepare(db,
		    "SELECT max(id), key, deleted, create_revision, value"
		    " FROM log GROUP BY key ORDER BY key",
		    &st, e))
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *key = (const char *)sqlite3_column_text(st, 1);
		const void *val = sqlite3_column_blob(st, 4);
		size_t len = (size_t)sqlite3_column_bytes(st, 4);

		if (sqlite3_column_int(st, 2) || !key)
			continue; /* deleted, or a damaged row */
		store_state_append(s,
				   store_obj_new(key, val ? val : "", len,
						 sqlite3_column_int64(st, 0),
						 sqlite3_column_int64(st, 3)));
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_err(db, e, "recovery");
	*rev = max_id > crev ? max_id : crev;
	*compacted = crev;
	return 0;
}

static int bind_row(sqlite3_stmt *st, const struct store_row *r)
{
	sqlite3_bind_int64(st, 1, r->id);
	sqlite3_bind_text(st, 2, r->key, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, r->created);
	sqlite3_bind_int(st, 4, r->deleted);
	sqlite3_bind_int64(st, 5, r->create_rev);
	sqlite3_bind_int64(st, 6, r->prev_rev);
	sqlite3_bind_blob(st, 7, r->value, (int)r->len, SQLITE_STATIC);
	return sqlite3_step(st);
}

int store_log_write(sqlite3 *db, const struct store_row *rows, size_t n,
		    bool fail, struct err *e)
{
	sqlite3_stmt *ins = NULL;
	int rc = -1;

	if (exec(db, "BEGIN IMMEDIATE", e))
		return -1;
	if (prepare(db,
		    "INSERT INTO log (id, key, created, deleted,"
		    " create_revision, prev_revision, value)"
		    " VALUES (?, ?, ?, ?, ?, ?, ?)",
		    &ins, e))
		goto out;
	for (size_t i = 0; i < n; i++) {
		if (bind_row(ins, &rows[i]) != SQLITE_DONE) {
			db_err(db, e, "insert");
			goto out;
		}
		sqlite3_reset(ins);
	}
	if (fail) {
		err_set(e, ERR_IO, "store: commit failed (injected)");
		goto out;
	}
	rc = exec(db, "COMMIT", e);
out:
	sqlite3_finalize(ins);
	if (rc)
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

/* The row a MODIFIED or DELETED event supersedes (NULL when compacted). */
static const struct store_obj *load_prev(sqlite3 *db, sqlite3_stmt *st,
					 int64_t id)
{
	const struct store_obj *o = NULL;

	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0)) {
		const void *val = sqlite3_column_blob(st, 1);

		o = store_obj_new((const char *)sqlite3_column_text(st, 0),
				  val ? val : "",
				  (size_t)sqlite3_column_bytes(st, 1), id,
				  sqlite3_column_int64(st, 2));
	}
	sqlite3_reset(st);
	return o;
}

static void replay_row(sqlite3 *db, sqlite3_stmt *rows, sqlite3_stmt *prev,
		       void (*fn)(void *, const struct store_event *),
		       void *arg)
{
	const void *val = sqlite3_column_blob(rows, 6);
	struct store_event ev = {0};
	bool created = sqlite3_column_int(rows, 2);
	bool deleted = sqlite3_column_int(rows, 3);
	int64_t prev_rev = sqlite3_column_int64(rows, 5);

	ev.type = created   ? STORE_ADDED
		  : deleted ? STORE_DELETED
			    : STORE_MODIFIED;
	ev.obj = store_obj_new(
	    (const char *)sqlite3_column_text(rows, 1), val ? val : "",
	    (size_t)sqlite3_column_bytes(rows, 6),
	    sqlite3_column_int64(rows, 0), sqlite3_column_int64(rows, 4));
	if (!created && prev_rev > 0)
		ev.prev = load_prev(db, prev, prev_rev);
	fn(arg, &ev);
	store_obj_unref(ev.obj);
	store_obj_unref(ev.prev);
}

/* In a read transaction: ERR_GONE when rev is below the compacted one. */
static int check_compacted(sqlite3 *db, int64_t rev, struct err *e)
{
	int64_t crev;

	if (query_int(db, "SELECT value FROM meta WHERE name = 'compact_rev'",
		      &crev, e))
		return -1;
	if (rev < crev)
		return err_set(e, ERR_GONE, "too old resource version: %lld (%lld)",
			       (long long)rev, (long long)crev);
	return 0;
}

int store_log_replay(sqlite3 *db, int64_t from, int64_t to, const char *prefix,
		     void (*fn)(void *arg, const struct store_event *ev),
		     void *arg, struct err *e)
{
	sqlite3_stmt *rows = NULL, *prev = NULL;
	size_t plen = strlen(prefix);
	int rc = -1, step;

	if (exec(db, "BEGIN", e))
		return -1;
	if (check_compacted(db, from, e))
		goto out;
	if (prepare(db,
		    "SELECT id, key, created, deleted, create_revision,"
		    " prev_revision, value FROM log WHERE id > ? AND id <= ?"
		    " ORDER BY id",
		    &rows, e) ||
	    prepare(db,
		    "SELECT key, value, create_revision FROM log"
		    " WHERE id = ?",
		    &prev, e))
		goto out;
	sqlite3_bind_int64(rows, 1, from);
	sqlite3_bind_int64(rows, 2, to);
	while ((step = sqlite3_step(rows)) == SQLITE_ROW) {
		const char *key = (const char *)sqlite3_column_text(rows, 1);

		if (key && !strncmp(key, prefix, plen))
			replay_row(db, rows, prev, fn, arg);
	}
	if (step != SQLITE_DONE) {
		db_err(db, e, "replay");
		goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(rows);
	sqlite3_finalize(prev);
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	return rc;
}

/*
 * The live objects under prefix as they were at revision rev: for every
 * key the newest row at or below rev, unless that row is a tombstone.
 * Compaction keeps the newest row of every key, so any rev at or above the
 * compacted revision is complete.  One read transaction.
 */
int store_log_list_at(sqlite3 *db, int64_t rev, const char *prefix,
		      const char *start_after,
		      int (*fn)(void *arg, const struct store_obj *o),
		      void *arg, struct err *e)
{
	sqlite3_stmt *st = NULL;
	size_t plen = strlen(prefix);
	char *end = xstrdup(prefix);
	int rc = -1, step;

	/* keys under prefix sort below prefix with its last byte + 1 */
	if (plen)
		end[plen - 1]++;
	if (exec(db, "BEGIN", e)) {
		free(end);
		return -1;
	}
	if (check_compacted(db, rev, e))
		goto out;
	if (prepare(db,
		    "SELECT l.id, l.key, l.create_revision, l.value FROM log l"
		    " WHERE l.key >= ?1 AND (?3 = '' OR l.key < ?3)"
		    " AND l.key > ?4 AND l.id <= ?2 AND NOT " SUPERSEDED("l")
		    " ORDER BY l.key",
		    &st, e))
		goto out;
	sqlite3_bind_text(st, 1, prefix, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, rev);
	sqlite3_bind_text(st, 3, plen ? end : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, start_after ? start_after : "", -1,
			  SQLITE_STATIC);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *key = (const char *)sqlite3_column_text(st, 1);
		const void *val = sqlite3_column_blob(st, 3);
		const struct store_obj *o;
		int stop;

		if (!key)
			continue; /* a damaged row */
		o = store_obj_new(key, val ? val : "",
				  (size_t)sqlite3_column_bytes(st, 3),
				  sqlite3_column_int64(st, 0),
				  sqlite3_column_int64(st, 2));
		stop = fn(arg, o);
		store_obj_unref(o);
		if (stop)
			break;
	}
	if (step != SQLITE_DONE && step != SQLITE_ROW) {
		db_err(db, e, "list");
		goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(st);
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	free(end);
	return rc;
}

int store_log_set_compacted(sqlite3 *db, int64_t rev, struct err *e)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (prepare(db,
		    "INSERT OR REPLACE INTO meta (name, value)"
		    " VALUES ('compact_rev', ?)",
		    &st, e))
		return -1;
	sqlite3_bind_int64(st, 1, rev);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_err(db, e, "compact");
	return 0;
}

/*
 * One short write transaction: find the next (up to) 500 removable rows
 * above *cursor, delete them, advance the cursor.  *cursor = target when
 * nothing is left.  Rows kept below target are the latest of each live
 * key, which the next batch skips over quickly through the primary key.
 */
int store_log_compact_batch(sqlite3 *db, int64_t target, int64_t *cursor,
			    int64_t *removed, struct err *e)
{
	sqlite3_stmt *sel = NULL, *del = NULL;
	int64_t hi = 0;
	int rc = -1;

	if (exec(db, "BEGIN IMMEDIATE", e))
		return -1;
	if (prepare(db,
		    "SELECT max(id) FROM (SELECT id FROM log l"
		    " WHERE l.id > ?1 AND l.id <= ?2 AND " SUPERSEDED(
			"l") " ORDER BY id LIMIT 500)",
		    &sel, e) ||
	    prepare(
		db,
		"DELETE FROM log WHERE id > ?1 AND id <= ?3 AND " SUPERSEDED(
		    "log"),
		&del, e))
		goto out;
	sqlite3_bind_int64(sel, 1, *cursor);
	sqlite3_bind_int64(sel, 2, target);
	if (sqlite3_step(sel) != SQLITE_ROW) {
		db_err(db, e, "compact");
		goto out;
	}
	hi = sqlite3_column_int64(sel, 0); /* NULL -> 0: done */
	if (hi > 0) {
		sqlite3_bind_int64(del, 1, *cursor);
		sqlite3_bind_int64(del, 2, target);
		sqlite3_bind_int64(del, 3, hi);
		if (sqlite3_step(del) != SQLITE_DONE) {
			db_err(db, e, "compact");
			goto out;
		}
		*removed += sqlite3_changes(db);
	}
	rc = exec(db, "COMMIT", e);
out:
	sqlite3_finalize(sel);
	sqlite3_finalize(del);
	if (rc)
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	else
		*cursor = hi > 0 ? hi : target;
	return rc;
}

/*
 * PASSIVE never blocks the writer, and journal_size_limit truncates the
 * WAL whenever it restarts from the beginning.  Under a steady stream of
 * writes a passive checkpoint never catches up with the end of the WAL,
 * so the WAL would never restart: past WAL_MAX_FRAMES a TRUNCATE
 * checkpoint follows, which holds writers back only while it copies the
 * few frames the passive pass left.
 */
#define WAL_MAX_FRAMES 8192

void store_log_checkpoint(sqlite3 *db)
{
	int log = 0, done = 0;

	if (sqlite3_wal_checkpoint_v2(db, NULL, SQLITE_CHECKPOINT_PASSIVE,
				      &log, &done) != SQLITE_OK ||
	    log <= WAL_MAX_FRAMES)
		return;
	/*
	 * TRUNCATE holds new writers back while it waits for readers (a
	 * watch replaying the log): give up after 100 ms, retry next time.
	 */
	sqlite3_busy_timeout(db, 100);
	sqlite3_wal_checkpoint_v2(db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL,
				  NULL);
	sqlite3_busy_timeout(db, 10000);
}
